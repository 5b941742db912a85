#!/usr/bin/env bash
# Regenerates symbols.txt from the JCublas natives jar (default: the one in ~/.m2), e.g. after a JCuda upgrade.
#   update-symbols.sh [path/to/jcublas-natives-<version>-linux-x86_64.jar]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAR="${1:-$(ls "$HOME"/.m2/repository/org/jcuda/jcublas-natives/*/jcublas-natives-*-linux-x86_64.jar | sort -V | tail -n 1)}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
unzip -q -o "$JAR" 'lib/libJCublas2-*' -d "$TMP"
LIB="$(ls "$TMP"/lib/libJCublas2-*.so)"
{
    echo "# The cuBLAS functions that JCublas2 ($(basename "$LIB")) imports from libcublas.so.12,"
    echo "# from: nm -D --undefined-only $(basename "$LIB") | grep @libcublas.so.12 (see update-symbols.sh)"
    nm -D --undefined-only "$LIB" | awk '{ print $2 }' | grep '@libcublas\.so\.12$' | sed 's/@.*//' | sort -u
} > "$HERE/symbols.txt"
if nm -D --undefined-only "$LIB" | grep -q '@libcublasLt'; then
    echo "update-symbols: $(basename "$LIB") also imports cublasLt symbols; the shim would need a libcublasLt.so.12 too" >&2
    exit 1
fi
echo "update-symbols: $(grep -vc '^#' "$HERE/symbols.txt") symbols from $(basename "$LIB")"
