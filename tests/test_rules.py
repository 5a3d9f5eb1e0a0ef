"""The rule tables: every hand-derived derivative against SymPy's derivative of its formula."""

from __future__ import annotations

import pytest
import sympy as sp

import symbp
from symbp.check import check_rules
from symbp.errors import SpecError
from symbp.proof import prove_zero
from symbp.rules import A, ACTIVATIONS, COSTS, N, Y, Z, make_activation, make_cost
from symbp.spec import NetworkSpec

ELEMENTWISE = [name for name, rule in ACTIVATIONS.items() if rule.kind == "elementwise" and name in
               ("linear", "sigmoid", "tanh", "relu", "leaky_relu")]


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_activation_rule_matches_sympy(name):
    rule = ACTIVATIONS[name]
    forward = rule.apply([Z])[0]
    verdict = prove_zero(sp.diff(forward, Z) - rule.hand_derivative(Z, forward))
    assert verdict.proved, verdict


@pytest.mark.parametrize("n", [2, 3, 4])
def test_softmax_jacobian_matches_sympy(n):
    rule = ACTIVATIONS["softmax"]
    zs = sp.symbols(f"z1:{n + 1}", real=True)
    a = rule.apply(zs)
    assert all(
        prove_zero(sp.diff(a[i], zs[j]) - rule.hand_jacobian(a)[i, j]).proved for i in range(n) for j in range(n)
    )


@pytest.mark.parametrize("name", ["half_sse", "sse", "mse", "mae", "binary_cross_entropy", "cross_entropy"])
def test_cost_rule_matches_sympy(name):
    rule = COSTS[name]
    for n in (1, 3):
        verdict = prove_zero(sp.diff(rule.per_unit(A, Y, n), A) - rule.hand_gradient(A, Y, n))
        assert verdict.proved, verdict


def test_mse_averages_over_outputs_as_pytorch():
    assert COSTS["mse"].loss == (Y - A) ** 2 / N


def test_a_wrong_rule_is_refuted_with_a_point():
    rule = make_activation("wrong_sigmoid", "sigmoid(z)", "sigmoid(z)")  # forgot the (1 - sigma)
    spec = NetworkSpec((1, 1), ("wrong_sigmoid",), "half_sse", rules=symbp.rules.RuleSet({"wrong_sigmoid": rule}))
    result = next(r for r in check_rules(spec) if r.name == "wrong_sigmoid")
    assert result.verdict.status == "refuted"
    z0 = result.verdict.point[Z]
    auto = sp.diff(rule.apply([Z])[0], Z)
    hand = rule.hand_derivative(Z, rule.apply([Z])[0])
    assert abs(sp.N((auto - hand).subs(Z, z0), 30)) > 1e-6


def test_register_activation_and_cost():
    swish = symbp.register_activation(
        "swish_t", "z * sigmoid(z)", "sigmoid(z) * (1 + z * (1 - sigmoid(z)))", latex=r"\operatorname{swish}"
    )
    assert ACTIVATIONS["swish_t"] is swish
    with pytest.raises(SpecError, match="already registered"):
        symbp.register_activation("swish_t", "z", "1")
    quartic = symbp.register_cost("quartic_t", "(a - y)^4", "4*(a - y)^3")
    assert COSTS["quartic_t"] is quartic
    assert symbp.Network([2, 2, 1], ["swish_t", "sigmoid"], "quartic_t").check().ok


def test_python_sympy_expressions_are_matched_by_name():
    z, a = sp.symbols("z a")  # the user's own symbols, without assumptions
    rule = make_activation("softsign_t", z / (1 + sp.Abs(z)), 1 / (1 + sp.Abs(z)) ** 2)
    assert rule.derivative == 1 / (1 + sp.Abs(Z)) ** 2
    with pytest.raises(SpecError, match="unknown symbol"):
        make_activation("bad_t", sp.Symbol("q") * z, 1)


def test_gelu_with_a_custom_cost_in_a_network():
    gelu = make_activation("gelu_t", "z/2 * (1 + erf(z/sqrt(2)))", "(1 + erf(z/sqrt(2)))/2 + z*exp(-z^2/2)/sqrt(2*pi)")
    cost = make_cost("logcosh_t", "log(cosh(a - y))", "tanh(a - y)")
    rules = symbp.rules.RuleSet({"gelu_t": gelu}, {"logcosh_t": cost})
    net = symbp.Network.from_spec(NetworkSpec((2, 2, 1), ("gelu_t", "linear"), "logcosh_t", 2, rules=rules))
    assert net.check().ok
