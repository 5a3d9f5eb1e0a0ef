"""numbers.agrees: the one test of "equal" between computed values, and the comparisons that use it."""

from __future__ import annotations

import pytest
import sympy as sp

from symbp.documents.examples import verify_claims
from symbp.documents.numbers import AGREED_DIGITS, agrees

BIG = 2 * sp.Integer(10) ** 27


@pytest.mark.parametrize("x, y, equal", [
    (sp.Float("0.731059", 40), sp.Float("0.731059", 40) + sp.Float("1e-27", 40), True),  # below 25 digits
    (sp.Float("0.731059", 40), sp.Float("0.731059", 40) + sp.Float("1e-23", 40), False),
    (sp.Integer(0), sp.Float("1e-26", 40), True),  # near 0 the tolerance is absolute
    (sp.Integer(0), sp.Float("1e-24", 40), False),
    (BIG, BIG + 1, True),  # relative to the reference's size
    (sp.Integer(1), BIG, False),
    (sp.sqrt(2), sp.sqrt(2).evalf(40), True),  # exact against evaluated
])
def test_agrees_to_25_significant_digits(x, y, equal):
    assert AGREED_DIGITS == 25
    assert agrees(x, y) is equal


def test_fewer_digits_are_looser():
    x, y = sp.Float("0.731059", 40), sp.Float("0.7310590000000000000001", 40)
    assert not agrees(x, y, digits=25) and agrees(x, y, digits=20)


def test_exact_arithmetic_without_an_interval_is_compared_absolutely():
    # ReLU has no interval (a Piecewise): the two sides are compared exactly, and a difference of 1 in 28 digits
    # is a difference, however large the numbers
    relu = {r"\operatorname{ReLU}": "relu"}
    same, off = verify_claims(
        (r"\operatorname{ReLU}(2000000000000000000000000000.0) = \operatorname{ReLU}(2000000000000000000000000000.0)",
         "numeric"),
        (r"\operatorname{ReLU}(2000000000000000000000000000.0) = 2000000000000000000000000000.0 + 1", "numeric"),
        network=None, notation=relu)
    assert same.verdict == "correct"
    assert (off.verdict, off.reason) == ("wrong", "2000000000000000000000000000 is not 2000000000000000000000000001")
