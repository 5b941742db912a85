#!/usr/bin/env bash
# Runs the float16/bfloat16 kernels on the host CPU (host_shim.h), for machines without a GPU:
#  1. the conversion kernels of src/main/cuda/half.cu (each as one CUDA thread) against a table that io.jgrad.HalfFloat
#     writes (src/test/cuda/HalfTable.java): every half bit pattern of both types widened to every dtype, a few million
#     float32 values and some float64, int64 and int32 values narrowed, bit for bit;
#  2. the native half kernels of src/main/cuda/half_ops.cu (element-wise, reductions, softmax) against the float32
#     kernels they are instantiated from, rounded once with the conversions step 1 proved (half_ops_host_check.cpp).
# Needs a C++20 compiler and a JDK (javac, java); without them it says so and passes.
set -euo pipefail

MODULE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
API="$MODULE/../engine-api/src/main/java/io/jgrad"
CXX="${CXX:-g++}"
for tool in "$CXX" javac java; do
    command -v "$tool" >/dev/null || { echo "check-half-host: $tool not found; skipping"; exit 0; }
done

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
# HalfFloat needs only DType: compile the two alone, so no Maven build is needed
javac -d "$TMP/classes" "$API/HalfFloat.java" "$API/DType.java"
java -cp "$TMP/classes" "$MODULE/src/test/cuda/HalfTable.java" "$TMP/table.bin"
"$CXX" -std=c++20 -O2 -pthread -w -I"$MODULE/src/main/cuda" -I"$MODULE/src/test/cuda" \
    -o "$TMP/half_host_check" "$MODULE/src/test/cuda/half_host_check.cpp"
"$TMP/half_host_check" "$TMP/table.bin"
"$CXX" -std=c++20 -O2 -pthread -w -I"$MODULE/src/main/cuda" -I"$MODULE/src/test/cuda" \
    -o "$TMP/half_ops_host_check" "$MODULE/src/test/cuda/half_ops_host_check.cpp"
"$TMP/half_ops_host_check"
