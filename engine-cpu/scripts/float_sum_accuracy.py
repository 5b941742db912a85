#!/usr/bin/env python3
"""PyTorch's float32 sum errors on FloatSumAccuracyTest's data, printed as the Java table the test holds.

The data are built from splitmix64 draws, exactly representable in float32, the same in the test (see its
generator). For every family, kind (row: a 1-D sum of n; column: sum(0) of an [n, 9] matrix whose column c is the
family drawn with stream c) and length n, the error of torch.sum against the exact sum (math.fsum), as a multiple
of u * sum(|x|) (u = 2^-24, the unit roundoff) and, for positive families, in ulps of the float32 result; the worst
over the outputs, over 1 and 2 threads (the better of the two is kept: the test's bar is the stricter one). The old
jgrad (float64 accumulation rounded once) is reported alongside.

Run: /path/to/venv/python engine-cpu/scripts/float_sum_accuracy.py
"""
import math

import numpy as np
import torch

M64 = (1 << 64) - 1
LENGTHS = [1, 2, 3, 7, 8, 9, 31, 100, 255, 256, 257, 1000, 4097, 10_000, 65_537, 100_000, 1_000_000]
FAMILIES = ["uniform", "mixed", "cancel", "ramp", "bigFirst", "tenths"]
POSITIVE = {"uniform", "ramp", "bigFirst", "tenths"}
COLUMNS = 9


def splitmix(stream, n):
    """splitmix64 of (stream << 32) + i + 1 for i < n, as uint64."""
    z = (np.arange(n, dtype=np.uint64) + np.uint64((stream << 32) + 1)) * np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def family(name, stream, n):
    z = splitmix(stream, n)
    u = (z >> np.uint64(40)).astype(np.float64) * 2.0 ** -24  # 24 bits in [0, 1)
    i = np.arange(n, dtype=np.float64)
    if name == "uniform":
        x = u
    elif name == "mixed":  # random signs, magnitudes over 2^-20 .. 2^20
        e = ((z >> np.uint64(8)) % np.uint64(41)).astype(np.float64) - 20
        s = np.where((z & np.uint64(1)) == 1, -1.0, 1.0)
        x = s * u * 2.0 ** e
    elif name == "cancel":  # uniform in [-1, 1): the sum is small against sum(|x|)
        x = u * 2 - 1
    elif name == "ramp":  # increasing, 1 .. 2
        x = 1 + (i % (1 << 20)) * 2.0 ** -20
    elif name == "bigFirst":  # one large value first, then small ones
        x = u * 2.0 ** -4
        x[0] = 2.0 ** 20
    else:  # 0.1f everywhere
        x = np.full(n, float(np.float32(0.1)))
    x32 = x.astype(np.float32)
    assert np.array_equal(x32.astype(np.float64), x), name  # exact in float32
    return x32


def errors(got, exact, absum, positive):
    """(error / (u * sum|x|), error in ulps of the float32 result or None)."""
    err = abs(float(got) - exact)
    rel = err / (2.0 ** -24 * absum) if absum > 0 else 0.0
    if not positive:
        return rel, None
    ulp = float(np.spacing(np.float32(abs(exact))))
    return rel, err / ulp


def main():
    rows = []
    for name in FAMILIES:
        for kind in ("row", "column"):
            for n in LENGTHS:
                if kind == "row":
                    x = family(name, 0, n)
                    cols = [x]
                else:
                    cols = [family(name, c, n) for c in range(COLUMNS)]
                    x = np.stack(cols, axis=1)
                exact = [math.fsum(c.astype(np.float64)) for c in cols]
                absum = [math.fsum(np.abs(c.astype(np.float64))) for c in cols]
                best = None
                for threads in (1, 2):
                    torch.set_num_threads(threads)
                    t = torch.from_numpy(x)
                    got = [t.sum().item()] if kind == "row" else t.sum(0).tolist()
                    rel = max(errors(g, e, a, name in POSITIVE)[0] for g, e, a in zip(got, exact, absum))
                    ulps = max((errors(g, e, a, name in POSITIVE)[1] or 0.0) for g, e, a in zip(got, exact, absum))
                    if best is None or rel < best[0]:
                        best = (rel, ulps)
                old = [np.float32(np.sum(c.astype(np.float64))) for c in cols]
                old_rel = max(errors(g, e, a, name in POSITIVE)[0] for g, e, a in zip(old, exact, absum))
                rows.append((name, kind, n, best[0], best[1], old_rel))
    for name, kind, n, rel, ulps, old_rel in rows:
        print(f'            {{"{name}", "{kind}", {n}, {rel:.4f}, {ulps:.4f}}}, // old jgrad {old_rel:.4f}')


if __name__ == "__main__":
    main()
