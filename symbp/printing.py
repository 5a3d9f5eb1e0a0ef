"""LaTeX and text printing in the notation of backprop tutorials.

:class:`BackpropLatexPrinter` is SymPy's :class:`~sympy.printing.latex.LatexPrinter`
with the conventions the documents use: ``\\odot`` for the Hadamard product,
``^T`` for transposes, and symbol names that already are LaTeX (``w^{[2]}_{12}``)
printed verbatim. Printing goes through :func:`latex`; no string surgery.
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.latex import LatexPrinter

__all__ = ["BackpropLatexPrinter", "latex"]


class BackpropLatexPrinter(LatexPrinter):
    """LaTeX printer with backprop conventions.

    Examples
    --------
    >>> import sympy as sp
    >>> n, m = sp.symbols("n m", integer=True, positive=True)
    >>> X, Y = sp.MatrixSymbol("dA^{[l]}", n, m), sp.MatrixSymbol("G", n, m)
    >>> latex(sp.HadamardProduct(X, Y))
    'dA^{[l]} \\\\odot G'
    """

    printmethod = "_latex"
    _default_settings = {**LatexPrinter._default_settings, "hadamard": r"\odot"}

    def _print_HadamardProduct(self, expr):
        sep = f" {self._settings['hadamard']} "
        return sep.join(self.parenthesize(arg, sp.printing.precedence.PRECEDENCE["Mul"], strict=True) for arg in expr.args)

    def _print_Transpose(self, expr):
        arg = expr.arg
        inner = self._print(arg)
        if not isinstance(arg, sp.MatrixSymbol):
            inner = rf"\left({inner}\right)"
        elif "^" in arg.name:
            inner = f"{{{inner}}}"  # W^{[l]} then ^T: a braced base avoids a double superscript
        return f"{inner}^{{T}}"

    def _print_Symbol(self, expr, style="plain"):
        name = expr.name
        if "{" in name or "\\" in name:
            return name
        return super()._print_Symbol(expr, style=style)

    def _print_MatrixSymbol(self, expr):
        return self._print_Symbol(expr)


def latex(expr, **settings) -> str:
    """Print ``expr`` as LaTeX with :class:`BackpropLatexPrinter`.

    Examples
    --------
    >>> import sympy as sp
    >>> latex(sp.Symbol("w^{[2]}_{12}") * 2)
    '2 w^{[2]}_{12}'
    """
    return BackpropLatexPrinter(settings).doprint(expr)
