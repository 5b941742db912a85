#!/usr/bin/env bash
# CPU=1 compares one thread each by thread CPU time (the work done, which machine load hardly changes) instead of
# two threads by the wall clock.
# Times the convolution workloads of ConvSpeed against PyTorch (2 threads), alternating the two a few times so that
# both see the same machine load. After `mvn -o -q test-compile -pl engine-cpu -am`:
#   engine-cpu/scripts/conv-speed.sh [rounds] [reps] [cnn,block,fwd]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-2}; reps=${2:-20}; which=${3:-cnn,block}
py=${PYTHON:-/work/main/.venv-peers/bin/python}
slf4j=$(ls ~/.m2/repository/org/slf4j/slf4j-api/2.*/slf4j-api-2.*.jar | head -1)
cp=engine-cpu/target/test-classes:engine-cpu/target/classes:engine-api/target/classes:$slf4j
for r in $(seq "$rounds"); do
  "$py" - "$reps" "$which" <<'PY'
import sys, time, torch, torch.nn as nn, torch.nn.functional as F
import os
cpu = os.environ.get("CPU") == "1"
torch.set_num_threads(1 if cpu else 2)
clock = time.thread_time if cpu else time.perf_counter
torch.manual_seed(0)
reps, which = int(sys.argv[1]), sys.argv[2]
def timeit(name, f):
    for _ in range(max(3, reps // 4)): f()
    ts = []
    for _ in range(reps):
        t = clock(); f(); ts.append((clock() - t) * 1e3)
    ts.sort(); print(f"torch {name} median {'thread-cpu-ms' if cpu else 'ms'} {ts[reps // 2]:.2f} min {ts[0]:.2f}", flush=True)
if "cnn" in which:
    cnn = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10))
    opt = torch.optim.SGD(cnn.parameters(), lr=0.01)
    x = torch.randn(64, 1, 28, 28); y = torch.arange(64) % 10
    def step():
        opt.zero_grad(); F.cross_entropy(cnn(x), y).backward(); opt.step()
    timeit("cnn", step)
if "block" in which:
    w1 = (torch.randn(64, 64, 3, 3) * 0.05).requires_grad_(); w2 = (torch.randn(64, 64, 3, 3) * 0.05).requires_grad_()
    xb = torch.randn(32, 64, 32, 32, requires_grad=True)
    def block():
        w1.grad = w2.grad = xb.grad = None
        h = F.relu(F.conv2d(xb, w1, None, 1, 1)); h = F.conv2d(h, w2, None, 1, 1); F.relu(h + xb).sum().backward()
    timeit("block", block)
if "fwd" in which:
    w1 = torch.randn(64, 64, 3, 3) * 0.05; xb = torch.randn(32, 64, 32, 32)
    with torch.no_grad():
        timeit("conv3x3fwd", lambda: F.conv2d(xb, w1, None, 1, 1))
PY
  if [ "${CPU:-0}" = 1 ]; then jflags="-Djgrad.cpu.threads=1 -Djgrad.speed.cpuTime=true"; else jflags=-Djgrad.cpu.threads=2; fi
  # one JVM per workload: in one JVM the block ran ~30% slower after the CNN step (the JIT's code for the GEMM
  # kernels, compiled for the first shapes it saw)
  for w in ${which//,/ }; do
    java --add-modules jdk.incubator.vector $jflags -cp "$cp" io.jgrad.cpu.ConvSpeed "$reps" "$w" 2>/dev/null
  done
done
