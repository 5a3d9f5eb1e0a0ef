"""'Away from kinks' is said exactly where a proof needed it: check (text and JSON), derive, derive --matrix.

Before, check's JSON had no such flag for the report (only per rule), derive --matrix and derive wrote
'exactly' and nothing else, and derive stopped ('not proved') on a network with max(z, 0) at its output.
"""

from __future__ import annotations

import json

import pytest
import sympy as sp

from symbp.check import check
from symbp.derivation import derive
from symbp.matrixcheck import check_matrix
from symbp.rules import RuleSet, make_activation, make_cost
from symbp.spec import Example, NetworkSpec

RULES = RuleSet(
    {
        "kw_max": make_activation("kw_max", "max(z, 0)", "step(z)"),  # SymPy: H(z) = 1/2 at 0; the rule: 0
        "kw_abs": make_activation("kw_abs", "abs(z)", "sign(z)"),  # SymPy's |z|' is sign(z), equal at 0 too
        "kw_clip": make_activation("kw_clip", "min(max(z, 0), 1)", "step(z)*step(1 - z)"),
        "kw_step": make_activation("kw_step", "step(z)", "0"),  # SymPy's derivative: DiracDelta(z)
    },
    {"kw_signed": make_cost("kw_signed", "(a - y)*sign(a - y)", "sign(a - y)")},  # a point mass in SymPy's diff
)

#: (activations, cost) of a [1, 2, 1] network -> whether some proof holds only away from kinks
CASES = [
    (("kw_max", "sigmoid"), "half_sse", True),
    (("tanh", "kw_max"), "half_sse", True),
    (("kw_clip", "sigmoid"), "half_sse", True),
    (("kw_step", "sigmoid"), "half_sse", True),
    (("sigmoid", "linear"), "kw_signed", True),
    (("kw_abs", "sigmoid"), "half_sse", False),
    (("sigmoid", "sigmoid"), "half_sse", False),
]
IDS = ["-".join(acts) + "-" + cost for acts, cost, _ in CASES]
KINK_WORDS = "wherever no step's argument is 0"


def _spec(acts, cost):
    return NetworkSpec((1, 2, 1), acts, cost, rules=RULES)


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("acts, cost, kinked", CASES, ids=IDS)
def test_check_says_away_from_kinks_in_text_and_json_exactly_when_a_proof_needed_it(acts, cost, kinked):
    report = check(_spec(acts, cost))
    data = json.loads(json.dumps(report.to_dict()))
    ok_line = _words(report.summary().split("\nhow:")[0]).split("OK: ")[-1]
    assert report.ok and data["ok"]
    assert report.away_from_kinks is kinked and data["away_from_kinks"] is kinked
    assert (KINK_WORDS in ok_line) is kinked


@pytest.mark.parametrize("acts, cost, kinked", CASES, ids=IDS)
def test_derive_says_away_from_kinks_exactly_when_a_proof_needed_it(acts, cost, kinked):
    text = _words(derive(_spec(acts, cost)).markdown())
    assert ("some of them hold only " + KINK_WORDS in text) is kinked
    assert ("equal to these equations, exactly " + KINK_WORDS in text) is kinked
    assert ("equal to these equations, exactly." in text) is not kinked


@pytest.mark.parametrize("acts, cost, kinked", CASES, ids=IDS)
def test_the_matrix_check_says_away_from_kinks_where_g_prime_needed_it(acts, cost, kinked):
    """As check does: a point mass the matrix calculus took as 0 (a step's, a loss with sign) counts too."""
    report = check_matrix(_spec(acts, cost), instances=[((1, 2, 1), 2)])
    assert report.ok and report.away_from_kinks is kinked
    assert (KINK_WORDS in report.summary()) is kinked


@pytest.mark.parametrize("x, at_kink", [(0, True), (1, False)])
def test_a_worked_example_at_a_kink_says_which_value_it_uses(x, at_kink):
    """At z = 0, max(z, 0)'s rule [z > 0] is 0 and the autodiff's H(0) is 1/2: derive wrote '[0 > 0] = 0.5'."""
    one = sp.Matrix([[1]])
    example = Example({"W1": one, "b1": sp.Matrix([[0]]), "W2": one, "b2": sp.Matrix([[0]])},
                      X=sp.Matrix([x]), Y=sp.Matrix([1]), learning_rate=sp.S.One)
    derivation = derive(NetworkSpec((1, 1, 1), ("kw_max", "sigmoid"), "half_sse", rules=RULES, example=example))
    text = _words(derivation.markdown())
    assert ("is at a kink" in text) is at_kink
    a, z = sp.Symbol("a^{[1]}_{1}", real=True), sp.Symbol("z^{[1]}_{1}", real=True)
    worked = [row for row in derivation.rows() if row.lhs == sp.Derivative(a, z)][-1]
    assert float(worked.links[-1].expr) == (0.5 if at_kink else 1)  # the autodiff's, as the generated code has it
    assert (len(worked.links) == 1) is at_kink  # not '= [z > 0] = [0 > 0] = 0.5'
