"""What the lowering does to the derived program (symbp.lowering): each rewrite, on the plans it produces."""

from __future__ import annotations

import pytest
import sympy as sp

from symbp.lowering import element, lower, padding
from symbp.spec import NetworkSpec


def statements(widths, activations, cost, purpose="gradients"):
    return {s.target: s for s in lower(NetworkSpec(widths, activations, cost), purpose).statements if s.kind != "scale"}


def test_sigmoid_with_binary_cross_entropy_fuses_to_a_minus_y():
    plan = statements((3, 4, 1), ("relu", "sigmoid"), "binary_cross_entropy")
    assert plan["dZ2"].expr == element("A2") - element("Y")  # no division by a(1 - a)
    assert "dA2" not in plan  # fused, never an array


def test_softmax_with_cross_entropy_never_divides_by_a_probability():
    plan = statements((3, 4, 3), ("sigmoid", "softmax"), "cross_entropy")
    assert "A2" not in plan and "dA2" not in plan
    for s in plan.values():
        if s.kind in ("map", "reduce"):
            for power in s.expr.atoms(sp.Pow):
                assert not (power.exp.is_negative and power.base in (element("E2"), element("A2"))), s
    assert plan["E2_max"].kind == "max"  # the shift


def test_stored_activation_replaces_z_in_the_derivative():
    plan = statements((3, 4, 2), ("sigmoid", "tanh"), "sse")
    assert not plan["dZ1"].expr.has(element("Z1")) and plan["dZ1"].expr.has(element("A1"))
    relu_plan = statements((3, 4, 2), ("relu", "linear"), "sse")
    assert relu_plan["dZ1"].expr.has(element("Z1"))  # not invertible: Z is kept


def test_the_mean_is_applied_once():
    plan = lower(NetworkSpec((3, 4, 4, 2), ("tanh", "tanh", "softmax"), "sse"))
    scales = [s for s in plan.statements if s.kind == "scale"]
    assert [s.target for s in scales] == ["dZ3"] and scales[0].expr == 1 / sp.Symbol("m", integer=True, positive=True)


@pytest.mark.parametrize(
    "widths, activations, cost, function",
    [((3, 1), ("sigmoid",), "binary_cross_entropy", "log_sigmoid"), ((3, 2), ("softmax",), "cross_entropy", None)],
)
def test_the_cost_takes_logs_of_logits(widths, activations, cost, function):
    total = [s for s in lower(NetworkSpec(widths, activations, cost), "cost").statements if s.kind == "total"][0]
    assert not any(isinstance(f, sp.log) and f.args[0].has(element("A1"), element("E1")) for f in total.expr.atoms(sp.Function))
    if function:
        assert any(type(f).__name__ == function for f in total.expr.atoms(sp.Function))


@pytest.mark.parametrize(
    "rows, other, expected",
    [
        (30, 784, (32, 84)),  # 30 % 8 = 6: two zero rows, from m = 2**16 / 784 on
        (27, 784, (28, 84)),  # the next multiple of 4, not of 8
        (29, 784, (32, 84)),
        (31, 100, (32, 656)),
        (126, 784, (128, 252)),  # m >= 2 rows
        (30, 64, (32, 1024)),
        (30, 63, None),  # the operand that is not copied is too small
        (32, 784, None),
        (28, 784, None),
        (26, 784, None),  # 8 + 8 + 8 + 2: the 2-row kernel costs what a 4-row block would
        (25, 784, None),
        (10, 784, None),
    ],
)
def test_padding_rule(rows, other, expected):
    assert padding(rows, other) == expected


def test_the_thin_products_are_marked_for_padding_and_no_others():
    plan = statements((784, 30, 10), ("sigmoid", "softmax"), "cross_entropy")
    padded = {s.target: s.pad for s in plan.values() if s.kind == "linear" and s.pad}
    assert padded == {"Z1": (30, 32, 84), "dW1": (30, 32, 84)}  # W1 X and dZ1 X^T; never the 10-row products
    single = lower(NetworkSpec((784, 30, 10), ("sigmoid", "softmax"), "cross_entropy"), dtype="float32")
    assert {s.target: s.pad for s in single.statements if s.kind == "linear" and s.pad} == {"Z1": (30, 32, 335), "dW1": (30, 32, 335)}
    wide = statements((784, 256, 256, 10), ("sigmoid", "sigmoid", "softmax"), "cross_entropy")
    assert not any(s.pad for s in wide.values())
    # the third size of dW^{[2]} = dZ^{[2]} A^{[1]T} is n_1 = 30 < 64: not padded even with 30 rows
    assert not statements((784, 30, 30, 10), ("sigmoid", "sigmoid", "softmax"), "cross_entropy")["dW2"].pad
