"""symbp.functions: SymPy functions with an explicit formula, as NumPy code sees them."""

from __future__ import annotations

import math

import sympy as sp

from symbp.functions import define_function


def test_a_sum_formula_prints_as_one_operand_in_numpy_code():
    # y - elu(z) printed as y - max(z, 0) + min(...) flipped the sign of the second term
    z, y = sp.symbols("z y", real=True)
    elu = define_function("elu_printing_test", lambda u: sp.Max(u, 0) + sp.Min(0, sp.exp(u) - 1))
    f = sp.lambdify((y, z), y - elu(z), "numpy")
    assert math.isclose(f(0.0, -1.0), 1 - math.exp(-1.0), rel_tol=1e-15)
    g = sp.lambdify((y, z), 2 * elu(z) ** 2, "numpy")
    assert math.isclose(g(0.0, -1.0), 2 * (math.exp(-1.0) - 1) ** 2, rel_tol=1e-15)
