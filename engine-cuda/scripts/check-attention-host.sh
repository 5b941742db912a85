#!/usr/bin/env bash
# Runs the fused attention kernels of src/main/cuda/attention.cu on the host CPU (one std::thread per CUDA thread,
# a barrier for __syncthreads) against a float64 reference, for machines without a GPU. Needs a C++20 compiler;
# without one it says so and passes.
set -euo pipefail

MODULE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CXX="${CXX:-g++}"
command -v "$CXX" >/dev/null || { echo "check-attention-host: $CXX not found; skipping"; exit 0; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
"$CXX" -std=c++20 -O1 -pthread -w -I"$MODULE/src/main/cuda" -I"$MODULE/src/test/cuda" \
    -o "$TMP/attention_host_check" "$MODULE/src/test/cuda/attention_host_check.cpp"
"$TMP/attention_host_check"
