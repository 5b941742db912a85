"""Prints the reference table PoolingSuite checks: forward values, max-pool indices and input gradients of PyTorch's
pooling and interpolation on one fixed input. Run with PyTorch (2.13 CPU was used) and paste the output into the
suite's REFERENCE text block.

Input: x [1, 2, 5, 7] float64 with x[i] = 3 sin(1.3 i + 0.5) in row-major order; the gradient flowing back is
g[j] = cos(0.9 j) over the output in row-major order (so the input gradient is that of sum(out * g)).
Row: case|output shape|output values|indices (max pools, else -)|input gradient
"""
import math
import torch
import torch.nn.functional as F

N = 2 * 5 * 7


def base():
    return torch.tensor([3 * math.sin(1.3 * i + 0.5) for i in range(N)], dtype=torch.float64).reshape(1, 2, 5, 7)


CASES = {
    "max k2": lambda x: F.max_pool2d(x, 2, return_indices=True),
    "max k3 s2 p1 ceil": lambda x: F.max_pool2d(x, 3, 2, 1, ceil_mode=True, return_indices=True),
    "max k2x3 s1x2 p1 d2x1": lambda x: F.max_pool2d(x, (2, 3), (1, 2), 1, (2, 1), return_indices=True),
    "max k3 s3 ceil": lambda x: F.max_pool2d(x, 3, 3, 0, ceil_mode=True, return_indices=True),
    "avg k2": lambda x: F.avg_pool2d(x, 2),
    "avg k3 s2 p1 ceil": lambda x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True),
    "avg k3 s2 p1 ceil nopad": lambda x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False),
    "avg k3x2 s2x1 p1x0 div5": lambda x: F.avg_pool2d(x, (3, 2), (2, 1), (1, 0), divisor_override=5),
    "adaptive avg 3x4": lambda x: F.adaptive_avg_pool2d(x, (3, 4)),
    "adaptive avg 1": lambda x: F.adaptive_avg_pool2d(x, 1),
    "adaptive max 2x3": lambda x: F.adaptive_max_pool2d(x, (2, 3), return_indices=True),
    "adaptive max 4x5": lambda x: F.adaptive_max_pool2d(x, (4, 5), return_indices=True),
    "nearest size 7x9": lambda x: F.interpolate(x, size=(7, 9), mode="nearest"),
    "nearest scale 2": lambda x: F.interpolate(x, scale_factor=2, mode="nearest"),
    "nearest size 3x4": lambda x: F.interpolate(x, size=(3, 4), mode="nearest"),
    "nearest scale 1.7": lambda x: F.interpolate(x, scale_factor=1.7, mode="nearest"),
    "bilinear size 8x5": lambda x: F.interpolate(x, size=(8, 5), mode="bilinear", align_corners=False),
    "bilinear size 8x5 align": lambda x: F.interpolate(x, size=(8, 5), mode="bilinear", align_corners=True),
    "bilinear scale 1.5": lambda x: F.interpolate(x, scale_factor=1.5, mode="bilinear", align_corners=False),
    "bilinear size 1x3 align": lambda x: F.interpolate(x, size=(1, 3), mode="bilinear", align_corners=True),
}


def fmt(values):
    return " ".join(repr(float(v)) for v in values)


for name, f in CASES.items():
    x = base().requires_grad_(True)
    r = f(x)
    out, idx = (r if isinstance(r, tuple) else (r, None))
    g = torch.tensor([math.cos(0.9 * j) for j in range(out.numel())], dtype=torch.float64).reshape(out.shape)
    (out * g).sum().backward()
    shape = "x".join(str(s) for s in out.shape)
    ind = " ".join(str(int(i)) for i in idx.flatten()) if idx is not None else "-"
    print(f"{name}|{shape}|{fmt(out.detach().flatten())}|{ind}|{fmt(x.grad.flatten())}")
