"""The hand side: equation objects, their LaTeX, and the gradients they assemble."""

from __future__ import annotations

import pytest
import sympy as sp

from symbp.backprop import EQUATIONS, hand_gradients
from symbp.spec import NetworkSpec
from symbp.symbols import network_symbols


@pytest.mark.parametrize(
    ("name", "latex"),
    [
        ("BP1", r"\delta^{l} = \nabla_a C \odot \sigma'(z^{l})"),
        ("BP2", r"\delta^{l} = \left({W^{l+1}}^{T} \delta^{l+1}\right) \odot \sigma'(z^{l})"),
        ("BP4", r"\nabla_{W^{l}} C = \delta^{l} {a^{l-1}}^{T}"),
        ("V1", r"dZ^{[l]} = dA^{[l]} \odot g'^{[l]}(Z^{[l]})"),
        ("V2", r"dW^{[l]} = \frac{1}{m} dZ^{[l]} {A^{[l-1]}}^{T}"),
        ("V4", r"dA^{[l-1]} = {W^{[l]}}^{T} dZ^{[l]}"),
    ],
)
def test_equation_latex_is_printed_from_the_sympy_form(name, latex):
    assert EQUATIONS[name].latex() == latex


def test_every_equation_has_consistent_shapes():
    for eq in EQUATIONS.values():
        assert eq.lhs.shape == eq.rhs.shape, eq.name


def test_v2_instantiated_is_the_mean_of_outer_products():
    dZ = sp.ImmutableMatrix(sp.symbols("d11 d12 d21 d22")).reshape(2, 2)
    A = sp.ImmutableMatrix(sp.symbols("a11 a12 a21 a22 a31 a32")).reshape(3, 2)
    from symbp.backprop import _A_prev, _dZ, m

    dW = EQUATIONS["V2"].instantiate({_dZ: dZ, _A_prev: A, m: 2})
    assert dW.shape == (2, 3)
    assert sp.expand(dW[1, 2] - (dZ[1, 0] * A[2, 0] + dZ[1, 1] * A[2, 1]) / 2) == 0


@pytest.mark.parametrize("form", ["per_example", "vectorized"])
def test_gradients_cover_every_parameter_with_its_layer_deltas(form):
    spec = NetworkSpec((3, 2, 2), ("tanh", "softmax"), "cross_entropy", 2)
    hg = hand_gradients(spec, form)
    s = network_symbols(spec.widths, spec.batch)
    assert set(hg.gradients) == set(s.parameter_symbols())
    assert hg.deltas[2].shape == (2, 2) and hg.deltas[1].shape == (2, 2)
    # dC/db^[1]_1 is the batch mean of delta^[1]_1.
    b = s.b[1][0, 0]
    assert sp.expand(hg.gradients[b] - (hg.deltas[1][0, 0] + hg.deltas[1][0, 1]) / 2) == 0
    # Softmax output goes through the Jacobian, hidden tanh through 1 - a^2.
    names = {name for _, name in hg.equations}
    assert ("BP1s" if form == "per_example" else "V1s") in names


def test_hand_side_never_differentiates():
    import symbp.backprop as backprop_module
    import inspect

    source = inspect.getsource(backprop_module)
    assert "diff(" not in source and "import autodiff" not in source and "from .autodiff" not in source
