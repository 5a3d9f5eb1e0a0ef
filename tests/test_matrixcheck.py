"""The three checks of the matrix-form derivation (symbp.matrixcheck), and that they can fail.

Oracles: the hand-derived vectorized equations of symbp.backprop (V1-V4, V1s),
the rule tables, and the per-element autodiff of the core on concrete instances.
"""

from __future__ import annotations

import dataclasses

import pytest
import sympy as sp

from symbp.matrixform import matrix_gradient
from symbp.matrixcheck import check_matrix, default_instances, unify
from symbp.proof import PROVED
from symbp.rules import RuleSet, make_activation, make_cost
from symbp.spec import NetworkSpec

from .cases import architectures

CASES = architectures()


@pytest.mark.parametrize("widths, activations, cost, batch", CASES, ids=[f"{c[1]}-{c[2]}" for c in CASES])
def test_every_architecture_passes_all_three_checks(widths, activations, cost, batch):
    spec = NetworkSpec(widths, activations, cost, batch)
    report = check_matrix(spec, instances=[(widths, batch)])
    assert report.ok, report.summary()
    assert report.shapes and all(s.ok for s in report.shapes)
    names = {e.equation for e in report.equations}
    assert {"V2", "V3"} <= names and ("V4" in names) == (spec.depth > 1)
    assert ("V1s" in names) == ("softmax" in activations)
    # every dZ, dW and db of the instance was compared
    assert {i.parameter for i in report.instances} >= {f"{p}{l}" for l in range(1, spec.depth + 1) for p in ("W", "b", "dZ")}


def test_several_widths_and_batch_sizes_by_default():
    spec = NetworkSpec((3, 4, 2), ("tanh", "softmax"), "cross_entropy", 2)
    instances = default_instances(spec)
    assert len({w for w, _ in instances}) >= 2 and len({b for _, b in instances}) >= 2
    report = check_matrix(spec)
    assert report.ok, report.summary()
    assert {(i.widths, i.batch) for i in report.instances} == {(tuple(w), b) for w, b in instances}


def test_a_wrong_hand_derivative_is_refuted_while_the_engine_still_matches_autodiff():
    wrong = make_activation("square_demo", "z**2", "z")  # should be 2z
    spec = NetworkSpec((2, 2, 2), ("square_demo", "sigmoid"), "half_sse", rules=RuleSet({"square_demo": wrong}))
    report = check_matrix(spec, instances=[((2, 2, 2), 2)])
    v1 = [e for e in report.equations if e.target == "dZ^{[1]}"][0]
    assert v1.status == "refuted" and "activation table" in v1.method
    assert all(i.status == PROVED for i in report.instances)  # derived independently of the hand rule
    assert not report.ok


def test_a_wrong_cost_derivative_is_refuted():
    wrong = make_cost("quartic_demo", "(a - y)**4", "3*(a - y)**3")
    spec = NetworkSpec((2, 2), ("linear",), "quartic_demo", rules=RuleSet(local_costs={"quartic_demo": wrong}))
    report = check_matrix(spec, instances=())
    assert report.equation_of("dA^{[1]}").status == "refuted"


def _replace(mg, target, expr):
    return dataclasses.replace(mg, adjoint=tuple((t, expr if t == target else e) for t, e in mg.adjoint))


def test_a_wrong_step_in_the_derivation_is_caught_and_located():
    spec = NetworkSpec((3, 4, 2), ("sigmoid", "sigmoid"), "half_sse")
    mf, mg = matrix_gradient(spec)
    dA1, dZ1 = mg.adjoints[mf.A[1]], mg.adjoints[mf.Z[1]]
    forgot_derivative = _replace(mg, dZ1, sp.HadamardProduct(dA1, mf.A[1]))
    report = check_matrix(spec, instances=[((2, 2, 2), 2)], derived=(mf, forgot_derivative))
    assert not report.ok
    assert report.equation_of("dZ^{[1]}").status != PROVED
    assert [i.parameter for i in report.instances if i.status != PROVED] == ["dZ1"]


def test_a_missing_transpose_breaks_the_shapes_and_the_equation():
    spec = NetworkSpec((3, 4, 2), ("sigmoid", "sigmoid"), "half_sse")
    mf, mg = matrix_gradient(spec)
    dW2 = mg.adjoints[mf.W[2]]
    wrong = _replace(mg, dW2, sp.MatMul(1 / mf.m, mg.adjoints[mf.Z[2]], mf.A[1]))  # A^{[1]} instead of A^{[1]T}
    report = check_matrix(spec, instances=(), derived=(mf, wrong))
    assert [s.target for s in report.shapes if not s.ok] == ["dW^{[2]}"]
    assert report.equation_of("dW^{[2]}").status == "mismatch"


# ----- Unification -----
n, m, k = sp.symbols("n m k", integer=True, positive=True)
P, Q = sp.MatrixSymbol("P", n, m), sp.MatrixSymbol("Q", n, m)
U, V = sp.MatrixSymbol("U", 3, k), sp.MatrixSymbol("V", 3, k)


@pytest.mark.parametrize(
    "template, expr, expected",
    [
        (P * Q.T / m, U * V.T / k, {P: U, Q: V, n: 3, m: k}),
        (P * Q.T / m, U * V / k, None),  # the transpose is missing
        (P * Q.T / m, U * V.T / 2, None),  # 1/2 is not 1/(a size)
        (P + Q, U + U.T, None),  # the shapes cannot bind consistently (3 x k and k x 3)
    ],
)
def test_unify(template, expr, expected):
    assert unify(template, expr) == expected


def test_unify_commutes_and_knows_the_hadamard_identity():
    got = unify(sp.HadamardProduct(P, Q), sp.HadamardProduct(V, U))
    assert {got[P], got[Q]} == {U, V} and got[n] == 3 and got[m] == k
    got = unify(sp.HadamardProduct(P, Q), U)  # X = X (.) 1
    assert {got[P], got[Q]} == {U, sp.OneMatrix(3, k)}
