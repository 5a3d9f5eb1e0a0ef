"""A cost written with sign or a step brings no point mass (DiracDelta) into the automatic side.

Its derivative is taken away from the kink at one place (functions.derivative), as an activation's is (its
fdiff). Before, autodiff and the matrix calculus kept 2 (a - y) DiracDelta(a - y) and `symbp derive` printed
dl/da = 2 (a - y) delta(a - y) + sign(a - y) for the loss (a - y) sign(a - y), with the delta of the errors.
"""

from __future__ import annotations

import sympy as sp

from symbp.autodiff import local_derivative
from symbp.derivation import derive
from symbp.matrixform import matrix_gradient
from symbp.rules import RuleSet, make_cost
from symbp.spec import NetworkSpec

RULES = RuleSet(local_costs={"pm_signed": make_cost("pm_signed", "(a - y)*sign(a - y)", "sign(a - y)")})


def test_a_cost_with_sign_brings_no_point_mass_into_autodiff_matrix_calculus_or_derive():
    a, y = sp.symbols("a y", real=True)
    assert local_derivative(sp.sign(a - y), 0) == 0  # SymPy's diff: 2 DiracDelta(a - y)
    spec = NetworkSpec((1, 2, 1), ("sigmoid", "linear"), "pm_signed", rules=RULES)
    mf, mg = matrix_gradient(spec)
    assert not any(expr.has(sp.DiracDelta) for _, expr in mg.adjoint)
    derivation = derive(spec)
    assert not any(e.has(sp.DiracDelta) for row in derivation.rows() for e in row.expressions())
    assert r"\delta\left(" not in derivation.markdown()
