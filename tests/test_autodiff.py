"""The generic autodiff engines: reverse mode against SymPy's diff, and linear growth."""

from __future__ import annotations

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symbp.autodiff import local_derivative, reference_gradients, reverse_gradients
from symbp.program import Program
from symbp.proof import prove_zero

x, y, u, v, f = sp.symbols("x y u v f", real=True)


def test_add_and_mul_rules_agree_with_diff():
    d = sp.symbols("d0:4", real=True)
    for node in (sp.Add(*d), sp.Mul(*d)):
        for k in range(len(d)):
            # The engine applies d(sum)/d(arg) = 1 and d(product)/d(arg) = product of the others.
            shortcut = 1 if node.is_Add else sp.Mul(*d[:k], *d[k + 1 :])
            assert sp.diff(node, d[k]) == shortcut


@pytest.mark.parametrize(
    "node",
    [sp.exp(x * y), sp.log(x), x**3, x**y, sp.tanh(x), sp.Abs(x), sp.sin(x) ** 2],
)
def test_local_derivative_is_sympys(node):
    for k, arg in enumerate(node.args):
        if arg.free_symbols:
            dummy = sp.Dummy(real=True)
            expected = sp.diff(node.xreplace({arg: dummy}), dummy).xreplace({dummy: arg})
            assert sp.simplify(local_derivative(node, k) - expected) == 0


def test_shared_intermediates_get_one_adjoint():
    program = Program(((u, x * y), (v, sp.exp(u) + u**2), (f, v * u + sp.sin(v))))
    g = reverse_gradients(program, f, [x, y])
    assert set(g.adjoints) == {u, v, f}
    ref = reference_gradients(program, f, [x, y])
    for w in (x, y):
        assert sp.simplify(g.expanded()[w] - ref.gradients[w]) == 0


_leaf = st.sampled_from([x, y, sp.Integer(2), sp.Rational(1, 3)])


def _expressions():
    return st.recursive(
        _leaf,
        lambda inner: st.one_of(
            st.builds(lambda a, b: a + b, inner, inner),
            st.builds(lambda a, b: a * b, inner, inner),
            st.builds(lambda a: sp.exp(a / 4), inner),
            st.builds(lambda a: sp.tanh(a), inner),
            st.builds(lambda a: a**2, inner),
        ),
        max_leaves=6,
    )


@settings(max_examples=15, deadline=None)
@given(_expressions(), _expressions())
def test_reverse_equals_reference_on_random_programs(e1, e2):
    program = Program(((u, e1), (v, e2 + u), (f, u * v + sp.exp(-v / 8))))
    rev = reverse_gradients(program, f, [x, y]).expanded()
    ref = reference_gradients(program, f, [x, y]).gradients
    for w in (x, y):
        difference = rev[w] - ref[w]
        point = {x: sp.Rational(3, 7), y: sp.Rational(-5, 11)}
        assert abs(sp.N(difference.xreplace(point), 40)) < 1e-30
        assert prove_zero(difference).proved


def test_reverse_mode_size_grows_linearly():
    import symbp

    sizes = []
    for width in (4, 8, 16):
        net = symbp.Network([width, width, 4], ["sigmoid", "softmax"], "cross_entropy")
        g = net.gradient_program()
        sizes.append((net.spec.parameter_count, g.stats["adjoint_assignments"] + g.stats["nodes"]))
    (p1, s1), (_, _), (p3, s3) = sizes
    # Work per parameter stays bounded: the ratio grows far slower than the parameter count.
    assert (s3 / p3) < 1.5 * (s1 / p1)


def test_output_must_be_assigned():
    with pytest.raises(ValueError, match="not assigned"):
        reverse_gradients(Program(((u, x),)), f, [x])
