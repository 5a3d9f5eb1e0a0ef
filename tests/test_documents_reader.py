"""Tests of the LaTeX reader: latex2sympy2's known traps, the normalising layer, errors with positions."""

from __future__ import annotations

import pytest
import sympy as sp

from symbp.documents.reader import LatexParseError, TimeLimit, atoms, canonical, parse_equation, parse_latex, read
from symbp.functions import sigmoid
from symbp.proof import prove_zero

n, m = sp.symbols("n m", integer=True, positive=True)
W = sp.MatrixSymbol("W", n, n)
x = sp.MatrixSymbol("x", n, 1)


def S(name):
    return sp.Symbol(name, real=True)


# ----- latex2sympy2 1.9.1's traps (each read correctly here) -----
def test_layer_superscript_is_part_of_the_name_not_a_power():
    # latex2sympy2 alone: w_{jk}**2
    assert parse_latex(r"w^{[2]}_{jk}") == S("w^{[2]}_{jk}")
    assert parse_latex(r"w_{jk}^{[2]}") == S("w^{[2]}_{jk}")  # either order, one canonical name
    assert parse_latex(r"a^{(L)}_{j}") == S("a^{(L)}_{j}")
    assert parse_latex(r"\delta^{l+1}_{k}") == S(r"\delta^{l+1}_{k}")


def test_sigma_and_sigma_prime_are_function_calls_not_products():
    z = S("z")
    assert parse_latex(r"\sigma(z)") == sigmoid(z)  # latex2sympy2 alone: a function named \sigma, or sigma*z
    assert prove_zero(parse_latex(r"\sigma'(z)") - sigmoid(z) * (1 - sigmoid(z))).proved
    assert parse_latex(r"\sigma(z)'") == parse_latex(r"\sigma'(z)")  # a prime after the call


def test_transpose_is_kept():
    # latex2sympy2 alone drops the T of W^T
    for text in (r"W^T x", r"W^{T} x", r"W^{\top} x"):
        assert parse_latex(text, {"W": W, "x": x}) == W.T * x
    A = sp.MatrixSymbol("A^{[l-1]}", n, m)
    assert parse_latex(r"A^{[l-1]T}", {"A^{[l-1]}": A}) == A.T


def test_log_is_the_natural_logarithm():
    # latex2sympy2 alone: log(x, 10)
    assert parse_latex(r"\log(x)") == sp.log(S("x"))
    assert parse_latex(r"\log x") == sp.log(S("x"))
    assert parse_latex(r"log(x)") == sp.log(S("x"))


def test_an_equation_keeps_both_sides():
    # latex2sympy2 alone returns only the right-hand side of a = b
    assert parse_equation(r"a = b") == [S("a"), S("b")]
    with pytest.raises(LatexParseError, match="use parse_equation"):
        parse_latex(r"a = b")


# ----- The normalising layer -----
CASES = [
    (r"\frac{1}{m} \cdot a * b", S("a") * S("b") / S("m")),
    (r"\hat{y}_1(1 - \hat{y}_1)", S(r"\hat{y}_{1}") * (1 - S(r"\hat{y}_{1}"))),  # a product, not a call
    (r"-2(y_1 - \hat{y}_1)", -2 * (S("y_{1}") - S(r"\hat{y}_{1}"))),
    (r"e^{-(a_{21} - a_{22})}", sp.exp(-(S("a_{21}") - S("a_{22}")))),
    (r"\text{sigmoid}(u)", sigmoid(S("u"))),
    (r"\mathbf{x}", S("x")),
    (r"\left(\frac{a}{b}\right)^{2}", (S("a") / S("b")) ** 2),
    (r"[2.9 \quad 1.4]", sp.ImmutableMatrix([[sp.Rational(29, 10), sp.Rational(7, 5)]])),
    (r"\begin{bmatrix} 1 & 0 \\ 0 & 1 \end{bmatrix}", sp.ImmutableMatrix.eye(2)),
    (r"-6.4 \times 10^{-3}", sp.Rational(-64, 10000)),
    (r"\frac{\partial L}{\partial w_{212}}", sp.Derivative(S("L"), S("w_{212}"))),
    (r"\frac{\mathrm{d} C}{\mathrm{d} w}", sp.Derivative(S("C"), S("w"))),
    (r"\frac{dC}{dw}", sp.Derivative(S("C"), S("w"))),
    (r"\nabla_{a} C", sp.Derivative(S("C"), S("a"))),
    (r"\frac{\partial}{\partial y}[(y - x)^2]", sp.Derivative((S("y") - S("x")) ** 2, S("y"))),
    (r"dZ_l", S("dZ_{l}")),
    (r"\Delta w_{111}", S(r"\Delta w_{111}")),
]


@pytest.mark.parametrize("text, expected", CASES, ids=[c[0] for c in CASES])
def test_normalised_reading(text, expected):
    assert parse_latex(text) == expected


def test_hadamard_products_and_ordered_matrix_products():
    A, B = sp.MatrixSymbol("A", n, n), sp.MatrixSymbol("B", n, n)
    for op in (r"\odot", r"\otimes", r"\circ"):
        assert parse_latex(rf"A {op} B", {"A": A, "B": B}) == sp.HadamardProduct(A, B)
    assert parse_latex(r"B A", {"A": A, "B": B}) == B * A  # order kept
    assert parse_latex(r"A^T B \odot A", {"A": A, "B": B}) == sp.HadamardProduct(A.T * B, A)


def test_np_sum_axis():
    A = sp.ImmutableMatrix([[1, 2], [3, 4]])
    assert parse_latex(r"np.sum(A, axis=1, keepdims=True)", {"A": A}) == sp.ImmutableMatrix([3, 7])
    assert parse_latex(r"np.sum(A,\text{axis=0, keepdims=True})", {"A": A}) == sp.ImmutableMatrix([[4, 6]])


def test_align_rows_continue_a_chain():
    r = read("\\begin{align}\nz & = a + b \\\\\n  & = c\n\\end{align}")
    assert len(r.chains) == 1 and len(r.chains[0]) == 3


def test_canonical_names_and_atoms():
    assert canonical(r"\hat{y}_1") == canonical(r"\hat{y}_{1}") == r"\hat{y}_{1}"
    assert atoms(r"\delta^{l} = (w^{l+1})^{T} \delta^{l+1} \odot \sigma'(z^{l})") == [
        r"\delta^{l}", "w^{l+1}", r"\delta^{l+1}", r"\sigma'", "z^{l}"]


# ----- Errors name what and where -----
BAD = [
    (r"\frac{1}{2}(y - \hat{y}", "unbalanced '('", 12),
    (r"a + \frac{\partial C}{\partial}", "nothing after the 'd'", 5),
    (r"x \le 3", "a relation", 3),
    (r"a_{1} + \dots + b_{n}", "elided terms", 1),
    (r"\partial C", r"'\partial' outside a fraction", 1),
    (r"np.mean(x)", "unsupported NumPy function np.mean", 1),
]


@pytest.mark.parametrize("text, message, column", BAD, ids=[b[1] for b in BAD])
def test_malformed_latex_says_what_and_where(text, message, column):
    with pytest.raises(LatexParseError) as info:
        parse_latex(text)
    assert message in str(info.value)
    assert info.value.position == column


def test_parsing_is_bounded_in_time():
    deep = "(" * 400 + "x" + ")" * 400
    with pytest.raises((TimeLimit, LatexParseError)):
        parse_latex(deep + " + " + deep, seconds=0.5)
