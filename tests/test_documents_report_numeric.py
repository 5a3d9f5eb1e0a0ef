"""'Correct on numeric evidence only' is a flag carried from the comparison to the result, not words in a reason."""

from __future__ import annotations

import pytest

import symbp.documents.compare as compare
import symbp.documents.printed as printed
from symbp.documents.examples import verify_claims
from symbp.documents.report import Report, Result, summary


@pytest.mark.parametrize("reason, numeric, counted", [
    ("equal at 3 points (numeric evidence only)", True, True),
    ("equal at 3 points (numeric evidence only)", False, False),  # the words alone do not count
    ("proved exactly", True, True),  # the flag alone does
])
def test_the_summary_counts_the_flag_not_the_words(reason, numeric, counted):
    result = Result(1, "a = b", "correct", reason=reason, numeric=numeric)
    assert result.numeric_only is counted
    assert ("on numeric evidence only" in summary(Report("doc.md", [result]))) is counted


def test_a_wrong_result_is_never_counted_as_numeric_evidence():
    assert not Result(1, "a = b", "wrong", numeric=True).numeric_only


def test_the_flag_comes_from_an_identity_that_was_not_proved(monkeypatch):
    claims = [(r"\frac{dh}{dx} = 2 x", "derivative"), (r"\frac{dh}{dx} = x + x = 2 x", "derivative")]
    kwargs = dict(network=None, notation={"x": "free"}, definitions=["h = x^{2}"])
    assert not any(r.numeric_only for r in verify_claims(*claims, **kwargs))
    monkeypatch.setattr(compare, "prove_entry", lambda *args, **kwargs: False)  # as if every proof ran out of time
    two_sides, chain = verify_claims(*claims, **kwargs)
    assert two_sides.numeric_only and two_sides.reason.endswith(compare.NUMERIC_EVIDENCE)
    assert chain.numeric_only and chain.reason.count(compare.NUMERIC_EVIDENCE) == 2


def test_the_flag_comes_from_a_whole_number_not_proved_at_the_example(monkeypatch):
    [proved] = verify_claims(("y = 1", "numeric"))
    assert (proved.verdict, proved.numeric_only) == ("correct", False)
    monkeypatch.setattr(printed, "exactly_at_example", lambda *args, **kwargs: False)  # as if no proof were found
    [result] = verify_claims(("y = 1", "numeric"))
    assert (result.verdict, result.numeric_only) == ("correct", True)
    assert result.reason == ("equal to 1 to 25 digits at the example's numbers; not proved exactly (numeric evidence "
                             "only)")
