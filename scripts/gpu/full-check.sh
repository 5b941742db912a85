#!/usr/bin/env bash
# Everything this project checks on a GPU machine, in one go: the CUDA test suites (run-on-gpu.sh), the three
# examples on cuda, and the GPU benchmarks against PyTorch on the same card. Run from the repository root with
# .bundle/jgrad-gpu.tar.gz (scripts/gpu/bundle.sh) and .bundle/data (a copy of ../shared/data) in place.
# Logs go to .bundle/logs, packed into $OUT/logs.tgz when $OUT is set; the last lines printed are a summary.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
B=.bundle/jgrad-gpu
RESULTS="${OUT:-}"
OUT=.bundle/logs
rm -rf "$OUT"; mkdir -p "$OUT"
[ -d "$B" ] || tar -C .bundle -xzf .bundle/jgrad-gpu.tar.gz || exit 1

{ nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv; which java python3 nvcc; uname -r;
  python3 -c 'import torch; print("torch", torch.__version__, torch.version.cuda)'; } > "$OUT/env.txt" 2>&1

OUT="$OUT" bash scripts/gpu/run-on-gpu.sh > "$OUT/tests.log" 2>&1
echo "cuda tests exit $?" >> "$OUT/summary.txt"
grep -E "tests (successful|failed|skipped|aborted|found)" "$OUT/tests.log" >> "$OUT/summary.txt"
grep -aE "Assumption|✘|\[X\]" "$OUT/tests.log" | head -n 20 >> "$OUT/summary.txt"

shim="$PWD/$B/cublas-shim/build"
lib13="$(find /usr/local/cuda* / -name libcublas.so.13 -not -path '/proc/*' 2>/dev/null | head -n 1)"
export LD_LIBRARY_PATH="$shim${lib13:+:$(dirname "$lib13")}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
java=("$B/jre/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$(ls $B/lib/*.jar | paste -sd:)")
run() { local name="$1"; shift; local t0=$SECONDS; "${java[@]}" "$@" > "$OUT/$name.log" 2>&1;
        echo "$name exit $? in $((SECONDS - t0)) s: $(grep -aE 'accuracy|loss' "$OUT/$name.log" | tail -n 2 | tr '\n' ' ')" >> "$OUT/summary.txt"; }
run moons io.jgrad.examples.Main moons --device cuda --out "$OUT"
run mnist io.jgrad.examples.Main mnist --device cuda --data .bundle/data/mnist-10k --checkpoint /tmp/mnist.safetensors --out "$OUT"
run names io.jgrad.examples.Main names --device cuda --data .bundle/data/names/names.txt --out "$OUT"
"${java[@]}" io.jgrad.bench.GpuBench "$@" > "$OUT/bench-jgrad.log" 2>&1
python3 benchmarks/scripts/gpu_torch.py "$@" > "$OUT/bench-torch.log" 2>&1
grep -h RESULT "$OUT/bench-jgrad.log" | sed 's/^/jgrad /' >> "$OUT/summary.txt"
grep -h RESULT "$OUT/bench-torch.log" | sed 's/^/torch /' >> "$OUT/summary.txt"
[ -n "$RESULTS" ] && tar -C "$OUT" -czf "$RESULTS/logs.tgz" . && cp "$OUT/summary.txt" "$RESULTS/"
cat "$OUT/env.txt" "$OUT/summary.txt"
