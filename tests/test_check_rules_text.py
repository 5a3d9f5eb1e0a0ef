"""The hand rules as the check report writes them: text and JSON say the same, from the rules table."""

from __future__ import annotations

from symbp.check import check
from symbp.rules import ACTIVATIONS
from symbp.spec import NetworkSpec


def test_the_json_report_gives_the_softmax_jacobian_not_0():
    report = check(NetworkSpec((1, 2), ("softmax",), "cross_entropy"), forms=("vectorized",))
    softmax = next(r for r in report.to_dict()["rules"] if r["kind"] == "softmax")
    assert softmax["hand"] == "diag(a) - a a^T" == ACTIVATIONS["softmax"].derivative_text  # it said "0"
    assert softmax["hand"] in report.summary()


def test_the_json_report_gives_each_elementwise_and_cost_rule_as_the_summary_does():
    data = check(NetworkSpec((1, 1, 1), ("tanh", "sigmoid"), "half_sse"), forms=("vectorized",)).to_dict()
    assert [(r["name"], r["hand"]) for r in data["rules"]] == [
        ("tanh", "1 - a**2"), ("sigmoid", "a*(1 - a)"), ("half_sse", "a - y")]
