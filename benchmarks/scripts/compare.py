#!/usr/bin/env python3
"""Runs jgrad's JMH benchmarks and the same workloads in NumPy and PyTorch in one go, and prints the ratios.

Peers, each measured in this same run (a column is skipped when its library cannot be imported):
  * NumPy (whatever BLAS it links, usually OpenBLAS): float32 SGEMM, element-wise ops and sums.
  * PyTorch (CPU, or CUDA with --device cuda): SGEMM, element-wise ops, reductions, and one training step of
    the MNIST MLP 784-256-256-10 (batch 256, cross-entropy, Adam), micrograd's MLP 2-16-16-1 (batch 100, hinge
    + L2, SGD) and the makemore names MLP (batch 32, BatchNorm1d, SGD).
Ratios are speed ratios, jgrad / peer: 2.0 means jgrad does the work in half the time.

Timing: a Python figure is the best (or, with --statistic median, the median) of --repeats timed blocks, each
long enough (--min-time) to amortise the timer; CUDA is timed with events and synchronised. A JMH figure is the
same statistic over JMH's measurement iterations (by default 7 of 0.2 s, as many and as long as the Python blocks,
or one run each for the single-shot scalar demo). The best block is the default because on a shared machine other
processes only ever add time, and multithreaded BLAS slows down several-fold when one of its threads loses its core.
With --rounds N the whole pass runs N times, jgrad and the peers alternating, and each side keeps the statistic over
the rounds. Every training step ends with loss.item() on both sides, as a training loop that logs its loss does.

Examples:
  python3 benchmarks/scripts/compare.py --jar benchmarks/target/benchmarks.jar
  python3 benchmarks/scripts/compare.py --skip-jmh            # peers only
  python3 benchmarks/scripts/compare.py --jmh-json old.json   # reuse a JMH result file, measure peers again
  python3 benchmarks/scripts/compare.py --device cuda         # GPU machine: jgrad on cuda against torch.cuda
  python3 benchmarks/scripts/compare.py --rounds 3 --include MnistMlpStep --no-plain-pass
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

SGEMM_SIZES = (256, 512, 1024, 2048)
ELEMENTWISE_SIZES = (1000, 1000000)
REDUCTION_SHAPES = ((10, 100), (1000, 1000))
SECONDS_PER_UNIT = {"s/op": 1.0, "ms/op": 1e-3, "us/op": 1e-6, "ns/op": 1e-9}

# The acceptance targets: (label, jgrad key, peer key, minimum speed ratio) or an absolute time.
TARGETS = (
    ("SGEMM 1024 with the Vector API >= 0.8x NumPy", ("sgemm", 1024, True), "numpy", 0.8),
    ("SGEMM 1024 without the Vector API >= 0.25x NumPy", ("sgemm", 1024, False), "numpy", 0.25),
    ("MLP 784-256-256-10 step >= 1.0x PyTorch", ("mnist_step", None, True), "torch", 1.0),
    ("micrograd MLP step (tensor engine) >= 3x PyTorch", ("micrograd_step", None, True), "torch", 3.0),
    ("cnn example step >= 1.0x PyTorch", ("cnn_step", None, True), "torch", 1.0),
    ("ResNet basic block forward + backward >= 1.0x PyTorch", ("resnet_block", None, True), "torch", 1.0),
)
SCALAR_DEMO_LIMIT_S = 0.5


# ---------------------------------------------------------------------------------------------- timing helpers

class Timer:
    """Times a zero-argument callable: warm up, size a block to last min_time, then a statistic of blocks."""

    def __init__(self, repeats, min_time, statistic, cuda=None):
        self.repeats = repeats
        self.min_time = min_time
        self.statistic = statistic
        self.cuda = cuda  # the torch module when timing on a GPU, else None

    def seconds_per_call(self, fn):
        for _ in range(3):
            fn()
        calls = 1
        while True:
            elapsed = self._block(fn, calls)
            if elapsed >= self.min_time or calls >= 1 << 20:
                break
            calls *= 2 if elapsed <= 0 else max(2, min(100, int(self.min_time / elapsed * 1.2) + 1))
        samples = [self._block(fn, calls) / calls for _ in range(self.repeats)]
        return self.statistic(samples)

    def _block(self, fn, calls):
        if self.cuda is not None:
            start = self.cuda.cuda.Event(enable_timing=True)
            end = self.cuda.cuda.Event(enable_timing=True)
            self.cuda.cuda.synchronize()
            start.record()
            for _ in range(calls):
                fn()
            end.record()
            end.synchronize()
            return start.elapsed_time(end) / 1000.0
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        return time.perf_counter() - t0


# ---------------------------------------------------------------------------------------------- peers

def gelu_forward_backward(x, g):
    """GeluBackwardBenchmark's workload: GELU's forward, then its backward to x through autograd."""
    import torch
    torch.nn.functional.gelu(x).backward(g)
    x.grad = None


def numpy_peer(timer):
    """SGEMM, element-wise ops and sums in NumPy; {} when NumPy is missing."""
    try:
        import numpy as np
    except ImportError:
        return {}
    rng = np.random.default_rng(0)
    out = {}
    for n in SGEMM_SIZES:
        a = rng.standard_normal((n, n), dtype=np.float32)
        b = rng.standard_normal((n, n), dtype=np.float32)
        out[("sgemm", n)] = timer.seconds_per_call(lambda: a @ b)
    for size in ELEMENTWISE_SIZES:
        x = rng.standard_normal(size, dtype=np.float32)
        y = rng.standard_normal(size, dtype=np.float32)
        out[("add", size)] = timer.seconds_per_call(lambda: x + y)
        out[("mul", size)] = timer.seconds_per_call(lambda: x * y)
        out[("relu", size)] = timer.seconds_per_call(lambda: np.maximum(x, 0))
        out[("exp", size)] = timer.seconds_per_call(lambda: np.exp(x))
    for rows, cols in REDUCTION_SHAPES:
        m = rng.standard_normal((rows, cols), dtype=np.float32)
        out[("sumLastDim", (rows, cols))] = timer.seconds_per_call(lambda: m.sum(axis=1))
        out[("sumFirstDim", (rows, cols))] = timer.seconds_per_call(lambda: m.sum(axis=0))
    return out


def moons(n, noise, rng):
    """Two interleaving half circles with labels in {-1, +1}, as micrograd's demo uses them."""
    import numpy as np
    outer, inner = n // 2, n - n // 2
    t0 = np.linspace(0, np.pi, outer)
    t1 = np.linspace(0, np.pi, inner)
    x = np.concatenate([np.stack([np.cos(t0), np.sin(t0)], 1), np.stack([1 - np.cos(t1), 0.5 - np.sin(t1)], 1)])
    y = np.concatenate([-np.ones(outer), np.ones(inner)])
    x = x + noise * rng.standard_normal(x.shape)
    return x.astype(np.float32), y.astype(np.float32)


