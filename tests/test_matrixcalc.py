"""Reverse mode over matrix expressions (symbp.matrixcalc) and the matrix form it differentiates.

Oracles: explicit matrices (every local rule against the definition of the
vector-Jacobian product, entry by entry), SymPy's own matrix calculus against
the rule table where both apply, and SymPy's scalar diff for elementwise maps.
The full derivation is checked against the hand side and the per-element
autodiff in test_matrixcheck.py.
"""

from __future__ import annotations

import dataclasses

import pytest
import sympy as sp

from symbp.matrixcalc import local_vjp, reverse_matrix, simplify_matrix
from symbp.matrixexpr import ElementwiseMap, elementwise, evaluate
from symbp.matrixform import explicit_forward, matrix_form, matrix_gradient
from symbp.rules import ACTIVATIONS, RuleSet, make_activation
from symbp.spec import NetworkSpec

n, k, m = sp.symbols("n k m", integer=True, positive=True)
SIZES = {n: 2, k: 3, m: 2}
W, B = sp.MatrixSymbol("W", n, k), sp.MatrixSymbol("B", n, k)
A, Z = sp.MatrixSymbol("A", k, m), sp.MatrixSymbol("Zm", n, m)
b, s = sp.MatrixSymbol("b", n, 1), sp.MatrixSymbol("s", 1, m)
z, t = sp.symbols("z t", real=True)


def explicit(symbol):
    rows, cols = (d.xreplace(SIZES) for d in symbol.shape)
    return sp.ImmutableMatrix(rows, cols, lambda i, j: sp.Symbol(f"{symbol.name}_{i}{j}", real=True))


# ----- Local rules: node, child index -----
NODES = [
    ("product, left", W * A, 0),
    ("product, right", W * A, 1),
    ("bias broadcast", b * sp.OneMatrix(1, m), 0),
    ("column sums", sp.OneMatrix(1, n) * Z, 1),
    ("row broadcast", sp.OneMatrix(n, 1) * s, 1),
    ("scaled", Z / m, 1),
    ("sum", Z + W * A, 0),
    ("transpose", A.T, 0),
    ("Hadamard", sp.HadamardProduct(W, B), 0),
    ("Hadamard power", sp.HadamardPower(Z, 3), 0),
    ("elementwise, 1 argument", ElementwiseMap(sp.Lambda(z, sp.exp(-z) * z), Z), 1),
    ("elementwise, 2 arguments", ElementwiseMap(sp.Lambda((z, t), z / t), Z, sp.OneMatrix(n, 1) * s), 2),
]


def _with_generic_child(node, index):
    """``node`` with its child ``index`` replaced by a matrix symbol of independent entries."""
    D = sp.MatrixSymbol("D", *node.args[index].shape)
    return node.func(*node.args[:index], D, *node.args[index + 1 :]), D


def _vjp_on_explicit(node, index, contribution, G):
    env = {x: explicit(x) for x in node.atoms(sp.MatrixSymbol) | {G}}
    return env, evaluate(simplify_matrix(contribution), env, SIZES)


@pytest.mark.parametrize("label, node, index", NODES, ids=[n[0] for n in NODES])
def test_local_vjp_is_the_vector_jacobian_product(label, node, index):
    # d tr(G^T node) / dD, entry by entry, on explicit matrices, D the child.
    node, D = _with_generic_child(node, index)
    G = sp.MatrixSymbol("G", *node.shape)
    env, got = _vjp_on_explicit(node, index, local_vjp(node, index, G)[0], G)
    value = evaluate(node, env, SIZES)
    pairing = sum(env[G][i] * value[i] for i in range(len(value)))
    for entry, derived in zip(env[D], got):
        assert sp.simplify(derived - sp.diff(pairing, entry)) == 0, label


@pytest.mark.parametrize("label, node, index", [c for c in NODES if not isinstance(c[1], ElementwiseMap)], ids=lambda v: v if isinstance(v, str) else "")
def test_sympy_matrix_calculus_agrees_with_the_rule_table(label, node, index, monkeypatch):
    node, D = _with_generic_child(node, index)
    G = sp.MatrixSymbol("G", *node.shape)
    first, method = local_vjp(node, index, G)
    monkeypatch.setattr("symbp.matrixcalc._sympy_vjp", lambda node, k: None)  # SymPy "fails": the table answers
    second, fallback = local_vjp(node, index, G)
    assert fallback == "rule"
    env, a = _vjp_on_explicit(node, index, first, G)
    _, b = _vjp_on_explicit(node, index, second, G)
    assert (a - b).applyfunc(sp.expand) == sp.zeros(*a.shape), (label, method)


