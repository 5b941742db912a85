#!/usr/bin/env python3
"""Peak memory of one training step in PyTorch (CPU): the cnn example step (batch 64) and the ResNet basic block
(forward + backward), the same workloads as compare.py, for comparison with io.jgrad.bench.StepMemory.

Method: "at start" is the bytes of every storage alive between steps (parameters, gradients still held from the previous
step, optimizer state, the batch), each storage counted once. The step then runs under torch.profiler with
profile_memory=True, which records every allocation and free made through c10's CPU allocator (tensors, and oneDNN's
scratchpads, which PyTorch routes through the same allocator); the running sum of those events, in time order, added to
"at start" (the same at every step's start), gives the bytes in use at each moment of the second of two profiled steps
(in the first, frees of memory allocated before profiling have no event), and its maximum is the step's peak. That is what jgrad's counter
measures too: bytes handed out by the allocator and not yet returned, workspace included, caches excluded.

  /path/to/venv/bin/python benchmarks/scripts/step_memory.py [--threads N]
"""

import argparse

import torch
from torch import nn


def storages_bytes(tensors):
    seen, total = set(), 0
    for t in tensors:
        if t is None:
            continue
        s = t.untyped_storage()
        if s.data_ptr() in seen:
            continue
        seen.add(s.data_ptr())
        total += s.nbytes()
    return total


def peak_of(step, live):
    for _ in range(3):
        step()
    at_start = storages_bytes(live())
    # Two steps under the profiler, the second one measured: a free of memory allocated before profiling began (the
    # previous step's gradients) has no event, so the first step's running sum would be off by those bytes.
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU], profile_memory=True) as prof:
        step()
        with torch.profiler.record_function("measured_step"):
            step()
    events = list(prof.profiler.kineto_results.events())
    marker = next(e for e in events if e.name() == "measured_step")
    t0, t1 = marker.start_ns(), marker.start_ns() + marker.duration_ns()
    # every allocation and free, including those the op events aggregate (prof.events() shows only unattributed ones)
    memory = sorted((e.start_ns(), e.nbytes()) for e in events if e.name() == "[memory]" and t0 <= e.start_ns() <= t1)
    now = peak = 0
    for _, nbytes in memory:
        now += nbytes
        peak = max(peak, now)
    return at_start, at_start + peak, at_start + now


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", type=int, default=None)
    args = p.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    cnn = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10))
    adam = torch.optim.Adam(cnn.parameters(), lr=1e-3)
    digits = torch.randn(64, 1, 28, 28)
    labels = torch.randint(0, 10, (64,))

    def cnn_step():
        loss = nn.functional.cross_entropy(cnn(digits), labels)
        adam.zero_grad(set_to_none=True)
        loss.backward()
        adam.step()
        return loss.item()

    def cnn_live():
        params = list(cnn.parameters())
        state = [v for s in adam.state.values() for v in s.values() if torch.is_tensor(v)]
        return params + [q.grad for q in params] + state + [digits, labels]

    conv1 = nn.Conv2d(64, 64, 3, padding=1, bias=False)
    conv2 = nn.Conv2d(64, 64, 3, padding=1, bias=False)
    bn1, bn2 = nn.BatchNorm2d(64), nn.BatchNorm2d(64)
    mods = [conv1, conv2, bn1, bn2]
    block_params = [q for m in mods for q in m.parameters()]
    block_in = torch.randn(32, 64, 32, 32, requires_grad=True)

    def block_step():
        block_in.grad = None
        for q in block_params:
            q.grad = None
        y = torch.relu(bn1(conv1(block_in)))
        loss = torch.relu(bn2(conv2(y)) + block_in).sum()
        loss.backward()
        return loss.item()

    def block_live():
        return (block_params + [q.grad for q in block_params] + [b for m in mods for b in m.buffers()]
                + [block_in, block_in.grad])

    mib = float(1 << 20)
    for name, step, live in (("cnn_step", cnn_step, cnn_live), ("resnet_block", block_step, block_live)):
        start, peak, end = peak_of(step, live)
        print("%s: at start %.1f MiB, peak %.1f MiB (%d bytes), transient %.1f MiB, after %.1f MiB (torch %s, %d threads)"
              % (name, start / mib, peak / mib, peak, (peak - start) / mib, end / mib, torch.__version__, torch.get_num_threads()))


if __name__ == "__main__":
    main()
