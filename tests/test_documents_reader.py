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


def test_a_power_of_a_function_is_a_power_of_its_value():
    x = S("x")
    assert parse_latex(r"1 - \tanh^2(x)") == 1 - sp.tanh(x) ** 2
    assert parse_latex(r"\tanh^{2} x") == sp.tanh(x) ** 2
    assert parse_latex(r"\log^{3}(x)") == sp.log(x) ** 3
    with pytest.raises(LatexParseError, match="a power '-1' of \\\\tanh"):  # the inverse, not 1/tanh
        parse_latex(r"\tanh^{-1}(x)")


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


def test_a_long_product_keeps_the_order_of_the_source():
    # placeholders past 9 and past the 48 single letters once sorted as strings (@10 before @9)
    for count in (12, 60):
        factors = [sp.MatrixSymbol(f"M{k}", n, n) for k in range(count)]
        text = " ".join(f"M_{{{k}}}" for k in range(count))
        assert parse_latex(text, {f"M_{{{k}}}": f for k, f in enumerate(factors)}) == sp.MatMul(*factors)


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


# ----- What symbp's own derivations print (issue 5's round trip) -----
def test_a_digit_superscript_stays_part_of_a_known_name():
    w = S("w^{3}_{12}")
    assert canonical("w^{3}_{12}") == "w^{3}_{12}"  # a key is one symbol
    assert parse_latex(r"\frac{\partial C}{\partial w^{3}_{12}}", {"w^{3}_{12}": w, "C": S("C")}) == sp.Derivative(S("C"), w)
    assert parse_latex(r"z^{2,(1)}_{1}", {"z^{2,(1)}_{1}": S("z")}) == S("z")  # Nielsen's layer, then the example
    assert parse_latex(r"x^{2}", {"w^{3}_{12}": w}) == S("x") ** 2  # not a known name: a power
    with pytest.raises(LatexParseError, match="subscript on an expression"):
        parse_latex(r"w^{3}_{12}")  # without the name it is w cubed, and a subscript on that means nothing


def test_a_gradient_named_on_its_own_is_a_symbol():
    dZ, A = sp.MatrixSymbol("dZ", n, m), sp.MatrixSymbol("A", n, m)
    G = sp.MatrixSymbol("G", n, m)
    names = {r"\nabla_{A_{l}}": dZ, "H": A, r"g'(A_{l})": G}
    assert parse_latex(r"\nabla_{A_{l}}", names) == dZ  # nothing after it
    assert parse_latex(r"\nabla_{A_{l}} \odot g'(A_{l})", names) == sp.hadamard_product(dZ, G)  # an operator after it
    assert parse_latex(r"\frac{1}{m} \nabla_{A_{l}} {H}^{T}", names) == dZ * A.T / S("m")  # known: not d H^T / d A
    assert parse_latex(r"\nabla_{a} C") == sp.Derivative(S("C"), S("a"))  # unknown and followed by C: the operator
    assert parse_latex(r"\nabla_{a}") == S(r"\nabla_{a}")


def test_the_bold_one_is_the_vector_of_ones():
    ones, b = sp.MatrixSymbol("1", m, 1), sp.MatrixSymbol("b", n, 1)
    assert canonical(r"\mathbf{1}_{m}") == r"\mathbf{1}_{m}"
    assert parse_latex(r"b {\mathbf{1}_{m}}^{T}", {r"\mathbf{1}_{m}": ones, "b": b}) == b * ones.T
    assert parse_latex(r"\mathbf{x} + \mathbf{2}") == S("x") + S(r"\mathbf{2}")


def test_a_function_of_a_matrix_symbol_acts_entry_by_entry_and_softmax_on_columns():
    from symbp.printing import elementwise

    Z = sp.MatrixSymbol("Z", n, m)
    assert parse_latex(r"\sigma(Z)", {"Z": Z}) == elementwise(sigmoid, Z)
    assert parse_latex(r"\tanh(Z)", {"Z": Z}) == elementwise(sp.tanh, Z)
    assert parse_latex(r"\operatorname{softmax}\left(Z\right)", {"Z": Z}) == sp.Function("softmax")(Z)
    assert parse_latex(r"\sigma(Z)", {"Z": Z}).shape == (n, m)


def test_a_key_that_is_an_expression_names_what_it_reads_as():
    grad, gp = sp.MatrixSymbol("grad", n, 1), sp.MatrixSymbol("gp", n, 1)
    names = {r"\nabla_{a}\mathcal{L}": grad, r"g'^{[l]}(z^{[l]})": gp}
    assert parse_latex(r"\nabla_{a}\mathcal{L} \odot g'^{[l]}(z^{[l]})", names) == sp.hadamard_product(grad, gp)
    delta = S(r"\delta_{13}")
    assert parse_latex(r"2 \frac{\partial L}{\partial a_{13}}", {r"\frac{\partial L}{\partial a_{13}}": delta}) == 2 * delta
    with pytest.raises(LatexParseError, match="neither one symbol nor an expression"):
        parse_latex("x", {r"\frac{1}{": delta})


