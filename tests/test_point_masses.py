"""Point masses (DiracDelta, the derivative of a step or sign): taken out once, at an activation's fdiff,
and a proof that takes one as 0 says the identity holds away from the kinks."""

from __future__ import annotations

import json

import pytest
import sympy as sp

from symbp.check import check
from symbp.functions import define_function, unfold
from symbp.proof import prove_zero
from symbp.rules import RuleSet, make_activation, make_cost
from symbp.spec import NetworkSpec

z = sp.Symbol("z", real=True)

#: forward formula -> the derivative away from its kink (an independent oracle: written out by hand)
KINKED_FORMULAS = [
    ("pm_z_sign", lambda u: u * sp.sign(u), sp.sign(z)),
    ("pm_z_step", lambda u: u * sp.Heaviside(u, 0), sp.Heaviside(z, 0)),
    ("pm_step", lambda u: sp.Heaviside(u, 0), sp.S.Zero),
]


@pytest.mark.parametrize("name, formula, away", KINKED_FORMULAS, ids=[f[0] for f in KINKED_FORMULAS])
def test_an_activations_derivative_has_no_point_mass(name, formula, away):
    fn = define_function(name, formula)
    derivative = sp.diff(fn(z), z)
    assert not derivative.has(sp.DiracDelta)
    assert sp.expand(derivative - away) == 0
    assert sp.diff(unfold(fn(z)), z).has(sp.DiracDelta)  # SymPy's own derivative of the formula keeps it


def test_a_proof_that_takes_a_point_mass_as_0_says_it_holds_away_from_kinks():
    verdict = prove_zero(2 * z * sp.DiracDelta(z) + sp.sign(z) - sp.sign(z))
    assert verdict.proved and verdict.away_from_kinks and "DiracDelta as 0" in verdict.method
    assert not prove_zero(sp.sign(z) - sp.sign(z)).away_from_kinks
    assert prove_zero(sp.DiracDelta(z) + 1).status == "refuted"  # 1 is not 0 away from the kink either


def _summary_words(report) -> str:
    return " ".join(report.summary().split())


def test_an_activation_written_with_sign_is_proved_away_from_its_kink():
    rule = make_activation("pm_abs", "z*sign(z)", "sign(z)")
    report = check(NetworkSpec((1, 1, 1), ("pm_abs", "sigmoid"), "half_sse", rules=RuleSet({"pm_abs": rule})))
    verdict = next(r for r in report.rules if r.name == "pm_abs").verdict
    assert report.ok and verdict.proved and verdict.away_from_kinks
    assert "proved exactly wherever no step's argument is 0" in _summary_words(report)
    assert json.loads(json.dumps(report.to_dict()))["rules"][0]["away_from_kinks"] is True


def test_a_wrong_rule_for_a_step_is_still_refuted():
    rule = make_activation("pm_step_wrong", "step(z)", "1")  # the step's derivative is 0 away from its kink, not 1
    report = check(NetworkSpec((1, 1), ("pm_step_wrong",), "half_sse", rules=RuleSet({"pm_step_wrong": rule})))
    assert not report.ok
    assert next(r for r in report.rules if r.name == "pm_step_wrong").verdict.status == "refuted"


def test_a_cost_written_with_sign_is_proved_away_from_its_kink():
    cost = make_cost("pm_abs_cost", "(a - y)*sign(a - y)", "sign(a - y)")
    spec = NetworkSpec((1, 1), ("sigmoid",), "pm_abs_cost", batch=2, rules=RuleSet(local_costs={"pm_abs_cost": cost}))
    report = check(spec)
    assert report.ok and next(r for r in report.rules if r.kind == "cost").verdict.away_from_kinks
    assert "proved exactly wherever no step's argument is 0" in _summary_words(report)
