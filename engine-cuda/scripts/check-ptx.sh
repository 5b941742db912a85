#!/usr/bin/env bash
# CI check: the committed PTX must be exactly what build-ptx.sh makes from the committed sources, and must
# assemble at PTX ISA 8.0. Without nvcc it says so and passes. A different nvcc release than the one that built
# the committed files cannot reproduce them byte for byte; then only the ptxas check runs.
set -euo pipefail

MODULE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COMMITTED="$MODULE/src/main/resources/io/jgrad/cuda/ptx"
NVCC="${NVCC:-nvcc}"

if ! command -v "$NVCC" >/dev/null; then
    echo "check-ptx: nvcc not found; skipping the PTX check"
    exit 0
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
"$MODULE/scripts/build-ptx.sh" "$TMP" >/dev/null

release() { grep -m1 '^// Cuda compilation tools' "$1" || true; }
status=0
for ptx in "$TMP"/*.ptx; do
    name="$(basename "$ptx")"
    if [ ! -f "$COMMITTED/$name" ]; then
        echo "check-ptx: $name is built from source but not committed (run scripts/build-ptx.sh)"; status=1; continue
    fi
    if [ "$(release "$ptx")" != "$(release "$COMMITTED/$name")" ]; then
        echo "check-ptx: $name was built by another nvcc ($(release "$COMMITTED/$name")); byte comparison skipped"
    elif ! cmp -s "$ptx" "$COMMITTED/$name"; then
        echo "check-ptx: $name differs from its source (run scripts/build-ptx.sh)"; status=1
    fi
done
for ptx in "$COMMITTED"/*.ptx; do
    name="$(basename "$ptx")"
    [ -f "$TMP/$name" ] || { echo "check-ptx: $name is committed but has no source"; status=1; }
    grep -q '^\.version 8\.0$' "$ptx" || { echo "check-ptx: $name is not PTX ISA 8.0"; status=1; }
    for sm in sm_75 sm_90; do
        "$(dirname "$(command -v "$NVCC")")/ptxas" -arch="$sm" -o /dev/null "$ptx" || { echo "check-ptx: $name fails ptxas $sm"; status=1; }
    done
done
[ "$status" -eq 0 ] && echo "check-ptx: committed PTX is up to date and loads on CUDA 12.0+ drivers"
exit "$status"
