#!/usr/bin/env bash
# Builds the forwarding libcublas.so.12 (see shim.c) with gcc.
#   build.sh [path/to/libcublas.so.13 [output folder]]
# Without a path it looks in ldconfig's cache, then under /usr/local/cuda*, then anywhere. The chosen path is
# compiled in; JGRAD_CUBLAS_TARGET overrides it at run time. Use the result with
#   export LD_LIBRARY_PATH=<output folder>:<folder of libcublas.so.13>:$LD_LIBRARY_PATH
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TARGET="${1:-}"
OUT="${2:-$HERE/../../target/cublas-shim}"  # engine-cuda/target: git ignores it

if [ -z "$TARGET" ]; then
    TARGET="$(ldconfig -p 2>/dev/null | awk '$1 == "libcublas.so.13" { print $NF; exit }')"
fi
if [ -z "$TARGET" ]; then
    TARGET="$(find /usr/local/cuda* / -name 'libcublas.so.13' -not -path '/proc/*' 2>/dev/null | head -n 1 || true)"
fi
[ -n "$TARGET" ] && [ -e "$TARGET" ] || { echo "cublas-shim: no libcublas.so.13 found; pass its path as the first argument" >&2; exit 1; }
TARGET="$(cd "$(dirname "$TARGET")" && pwd)/$(basename "$TARGET")"

mkdir -p "$OUT"
GEN="$(mktemp -d)"
trap 'rm -rf "$GEN"' EXIT
mapfile -t SYMBOLS < <(grep -v '^[[:space:]]*\(#\|$\)' "$HERE/symbols.txt")

{   # the names, in table order
    echo "#define SYMBOL_COUNT ${#SYMBOLS[@]}"
    echo "#define SYMBOL_NAMES \\"
    for s in "${SYMBOLS[@]}"; do echo "    \"$s\", \\"; done
    echo
} > "$GEN/names.inc"

{   # one jump through the table per exported name
    echo '    .text'
    for i in "${!SYMBOLS[@]}"; do
        s="${SYMBOLS[$i]}"
        printf '    .globl %s\n    .type %s, @function\n    .p2align 4\n%s:\n    jmp *jgrad_cublas_table+%d(%%rip)\n    .size %s, .-%s\n' \
            "$s" "$s" "$s" $((8 * i)) "$s" "$s"
    done
    echo '    .section .note.GNU-stack,"",@progbits'
} > "$GEN/trampolines.S"

{   # every export carries the version JCublas2 asks for
    echo 'libcublas.so.12 {'
    echo '  global:'
    for s in "${SYMBOLS[@]}"; do echo "    $s;"; done
    echo '  local: *;'
    echo '};'
} > "$GEN/shim.map"

gcc -shared -fPIC -O2 -Wall -o "$OUT/libcublas.so.12" \
    -Wl,-soname,libcublas.so.12 -Wl,--version-script="$GEN/shim.map" -Wl,-z,noexecstack \
    -DJGRAD_DEFAULT_TARGET="\"$TARGET\"" -I"$GEN" \
    "$HERE/shim.c" "$GEN/trampolines.S" -ldl
echo "cublas-shim: built $OUT/libcublas.so.12 (${#SYMBOLS[@]} symbols) -> $TARGET"