def torch_peer(timer, device_name):
    """The PyTorch workloads on 'cpu' or 'cuda'; {} when torch (or the GPU) is missing."""
    try:
        import numpy as np
        import torch
        from torch import nn
    except ImportError:
        return {}
    if device_name == "cuda" and not torch.cuda.is_available():
        print("torch has no CUDA device here; skipping the PyTorch column", file=sys.stderr)
        return {}
    dev = torch.device(device_name)
    torch.manual_seed(0)
    out = {}

    for n in SGEMM_SIZES:
        a = torch.randn(n, n, device=dev)
        b = torch.randn(n, n, device=dev)
        out[("sgemm", n)] = timer.seconds_per_call(lambda: torch.mm(a, b))
    for size in ELEMENTWISE_SIZES:
        x = torch.randn(size, device=dev)
        y = torch.randn(size, device=dev)
        out[("add", size)] = timer.seconds_per_call(lambda: x + y)
        out[("mul", size)] = timer.seconds_per_call(lambda: x * y)
        out[("relu", size)] = timer.seconds_per_call(lambda: torch.relu(x))
        out[("gelu", size)] = timer.seconds_per_call(lambda: torch.nn.functional.gelu(x))
        xg = x.clone().requires_grad_()
        out[("gelu_fwd_bwd", size)] = timer.seconds_per_call(lambda: gelu_forward_backward(xg, y))
        out[("exp", size)] = timer.seconds_per_call(lambda: torch.exp(x))
    for rows, cols in REDUCTION_SHAPES:
        m = torch.randn(rows, cols, device=dev)
        out[("sumLastDim", (rows, cols))] = timer.seconds_per_call(lambda: m.sum(1))
        out[("sumFirstDim", (rows, cols))] = timer.seconds_per_call(lambda: m.sum(0))
        out[("softmax", (rows, cols))] = timer.seconds_per_call(lambda: torch.softmax(m, 1))

    # MNIST MLP: 784-256-256-10, batch 256, cross-entropy, Adam(lr=1e-3); random pixels and labels.
    mlp = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10)).to(dev)
    adam = torch.optim.Adam(mlp.parameters(), lr=1e-3)
    images = torch.rand(256, 784, device=dev)
    labels = torch.randint(0, 10, (256,), device=dev)

    def mnist_step():
        loss = nn.functional.cross_entropy(mlp(images), labels)
        adam.zero_grad(set_to_none=True)  # jgrad's zeroGrad drops the grads, as PyTorch 2 does by default
        loss.backward()
        adam.step()
        return loss.item()

    out[("mnist_step", None)] = timer.seconds_per_call(mnist_step)

    # micrograd's moons classifier: MLP 2-16-16-1, 100 points, hinge + 1e-4 * L2, SGD.
    xs, ys = moons(100, 0.1, np.random.default_rng(1337))
    mx = torch.from_numpy(xs).to(dev)
    my = torch.from_numpy(ys).reshape(100, 1).to(dev)
    tiny = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 1)).to(dev)
    sgd = torch.optim.SGD(tiny.parameters(), lr=0.05)

    def micrograd_step():
        data_loss = torch.relu(1 - my * tiny(mx)).mean()
        l2 = sum((p * p).sum() for p in tiny.parameters())
        loss = data_loss + 1e-4 * l2
        sgd.zero_grad(set_to_none=True)
        loss.backward()
        sgd.step()
        return loss.item()

    out[("micrograd_step", None)] = timer.seconds_per_call(micrograd_step)

    # makemore names MLP: embedding 27x10, context 3, Linear 30-200 (no bias), BatchNorm1d, tanh, Linear 200-27.
    names = nn.Sequential(nn.Embedding(27, 10), nn.Flatten(), nn.Linear(30, 200, bias=False), nn.BatchNorm1d(200),
                          nn.Tanh(), nn.Linear(200, 27)).to(dev)
    names_sgd = torch.optim.SGD(names.parameters(), lr=0.1)
    contexts = torch.randint(0, 27, (32, 3), device=dev)
    targets = torch.randint(0, 27, (32,), device=dev)

    def names_step():
        loss = nn.functional.cross_entropy(names(contexts), targets)
        names_sgd.zero_grad(set_to_none=True)
        loss.backward()
        names_sgd.step()
        return loss.item()

    out[("names_step", None)] = timer.seconds_per_call(names_step)

    # The cnn example: conv 1->32 3x3, ReLU, 2x2 max-pool, conv 32->64 3x3, ReLU, 2x2 max-pool, 1600-128-10, batch 64,
    # cross-entropy, Adam(lr=1e-3); random images and labels.
    cnn = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10)).to(dev)
    cnn_adam = torch.optim.Adam(cnn.parameters(), lr=1e-3)
    digits = torch.randn(64, 1, 28, 28, device=dev)
    digit_labels = torch.randint(0, 10, (64,), device=dev)

    def cnn_step():
        loss = nn.functional.cross_entropy(cnn(digits), digit_labels)
        cnn_adam.zero_grad(set_to_none=True)
        loss.backward()
        cnn_adam.step()
        return loss.item()

    out[("cnn_step", None)] = timer.seconds_per_call(cnn_step)

    # A ResNet basic block (torchvision's): conv3x3-BN-ReLU-conv3x3-BN + identity, ReLU; [32, 64, 32, 32], training
    # mode, forward and backward to the input and every parameter.
    conv1 = nn.Conv2d(64, 64, 3, padding=1, bias=False).to(dev)
    conv2 = nn.Conv2d(64, 64, 3, padding=1, bias=False).to(dev)
    bn1, bn2 = nn.BatchNorm2d(64).to(dev), nn.BatchNorm2d(64).to(dev)
    block_params = list(conv1.parameters()) + list(conv2.parameters()) + list(bn1.parameters()) + list(bn2.parameters())
    block_in = torch.randn(32, 64, 32, 32, device=dev, requires_grad=True)

    def resnet_block():
        block_in.grad = None
        for p in block_params:
            p.grad = None
        y = torch.relu(bn1(conv1(block_in)))
        loss = torch.relu(bn2(conv2(y)) + block_in).sum()
        loss.backward()
        return loss.item()

    out[("resnet_block", None)] = timer.seconds_per_call(resnet_block)

    # Forward only, no autograd: conv2d 3x3 64->64 on [32, 64, 32, 32] (padding 1, bias) and 2x2 max-pool of [64, 32, 26, 26].
    cx = torch.randn(32, 64, 32, 32, device=dev)
    cw = torch.randn(64, 64, 3, 3, device=dev) * 0.05
    cb = torch.randn(64, device=dev)
    acts = torch.randn(64, 32, 26, 26, device=dev)
    with torch.no_grad():
        out[("conv3x3", None)] = timer.seconds_per_call(lambda: nn.functional.conv2d(cx, cw, cb, padding=1))
        out[("maxPool2d", None)] = timer.seconds_per_call(lambda: nn.functional.max_pool2d(acts, 2))
    out[("gpt_step", None)] = timer.seconds_per_call(gpt_step_fn(torch, nn, dev))

    # Causal attention, forward and backward: q, k, v [8, 4, 256, 64], loss = sum of the output.
    aq, ak, av = (torch.randn(8, 4, 256, 64, device=dev, requires_grad=True) for _ in range(3))

    def attention():
        for t in (aq, ak, av):
            t.grad = None
        loss = nn.functional.scaled_dot_product_attention(aq, ak, av, is_causal=True).sum()
        loss.backward()
        return loss.item()

    out[("attention", None)] = timer.seconds_per_call(attention)
    return out


