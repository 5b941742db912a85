"""PyTorch reference for the GPU workloads of io.jgrad.bench.GpuBench, timed the same way
(warm-up, synchronize around timed regions, medians), so both can run in one call on one GPU."""
import statistics
import sys
import time

import torch


def median(v):
    return statistics.median(v)


def sgemm(dev):
    for tf32 in (False, True):
        torch.backends.cuda.matmul.allow_tf32 = tf32
        for n in (1024, 2048, 4096, 8192):
            a = torch.randn(n, n, device=dev)
            b = torch.randn(n, n, device=dev)
            for _ in range(3):
                a @ b
            torch.cuda.synchronize()
            reps = 10 if n >= 8192 else 30
            t = []
            for _ in range(reps):
                t0 = time.perf_counter()
                c = a @ b
                torch.cuda.synchronize()
                t.append(time.perf_counter() - t0)
                del c
            s = median(t)
            print(f"RESULT sgemm {'tf32' if tf32 else 'fp32'} n={n} median_ms={s*1e3:.3f} tflops={2*n**3/s/1e12:.2f}")
    torch.backends.cuda.matmul.allow_tf32 = False


def make_mlp(dev):
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(784, 1024), torch.nn.ReLU(), torch.nn.Linear(1024, 1024),
                              torch.nn.ReLU(), torch.nn.Linear(1024, 10)).to(dev)
    return net, torch.optim.Adam(net.parameters(), lr=1e-3)


def mlp(dev, batch, steps):
    net, opt = make_mlp(dev)
    x = torch.randn(batch, 784, device=dev)
    y = (torch.arange(batch, device=dev) * 7919) % 10

    def step():
        loss = torch.nn.functional.cross_entropy(net(x), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss

    first = step().item()
    for _ in range(10):
        step()
    torch.cuda.synchronize()
    rates = []
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(steps):
            step()
        torch.cuda.synchronize()
        rates.append(steps / (time.perf_counter() - t0))
    last = step().item()
    print(f"RESULT mlp batch={batch} steps_per_s={median(rates):.1f} loss_first={first:.4f} loss_last={last:.4f}")


def hostop(dev):
    a = torch.randn(16, device=dev)
    b = torch.randn(16, device=dev)
    for grad in (False, True):
        ga = a.detach().clone().requires_grad_(grad)
        n = 20000
        per = []
        for _ in range(5):
            t0 = time.perf_counter()
            acc = ga
            for _ in range(n):
                acc = acc + b
            host = time.perf_counter() - t0
            torch.cuda.synchronize()
            per.append(host * 1e6 / n)
            del acc
        print(f"RESULT hostop add16 autograd={grad} host_us_per_op={median(per):.2f}")


def memory(dev):
    net, opt = make_mlp(dev)
    batch = 256
    x = torch.randn(batch, 784, device=dev)
    y = (torch.arange(batch, device=dev) * 31) % 10
    out = []
    for i in range(1, 10001):
        loss = torch.nn.functional.cross_entropy(net(x), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if i in (100, 1000, 5000, 10000):
            torch.cuda.synchronize()
            out.append(f"step{i}_inuse_MiB={torch.cuda.memory_allocated()/2**20:.2f} "
                       f"cached_MiB={torch.cuda.memory_reserved()/2**20:.2f}")
    print("RESULT memory 10000 steps " + " ".join(out))


if __name__ == "__main__":
    dev = torch.device("cuda")
    print("device", torch.cuda.get_device_name(0), "torch", torch.__version__)
    todo = sys.argv[1:] or ["sgemm", "mlp", "hostop", "memory"]
    if "sgemm" in todo:
        sgemm(dev)
    if "mlp" in todo:
        mlp(dev, 256, 300)
        mlp(dev, 4096, 100)
    if "hostop" in todo:
        hostop(dev)
    if "memory" in todo:
        memory(dev)