def test_elementwise_maps_use_sympys_scalar_diff_not_the_hand_rule():
    # An activation registered with a deliberately wrong hand derivative (2z for z^3): the engine must not see it.
    wrong = make_activation("cube_demo", "z**3", "2*z")
    spec = NetworkSpec((2, 2), ("cube_demo",), "half_sse", rules=RuleSet({"cube_demo": wrong}))
    mf, mg = matrix_gradient(spec)
    dZ = dict(mg.adjoint)[mg.adjoints[mf.Z[1]]]
    factor = next(a for a in dZ.args if isinstance(a, ElementwiseMap))
    assert sp.simplify(factor.body_in([z]) - 3 * z**2) == 0


def test_reverse_mode_names_adjoints_like_the_equations_and_keeps_the_mean_out():
    mf, mg = matrix_gradient(NetworkSpec((3, 4, 2), ("sigmoid", "softmax"), "cross_entropy"))
    names = [target.name for target, _ in mg.adjoint]
    assert names == [
        "dA^{[2]}", "ds^{[2]}", "dE^{[2]}", "dZ^{[2]}", "dW^{[2]}", "db^{[2]}",
        "dA^{[1]}", "dZ^{[1]}", "dW^{[1]}", "db^{[1]}",
    ]
    # Named adjoints are m dC/dX (Ng's convention); gradients carry the 1/m themselves.
    assert {mg.coefficients[mg.adjoints[x]] for x in (mf.A[2], mf.Z[2], mf.A[1], mf.Z[1])} == {1 / mf.m}
    assert dict(mg.adjoint)[mg.adjoints[mf.W[1]]] == mg.adjoints[mf.Z[1]] * mf.X.T / mf.m


def test_the_derivation_does_not_depend_on_the_widths():
    small = matrix_gradient(NetworkSpec((2, 3, 2), ("tanh", "sigmoid"), "sse"))[1].adjoint
    large = matrix_gradient(NetworkSpec((784, 256, 10), ("tanh", "sigmoid"), "sse"))[1].adjoint
    assert small == large


def test_sympys_matrixexpr_diff_is_used_where_it_works():
    _, mg = matrix_gradient(NetworkSpec((3, 4, 2), ("relu", "sigmoid"), "binary_cross_entropy"))
    assert mg.methods["sympy"] > 0 and mg.methods["rule"] > 0


# ----- The matrix form -----
@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_forward_matrix_form_equals_the_rule_tables_forward(activation):
    spec = NetworkSpec((2, 3), (activation,), "half_sse")
    mf = matrix_form(spec)
    Zx = sp.ImmutableMatrix(3, 2, lambda i, j: sp.Symbol(f"z{i}{j}", real=True))
    env = explicit_forward(dataclasses.replace(mf, forward=mf.forward[:-1]), {mf.Z[1]: Zx}, mf.sizes(batch=2))
    rule = ACTIVATIONS[activation]
    for col in range(2):
        expected = rule.apply(list(Zx[:, col]), spec.options)
        assert [sp.simplify(a - e) for a, e in zip(env[mf.A[1]][:, col], expected)] == [0, 0, 0]


def test_elementwise_simplifies_identity_constants_and_unused_arguments():
    assert elementwise(sp.Lambda(z, z), Z) == Z
    assert elementwise(sp.Lambda((z, t), 2 * t), Z, Z) == ElementwiseMap(sp.Lambda((t,), 2 * t), Z)
    with pytest.raises(Exception, match="shapes differ"):
        ElementwiseMap(sp.Lambda((z, t), z * t), Z, W)


def test_reverse_matrix_rejects_an_output_that_is_not_a_scalar():
    C = sp.MatrixSymbol("C", n, m)
    with pytest.raises(ValueError, match="1 x 1"):
        reverse_matrix([(C, W * A)], C, [W])
