#!/usr/bin/env bash
# Cold runs with and without the Vector API flag, alternating, each in a fresh JVM: the moons demo (wall time of the
# whole process) and the MNIST MLP's first epoch (the time the example reports). Prints one line per run and the
# medians. Usage: benchmarks/scripts/startup.sh [runs] [mnist-data-dir]
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=examples/target/jgrad-examples.jar
RUNS="${1:-5}"
DATA="${2:-../shared/data/mnist-10k}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
VEC="--add-modules jdk.incubator.vector"
declare -a demo_vec demo_plain mnist_vec mnist_plain
ms() { echo $(( ($2 - $1) / 1000000 )); }
for i in $(seq "$RUNS"); do
  for flag in vec plain; do
    args=(); [ "$flag" = vec ] && args=($VEC)
    s=$(date +%s%N); java "${args[@]}" -jar "$JAR" --out "$OUT" >/dev/null 2>&1; e=$(date +%s%N)
    t=$(ms "$s" "$e"); echo "demo  $flag run $i: $t ms"
    if [ "$flag" = vec ]; then demo_vec+=("$t"); else demo_plain+=("$t"); fi
    if [ -d "$DATA" ]; then
      line=$(java "${args[@]}" -jar "$JAR" mnist --data "$DATA" --epochs 1 --out "$OUT" --checkpoint "$OUT/m.safetensors" 2>&1 | grep -E "^epoch 1/1:" | tail -1 || true)
      echo "mnist $flag run $i: $line"
      sec=$(echo "$line" | grep -oE "[0-9]+\.[0-9]+ s" | head -1 | cut -d' ' -f1)
      if [ "$flag" = vec ]; then mnist_vec+=("$sec"); else mnist_plain+=("$sec"); fi
    fi
  done
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo "demo median: with the flag $(median "${demo_vec[@]}") ms, without $(median "${demo_plain[@]}") ms"
[ ${#mnist_vec[@]} -gt 0 ] && echo "mnist first epoch median: with the flag $(median "${mnist_vec[@]}") s, without $(median "${mnist_plain[@]}") s"
exit 0
