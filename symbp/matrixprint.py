"""Plain-text printing of the matrix-form derivation (``symbp derive --matrix``).

:class:`MatrixTextPrinter` is SymPy's :class:`~sympy.printing.str.StrPrinter`
with the notation of vectorized backprop notes: ``W^{[2]T}`` for transposes,
``1_m`` for a column of ones (``1_m^T`` for a row), ``(.)`` as ``⊙``, products
written by juxtaposition, and an elementwise map printed as its formula in
brackets, ``[-Y/A^{[2]}]``. :func:`format_matrix_derivation` prints the
forward pass, the derived backward pass with every shape, and, beside each
assignment, the hand-derived equation it was checked against.

Non-goals: LaTeX (see :mod:`symbp.printing`), deriving or checking.
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.str import StrPrinter

from .printing import StepText
from .spec import NetworkSpec

__all__ = ["MatrixTextPrinter", "text", "format_matrix_derivation"]


class MatrixTextPrinter(StepText, StrPrinter):
    """Plain text for matrix expressions in the notation of backprop notes.

    Examples
    --------
    >>> n, m = sp.symbols("n_1 m", integer=True, positive=True)
    >>> dZ, A = sp.MatrixSymbol("dZ^{[2]}", n, m), sp.MatrixSymbol("A^{[1]}", n, m)
    >>> text(dZ * A.T / m)
    '(1/m) dZ^{[2]} A^{[1]T}'
    >>> text(dZ * sp.OneMatrix(m, 1))
    'dZ^{[2]} 1_m'
    """

    printmethod = "_matrixtext"  # not the objects' own _sympystr (ElementwiseMap prints its Lambda there)

    def _print_MatrixSymbol(self, expr):
        return expr.name

    def _print_Piecewise(self, expr):
        parts = [f"{self._print(value)} if {self._print(cond)}" for value, cond in expr.args[:-1]]
        last_value, last_cond = expr.args[-1]
        tail = self._print(last_value) if last_cond == sp.true else f"{self._print(last_value)} if {self._print(last_cond)}"
        return "(" + " else ".join([*parts, tail]) + ")"

    def _print_Transpose(self, expr):
        arg = expr.arg
        if isinstance(arg, sp.MatrixSymbol) and arg.name.endswith("]}"):
            return f"{arg.name[:-1]}T}}"  # W^{[2]} -> W^{[2]T}, Ng's notation
        if isinstance(arg, (sp.MatrixSymbol, sp.OneMatrix)):
            return f"{self._print(arg)}^T"
        return f"({self._print(arg)})^T"

    def _print_OneMatrix(self, expr):
        rows, cols = expr.shape
        if cols == 1:
            return f"1_{self._size(rows)}"
        if rows == 1:
            return f"1_{self._size(cols)}^T"
        return f"1_{{{self._print(rows)} x {self._print(cols)}}}"

    def _size(self, size) -> str:
        printed = self._print(size)
        return printed if len(printed) == 1 else f"{{{printed}}}"

    def _print_MatMul(self, expr):
        coeff, rest = expr.as_coeff_mmul()
        factors = [a for a in rest.args]
        parts = [self.parenthesize(f, PRECEDENCE["Mul"], strict=False) if isinstance(f, sp.MatAdd | sp.HadamardProduct) else self._print(f) for f in factors]
        if isinstance(rest, sp.MatrixExpr) and not isinstance(rest, sp.MatMul):
            parts = [self._print(rest)]
        if coeff == -1:
            return "-" + " ".join(parts)
        if coeff != 1:
            c = self._print(coeff)
            parts.insert(0, c if coeff.is_Integer else f"({c})")
        return " ".join(parts)

    def _print_HadamardProduct(self, expr):
        return " ⊙ ".join(f"({self._print(a)})" if isinstance(a, sp.MatAdd | sp.MatMul) else self._print(a) for a in expr.args)

    def _print_ElementwiseMap(self, expr):
        names = []
        for arg in expr.arguments:
            printed = self._print(arg)
            names.append(sp.Symbol(printed if isinstance(arg, sp.MatrixSymbol) else f"({printed})", real=True))
        return f"[{self._print(expr.body_in(names))}]"


def text(expr) -> str:
    """``expr`` printed by :class:`MatrixTextPrinter`.

    Examples
    --------
    >>> from symbp.matrixexpr import ElementwiseMap
    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> A, Y = sp.MatrixSymbol("A", n, n), sp.MatrixSymbol("Y", n, n)
    >>> a, y = sp.symbols("a y", real=True)
    >>> text(ElementwiseMap(sp.Lambda((a, y), -y / a), A, Y))
    '[-Y/A]'
    """
    return MatrixTextPrinter().doprint(expr)


def _shape(expr) -> str:
    rows, cols = expr.shape
    return f"{text(rows)} x {text(cols)}"


def _tag(report, target: str) -> str:
    checks = [e for e in report.equations if e.target == target]
    if not checks:
        return ""
    name = checks[0].equation
    if all(c.status == "proved" for c in checks):
        return f"= {name}" if name.startswith("V") else f"= {name} (dl/da)"
    return f"{name}: {checks[0].status}"


def format_matrix_derivation(spec: NetworkSpec, report=None) -> str:
    """The derived vectorized equations of ``spec``, with shapes and the equation each one is.

    ``report`` is a :class:`~symbp.matrixcheck.MatrixReport` to reuse; by
    default the symbolic checks (shapes and equations) are run here.

    Examples
    --------
    >>> from symbp.spec import NetworkSpec
    >>> print(format_matrix_derivation(NetworkSpec((3, 2), ("linear",), "half_sse")))
    Matrix-form derivation: widths [3, 2] (linear), cost half_sse
    ...
      dW^{[1]} = (1/m) dZ^{[1]} X^T      n_1 x n_0  = V2
    ...
    """
    from .matrixcheck import check_matrix  # the checker sees the hand side; the printer itself does not

    report = check_matrix(spec, instances=()) if report is None else report
    mg = report.gradient
    lines = [
        f"Matrix-form derivation: widths {list(spec.widths)} ({', '.join(spec.activations)}), cost {spec.cost}",
        "Sizes are symbols (" + ", ".join(f"n_{l} = {w}" for l, w in enumerate(spec.widths))
        + " here); m is the number of examples (columns).",
        "[f] is applied entry by entry; ⊙ is the Hadamard product; 1_k is a column of k ones;",
        "dX = m dC/dX for the intermediate matrices (Ng's convention); dW, db are the gradients dC/dW, dC/db.",
    ]

    def block(title, rows):
        width = max(len(t) + 3 + len(e) for t, e, _, _ in rows)
        shape_width = max(len(s) for _, _, s, _ in rows)
        lines.extend(["", title])
        for target, expr, shape, tag in rows:
            equation = f"{target} = {expr}"
            lines.append(f"  {equation.ljust(width)}  {shape.ljust(shape_width)}  {tag}".rstrip())

    block("Forward pass", [(text(t), text(e), _shape(t), "") for t, e in mg.forward])
    block(
        "Backward pass (reverse mode over the matrix expressions)",
        [(text(t), text(e), _shape(t), _tag(report, t.name)) for t, e in mg.adjoint],
    )
    lines += ["", "Checks (symbolic sizes):"] + [f"  {line}" for line in report.summary().splitlines()]
    return "\n".join(lines)
