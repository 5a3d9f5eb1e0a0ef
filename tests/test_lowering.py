"""What the lowering does to the derived program (symbp.lowering): each rewrite, on the plans it produces."""

from __future__ import annotations

import pytest
import sympy as sp

from symbp.lowering import element, lower
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
