"""The exact check over many architectures, both engines, and what a mismatch looks like."""

from __future__ import annotations

import pytest

import symbp
from symbp.check import check
from symbp.rules import RuleSet, make_activation, make_cost
from symbp.spec import NetworkSpec

from .cases import architectures

CASES = architectures()


@pytest.mark.parametrize(("widths", "activations", "cost", "batch"), CASES, ids=[
    f"{'-'.join(map(str, w))}_{'-'.join(a)}_{c}_m{m}" for w, a, c, m in CASES])
def test_reverse_mode_equals_the_equations_exactly(widths, activations, cost, batch):
    report = check(NetworkSpec(widths, activations, cost, batch))
    assert report.ok, report.summary()
    assert {p.status for p in report.parameters} == {"proved"}
    assert len(report.parameters) == 2 * NetworkSpec(widths, activations, cost, batch).parameter_count


SMALL = [c for c in CASES if sum(c[0]) <= 7 and len(c[0]) <= 3][:6]


@pytest.mark.parametrize(("widths", "activations", "cost", "batch"), SMALL)
def test_both_engines_agree_exactly(widths, activations, cost, batch):
    report = check(NetworkSpec(widths, activations, cost, batch), engine="both", forms=("vectorized",))
    assert report.engines_agree is not None and report.engines_agree.proved, report.engines_agree
    assert report.ok


def test_every_activation_and_cost_is_covered_by_the_cases():
    used_acts = {a for _, acts, _, _ in CASES for a in acts}
    used_costs = {c for _, _, c, _ in CASES}
    assert used_acts == {"linear", "sigmoid", "tanh", "relu", "leaky_relu", "softmax"}
    assert used_costs == {"half_sse", "sse", "mse", "mae", "binary_cross_entropy", "cross_entropy"}
    assert {len(w) - 1 for w, _, _, _ in CASES} == {1, 2, 3, 4}
    assert {m for _, _, _, m in CASES} == {1, 2, 3}


def _wrong_swish_network():
    wrong = make_activation("swish_wrong", "z * sigmoid(z)", "sigmoid(z) + z * sigmoid(z)")
    return NetworkSpec((2, 2, 1), ("swish_wrong", "sigmoid"), "half_sse", 2, rules=RuleSet({"swish_wrong": wrong}))


def test_a_wrong_user_derivative_is_refuted_with_difference_and_point():
    report = check(_wrong_swish_network())
    assert not report.ok
    rule = next(r for r in report.rules if r.name == "swish_wrong")
    assert rule.verdict.status == "refuted" and rule.verdict.point
    refuted_layers = {p.layer for p in report.parameters if p.status == "refuted"}
    assert refuted_layers == {1}  # the output layer uses sigmoid and stays proved
    assert all(p.status == "proved" for p in report.parameters if p.layer == 2)
    bad = [d for d in report.deltas if d.layer == 1]
    assert all(d.verdict.status == "refuted" and d.verdict.point for d in bad)
    wrong = report.failures()[0]
    assert wrong.automatic_value != wrong.hand_value
    text = report.summary()
    assert "MISMATCH" in text and "difference (automatic - hand)" in text and "non-zero at" in text


def test_a_wrong_cost_gradient_is_refuted_at_the_output():
    wrong = make_cost("half_sse_twice", "(a - y)^2/2", "2*(a - y)")  # the 2 versus 1/2 mistake
    spec = NetworkSpec((2, 1), ("sigmoid",), "half_sse_twice", rules=RuleSet(local_costs={"half_sse_twice": wrong}))
    report = check(spec)
    assert not report.ok
    assert all(p.status == "refuted" for p in report.parameters)


def test_report_says_how_equality_was_established():
    report = symbp.Network([2, 2], ["sigmoid"], "half_sse").check()
    assert "rational-function identity" in report.method and "no floating point" in report.method
    data = report.to_dict()
    assert data["ok"] is True and data["network"]["parameters"] == 6


# ----- Kinks: max(z, 0) has no derivative at 0; SymPy says 1/2 there, a hand rule step(z) says 0 -----
KINKED = [
    ("max(z, 0)", "step(z)", True),
    ("min(z, 0)", "1 - step(z)", True),
    ("max(z, 0)", "step(-z)", False),  # wrong on a whole half-line, not only at the kink
    ("max(z, 0) + min(z, 0)/10", "step(z) + (1 - step(z))/10", True),  # leaky ReLU written with max and min
]


