"""Exact rewrites of scalar formulas (symbp.rewrites): each result is checked equal to its input."""

from __future__ import annotations

import pytest
import sympy as sp

from symbp.functions import relu, sigmoid, unfold
from symbp.rewrites import log_sigmoid, output_form, stabilize

z, a, u, y = sp.symbols("z a u y", real=True)


@pytest.mark.parametrize(
    "forward, expected",
    [(sigmoid(z), a * (1 - a)), (sp.tanh(z), 1 - a**2), (sp.exp(z), a), (relu(z), None)],
)
def test_output_form_of_the_derivative(forward, expected):
    form = output_form(sp.diff(forward, z), forward, z, a)
    assert (form is None and expected is None) or sp.expand(form - expected) == 0


def test_stabilized_cost_is_the_same_function():
    loss = -(y * sp.log(sigmoid(u)) + (1 - y) * sp.log(1 - sigmoid(u)))
    stable = stabilize(loss, {})
    assert stable.has(log_sigmoid) and not stable.has(sp.log)
    as_logs = stable.replace(log_sigmoid, lambda v: sp.log(sigmoid(v)))
    point = {u: sp.Rational(-7, 3), y: sp.Rational(1, 4)}
    assert abs(sp.N(unfold(as_logs - loss).xreplace(point), 40)) < 1e-35


def test_sigmoid_derivative_is_refolded_inside_a_product():
    swish_prime = sp.diff(z * unfold(sigmoid(z)), z)  # z exp(-z)/(1 + exp(-z))**2 + 1/(1 + exp(-z))
    stable = stabilize(swish_prime, {})
    assert not stable.has(sp.exp) and sp.simplify(unfold(stable) - swish_prime) == 0