def test_iverson_brackets_and_cases():
    z = S("z")
    assert parse_latex(r"\left[z > 0\right]") == sp.Heaviside(z, 0)
    assert parse_latex(r"[z \geq 1]") == sp.Heaviside(z - 1, 1)
    assert parse_latex(r"\begin{cases} 1 & \text{for}\: z > 0 \\ 0 & \text{otherwise} \end{cases}") == \
        sp.Piecewise((1, z > 0), (0, True))
    assert parse_latex(r"\begin{cases} z & \text{if } z \le 0 \\ 2 z & \text{else} \end{cases}") == \
        sp.Piecewise((z, z <= 0), (2 * z, True))
    with pytest.raises(LatexParseError, match="only the last case"):
        parse_latex(r"\begin{cases} 1 & \text{otherwise} \\ 0 & z > 0 \end{cases}")


def test_a_matrix_plus_a_scalar_is_a_parse_error_not_a_crash():
    with pytest.raises(LatexParseError, match="a sum of n x n and a scalar"):
        parse_latex("W + c", {"W": W})


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


def test_a_time_limit_stops_a_block_that_swallows_its_first_expiry():
    import time

    from symbp.documents.limits import time_limit

    start = time.monotonic()
    with pytest.raises(TimeLimit):
        with time_limit(0.1, "a block"):
            try:  # library code that catches every exception (SymPy has such blocks)
                while time.monotonic() - start < 5:
                    time.sleep(0.005)
            except Exception:
                pass
            while time.monotonic() - start < 5:
                time.sleep(0.005)
    assert time.monotonic() - start < 1


# ----- The one table of named functions: every spelling it lists reads as its function -----
def _spellings():
    from symbp.documents.functions import NAMED

    for f in NAMED.values():
        if f.sympy is None:
            continue
        for word in f.words:
            yield f.name, word + "(z)"
            yield f.name, rf"\text{{{word}}}(z)"
            yield f.name, rf"\operatorname{{{word}}}(z)"
        for command in f.commands:
            yield f.name, command + "(z)"


@pytest.mark.parametrize("name, latex", list(_spellings()))
def test_every_spelling_of_a_named_function_reads_as_that_function(name, latex):
    from symbp.documents.functions import NAMED

    z = S("z")
    got = parse_latex(latex)
    expected = NAMED[name].sympy(z)
    assert got == expected, (latex, got)


# ----- NumPy-flavoured notes: dZ2, A1.T, np.dot, np.multiply, np.power, np.tanh, keepdims -----
def test_a_digit_after_a_d_name_is_its_index_not_a_factor():
    # dZ2 was read as dZ * 2: a silent factor 2 in every NumPy-named gradient
    assert canonical("dZ2") == "dZ_{2}" and atoms("dZ2 = A2 - Y") == ["dZ_{2}", "A_{2}", "Y"]


_A, _W, _X = (sp.ImmutableMatrix(2, 2, lambda i, j, s=s: S(f"{s}{i}{j}")) for s in "awx")


def _hp(p, q):
    return p.multiply_elementwise(q)


@pytest.mark.parametrize("text, value", [
    (r"A1.T", _A.T),
    (r"np.dot(W1, X)", _W * _X),
    (r"np.matmul(A1.T, X)", _A.T * _X),
    (r"np.dot(W1.T, X) * np.power(A1, 2)", _hp(_W.T * _X, _hp(_A, _A))),
    (r"np.multiply(A1, X)", _hp(_A, _X)),
    (r"np.square(np.tanh(A1))", _hp(_A.applyfunc(sp.tanh), _A.applyfunc(sp.tanh))),
    (r"np.exp(A1) + np.log(X)", _A.applyfunc(sp.exp) + _X.applyfunc(sp.log)),
], ids=["dot-T", "dot", "matmul", "star-power", "multiply", "square-tanh", "exp-log"])
def test_numpy_calls_and_dot_t_are_read(text, value):
    got = parse_latex(text, {"A_{1}": _A, "W_{1}": _W, "X": _X})
    assert sp.simplify(sp.Matrix(got) - value) == sp.zeros(2, 2), got


def test_np_sum_without_keepdims_is_a_1d_array_that_broadcasts_as_a_row():
    A = sp.ImmutableMatrix([[1, 2], [3, 4]])
    assert parse_latex(r"np.sum(A, axis=1)", {"A": A}) == sp.ImmutableMatrix([[3, 7]])
    assert parse_latex(r"np.sum(A, axis=1, keepdims=False)", {"A": A}) == sp.ImmutableMatrix([[3, 7]])
    assert parse_latex(r"np.sum(A, axis=0)", {"A": A}) == sp.ImmutableMatrix([[4, 6]])


def test_an_unknown_numpy_function_names_the_ones_read():
    with pytest.raises(LatexParseError, match=r"np\.linalg.*np\.dot"):
        parse_latex(r"np.linalg(A)")
