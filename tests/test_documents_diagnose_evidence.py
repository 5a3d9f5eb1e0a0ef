"""A diagnosis must be evidence, not chance: adversarial claims that the catalogue explained wrongly.

Each case was reproduced on the tutorial-style claims of a review (random wrong numbers, planted mistakes) and
given a confident diagnosis that was not true; each test fails before the fix it names and passes after. Numbers
of ONE_UNIT (w = 0.5, b = 0, x = 2, y = 1, sigmoid, (a - y)^2 / 2, learning rate 0.1), by hand: a = 0.731059,
dL/db = (a - y) a (1 - a) = -0.052877, dL/dw = 2 dL/db = -0.105754, the update 0.5 + 0.0105754 = 0.510575.
"""

from __future__ import annotations

import pytest

from symbp.documents.examples import ONE_UNIT, verify_claims

DW = r"\frac{\partial L}{\partial w}"


def test_verify_claims_takes_a_notation_key_with_a_prime_inside():
    # the key was written as a TOML multi-line string, which TOML does not allow as a key: a ClaimsError
    [result] = verify_claims((r"g'^{[1]}(z) = \hat{y}(1 - \hat{y})", "identity"),
                             notation={"z": "Z[1][0]", r"\hat{y}": "A[1][0]", "g'^{[l]}": "g'[l]"})
    assert result.verdict == "correct", result.reason
