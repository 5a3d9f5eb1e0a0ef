"""Activations with a constant derivative other than 1 or 0, and constant activations, in the matrix path.

* ``3z - 1`` (g' = 3): matrixcalc pulled the 3 out of dZ^{[1]} into its factor (3/m against 1/m for the
  others), so the matrix check called V1 refuted and codegen stopped with an internal error (named adjoints
  with different factors). The 3 now stays in the named adjoint, dZ = 3 dA, which V1 accepts as dA (.) 3.
* ``2`` (a constant activation): the forward pass printed ``A1 = 2.0``, a float where an n x m array was
  needed, so the generated code failed at ``W2 @ A1``. It is now a filled array (Stmt 'fill').
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
import sympy as sp

import symbp
from symbp.compile import module_source
from symbp.lowering import lower
from symbp.matrixcheck import check_matrix
from symbp.matrixform import matrix_gradient
from symbp.rules import RuleSet, make_activation
from symbp.spec import NetworkSpec

RULES = RuleSet({
    "cs_affine": make_activation("cs_affine", "3*z - 1", "3"),
    "cs_two": make_activation("cs_two", "2", "0"),
    "cs_one": make_activation("cs_one", "0*z + 1", "0"),
    "cs_neg": make_activation("cs_neg", "-z/2", "-1/2"),
})

#: (activations of a [2, 3, 2] network, the cost); the custom activation in each position
NETWORKS = [
    (("cs_affine", "sigmoid"), "half_sse"),
    (("tanh", "cs_affine"), "half_sse"),
    (("cs_neg", "cs_affine"), "sse"),
    (("cs_two", "sigmoid"), "half_sse"),
    (("cs_one", "tanh"), "half_sse"),
    (("tanh", "cs_two"), "half_sse"),
]
IDS = ["-".join(acts) for acts, _ in NETWORKS]


def _spec(acts, cost, batch=2):
    return NetworkSpec((2, 3, 2), acts, cost, batch=batch, rules=RULES)


def _point(spec, m, dtype="float64", seed=5):
    rng = np.random.default_rng(seed)
    w = spec.widths
    params = {}
    for l in range(1, len(w)):
        params[f"W{l}"] = rng.standard_normal((w[l], w[l - 1])).astype(dtype)
        params[f"b{l}"] = rng.standard_normal((w[l], 1)).astype(dtype)
    return params, rng.standard_normal((w[0], m)).astype(dtype), rng.standard_normal((w[-1], m)).astype(dtype)


def _reference(spec, params, X, Y):
    """The core's per-element autodiff, at a batch of X's size (an independent engine)."""
    net = symbp.Network.from_spec(NetworkSpec(spec.widths, spec.activations, spec.cost, batch=X.shape[1],
                                              rules=spec.rules))
    as64 = {k: v.astype("float64") for k, v in params.items()}
    return net.numeric_gradients(as64, X.astype("float64"), Y.astype("float64"))


@pytest.mark.parametrize("acts, cost", NETWORKS, ids=IDS)
def test_the_matrix_check_proves_every_equation(acts, cost):
    report = check_matrix(_spec(acts, cost), instances=[((2, 2, 2), 2)])
    assert report.ok, report.summary()


def test_a_constant_slope_stays_in_the_named_adjoint():
    mf, mg = matrix_gradient(_spec(("cs_affine", "sigmoid"), "half_sse"))
    dZ, dA = mg.adjoints[mf.Z[1]], mg.adjoints[mf.A[1]]
    assert dict(mg.adjoint)[dZ] == 3 * dA
    assert len({mg.coefficients[mg.adjoints[t]] for t, _ in mf.forward if t in mg.adjoints}) == 1


def test_a_constant_activation_is_a_filled_array():
    plan = lower(_spec(("cs_two", "sigmoid"), "half_sse"), "forward")
    fill = next(s for s in plan.statements if s.target == "A1")
    assert (fill.kind, fill.expr, fill.shape) == ("fill", 2, (3, sp.Symbol("m", integer=True, positive=True)))


@pytest.mark.parametrize("acts, cost", NETWORKS, ids=IDS)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_compiled_gradients_match_the_per_element_autodiff(acts, cost, dtype):
    spec = _spec(acts, cost)
    grads = symbp.lambdify(symbp.Network.from_spec(spec), dtype=dtype)
    for m in (1, 5):
        params, X, Y = _point(spec, m, dtype)
        got, expected = grads(params, X, Y), _reference(spec, params, X, Y)
        for key in params:
            assert got[key].shape == params[key].shape and got[key].dtype == np.dtype(dtype)
            np.testing.assert_allclose(got[key], expected[key], rtol=1e-5 if dtype == "float32" else 1e-12,
                                       atol=1e-6 if dtype == "float32" else 1e-14)


def test_the_generated_module_runs_a_constant_activation(tmp_path):
    spec = _spec(("cs_two", "sigmoid"), "half_sse")
    path = tmp_path / "cs_grads.py"
    path.write_text(module_source(symbp.Network.from_spec(spec), "float64"))
    module_spec = importlib.util.spec_from_file_location("cs_grads", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    for m in (1, 5):
        params, X, Y = _point(spec, m)
        out = module.forward(params, X)
        hidden = np.full((3, m), 2.0)
        np.testing.assert_allclose(out, 1 / (1 + np.exp(-(params["W2"] @ hidden + params["b2"]))), rtol=1e-14)
        grads = module.gradients(params, X, Y)
        assert not grads["W1"].any() and not grads["b1"].any() and grads["W2"].any()
        np.testing.assert_allclose(grads["W2"], _reference(spec, params, X, Y)["W2"], rtol=1e-12)
