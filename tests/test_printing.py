"""The LaTeX printer: golden strings for every convention it adds to SymPy's."""

from __future__ import annotations

import pytest
import sympy as sp

from symbp.functions import sigmoid
from symbp.printing import latex, latex_terms, ordered_product, ordered_sum, plain

n, m = sp.symbols("n m", integer=True, positive=True)
W = sp.MatrixSymbol("W^{[l]}", n, n)
dZ = sp.MatrixSymbol("dZ^{[l]}", n, m)
G = sp.MatrixSymbol("G", n, m)
A = sp.MatrixSymbol("A", n, m)
C, w, a, y, z, eta = sp.symbols("C w a y z eta", real=True)

GOLDEN = [
    ("hadamard", sp.HadamardProduct(dZ, G), r"dZ^{[l]} \odot G"),
    ("hadamard of a product gets parentheses", sp.HadamardProduct(W.T * dZ, G), r"\left({W^{[l]}}^{T} dZ^{[l]}\right) \odot G"),
    ("transpose of a superscripted symbol is braced", W.T, r"{W^{[l]}}^{T}"),
    ("transpose of a plain symbol", A.T, r"A^{T}"),
    ("transpose of a sum", sp.Transpose(dZ + G), r"\left(G + dZ^{[l]}\right)^{T}"),
    ("derivative of a named quantity", sp.Derivative(C, w), r"\frac{\partial C}{\partial w}"),
    ("LaTeX symbol names are verbatim", sp.Symbol("w^{[2]}_{12}") * 2, r"2 w^{[2]}_{12}"),
    ("chain rule in the order written", ordered_product(sp.Derivative(C, a), sp.Derivative(a, z), sp.Derivative(z, w)),
     r"\frac{\partial C}{\partial a} \frac{\partial a}{\partial z} \frac{\partial z}{\partial w}"),
    ("update in the order written", ordered_sum(w, ordered_product(-1, eta, sp.Derivative(C, w))),
     r"w - \eta \frac{\partial C}{\partial w}"),
    ("matrix sum in the order written", sp.MatAdd(W * dZ, -eta * G, evaluate=False), r"W^{[l]} dZ^{[l]} - \eta G"),
    ("a matrix subtracted is not one times it", sp.MatAdd(A, -G, evaluate=False), r"A - G"),
    ("a product subtracted keeps its factors", sp.MatAdd(A, -W * dZ, evaluate=False), r"A - W^{[l]} dZ^{[l]}"),
    ("activation applied to a matrix", sigmoid(A), r"\sigma\left(A\right)"),
    ("step function as an Iverson bracket", sp.Heaviside(z, 0), r"\left[z > 0\right]"),
    ("LaTeX-named function of a matrix", sp.Function(r"\operatorname{softmax}")(A), r"\operatorname{softmax}\left(A\right)"),
]


@pytest.mark.parametrize("expr, expected", [(e, t) for _, e, t in GOLDEN], ids=[name for name, _, _ in GOLDEN])
def test_golden(expr, expected):
    assert latex(expr) == expected


def test_symbol_names_rename_symbols_and_matrix_symbols_without_rebuilding():
    expr = ordered_product(sp.Derivative(C, w), a)
    names = {C: "L", w: "w_{212}", a: "h_{12}", W: "W_{1}"}
    assert latex(expr, symbol_names=names) == r"\frac{\partial L}{\partial w_{212}} h_{12}"
    assert latex(expr) == r"\frac{\partial C}{\partial w} a"  # the object itself is unchanged
    assert latex(W.T * dZ, symbol_names=names) == r"{W_{1}}^{T} dZ^{[l]}"


def test_names_print_numbers_in_place_of_objects_and_keep_structure():
    hand = 2 * a * (1 - a)
    assert latex(hand, names={a: "0.77"}, mul_symbol="dot") == r"2 \cdot 0.77 \cdot \left(1 - 0.77\right)"
    d = sp.Derivative(C, w)
    assert latex(ordered_product(d, a), names={d: r"\left(-0.46\right)", a: "0.8"}, mul_symbol="dot") == (
        r"\left(-0.46\right) \cdot 0.8"
    )


def test_plain_turns_ordered_nodes_into_ordinary_sympy():
    chain = ordered_sum(ordered_product(2, a, y), ordered_product(3, a, y))
    assert plain(chain) == 5 * a * y
    assert isinstance(plain(chain), sp.Mul)


def test_latex_terms_join_back_to_the_whole_sum():
    for expr in [a**2 - 2 * a * y + y**2, -(a - y) ** 2 + sp.exp(z) / 3, ordered_sum(y, -a, w)]:
        assert " ".join(latex_terms(expr)) == latex(expr)


def test_ordered_product_drops_ones_and_returns_single_factors():
    assert ordered_product(1, a) == a
    assert ordered_product(1, 1) == 1
    assert ordered_sum(a) == a


def test_plain_text_writes_a_step_as_a_rule_does():
    """Before, relu's rule line in `symbp check` and a relu slip's diagnosis printed Heaviside(z, 0)."""
    from symbp.check import check_rules
    from symbp.matrixprint import text
    from symbp.printing import terminal_text
    from symbp.spec import NetworkSpec

    z = sp.Symbol("z", real=True)
    assert terminal_text(sp.Heaviside(z, 0)) == text(sp.Heaviside(z, 0)) == "step(z)"
    assert terminal_text(sp.Heaviside(z)) == "Heaviside(z)"  # 1/2 at 0: not the rule syntax's step
    rules = check_rules(NetworkSpec((2, 2, 1), ("relu", "sigmoid"), "half_sse"))
    assert [r.hand_text for r in rules if r.name == "relu"] == ["step(z)"]
