"""Reference values for TransformerSuite: nn.MultiheadAttention(batch_first=True) and a pre-LayerNorm block.

Weights and inputs come from formulas that the Java suite repeats: the p-th tensor of the state dict (in order)
holds 0.3 * sin(0.37 * i + 1.3 * p + 0.1) at flat index i; inputs are sin/cos formulas (see inputs()).
The loss is sum(out * cos(0.5 * i)); a gradient g is summarised as sum(g * sin(0.3 * i + 0.2)) (full gradients are
printed for the plain case). Run with PyTorch 2.x: python transformer_reference.py > values.txt
"""
import math
import torch
import torch.nn as nn

torch.set_default_dtype(torch.float64)


def formula(shape, f):
    n = math.prod(shape)
    return torch.tensor([f(i) for i in range(n)]).reshape(shape)


def set_weights(module):
    with torch.no_grad():
        for p, (name, t) in enumerate(module.state_dict().items()):
            t.copy_(formula(t.shape, lambda i: 0.3 * math.sin(0.37 * i + 1.3 * p + 0.1)))


def weights_of(n):
    return torch.tensor([math.cos(0.5 * i) for i in range(n)])


def summary(g):
    g = g.reshape(-1)
    return float((g * torch.tensor([math.sin(0.3 * i + 0.2) for i in range(g.numel())])).sum())


def fmt(xs):
    return ", ".join(repr(round(float(x), 13)) for x in xs)


N, H, E = 2, 2, 8


def causal_mask(l, s):
    return torch.triu(torch.ones(l, s, dtype=torch.bool), 1)


def case(name, self_attn, l, s, kpm, am, causal):
    mha = nn.MultiheadAttention(E, H, batch_first=True)
    set_weights(mha)
    q = formula((N, l, E), lambda i: math.sin(0.31 * i + 0.2)).requires_grad_(True)
    if self_attn:
        k = v = q
    else:
        k = formula((N, s, E), lambda i: math.cos(0.23 * i - 0.4)).requires_grad_(True)
        v = formula((N, s, E), lambda i: math.sin(0.17 * i + 0.9)).requires_grad_(True)
    mask = am
    if causal:
        c = causal_mask(l, s)
        if mask is None:
            mask = c
        elif mask.dtype == torch.bool:
            mask = mask | c
        else:
            mask = mask.masked_fill(c, float("-inf"))
    out, _ = mha(q, k, v, key_padding_mask=kpm, attn_mask=mask, need_weights=False)
    (out.reshape(-1) * weights_of(out.numel())).sum().backward()
    print(f"// {name}")
    print(f"OUT = {{{fmt(out.detach().reshape(-1))}}}")
    grads = [q.grad] if self_attn else [q.grad, k.grad, v.grad]
    grads += [p.grad for p in mha.parameters()]
    print(f"GRAD_SUMMARIES = {{{fmt(summary(g) for g in grads)}}}")
    if name == "plain":
        for label, g in zip(["DQ", "DK", "DV", "DW_IN"], grads):
            print(f"{label} = {{{fmt(g.reshape(-1))}}}")


case("plain", False, 3, 4, None, None, False)
case("key padding", False, 3, 4, torch.tensor([[False, False, False, True], [False, True, False, False]]), None, False)
case("bool attn mask [L,S]", False, 3, 4, None, formula((3, 4), lambda i: (i * 7) % 5 == 4).bool(), False)
case("float attn mask [N*H,L,S] + key padding", False, 3, 4, torch.tensor([[False, False, True, False], [True, False, False, False]]),
     formula((N * H, 3, 4), lambda i: 0.5 * math.sin(1.1 * i)), False)
case("self causal", True, 4, 4, None, None, True)
case("self causal + key padding", True, 4, 4, torch.tensor([[False, False, False, False], [False, False, False, True]]), None, True)
am = torch.zeros(4, 4, dtype=torch.bool)
am[2, 0] = True
am[3, 1] = True
case("self causal + bool attn mask + key padding", True, 4, 4, torch.tensor([[False, True, False, False], [False, False, False, False]]),
     am, True)


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1 = nn.LayerNorm(E)
        self.attn = nn.MultiheadAttention(E, H, batch_first=True)
        self.ln2 = nn.LayerNorm(E)
        self.mlp = nn.Sequential(nn.Linear(E, 4 * E), nn.GELU(), nn.Linear(4 * E, E), nn.Dropout(0.0))

    def forward(self, x):
        h = self.ln1(x)
        t = x.shape[1]
        x = x + self.attn(h, h, h, attn_mask=causal_mask(t, t), need_weights=False)[0]
        return x + self.mlp(self.ln2(x))


block = Block()
set_weights(block)
x = formula((N, 5, E), lambda i: math.sin(0.29 * i + 0.3) + 0.2 * math.cos(1.7 * i)).requires_grad_(True)
out = block(x)
(out.reshape(-1) * weights_of(out.numel())).sum().backward()
print("// block")
print(f"BLOCK_OUT = {{{fmt(out.detach().reshape(-1))}}}")
print(f"BLOCK_DX = {{{fmt(x.grad.reshape(-1))}}}")
print(f"BLOCK_GRAD_SUMMARIES = {{{fmt(summary(p.grad) for p in block.parameters())}}}")
print("// names", [n for n, _ in block.named_parameters()])