def gpt_step_fn(torch, nn, dev):
    """GptStepBenchmark's twin: vocabulary 27, context 16, embeddings 64, 4 causal pre-LayerNorm blocks of 4 heads
    (nn.MultiheadAttention, MLP 64-256-64 with GELU), final LayerNorm, output layer tied to the token embedding; CE over
    32 x 16 positions, clipping at 1, AdamW(lr 5e-4, betas (0.9, 0.99), weight decay 0.01), batch 32."""
    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.ln1, self.ln2 = nn.LayerNorm(64), nn.LayerNorm(64)
            self.attn = nn.MultiheadAttention(64, 4, batch_first=True)
            self.mlp = nn.Sequential(nn.Linear(64, 256), nn.GELU(), nn.Linear(256, 64))

        def forward(self, x, mask):
            h = self.ln1(x)
            x = x + self.attn(h, h, h, attn_mask=mask, is_causal=True, need_weights=False)[0]
            return x + self.mlp(self.ln2(x))

    class Gpt(nn.Module):
        def __init__(self):
            super().__init__()
            self.wte, self.wpe = nn.Embedding(27, 64), nn.Embedding(16, 64)
            self.blocks = nn.ModuleList(Block() for _ in range(4))
            self.ln_f = nn.LayerNorm(64)
            self.lm_head = nn.Linear(64, 27, bias=False)
            self.lm_head.weight = self.wte.weight
            with torch.no_grad():
                self.wte.weight.mul_(0.02)

        def forward(self, idx):
            mask = torch.triu(torch.ones(16, 16, dtype=torch.bool, device=idx.device), 1)
            x = self.wte(idx) + self.wpe(torch.arange(16, device=idx.device))
            for b in self.blocks:
                x = b(x, mask)
            return self.lm_head(self.ln_f(x))

    model = Gpt().to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=5e-4, betas=(0.9, 0.99), eps=1e-8, weight_decay=0.01)
    idx = torch.randint(0, 27, (32, 16), device=dev)
    targets = torch.randint(0, 27, (32 * 16,), device=dev)

    def gpt_step():
        loss = nn.functional.cross_entropy(model(idx).reshape(-1, 27), targets)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return loss.item()

    return gpt_step


