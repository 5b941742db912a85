#!/usr/bin/env bash
# Compiles engine-cuda/src/main/cuda/*.cu to PTX under src/main/resources/io/jgrad/cuda/ptx/ (or into the folder
# given as $1), then proves that every file loads on CUDA 12.0+ drivers:
#  - nvcc 13 writes PTX ISA 9.0, which drivers older than CUDA 13 refuse, so the .version line is lowered to 8.0
#    (the ISA of CUDA 12.0);
#  - ptxas then assembles each file for sm_75 and sm_90; it rejects any instruction newer than ISA 8.0.
# The output depends only on the sources and the nvcc version, so rebuilding gives byte-identical files.
set -euo pipefail

MODULE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$MODULE/src/main/cuda"
OUT="${1:-$MODULE/src/main/resources/io/jgrad/cuda/ptx}"
PTX_ISA="8.0"
NVCC="${NVCC:-nvcc}"
PTXAS="${PTXAS:-$(dirname "$(command -v "$NVCC")")/ptxas}"

command -v "$NVCC" >/dev/null || { echo "build-ptx: nvcc not found (set NVCC=/path/to/nvcc)" >&2; exit 1; }
mkdir -p "$OUT"

for cu in "$SRC"/*.cu; do
    name="$(basename "$cu" .cu)"
    ptx="$OUT/$name.ptx"
    # -fmad=false: a*x+b must round twice, as in Java (kernels that want FMA call it explicitly)
    "$NVCC" -ptx -arch=compute_75 -O3 -fmad=false -I"$SRC" -o "$ptx.tmp" "$cu"
    sed -E "s/^\.version [0-9]+\.[0-9]+\$/.version $PTX_ISA/" "$ptx.tmp" > "$ptx"
    rm -f "$ptx.tmp"
    grep -q "^\.version $PTX_ISA\$" "$ptx" || { echo "build-ptx: $ptx has no .version line" >&2; exit 1; }
    for sm in sm_75 sm_90; do
        "$PTXAS" -arch="$sm" -o /dev/null "$ptx" || { echo "build-ptx: $name.ptx does not assemble for $sm at PTX ISA $PTX_ISA" >&2; exit 1; }
    done
    echo "build-ptx: $name.ptx ($(grep -c '^\.visible \.entry' "$ptx") kernels)"
done
