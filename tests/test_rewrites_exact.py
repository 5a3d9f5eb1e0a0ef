"""rewrites.output_form uses a form in the output ``a`` only when an exact proof says it is g'(z) for every z."""

from __future__ import annotations

import pytest
import sympy as sp

from symbp import rewrites
from symbp.functions import define_function, sigmoid
from symbp.proof import Verdict, prove_zero

z, a = sp.symbols("z a", real=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    rewrites.output_form.cache_clear()
    yield
    rewrites.output_form.cache_clear()


@pytest.mark.parametrize("forward", [sigmoid(z), sp.atan(z), sp.asinh(z)], ids=str)
def test_a_solved_form_is_proved_equal_to_the_derivative(forward):
    form = rewrites.output_form(sp.diff(forward, z), forward, z, a)
    assert form is not None and not form.has(z)
    assert prove_zero(form.xreplace({a: forward}) - sp.diff(forward, z)).proved  # the oracle: prove it again


def test_a_form_that_is_not_proved_is_refused_not_checked_numerically(monkeypatch):
    # sigmoid' = a (1 - a) holds, and agrees at any sample point; without a proof it must still be refused
    monkeypatch.setattr(rewrites, "prove_zero", lambda expr, **kw: Verdict("unproven", "no proof (test double)"))
    assert rewrites.output_form(sp.diff(sigmoid(z), z), sigmoid(z), z, a) is None


def test_a_wrong_branch_of_the_inverse_is_refused():
    cube = define_function("rw_cube", lambda u: u**3)  # a = z^3; solve's principal cube root is wrong for z < 0
    assert rewrites.output_form(sp.diff(cube(z), z), cube(z), z, a) is None
