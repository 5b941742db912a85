"""Reference values for ConvolutionSuite, from PyTorch (float64).

Inputs are built from formulas both sides can evaluate: element i of a tensor with salt s is
sin(0.37 * i + s) * 0.8 (weights: cos(0.53 * i + s) * 0.5). The loss is sum(y * v) with v[i] = cos(0.29 * i).
For every tensor (y and the gradients of x, weight, bias) we print three projections:
sum(t), sum(t * cos(0.7 * i)) and sum(t * sin(1.3 * i + 0.5)), and its first six values.

    /work/main/.venv-peers/bin/python conformance/scripts/conv_reference.py
"""
import math
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def inp(shape, salt):
    n = math.prod(shape)
    return torch.tensor([math.sin(0.37 * i + salt) * 0.8 for i in range(n)]).reshape(shape).requires_grad_()


def wgt(shape, salt):
    n = math.prod(shape)
    return torch.tensor([math.cos(0.53 * i + salt) * 0.5 for i in range(n)]).reshape(shape).requires_grad_()


def probes(t):
    f = t.detach().reshape(-1)
    i = torch.arange(f.numel(), dtype=torch.float64)
    return [f.sum().item(), (f * torch.cos(0.7 * i)).sum().item(), (f * torch.sin(1.3 * i + 0.5)).sum().item()] + f[:6].tolist()


def case(name, fn, xs, ws, bs):
    x = inp(xs, 0.1)
    w = wgt(ws, 0.2)
    b = inp([bs], 0.3) if bs else None
    y = fn(x, w, b)
    v = torch.cos(0.29 * torch.arange(y.numel(), dtype=torch.float64)).reshape(y.shape)
    (y * v).sum().backward()
    print(f"// {name}: y {list(y.shape)}")
    for label, t in [("y", y), ("gx", x.grad), ("gw", w.grad)] + ([("gb", b.grad)] if b is not None else []):
        print(f'        {{"{name}", "{label}", {", ".join(repr(p) for p in probes(t))}}},')


case("grouped", lambda x, w, b: F.conv2d(x, w, b, stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2), [2, 4, 7, 6], [6, 2, 3, 2], 6)
case("depthwise", lambda x, w, b: F.conv2d(x, w, b, padding=1, groups=3), [2, 3, 6, 5], [3, 1, 3, 3], 3)
case("same", lambda x, w, b: F.conv2d(x, w, b, padding="same"), [1, 2, 5, 5], [3, 2, 2, 4], 3)
case("asymmetric", lambda x, w, b: F.conv2d(F.pad(x, (2, 1, 1, 0)), w, b, stride=2), [2, 3, 6, 7], [4, 3, 3, 3], 4)
case("conv1d", lambda x, w, b: F.conv1d(x, w, b, stride=2, padding=1, dilation=2), [2, 3, 9], [4, 3, 3], 4)
case("transposed", lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1, groups=2, dilation=(1, 2)), [2, 4, 3, 4], [4, 3, 3, 3], 6)
case("nobias", lambda x, w, b: F.conv2d(x, w, None, stride=3, padding=2), [3, 2, 8, 8], [5, 2, 3, 3], 0)
