"""Derives the rational erf approximation used by EncoderKernels.gelu.

erf(z) ≈ z·P(z²)/Q(z²) on |z| ≤ 4 (Float's erf is 1 beyond), P and Q of degree 5, Q(0) = 1.
Fitted by iteratively reweighted linear least squares (Sanathanan–Koerner), then checked in
float32 Horner evaluation against scipy's erf on a dense grid. Prints the coefficients and the
maximum absolute error. Usage: python fit_gelu_erf.py
"""

import numpy as np
from scipy.special import erf

DEGREE = 5
LIMIT = 4.0


def fit():
    x = np.linspace(1e-6, LIMIT, 20000)
    t = x * x
    f = erf(x) / x
    weight = np.ones_like(t)
    for _ in range(30):
        # f·Q(t) − P(t) = 0 with Q = 1 + q1 t + …, linear in the unknowns p0…p5, q1…q5.
        columns = [t ** i for i in range(DEGREE + 1)] + [-f * t ** j for j in range(1, DEGREE + 1)]
        a = np.vstack(columns).T * weight[:, None]
        solution, *_ = np.linalg.lstsq(a, f * weight, rcond=None)
        p = solution[:DEGREE + 1]
        q = np.concatenate([[1.0], solution[DEGREE + 1:]])
        # Reweight so the residual approximates the absolute error of erf itself.
        weight = x / np.abs(np.polyval(q[::-1], t))
    return p.astype(np.float32), q.astype(np.float32)


def max_error(p, q):
    xs = np.linspace(-6, 6, 2_000_001).astype(np.float32)
    z = np.clip(xs, np.float32(-LIMIT), np.float32(LIMIT))
    t = z * z
    num = np.float32(p[-1])
    for c in p[-2::-1]:
        num = num * t + c
    den = np.float32(q[-1])
    for c in q[-2::-1]:
        den = den * t + c
    return np.abs((z * num / den).astype(np.float64) - erf(xs.astype(np.float64))).max()


if __name__ == "__main__":
    p, q = fit()
    print("P (t^0 … t^5):", [repr(float(c)) for c in p])
    print("Q (t^0 … t^5):", [repr(float(c)) for c in q])
    print("max |error| in float32:", max_error(p, q))
