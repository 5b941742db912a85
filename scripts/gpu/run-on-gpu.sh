#!/usr/bin/env bash
# Runs on the GPU machine from the repository root, with .bundle/jgrad-gpu.tar.gz from bundle.sh in place:
# shows the GPU, makes cuBLAS loadable (CUDA 12's libcublas.so.12 if there is one, else the shim over CUDA 13's
# libcublas.so.13), runs io.jgrad.cuda.Doctor and then the CUDA tests with the JUnit console launcher.
# Arguments replace the test selection, e.g. --select-class io.jgrad.cuda.CudaGemmTest. Logs go to $OUT if set.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
B="${JGRAD_BUNDLE:-.bundle/jgrad-gpu}"
[ -d "$B" ] || tar -C "$(dirname "$B")" -xzf .bundle/jgrad-gpu.tar.gz || exit 1
LOGS="${OUT:-$B/logs}"
mkdir -p "$LOGS"

# The first match of a library name: the linker cache, then CUDA installs, then anywhere (but not our own shim).
find_lib() {
    ldconfig -p 2>/dev/null | awk -v n="$1" '$1 == n { print $NF; exit }' | grep . && return
    find /usr/local/cuda* / -name "$1" -not -path '/proc/*' -not -path "*/cublas-shim/*" 2>/dev/null | head -n 1
}

main() {
    echo "== nvidia-smi"
    nvidia-smi || echo "(nvidia-smi failed)"

    echo "== cuBLAS"
    local lib12 lib13
    lib12="$(find_lib libcublas.so.12)"
    if [ -n "$lib12" ]; then
        echo "using $lib12"
        export LD_LIBRARY_PATH="$(dirname "$lib12")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    else
        lib13="$(find_lib libcublas.so.13)"
        if [ -n "$lib13" ] && "$B/cublas-shim/build.sh" "$lib13" "$B/cublas-shim/build"; then
            export LD_LIBRARY_PATH="$(cd "$B/cublas-shim/build" && pwd):$(dirname "$lib13")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
        else
            echo "no usable libcublas.so.12 or .so.13: matrix products will use jgrad's fallback kernel"
        fi
    fi

    local java=("$B/jre/bin/java" --enable-native-access=ALL-UNNAMED) libs
    # the console launcher brings its own JUnit; a second copy on the class path would register the engine twice
    libs="$(ls "$B"/lib/*.jar | grep -Ev '/(junit-|opentest4j-|apiguardian-)' | paste -sd:)"
    "${java[@]}" -version 2>&1 | head -n 1

    echo "== io.jgrad.cuda.Doctor"
    "${java[@]}" -cp "$libs" io.jgrad.cuda.Doctor

    echo "== CUDA tests"
    local selection=("$@")
    [ ${#selection[@]} -gt 0 ] || selection=(--select-package io.jgrad.cuda)
    "${java[@]}" -Xss4m --add-modules jdk.incubator.vector -jar "$B/junit/junit-platform-console-standalone-1.11.4.jar" execute \
        --disable-banner --details=tree --fail-if-no-tests --class-path "$libs:$B/tests/engine-cuda-tests.jar" \
        --reports-dir "$LOGS/junit" "${selection[@]}"
}

main "$@" 2>&1 | tee "$LOGS/run-on-gpu.log"
exit "${PIPESTATUS[0]}"