# ---------------------------------------------------------------------------------------------- JMH

# JMH method name -> the workload key used above.
JMH_METHODS = {
    "SgemmBenchmark.sgemm": "sgemm", "SgemmBenchmark.sgemmNoVector": "sgemm",
    "ElementwiseBenchmark.add": "add", "ElementwiseBenchmark.mul": "mul", "ElementwiseBenchmark.relu": "relu",
    "ElementwiseBenchmark.gelu": "gelu", "ElementwiseBenchmark.exp": "exp",
    "GeluBackwardBenchmark.forwardBackward": "gelu_fwd_bwd",
    "ReductionBenchmark.sumLastDim": "sumLastDim", "ReductionBenchmark.sumFirstDim": "sumFirstDim",
    "ReductionBenchmark.softmax": "softmax",
    "MnistMlpStepBenchmark.step": "mnist_step", "MicrogradMlpStepBenchmark.step": "micrograd_step",
    "NamesMlpStepBenchmark.step": "names_step", "GptStepBenchmark.step": "gpt_step", "ScalarMoonsBenchmark.demo": "scalar_moons",
    "CnnStepBenchmark.step": "cnn_step", "ResNetBlockBenchmark.forwardBackward": "resnet_block",
    "Conv2dBenchmark.conv3x3": "conv3x3", "Conv2dBenchmark.maxPool2d": "maxPool2d",
    "AttentionBenchmark.causalForwardBackward": "attention",
}


