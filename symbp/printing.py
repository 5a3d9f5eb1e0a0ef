"""LaTeX printing in the notation of backprop tutorials.

:class:`BackpropLatexPrinter` is SymPy's :class:`~sympy.printing.latex.LatexPrinter`
with the conventions the documents use:

* ``\\odot`` for the Hadamard product and ``^{T}`` for transposes;
* symbol names that already are LaTeX (``w^{[2]}_{12}``) printed verbatim, and
  renamed through the ``symbol_names`` setting (how :mod:`symbp.notation`
  switches a whole expression to another notation without rebuilding it);
* ``\\frac{\\partial C}{\\partial w}`` for a derivative of a named quantity;
* :func:`ordered_product` and :func:`ordered_sum` keep the order they were
  built in, so a chain rule prints factor by factor as it was written
  (:func:`plain` turns them back into ordinary SymPy for computing).

:func:`latex` prints one expression; :func:`latex_terms` prints the top-level
terms of a sum separately, so a renderer can break a long sum across lines.
Non-goals: document layout (see :mod:`symbp.derivation`), parsing LaTeX.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter
from sympy.core.function import AppliedUndef
from sympy.printing.precedence import PRECEDENCE

__all__ = ["BackpropLatexPrinter", "latex", "latex_terms", "ordered_sum", "ordered_product", "plain", "elementwise",
           "ENTRY", "TerminalPrinter", "terminal_text"]

#: The bound variable of every entry-by-entry function built here: with one variable, two applications
#: of the same function to the same matrix are equal SymPy objects (SymPy's own applyfunc binds a fresh Dummy).
ENTRY = sp.Symbol("x", real=True)


def elementwise(f, X: sp.MatrixExpr) -> sp.MatrixExpr:
    """``f`` applied entry by entry to the matrix expression ``X``, printed ``f(X)``.

    Examples
    --------
    >>> from symbp.functions import sigmoid
    >>> Z = sp.MatrixSymbol("Z^{[1]}", 3, 2)
    >>> elementwise(sigmoid, Z) == elementwise(sigmoid, Z)
    True
    >>> print(latex(elementwise(sigmoid, Z)))
    \\sigma\\left(Z^{[1]}\\right)
    """
    from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

    return ElementwiseApplyFunction(sp.Lambda(ENTRY, f(ENTRY)), X)


class BackpropLatexPrinter(LatexPrinter):
    """LaTeX printer with backprop conventions.

    Settings beyond SymPy's: ``hadamard`` (the operator, default ``\\odot``),
    ``partial`` (the derivative sign, default ``\\partial``) and ``names`` (a dict
    from any SymPy object to the LaTeX printed for it wherever it occurs, e.g. a
    derivative's value in a worked example).

    Examples
    --------
    >>> import sympy as sp
    >>> n, m = sp.symbols("n m", integer=True, positive=True)
    >>> X, Y = sp.MatrixSymbol("dA^{[l]}", n, m), sp.MatrixSymbol("G", n, m)
    >>> latex(sp.HadamardProduct(X, Y))
    'dA^{[l]} \\\\odot G'
    """

    printmethod = "_latex"
    _default_settings = {**LatexPrinter._default_settings, "hadamard": r"\odot", "partial": r"\partial", "names": {}}

    def _print_HadamardProduct(self, expr):
        # Products inside a Hadamard product get parentheses: ((W^T delta) (.) sigma'(z)), as Nielsen writes it.
        sep = f" {self._settings['hadamard']} "
        return sep.join(
            rf"\left({self._print(arg)}\right)" if isinstance(arg, (sp.MatMul, sp.MatAdd, sp.HadamardProduct))
            else self.parenthesize(arg, PRECEDENCE["Mul"], strict=True)
            for arg in expr.args
        )

    def _print_Transpose(self, expr):
        arg = expr.arg
        inner = self._print(arg)
        if not isinstance(arg, sp.MatrixSymbol):
            inner = rf"\left({inner}\right)"
        elif "^" in inner or "_" in inner:
            inner = f"{{{inner}}}"  # W^{[l]} then ^T: a braced base avoids a double superscript
        return f"{inner}^{{T}}"

    def _print_Symbol(self, expr, style="plain"):
        name = self._settings["symbol_names"].get(expr)
        if name is not None:
            return name
        if "{" in expr.name or "\\" in expr.name:
            return expr.name
        return super()._print_Symbol(expr, style=style)

    def _print_MatrixSymbol(self, expr):
        return self._print_Symbol(expr)

    def _print_Derivative(self, expr):
        # d(named quantity)/d(named quantity), first order: the fraction of the documents.
        if expr.expr.is_Atom and len(expr.variable_count) == 1 and expr.variable_count[0][1] == 1:
            d = self._settings["partial"]
            return rf"\frac{{{d} {self._print(expr.expr)}}}{{{d} {self._print(expr.variables[0])}}}"
        return super()._print_Derivative(expr)

    def _print(self, expr, **kwargs):
        names = self._settings["names"]
        if names and isinstance(expr, sp.Basic) and expr in names:
            return names[expr]
        return super()._print(expr, **kwargs)

    def _print_OrderedMul(self, expr):
        with self._given_order():
            return self._print_Mul(expr)

    def _print_OrderedAdd(self, expr, order=None):
        with self._given_order():
            return " ".join(self.terms(expr))

    def _print_Heaviside(self, expr, exp=None):
        # The step function as an Iverson bracket, [z > 0] (0 at z = 0, as relu' is taken here).
        if len(expr.args) == 2 and expr.args[1] == 0 and exp is None:
            return rf"\left[{self._print(expr.args[0])} > 0\right]"
        return super()._print_Heaviside(expr, exp=exp)

    def _print_Function(self, expr, exp=None):
        # An undefined function applied to a matrix (softmax(Z), column by column), or named in LaTeX.
        name = expr.func.__name__
        matrix = any(isinstance(arg, sp.MatrixExpr) for arg in expr.args)
        if isinstance(expr, AppliedUndef) and (name.startswith("\\") or matrix) and exp is None:
            head = name if name.startswith("\\") else rf"\operatorname{{{name}}}"
            return rf"{head}\left({', '.join(self._print(arg) for arg in expr.args)}\right)"
        return super()._print_Function(expr, exp=exp)

    def _print_ElementwiseApplyFunction(self, expr):
        # f applied entry by entry to a matrix X, as the documents write it: f(X).
        (variable,) = expr.function.variables
        saved = self._settings["names"]
        self._settings["names"] = {**saved, variable: self._print(expr.expr)}
        try:
            return self._print(expr.function.expr)
        finally:
            self._settings["names"] = saved

    def _print_MatAdd(self, expr):
        # Matrix sums print in the order they were built, with "- x" for a negative scalar factor.
        out = []
        for i, term in enumerate(expr.args):
            sign = " + " if i else ""
            if isinstance(term, sp.MatMul) and term.args[0].could_extract_minus_sign():
                factors = [f for f in (-term.args[0], *term.args[1:]) if f != 1]  # "- Y", not "- 1 Y"
                sign, term = (" - " if i else "-"), factors[0] if len(factors) == 1 else sp.MatMul(*factors)
            out.append(sign + self.parenthesize(term, PRECEDENCE["Add"]))
        return "".join(out)

    @contextmanager
    def _given_order(self):
        old = self._settings["order"]
        self._settings["order"] = "none"
        try:
            yield
        finally:
            self._settings["order"] = old

    def terms(self, expr) -> list[str]:
        """The top-level terms of ``expr`` as LaTeX, each after the first with its sign.

        ``"".join`` of the result, with spaces, is the printed sum.
        """
        if not isinstance(expr, sp.Add):
            return [self._print(expr)]
        out = []
        ordered = list(expr.args) if isinstance(expr, OrderedAdd) else self._as_ordered_terms(expr)
        for i, term in enumerate(ordered):
            sign = ""
            if i and term.could_extract_minus_sign():
                sign, term = "- ", -term
            elif i:
                sign = "+ "
            text = self._print(term)
            if self._needs_add_brackets(term):
                text = rf"\left({text}\right)"
            elif sign == "+ " and text.startswith("-"):  # an ordered product led by a negative factor
                sign, text = "- ", text[1:].lstrip()
            out.append(sign + text)
        return out


class OrderedAdd(sp.Add):
    """A sum that stays as built and prints its terms in that order (a path sum, an update)."""

    def __new__(cls, *args, **kwargs):
        return sp.Add.__new__(cls, *args, evaluate=False)


class OrderedMul(sp.Mul):
    """A product that stays as built and prints its factors in that order (a chain rule)."""

    def __new__(cls, *args, **kwargs):
        return sp.Mul.__new__(cls, *args, evaluate=False)


def ordered_sum(*terms) -> sp.Expr:
    """The sum of ``terms``, printed in the given order (a single term is returned as is).

    Examples
    --------
    >>> import sympy as sp
    >>> w, eta, g = sp.symbols("w eta g")
    >>> print(latex(ordered_sum(w, ordered_product(-1, eta, g))), "|", latex(w - eta * g))
    w - \\eta g | - \\eta g + w
    """
    return terms[0] if len(terms) == 1 else OrderedAdd(*terms)


def ordered_product(*factors) -> sp.Expr:
    """The product of ``factors`` (ones dropped), printed in the given order.

    SymPy sorts the factors of an ordinary product; a chain rule should print
    factor by factor as it was written.

    Examples
    --------
    >>> import sympy as sp
    >>> C, a, z, w = sp.symbols("C a z w")
    >>> chain = ordered_product(sp.Derivative(C, a), 1, sp.Derivative(a, z), sp.Derivative(z, w))
    >>> print(latex(chain))
    \\frac{\\partial C}{\\partial a} \\frac{\\partial a}{\\partial z} \\frac{\\partial z}{\\partial w}
    >>> print(latex(ordered_product(z, w)), "|", latex(z * w))
    z w | w z
    >>> ordered_product(1, w), ordered_product()
    (w, 1)
    """
    factors = [f for f in factors if f != 1]
    if not factors:
        return sp.S.One
    return factors[0] if len(factors) == 1 else OrderedMul(*factors)


def plain(expr: sp.Basic) -> sp.Basic:
    """``expr`` with every ordered sum and product turned back into ordinary (evaluated) SymPy.

    Ordered sums and products are left unevaluated, so SymPy does not combine
    them with ordinary terms; compute with ``plain(expr)``.

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> shown = ordered_product(2, x, 3)
    >>> print(latex(shown), "|", shown - 6 * x, "|", plain(shown) - 6 * x)
    2 x 3 | -6*x + 2*x*3 | 0
    """
    return expr.replace(
        lambda e: isinstance(e, (OrderedAdd, OrderedMul)),
        lambda e: (sp.Add if isinstance(e, OrderedAdd) else sp.Mul)(*e.args),
    )


def latex(expr, **settings) -> str:
    """Print ``expr`` as LaTeX with :class:`BackpropLatexPrinter`.

    Examples
    --------
    >>> import sympy as sp
    >>> latex(sp.Symbol("w^{[2]}_{12}") * 2)
    '2 w^{[2]}_{12}'
    >>> C, w = sp.symbols("C w_{212}")
    >>> latex(sp.Derivative(C, w), symbol_names={C: "L"})
    '\\\\frac{\\\\partial L}{\\\\partial w_{212}}'
    """
    return BackpropLatexPrinter(settings).doprint(expr)


def latex_terms(expr, **settings) -> list[str]:
    """The top-level terms of a sum, printed one by one (see :meth:`BackpropLatexPrinter.terms`).

    Examples
    --------
    >>> import sympy as sp
    >>> a, y = sp.symbols("a y")
    >>> latex_terms(a**2 - 2*a*y + y**2)
    ['a^{2}', '- 2 a y', '+ y^{2}']
    """
    return BackpropLatexPrinter(settings).terms(sp.sympify(expr, strict=True))  # safe: strict=True refuses text


class StepText:
    """Plain text for a step as the rule syntax writes it: ``Heaviside(u, 0)`` (0 at 0) prints ``step(u)``.

    A mixin for SymPy's plain-text printers; other steps (1/2 or 1 at 0) keep SymPy's form.

    Examples
    --------
    >>> class Printer(StepText, StrPrinter): pass
    >>> z = sp.Symbol("z")
    >>> Printer().doprint(sp.Heaviside(z, 0) + sp.Heaviside(z, 1))
    'step(z) + Heaviside(z, 1)'
    """

    def _print_Heaviside(self, expr):
        if len(expr.args) == 2 and expr.args[1] == 0:
            return f"step({self._print(expr.args[0])})"
        return super()._print_Heaviside(expr)


class TerminalPrinter(StepText, StrPrinter):
    r"""SymPy's plain-text printer, with symbp's LaTeX-named symbols in plain text for a terminal.

    ``w^{[2]}_{11}`` prints as ``w[2]_11``, ``z^{[1](2)}_{1}`` as ``z[1](2)_1`` and the adjoint
    ``\bar{v}`` (dC/dv) as ``dC/dv``; a step 0 at 0 as ``step(u)``, as a rule writes it.
    """

    def _print_Symbol(self, expr):
        name = expr.name
        bar = re.fullmatch(r"\\bar\{(.*)\}", name)
        if bar:
            return f"(dC/d{self._print(sp.Symbol(bar.group(1)))})"
        return name.replace("^{", "").replace("_{", "_").replace("{", "").replace("}", "")


def terminal_text(expr) -> str:
    r"""``expr`` as plain text for a terminal (:class:`TerminalPrinter`).

    Examples
    --------
    >>> w, zbar = sp.Symbol("w^{[2]}_{11}"), sp.Symbol(r"\bar{z^{[2](1)}_{1}}")
    >>> terminal_text(zbar * w - sp.Heaviside(sp.Symbol("z^{[1](1)}_{1}"), 0))
    '(dC/dz[2](1)_1)*w[2]_11 - step(z[1](1)_1)'
    """
    return TerminalPrinter().doprint(expr)
