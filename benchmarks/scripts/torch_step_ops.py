#!/usr/bin/env python3
"""PyTorch's per-op table for the gpt step (compare.py's twin of GptStepBenchmark), to read beside
io.jgrad.bench.StepProfile's: the calling thread's CPU time of every aten op the step dispatches, forward, backward
and optimizer, on one thread, aggregated by op and by op and input shapes (a trailing s marks a strided input).
The dispatch mode adds a few microseconds of Python to each op, so small ops read high; the step's own CPU time
without it is printed first.
  PYTHON benchmarks/scripts/torch_step_ops.py [steps]
"""
import collections
import os
import sys
import time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch, torch.nn as nn
from torch.utils._python_dispatch import TorchDispatchMode
from compare import gpt_step_fn
torch.set_num_threads(1)
torch.manual_seed(0)
step = gpt_step_fn(torch, nn, 'cpu')
for _ in range(100): step()
N = int(sys.argv[1]) if len(sys.argv) > 1 else 100
# plain thread cpu time of the step
t0 = time.thread_time_ns()
for _ in range(N): step()
plain = (time.thread_time_ns() - t0) / N / 1e3
stats = collections.defaultdict(lambda: [0, 0])
def shp(a):
    if isinstance(a, torch.Tensor): return 'x'.join(map(str, a.shape)) + ('' if a.is_contiguous() else 's')
    if isinstance(a, (list, tuple)) and a and isinstance(a[0], torch.Tensor): return '[' + ','.join(shp(x) for x in a) + ']'
    return None
class M(TorchDispatchMode):
    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        t = time.thread_time_ns()
        out = func(*args, **(kwargs or {}))
        dt = time.thread_time_ns() - t
        key = str(func.overloadpacket.__name__) + ' ' + ' '.join(s for s in (shp(a) for a in args) if s)
        st = stats[key]; st[0] += 1; st[1] += dt
        return out
with M():
    t0 = time.thread_time_ns()
    for _ in range(N): step()
    tot = (time.thread_time_ns() - t0) / N / 1e3
inops = sum(v[1] for v in stats.values()) / N / 1e3
print("torch 1 thread: step %.1f us thread cpu (plain); in dispatch mode %.1f us, of which in aten ops %.1f us, %d ops/step" % (plain, tot, inops, sum(v[0] for v in stats.values()) // N))
byname = collections.defaultdict(lambda: [0, 0])
for k, v in stats.items():
    b = byname[k.split(' ')[0]]; b[0] += v[0]; b[1] += v[1]
print("-- by op --")
for k, v in sorted(byname.items(), key=lambda kv: -kv[1][1]):
    if v[1] / N / 1e3 >= 5: print("%9.1f us/step %5d calls/step  %s" % (v[1] / N / 1e3, v[0] // N, k))
print("-- by op and shape --")
for k, v in sorted(stats.items(), key=lambda kv: -kv[1][1]):
    if v[1] / N / 1e3 >= 20: print("%9.1f us/step %4d calls/step %8.2f us/call  %s" % (v[1] / N / 1e3, v[0] // N, v[1] / v[0] / 1e3, k))