def run_jmh(args, extra, log_path, json_path):
    """Runs the jar once; returns JMH's parsed JSON list. The console output goes to the terminal and log_path."""
    cmd = ["java", "-jar", args.jar] + args.jmh_args.split() + ["-rf", "json", "-rff", json_path] + extra
    if args.device != "cpu":
        cmd += ["-p", "device=" + args.device]
    print("$ " + " ".join(cmd), flush=True)
    with open(log_path, "a") as log:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for line in proc.stdout:
            log.write(line)
            if args.verbose or line.startswith(("# Benchmark:", "# Parameters:", "# VM options:", "Benchmark ",
                                                "Result ", "  ")) or "ERROR" in line or "Exception" in line:
                sys.stdout.write(line)
        if proc.wait() != 0:
            raise SystemExit("JMH exited with status %d; see %s" % (proc.returncode, log_path))
    with open(json_path) as f:
        return json.load(f)


def parse_jmh(results, statistic):
    """{(workload, size, vector): seconds} from JMH's JSON; vector is read from each fork's actual JVM flags."""
    out = {}
    for r in results:
        method = r["benchmark"].rsplit(".", 2)
        key = JMH_METHODS.get(method[-2] + "." + method[-1])
        if key is None:
            continue
        params = r.get("params", {})
        if "n" in params:
            size = int(params["n"])
        elif "size" in params:
            size = int(params["size"])
        elif "shape" in params:
            size = tuple(int(v) for v in params["shape"].split("x"))
        else:
            size = None
        vector = any("jdk.incubator.vector" in a for a in r.get("jvmArgs", []))
        metric = r["primaryMetric"]
        # The same statistic of the measurement iterations as on the Python side.
        raw = [v for fork in metric.get("rawData", []) for v in fork]
        score = statistic(raw) if raw else metric["score"]
        out[(key, size, vector)] = score * SECONDS_PER_UNIT[metric["scoreUnit"]]
    return out


def first_warmup_seconds(log_path, benchmark):
    """The first warmup iteration of a single-shot benchmark, read from JMH's console log: its cold time."""
    if not os.path.exists(log_path):
        return None
    current = None
    with open(log_path) as f:
        for line in f:
            if line.startswith("# Benchmark:"):
                current = line.split(":", 1)[1].strip()
            m = re.match(r"# Warmup Iteration\s+1: ([0-9.,]+) (\w+)/op", line)
            if m and current and current.endswith(benchmark):
                unit = SECONDS_PER_UNIT.get(m.group(2) + "/op", None)
                if unit is not None:
                    return float(m.group(1).replace(",", "")) * unit
    return None


# ---------------------------------------------------------------------------------------------- report

