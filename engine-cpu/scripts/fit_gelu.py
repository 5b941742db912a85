"""Fits the rational N(a)/D(a) ~ Phi(-a) exp(a^2/2) = erfcx(a/sqrt 2)/2 on [0, 14.5] behind VectorFloatSimd's GELU.

Loeb's linearised least squares (minimise (N - R D) / (R D_previous)) with Lawson's minimax weights, in float64 with
scipy's erfcx as the reference; then D is rounded to float32 and N refitted the same way with D fixed (a linear
problem). Prints the float32 coefficients and their maximum relative error (1.5e-8 for degrees 4 and 5).
Run: python3 engine-cpu/scripts/fit_gelu.py (numpy and scipy).
"""
import numpy as np
from scipy.special import erfcx

A = 14.5


def phi_ratio(a):
    return 0.5 * erfcx(a / np.sqrt(2))


def grid(count):
    k = np.arange(count)
    cheb = A * (0.5 - 0.5 * np.cos(np.pi * (k + 0.5) / count))
    return np.concatenate([cheb, np.linspace(0, A, count)])


def fit_rational(n, m, iters=80):
    a = grid(20000)
    r = phi_ratio(a)
    w = np.ones_like(a)
    d_prev = np.ones_like(a)
    best = None
    for _ in range(iters):
        cols = [a ** i for i in range(n + 1)] + [-r * a ** j for j in range(1, m + 1)]
        M = np.stack(cols, 1) / (r * d_prev)[:, None]
        rhs = 1.0 / d_prev
        sw = np.sqrt(w)
        sol, *_ = np.linalg.lstsq(M * sw[:, None], rhs * sw, rcond=None)
        num, den = sol[:n + 1], np.concatenate([[1.0], sol[n + 1:]])
        N, D = np.polyval(num[::-1], a), np.polyval(den[::-1], a)
        err = N / D / r - 1
        e = np.max(np.abs(err))
        if best is None or e < best[0]:
            best = (e, num, den)
        d_prev = D
        w = w * np.abs(err)
        w /= w.sum()
    return best


def refit_numerator(den32, n, iters=200):
    a = grid(30000)
    r = phi_ratio(a)
    D = np.polyval(den32[::-1], a)
    M = np.stack([a ** i for i in range(n + 1)], 1) / (D * r)[:, None]
    w = np.ones_like(a)
    best = None
    for _ in range(iters):
        sw = np.sqrt(w)
        sol, *_ = np.linalg.lstsq(M * sw[:, None], sw, rcond=None)
        err = M @ sol - 1
        e = np.max(np.abs(err))
        if best is None or e < best[0]:
            best = (e, sol)
        w = w * np.abs(err)
        w /= w.sum()
    return best


if __name__ == "__main__":
    e, num, den = fit_rational(4, 5)
    print("float64 fit: max relative error %.3g" % e)
    den32 = np.float32(den).astype(np.float64)
    e, num = refit_numerator(den32, 4)
    num32 = np.float32(num).astype(np.float64)
    a = np.linspace(0, A, 400001)
    err = np.polyval(num32[::-1], a) / np.polyval(den32[::-1], a) / phi_ratio(a) - 1
    print("float32 coefficients: max relative error %.3g at a = %g" % (np.max(np.abs(err)), a[np.argmax(np.abs(err))]))
    print("N:", ", ".join(repr(float(np.float32(c))) for c in num))
    print("D:", ", ".join(repr(float(np.float32(c))) for c in den))
