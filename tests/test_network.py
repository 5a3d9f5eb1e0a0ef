"""The public Network API: expressions, gradients, and numbers against finite differences."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import symbp
from symbp.errors import ShapeError, SymbpError

from .cases import architectures
from .conftest import DERIVATIONS


def _random_inputs(net: symbp.Network, rng: np.random.Generator):
    params = {name: rng.normal(0, 0.8, m.shape) for name, m in net.parameters().items()}
    n0, nL, m = net.spec.widths[0], net.spec.widths[-1], net.spec.batch
    X = rng.normal(0, 1, (n0, m))
    if net.spec.cost in ("binary_cross_entropy", "cross_entropy"):
        Y = rng.uniform(0.1, 0.9, (nL, m))
    else:
        Y = rng.normal(0, 1, (nL, m))
    return params, X, Y


def test_issue_example_api():
    net = symbp.Network(widths=[4, 4, 2], activations=["sigmoid", "softmax"], cost="sse", batch=1)
    grads = net.gradients()
    assert len(grads) == net.spec.parameter_count == 30
    w = net.symbols.W[2][0, 1]
    assert sp.latex(w) == "w^{[2]}_{12}"
    # Every gradient is an expression in parameters and data only.
    allowed = set(net.symbols.parameter_symbols()) | set(net.symbols.X) | set(net.symbols.Y)
    assert grads[w].free_symbols <= allowed
    assert net.check().ok


def test_cost_expression_is_the_batch_mean_of_the_loss():
    net = symbp.Network([1, 1], ["linear"], "sse", batch=2)
    s = net.symbols
    w, b = s.W[1][0, 0], s.b[1][0, 0]
    expected = ((s.Y[0, 0] - w * s.X[0, 0] - b) ** 2 + (s.Y[0, 1] - w * s.X[0, 1] - b) ** 2) / 2
    assert sp.expand(net.cost_expression() - expected) == 0


@pytest.mark.parametrize(("widths", "activations", "cost", "batch"), architectures()[::3])
def test_numeric_gradients_match_central_differences(widths, activations, cost, batch):
    net = symbp.Network(widths, activations, cost, batch)
    rng = np.random.default_rng(7)
    params, X, Y = _random_inputs(net, rng)
    grads = net.numeric_gradients(params, X, Y)
    h = 1e-6
    for name, value in params.items():
        assert grads[name].shape == value.shape
        for index in np.ndindex(value.shape):
            plus = {k: v.copy() for k, v in params.items()}
            minus = {k: v.copy() for k, v in params.items()}
            plus[name][index] += h
            minus[name][index] -= h
            fd = (net.numeric_cost(plus, X, Y) - net.numeric_cost(minus, X, Y)) / (2 * h)
            assert grads[name][index] == pytest.approx(fd, rel=1e-5, abs=1e-7), (name, index)


def test_numeric_gradients_reject_wrong_shapes_and_keys():
    net = symbp.Network([3, 2, 1], ["tanh", "sigmoid"], "half_sse", batch=2)
    params, X, Y = _random_inputs(net, np.random.default_rng(0))
    with pytest.raises(ShapeError, match=r"W1: expected shape \(2, 3\), got \(3, 2\)"):
        net.numeric_gradients({**params, "W1": params["W1"].T}, X, Y)
    with pytest.raises(ShapeError, match=r"X: expected shape \(3, 2\)"):
        net.numeric_gradients(params, X[:, :1], Y)
    with pytest.raises(ShapeError, match="missing b2"):
        net.numeric_gradients({k: v for k, v in params.items() if k != "b2"}, X, Y)
    with pytest.raises(ShapeError, match="numeric array"):
        net.numeric_gradients({**params, "b1": np.array([["a"], ["b"]])}, X, Y)


def test_numeric_gradients_take_the_network_files_own_exact_example():
    # the [example] of a network file is SymPy matrices of exact numbers; they were refused
    # ("expected a numeric array, got dtype object") though they are the natural numbers to try
    net = symbp.Network.from_toml(DERIVATIONS / "003-padhai-442" / "network.toml")
    ex = net.spec.example
    grads = net.numeric_gradients(ex.params, ex.X, ex.Y)
    floats = {k: np.array(v, dtype=np.float64) for k, v in ex.params.items()}
    X, Y = np.array(ex.X, dtype=np.float64), np.array(ex.Y, dtype=np.float64)
    expected = net.numeric_gradients(floats, X, Y)
    assert all(np.array_equal(grads[k], expected[k]) for k in expected)
    assert grads["W2"][0, 1] == pytest.approx(-0.1304, abs=5e-5)  # derivations/003-padhai-442/derivation.md
    x = sp.Symbol("x")
    for bad in (sp.Matrix([[x], [0], [0], [0]]), np.array([[None], [0], [0], [0]], dtype=object)):
        with pytest.raises(ShapeError, match="b1: expected a numeric array"):
            net.numeric_gradients({**floats, "b1": bad}, X, Y)


def test_too_large_for_the_per_element_path_points_to_the_matrix_path():
    net = symbp.Network([784, 256, 256, 10], ["relu", "relu", "softmax"], "cross_entropy", batch=2)
    with pytest.raises(SymbpError, match="matrix-form path"):
        net.gradients()


def test_reference_and_reverse_gradients_are_equal_expressions():
    net = symbp.Network([2, 2, 1], ["tanh", "sigmoid"], "half_sse")
    ref, rev = net.gradients("reference"), net.gradients("reverse")
    point = {s: sp.Rational(k + 1, 7) for k, s in enumerate(sorted(ref[net.symbols.W[1][0, 0]].free_symbols, key=str))}
    for w in ref:
        assert abs(sp.N((ref[w] - rev[w]).subs(point), 30)) < 1e-25
