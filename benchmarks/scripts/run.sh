#!/usr/bin/env bash
# Runs jgrad's JMH benchmarks and the NumPy/PyTorch peers in one go (see compare.py --help for the options).
# Builds benchmarks/target/benchmarks.jar first if it is missing. Picks a Python that can import torch when one
# exists (PyTorch is optional: without it those columns are left empty), else one with NumPy.
#   benchmarks/scripts/run.sh                      # CPU, every benchmark, with and without the Vector API
#   benchmarks/scripts/run.sh --device cuda        # on a GPU machine
#   PYTHON=/usr/bin/python3 JAR=path/to/benchmarks.jar benchmarks/scripts/run.sh --no-plain-pass
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
jar="${JAR:-$root/benchmarks/target/benchmarks.jar}"

if [[ ! -f "$jar" ]]; then
  echo "building $jar ..." >&2
  (cd "$root" && mvn -q -pl benchmarks -am package -DskipTests)
fi

python="${PYTHON:-}"
# the peer to quote: upstream PyTorch in the git-ignored venv (python3 -m venv --system-site-packages .venv-peers &&
# .venv-peers/bin/pip install torch), not Debian's older build
if [[ -z "$python" && -x "$root/.venv-peers/bin/python" ]] && "$root/.venv-peers/bin/python" -c 'import torch' >/dev/null 2>&1; then
  python="$root/.venv-peers/bin/python"
fi
if [[ -z "$python" ]]; then
  for candidate in python3 /usr/bin/python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import torch' >/dev/null 2>&1; then
      python="$candidate"; break
    fi
  done
fi
if [[ -z "$python" ]]; then
  for candidate in python3 /usr/bin/python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import numpy' >/dev/null 2>&1; then
      python="$candidate"; break
    fi
  done
fi
if [[ -z "$python" ]]; then
  echo "no Python with NumPy or PyTorch found; set PYTHON=..." >&2
  exit 1
fi
echo "using $python" >&2

# Debian's PyTorch runs its own kernels on an OpenMP pool; next to the pthreads build of OpenBLAS the two pools
# spin against each other (MLP steps 3x slower on 2 cores). Upstream wheels share one OpenMP pool, so use the
# OpenMP build of OpenBLAS where it is installed (apt-get install libopenblas0-openmp). JGRAD_KEEP_BLAS=1 opts out.
openmp_blas=/usr/lib/x86_64-linux-gnu/openblas-openmp
if [[ -z "${JGRAD_KEEP_BLAS:-}" && -e "$openmp_blas/libblas.so.3" ]]; then
  export LD_LIBRARY_PATH="$openmp_blas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  echo "peers use the OpenMP build of OpenBLAS ($openmp_blas)" >&2
fi
exec "$python" "$root/benchmarks/scripts/compare.py" --jar "$jar" "$@"