def environment(args):
    info = {"date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "python": platform.python_version(), "machine": cpu_model(), "cores": os.cpu_count()}
    try:
        info["load"] = " ".join("%.2f" % v for v in os.getloadavg())
    except OSError:
        pass
    java = shutil.which("java")
    if java:
        v = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.splitlines()
        info["jdk"] = v[1].strip() if len(v) > 1 else (v[0] if v else "?")
    try:
        import numpy as np
        info["numpy"] = np.__version__ + " (" + numpy_blas(np) + ")"
    except ImportError:
        info["numpy"] = "not installed"
    try:
        import torch
        info["torch"] = "%s, %d threads" % (torch.__version__, torch.get_num_threads())
        if args.device == "cuda" and torch.cuda.is_available():
            info["gpu"] = torch.cuda.get_device_name(0)
    except ImportError:
        info["torch"] = "not installed"
    return info


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def numpy_blas(np):
    """The BLAS NumPy runs on: the libraries with "blas" in their name mapped into this process after a product."""
    np.ones((64, 64), dtype=np.float32) @ np.ones((64, 64), dtype=np.float32)
    try:
        with open("/proc/self/maps") as f:
            libs = sorted({os.path.realpath(line.split()[-1]) for line in f if "blas" in line.lower() and "/" in line})
        if libs:
            return ", ".join(libs)
    except OSError:
        pass
    try:  # NumPy 1.25+ can describe its build
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return "%s %s" % (blas.get("name", "?"), blas.get("version", ""))
    except Exception:
        return "BLAS unknown"


def fmt_time(s):
    if s is None:
        return "-"
    if s >= 1:
        return "%.3g s" % s
    if s >= 1e-3:
        return "%.3g ms" % (s * 1e3)
    return "%.3g µs" % (s * 1e6)


def ratio(jgrad, peer):
    return None if jgrad is None or peer is None else peer / jgrad


def fmt_ratio(r):
    return "-" if r is None else "%.2fx" % r


def report(env, jmh, numpy_res, torch_res, cold_demo, phases, args):
    lines = ["# jgrad vs peers (%s)" % args.device, ""]
    for k in ("date", "machine", "cores", "load", "jdk", "python", "numpy", "torch", "gpu"):
        if k in env:
            lines.append("- %s: %s" % (k, env[k]))
    for name, seconds, before, after in phases:
        lines.append("- phase %s: %.0f s, 1-minute load %.2f -> %.2f" % (name, seconds, before, after))
    lines.append("- figures: the %s of the timed blocks / JMH iterations%s" % (
        args.statistic, "" if args.rounds == 1 else ", over %d alternating rounds of jgrad and the peers" % args.rounds))
    lines.append("- JMH: %s; Python: best-of blocks of >= %s s, %d per figure" % (args.jmh_args, args.min_time, args.repeats))
    lines += ["- ratios are speed ratios jgrad/peer (peer time / jgrad time): above 1 means jgrad is faster", ""]

    lines += ["## SGEMM (float32, n x n times n x n; GFLOP/s = 2n^3 / time)", "",
              "| n | jgrad Vector API | jgrad plain Java | NumPy | PyTorch | Vector/NumPy | plain/NumPy | Vector/PyTorch |",
              "|---|---|---|---|---|---|---|---|"]
    for n in SGEMM_SIZES:
        flop = 2.0 * n ** 3
        vec, plain = jmh.get(("sgemm", n, True)), jmh.get(("sgemm", n, False))
        npy, tch = numpy_res.get(("sgemm", n)), torch_res.get(("sgemm", n))
        gf = lambda s: "-" if s is None else "%.1f" % (flop / s / 1e9)
        lines.append("| %d | %s | %s | %s | %s | %s | %s | %s |" % (
            n, gf(vec), gf(plain), gf(npy), gf(tch), fmt_ratio(ratio(vec, npy)), fmt_ratio(ratio(plain, npy)),
            fmt_ratio(ratio(vec, tch))))

    lines += ["", "## Training steps (time per step; steps/s in brackets)", "",
              "| model | jgrad Vector API | jgrad plain Java | PyTorch | Vector/PyTorch | plain/PyTorch |",
              "|---|---|---|---|---|---|"]
    steps = (("mnist_step", "MLP 784-256-256-10, batch 256, CE + Adam"),
             ("micrograd_step", "micrograd MLP 2-16-16-1, batch 100, hinge + L2 + SGD"),
             ("names_step", "names MLP (emb 27x10, ctx 3, 200 + BN + tanh), batch 32, SGD"),
             ("cnn_step", "cnn example (2 conv + 2 max-pool + 1600-128-10), batch 64, CE + Adam"),
             ("resnet_block", "ResNet basic block 64ch 32x32, batch 32, forward + backward"),
             ("conv3x3", "conv2d 3x3 64->64 [32, 64, 32, 32], forward only"),
             ("maxPool2d", "maxPool2d 2x2 [64, 32, 26, 26], forward only"),
             ("gpt_step", "gpt (4 layers, 4 heads, emb 64, ctx 16, tied), batch 32, AdamW + clip"),
             ("attention", "causal attention [8, 4, 256, 64], forward + backward"))
    for key, label in steps:
        vec, plain, tch = jmh.get((key, None, True)), jmh.get((key, None, False)), torch_res.get((key, None))
        per = lambda s: "-" if s is None else "%s (%.0f/s)" % (fmt_time(s), 1 / s)
        lines.append("| %s | %s | %s | %s | %s | %s |" % (label, per(vec), per(plain), per(tch),
                                                         fmt_ratio(ratio(vec, tch)), fmt_ratio(ratio(plain, tch))))

    lines += ["", "## Element-wise ops and reductions (float32, time per call)", "",
              "| op | size | jgrad Vector API | jgrad plain Java | NumPy | PyTorch | Vector/NumPy | Vector/PyTorch |",
              "|---|---|---|---|---|---|---|---|"]
    for op in ("add", "mul", "relu", "gelu", "gelu_fwd_bwd", "exp"):
        for size in ELEMENTWISE_SIZES:
            lines.append(op_row(op, size, "%g" % size, jmh, numpy_res, torch_res))
    for op in ("sumLastDim", "sumFirstDim", "softmax"):
        for shape in REDUCTION_SHAPES:
            lines.append(op_row(op, shape, "%dx%d" % shape, jmh, numpy_res, torch_res))

    # The scalar engine never touches a backend, so the fork's Vector API flag does not matter.
    demo = jmh.get(("scalar_moons", None, True), jmh.get(("scalar_moons", None, False)))
    lines += ["", "## Scalar engine: micrograd's moons demo (MLP 2-16-16-1, 100 steps, whole run)", "",
              "- jgrad, warm (%s of JMH's single shots after warm-up): %s" % (args.statistic, fmt_time(demo)),
              "- jgrad, cold (first run in a fresh JVM): %s" % fmt_time(cold_demo), ""]

    if args.device != "cpu":
        return relabel("\n".join(lines) + "\n", args.device)
    lines += ["## The issue's targets (CPU)", ""]
    for label, (key, size, vector), peer, minimum in TARGETS:
        r = ratio(jmh.get((key, size, vector)), (numpy_res if peer == "numpy" else torch_res).get((key, size)))
        verdict = "not measured" if r is None else ("met" if r >= minimum else "NOT met")
        lines.append("- %s: %s (%s)" % (label, fmt_ratio(r), verdict))
    verdict = "not measured" if demo is None else ("met" if demo < SCALAR_DEMO_LIMIT_S else "NOT met")
    lines.append("- scalar moons demo < %.1f s: %s warm, %s cold (%s)" % (
        SCALAR_DEMO_LIMIT_S, fmt_time(demo), fmt_time(cold_demo), verdict))
    return "\n".join(lines) + "\n"


def relabel(text, device):
    """On a GPU the JVM flags do not matter: the 'Vector API' columns hold jgrad on that device."""
    return (text.replace("jgrad Vector API", "jgrad " + device).replace("Vector/", "jgrad/")
            .replace("jgrad plain Java", "jgrad, JVM without Vector API").replace("plain/", "no-Vector/"))


def op_row(op, size, label, jmh, numpy_res, torch_res):
    vec, plain = jmh.get((op, size, True)), jmh.get((op, size, False))
    npy, tch = numpy_res.get((op, size)), torch_res.get((op, size))
    return "| %s | %s | %s | %s | %s | %s | %s | %s |" % (op, label, fmt_time(vec), fmt_time(plain), fmt_time(npy),
                                                        fmt_time(tch), fmt_ratio(ratio(vec, npy)),
                                                        fmt_ratio(ratio(vec, tch)))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--jar", default=os.path.join(here, "..", "target", "benchmarks.jar"), help="the JMH jar")
    p.add_argument("--device", default="cpu", choices=("cpu", "cuda"), help="where both jgrad and PyTorch run")
    # 7 measured blocks of 0.2 s, as the Python peers get (--repeats, --min-time): the best of many short blocks
    # comes out lower on a noisy machine than the best of few long ones, so both sides get the same
    # 10 s of warm-up: the gpt step reaches its steady speed only after ~8 s of C2 compiling (its first step takes
    # 1.7 s, the second 0.1-0.25 s); with 3 s JMH measured the compiler's work, not the step a long training run sees
    p.add_argument("--jmh-args", default="-wi 5 -i 7 -f 1 -w 2s -r 200ms",
                   help="JMH options for every run (default: %(default)s)")
    p.add_argument("--include", default="", help="regex of JMH benchmarks to run (default: all)")
    p.add_argument("--rounds", type=int, default=1,
                   help="run jgrad and the peers this many times, alternating, and keep each side's statistic over the "
                        "rounds: on a shared machine that is slower and faster by turns, a single pass of each can "
                        "land one side in a slow spell (default: %(default)s)")
    p.add_argument("--plain-pass", metavar="REGEX",
                   help="benchmarks to run a second time without the Vector API module (default: --include if given, "
                        "else the training steps: only GEMM has a Vector API kernel, and SGEMM measures both itself)")
    p.add_argument("--no-plain-pass", action="store_true", help="skip that second run")
    p.add_argument("--skip-jmh", action="store_true", help="measure the peers only")
    p.add_argument("--jmh-json", help="reuse JMH result files (comma-separated) instead of running the jar")
    p.add_argument("--threads", type=int, default=os.cpu_count(), help="PyTorch CPU threads (default: all cores)")
    p.add_argument("--repeats", type=int, default=7, help="timed blocks per Python figure")
    p.add_argument("--statistic", choices=("min", "median"), default="min",
                   help="how blocks and JMH iterations become one figure (default: the best, %(default)s)")
    p.add_argument("--min-time", type=float, default=0.2, help="seconds per timed Python block")
    p.add_argument("--out", help="also write the report (Markdown) here")
    p.add_argument("--verbose", action="store_true", help="echo all of JMH's output")
    args = p.parse_args()

    try:
        import torch
        torch.set_num_threads(args.threads)
        cuda = torch if args.device == "cuda" and torch.cuda.is_available() else None
    except ImportError:
        cuda = None
    env = environment(args)
    print("\n".join("%s: %s" % kv for kv in env.items()), flush=True)

    statistic = min if args.statistic == "min" else statistics.median
    phases = []  # (name, seconds, 1-minute load average before, after): how quiet the machine was

    def phase(name, fn):
        load0, t0 = load1(), time.time()
        result = fn()
        phases.append((name, time.time() - t0, load0, load1()))
        return result

    jmh, cold_demo = {}, None
    numpy_res, torch_res = {}, {}
    workdir = tempfile.mkdtemp(prefix="jgrad-bench-") if not args.jmh_json and not args.skip_jmh else None
    for rnd in range(args.rounds):
        tag = "" if args.rounds == 1 else " (round %d of %d)" % (rnd + 1, args.rounds)
        suffix = "" if args.rounds == 1 else "-r%d" % (rnd + 1)
        if args.jmh_json:
            if rnd == 0:
                for path in args.jmh_json.split(","):
                    with open(path) as f:
                        jmh.update(parse_jmh(json.load(f), statistic))
                    log = os.path.splitext(path)[0] + ".log"
                    cold_demo = cold_demo or first_warmup_seconds(log, "ScalarMoonsBenchmark.demo")
        elif not args.skip_jmh:
            if not os.path.exists(args.jar):
                raise SystemExit("no JMH jar at %s; build it with: mvn -pl benchmarks -am package -DskipTests" % args.jar)
            log = os.path.join(workdir, "jmh-vector%s.log" % suffix)
            include = [args.include] if args.include else []
            merge(jmh, parse_jmh(phase("JMH, Vector API" + tag, lambda: run_jmh(
                args, include, log, os.path.join(workdir, "jmh-vector%s.json" % suffix))), statistic), statistic)
            cold_demo = cold_demo or first_warmup_seconds(log, "ScalarMoonsBenchmark.demo")
            if not args.no_plain_pass and args.device == "cpu":  # the Vector API only matters to the CPU backend
                # A -jvmArgsAppend on the command line replaces the annotations' one, so these forks lack the module.
                # SGEMM already measured its plain variant and the scalar engine does not use the backend.
                plain = [args.plain_pass or args.include or "StepBenchmark", "-e", "Sgemm|ScalarMoons",
                         "-jvmArgsAppend", "-Djgrad.bench.vectorModule=absent"]
                merge(jmh, parse_jmh(phase("JMH, plain Java" + tag, lambda: run_jmh(
                    args, plain, os.path.join(workdir, "jmh-plain%s.log" % suffix),
                    os.path.join(workdir, "jmh-plain%s.json" % suffix))), statistic), statistic)
            print("JMH logs and JSON kept in " + workdir, flush=True)

        timer = Timer(args.repeats, args.min_time, statistic, cuda)
        print("measuring NumPy%s ..." % tag, flush=True)
        if args.device == "cpu":
            merge(numpy_res, phase("NumPy" + tag, lambda: numpy_peer(timer)), statistic)
        print("measuring PyTorch%s ..." % tag, flush=True)
        merge(torch_res, phase("PyTorch" + tag, lambda: torch_peer(timer, args.device)), statistic)

    if not args.jmh_json:
        jmh = reduce_rounds(jmh, statistic)
    numpy_res, torch_res = reduce_rounds(numpy_res, statistic), reduce_rounds(torch_res, statistic)
    text = report(env, jmh, numpy_res, torch_res, cold_demo, phases, args)
    print()
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)


def merge(into, fresh, statistic):
    """Collects one round's figures; reduce_rounds() then takes the statistic over the rounds, so that jgrad and its
    peers are both measured early and late in the run."""
    for key, value in fresh.items():
        into.setdefault(key, []).append(value)


def reduce_rounds(figures, statistic):
    return {key: statistic(values) for key, values in figures.items()}


def load1():
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


if __name__ == "__main__":
    main()