@pytest.mark.parametrize("forward, derivative, ok", KINKED, ids=[f"{f} | {d}" for f, d, _ in KINKED])
def test_rules_that_differ_only_at_a_kink_are_proved_away_from_it(forward, derivative, ok):
    rule = make_activation("kinked", forward, derivative)
    report = check(NetworkSpec((2, 2, 1), ("kinked", "sigmoid"), "half_sse", 2, rules=RuleSet({"kinked": rule})))
    assert report.ok is ok, report.summary()
    verdict = next(r for r in report.rules if r.name == "kinked").verdict
    text = " ".join(report.summary().split())
    if ok:
        assert verdict.proved and verdict.away_from_kinks
        assert "proved exactly wherever no step's argument is 0" in text  # the exception is stated, not hidden
    else:
        assert verdict.status == "refuted" and verdict.point  # a point away from the kink where they differ


def test_an_activation_without_kinks_claims_no_exception():
    report = symbp.Network([2, 2, 1], ["relu", "sigmoid"], "half_sse", batch=2).check()
    assert report.ok and not any(r.verdict.away_from_kinks for r in report.rules)
    assert "wherever" not in report.summary()


def test_the_json_report_marks_a_proof_away_from_kinks():
    rule = make_activation("kinked_json", "max(z, 0)", "step(z)")
    data = check(NetworkSpec((1, 1), ("kinked_json",), "half_sse", rules=RuleSet({"kinked_json": rule}))).to_dict()
    assert data["ok"] and next(r for r in data["rules"] if r["name"] == "kinked_json")["away_from_kinks"] is True



def _wrong_swish_report():
    rule = make_activation("swish", "z * sigmoid(z)", "sigmoid(z) + z * sigmoid(z)")  # wrong
    return check(NetworkSpec((2, 2, 1), ("swish", "sigmoid"), "half_sse", 1, rules=RuleSet({"swish": rule})))


def test_the_summary_has_no_trailing_spaces():
    # the layer table padded its last column with spaces to the end of every line
    for report in (_wrong_swish_report(), symbp.Network([2, 2, 1], ["tanh", "sigmoid"], "half_sse").check()):
        text = report.summary()
        assert "layer  parameters" in text
        assert [line for line in text.splitlines() if line != line.rstrip()] == []


def test_the_how_line_says_what_a_refutation_shows():
    # it promised "the point and both values"; a refuted identity shows its point and the difference there
    text = _wrong_swish_report().summary()
    assert "non-zero at z = " in text and "both values" not in text
    assert "the point and the value of the difference there" in " ".join(text.split())


def test_a_refuted_delta_is_shown_in_plain_text_names():
    text = check(_wrong_swish_network()).summary()
    delta = text[text.index("delta^[1]"):]
    assert "w[2]_11" in delta and "(dC/dz[2](1)_1)" in delta  # not w^{[2]}_{11} and \bar{z^{[2](1)}_{1}}
    assert "\\bar" not in delta and "^{" not in delta


def test_the_verdicts_of_the_rules_table_stay_in_one_column():
    import symbp

    symbp.register_activation("swish_column", "z*sigmoid(z)", "sigmoid(z) + z*sigmoid(z)*(1 - sigmoid(z))")
    lines = symbp.Network([2, 3, 1], ["swish_column", "sigmoid"], "half_sse").check().summary().splitlines()
    rows = [line for line in lines if line.startswith(("  activation", "  cost"))]
    assert len({line.rindex("proved") for line in rows}) == 1, rows  # a 43-character rule pushed its verdict out


def test_gradients_are_refuted_where_a_delta_was_refuted_far_out():
    """A Huber cost clipped at 20 with a wrong rule: its deltas are refuted only where |a - y| > 20, which the
    seeded point of the gradient check never reaches. Before, every gradient was 'unproven' under a refuted
    delta; now the check moves the biases so that z takes the delta's refuting value, and measures there."""
    from symbp.spec import parse_toml

    spec = parse_toml(
        'widths = [2, 2, 1]\nactivations = ["relu", "linear"]\ncost = "huber20"\nbatch = 1\n'
        '[custom_costs.huber20]\nloss = "min(abs(a - y), 20)^2 / 2 + 20*max(abs(a - y) - 20, 0)"\n'
        'derivative = "min(a - y, 20)"\n'
    )
    report = check(spec)
    status = {(p.form, p.name): p.status for p in report.parameters}
    assert status[("per_example", "b2[0][0]")] == status[("vectorized", "b2[0][0]")] == "refuted"
    assert "2 hand deltas refuted" in report.summary()
    unproven = [p for p in report.parameters if p.status == "unproven"]
    assert unproven and all("delta^[2] is refuted" in p.reason for p in unproven)  # a relu off there: said so
