"""Stable kernels (symbp.numerics) and the compiled gradients at |z| up to 1000.

Oracle: mpmath at 50 digits, for the kernels and for whole gradients (the core's
per-element autodiff expressions evaluated with mpmath). Every call runs with
NumPy warnings turned into errors, so an overflow or an invalid value fails.
"""

from __future__ import annotations

import warnings

import mpmath as mp
import numpy as np
import pytest

from symbp import Network, numerics
from symbp.compile import lambdify
from symbp.program import compile_program

Z = [-1000.0, -745.5, -709.5, -100.0, -30.0, -1.0, -1e-8, 0.0, 1e-8, 1.0, 30.0, 100.0, 709.5, 745.5, 1000.0]
DTYPES = ["float64", "float32"]


@pytest.fixture(autouse=True)
def warnings_are_errors_and_mpmath_at_50_digits():
    # mpmath's precision is set for each test and restored after: a module-level mp.dps = 50 leaked
    # into every test collected after this module
    with warnings.catch_warnings(), np.errstate(all="raise", under="ignore"), mp.workdps(50):
        warnings.simplefilter("error")
        yield


def accurate(got, exact, dtype, ulps=4):
    """Within ``ulps`` of the exact value where it is a normal number, else within the smallest normal."""
    info = np.finfo(dtype)
    got = float(got)
    exact = mp.mpf(exact)
    if not np.isfinite(got):
        return False
    if abs(exact) < info.tiny:
        return abs(got - exact) <= info.tiny
    return abs(got - exact) <= ulps * info.eps * abs(exact)


ELEMENTWISE = {
    "sigmoid": (numerics.sigmoid, lambda z: 1 / (1 + mp.exp(-z))),
    "log_sigmoid": (numerics.log_sigmoid, lambda z: -mp.log1p(mp.exp(-z))),
    "softplus": (numerics.softplus, lambda z: mp.log1p(mp.exp(z))),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_elementwise_kernels_against_mpmath(name, dtype):
    kernel, exact = ELEMENTWISE[name]
    z = np.array(Z, dtype=dtype)
    got = kernel(z)
    assert got.dtype == np.dtype(dtype)
    for zi, gi in zip(z, got):
        assert accurate(gi, exact(mp.mpf(float(zi))), dtype), (name, float(zi), float(gi))


def test_kernels_work_in_place():
    z = np.array(Z)
    expected = numerics.sigmoid(z)
    out = numerics.sigmoid(z, out=z)
    assert out is z and np.array_equal(z, expected)


COLUMNS = np.array([[1000.0, -1000.0, 0.0, 3.0], [0.0, 0.0, 1e-3, -2.0], [-1000.0, 999.0, -5.0, 700.0]])


@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_and_log_softmax_against_mpmath(dtype):
    z = COLUMNS.astype(dtype)
    soft, log_soft = numerics.softmax(z), numerics.log_softmax(z)
    for j in range(z.shape[1]):
        column = [mp.mpf(float(v)) for v in z[:, j]]
        total = mp.fsum(mp.exp(v) for v in column)
        for i, v in enumerate(column):
            assert accurate(soft[i, j], mp.exp(v) / total, dtype, ulps=8)
            assert accurate(log_soft[i, j], v - mp.log(total), dtype, ulps=8)


@pytest.mark.parametrize("dtype", DTYPES)
def test_cross_entropies_from_logits_against_mpmath(dtype):
    z = COLUMNS.astype(dtype)
    y = np.array([[0.0, 1.0, 0.2, 0.5], [1.0, 0.0, 0.3, 0.0], [0.0, 0.0, 0.5, 0.5]], dtype=dtype)
    exact = mp.mpf(0)
    for j in range(z.shape[1]):
        column = [mp.mpf(float(v)) for v in z[:, j]]
        log_total = mp.log(mp.fsum(mp.exp(v) for v in column))
        exact -= mp.fsum(mp.mpf(float(y[i, j])) * (column[i] - log_total) for i in range(3))
    assert accurate(numerics.cross_entropy(z, y), exact / 4, dtype, ulps=16)
    exact = mp.mpf(0)
    for zi, yi in zip(z.ravel(), y.ravel()):
        s = 1 / (1 + mp.exp(-mp.mpf(float(zi))))
        exact -= mp.mpf(float(yi)) * mp.log(s) + (1 - mp.mpf(float(yi))) * mp.log(1 - s)
    assert accurate(numerics.binary_cross_entropy(z, y), exact / 4, dtype, ulps=16)


# ----- Whole gradients at extreme pre-activations -----
EXTREME = [
    ((2, 3, 3), ["sigmoid", "softmax"], "cross_entropy"),
    ((2, 3, 1), ["tanh", "sigmoid"], "binary_cross_entropy"),
    ((2, 2, 2), ["tanh", "softmax"], "sse"),
]


def extreme_problem(widths, dtype):
    """Weights that drive pre-activations to about +-1000 (and not much beyond) on some columns.

    Every number is a small dyadic rational and every weight an integer, so the linear layers are
    exact in floating point and what is measured is the accuracy of the kernels, not the
    conditioning of products with weights of 1000.
    """
    rng = np.random.default_rng(1)
    params = {}
    for l in range(1, len(widths)):
        scale = 1000 if l == 1 else 990 // widths[l - 1]  # hidden activations are at most 1 in size
        params[f"W{l}"] = (np.sign(rng.standard_normal((widths[l], widths[l - 1]))) * scale).astype(dtype)
        params[f"b{l}"] = (rng.integers(-4, 5, (widths[l], 1)) / 8).astype(dtype)
    X = np.array([[1.0, 0.0, 0.5, -1.0], [0.0, 1.0, -0.5, 0.25]], dtype=dtype)
    Y = (rng.random((widths[-1], 4)) < 0.5).astype(dtype)
    return params, X, Y


def mpmath_gradients(widths, activations, cost, params, X, Y):
    net = Network(list(widths), activations, cost, batch=X.shape[1])
    g = net.gradient_program()
    s = net.symbols
    inputs = [*s.parameter_symbols(), *s.X, *s.Y]
    fn = compile_program(g.program, inputs, [g.gradients[w] for w in s.parameter_symbols()], modules="mpmath")
    with mp.workdps(1000):  # 1 - sigmoid(1000) is about 1e-435: far beyond 50 digits
        values = [mp.mpf(float(v)) for k in params for v in params[k].ravel()] + [mp.mpf(float(v)) for v in (*X.ravel(), *Y.ravel())]
        flat = [+v for v in fn(*values)]
    out, start = {}, 0
    for k, v in params.items():
        out[k] = flat[start : start + v.size]
        start += v.size
    return out


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("widths, activations, cost", EXTREME)
def test_gradients_stay_finite_and_accurate_at_z_1000(widths, activations, cost, dtype):
    params, X, Y = extreme_problem(widths, dtype)
    grad = lambdify(Network(list(widths), activations, cost), dtype=dtype)
    Z1 = params["W1"].astype(np.float64) @ X.astype(np.float64)
    assert np.abs(Z1).max() >= 999
    got = grad(params, X, Y)
    assert np.isfinite(grad.cost(params, X, Y)) and np.isfinite(grad.forward(params, X)).all()
    exact = mpmath_gradients(widths, activations, cost, params, X, Y)
    tolerance = 1e-12 if dtype == "float64" else 1e-5
    for k, entries in exact.items():
        assert np.isfinite(got[k]).all(), k
        scale = max(1, max(abs(e) for e in entries))
        assert max(abs(mp.mpf(float(v)) - e) for v, e in zip(got[k].ravel(), entries)) <= tolerance * scale, k
