"""A restricted expression syntax for rules written in TOML files.

Text such as ``"z * sigmoid(z)"`` or ``"2*(a - y)/n"`` is read with Python's
:mod:`ast` parser (which only builds a syntax tree; nothing is executed) and the
tree is translated node by node into SymPy constructors. Only numbers, the
names a rule may use, the operators ``+ - * / ** ^`` and calls of the functions
in the table of ``_function_table`` are accepted; anything else is an
:class:`~symbp.errors.ExpressionSyntaxError` that names the offending piece and
its column. Non-goals: assignments, attributes, comprehensions, strings; this is
not a general-purpose parser and never evaluates Python.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from fractions import Fraction

import sympy as sp

from .errors import ExpressionSyntaxError

__all__ = ["parse_expression", "exact_number", "MAX_EXPONENT"]


def _function_table() -> dict[str, Callable[..., sp.Expr]]:
    # Imported lazily: functions.py needs nothing from here, but keeping the
    # table construction in a function avoids import cycles with rules.py.
    from .functions import leaky_relu, relu, sigmoid

    return {
        "exp": sp.exp,
        "log": sp.log,
        "ln": sp.log,
        "sqrt": sp.sqrt,
        "tanh": sp.tanh,
        "sinh": sp.sinh,
        "cosh": sp.cosh,
        "sin": sp.sin,
        "cos": sp.cos,
        "atan": sp.atan,
        "erf": sp.erf,
        "abs": sp.Abs,
        "Abs": sp.Abs,
        "sign": sp.sign,
        "step": lambda x: sp.Heaviside(x, 0),
        "Heaviside": lambda x: sp.Heaviside(x, 0),
        "max": sp.Max,
        "min": sp.Min,
        "sigmoid": sigmoid,
        "relu": relu,
        "leaky_relu": leaky_relu,
    }


CONSTANTS: dict[str, sp.Expr] = {"pi": sp.pi, "E": sp.E}

#: Largest numeric exponent accepted: 9**9**9 would otherwise be computed exactly, for ever.
MAX_EXPONENT = 1000

_BINARY: dict[type, Callable[[sp.Expr, sp.Expr], sp.Expr]] = {
    ast.Add: lambda x, y: x + y,
    ast.Sub: lambda x, y: x - y,
    ast.Mult: lambda x, y: x * y,
    ast.Div: lambda x, y: x / y,
    ast.Pow: lambda x, y: x**y,
}


def exact_number(value: float | int | str) -> sp.Rational:
    """Return the exact rational a decimal number denotes.

    A float read from TOML is converted through its shortest decimal repr, so
    ``0.01`` becomes ``1/100`` rather than the nearest binary fraction.

    Examples
    --------
    >>> exact_number(0.01)
    1/100
    >>> exact_number(3)
    3
    """
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    return sp.Rational(Fraction(repr(value) if isinstance(value, float) else str(value)))


def parse_expression(
    text: str,
    symbols: Mapping[str, sp.Symbol],
    *,
    where: str = "expression",
) -> sp.Expr:
    """Translate ``text`` in the restricted syntax into a SymPy expression.

    Parameters
    ----------
    text
        The expression, e.g. ``"z * sigmoid(z)"``. ``^`` and ``**`` both mean power.
    symbols
        The names the expression may use, mapped to their SymPy symbols.
    where
        Where the text comes from, for error messages (``"file.toml: activation 'swish'"``).

    Examples
    --------
    >>> import sympy as sp
    >>> z = sp.Symbol("z", real=True)
    >>> parse_expression("z * sigmoid(z)", {"z": z})
    z*sigmoid(z)
    >>> parse_expression("__import__('os')", {"z": z})
    Traceback (most recent call last):
    ...
    symbp.errors.ExpressionSyntaxError: expression: unknown function '__import__' at column 1; ...
    """
    if not isinstance(text, str):
        raise ExpressionSyntaxError(f"{where}: expected a string expression, got {type(text).__name__}")
    if len(text) > 2000:
        raise ExpressionSyntaxError(f"{where}: expression longer than 2000 characters")
    # "^" is power here; Python would read it as xor, with the wrong precedence
    # (2*x^3 as (2*x)^3), so it is turned into "**" before parsing.
    source = text.strip().replace("^", "**")
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        col = exc.offset or 0
        raise ExpressionSyntaxError(f"{where}: cannot parse {text!r} at column {col}: {exc.msg}") from None
    functions = _function_table()
    return _Translator(symbols, functions, where, text).visit(tree.body)


class _Translator:
    def __init__(self, symbols, functions, where, text):
        self.symbols = dict(symbols)
        self.functions = functions
        self.where = where
        self.text = text
        self.depth = 0

    def fail(self, node: ast.AST, message: str) -> ExpressionSyntaxError:
        col = getattr(node, "col_offset", -1) + 1
        names = ", ".join(sorted(self.symbols)) or "(none)"
        funcs = ", ".join(sorted(self.functions))
        return ExpressionSyntaxError(
            f"{self.where}: {message} at column {col}; allowed names: {names}; allowed functions: {funcs}"
        )

    def visit(self, node: ast.AST) -> sp.Expr:
        self.depth += 1
        if self.depth > 100:
            raise self.fail(node, "expression nested too deeply")
        try:
            return self._visit(node)
        finally:
            self.depth -= 1

    def _visit(self, node: ast.AST) -> sp.Expr:
        if isinstance(node, ast.Constant):
            if isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
                return exact_number(node.value)
            raise self.fail(node, f"constant {node.value!r} is not a number")
        if isinstance(node, ast.Name):
            if node.id in self.symbols:
                return self.symbols[node.id]
            if node.id in CONSTANTS:
                return CONSTANTS[node.id]
            raise self.fail(node, f"unknown name '{node.id}'")
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            left, right = self.visit(node.left), self.visit(node.right)
            if isinstance(node.op, ast.Pow) and right.is_Number and abs(right) > MAX_EXPONENT:
                raise self.fail(node, f"exponent {right} is too large (at most {MAX_EXPONENT} in absolute value)")
            return _BINARY[type(node.op)](left, right)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self.visit(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name):
                raise self.fail(node, "only plain function names can be called")
            name = node.func.id
            if name not in self.functions:
                raise self.fail(node, f"unknown function '{name}'")
            if node.keywords:
                raise self.fail(node, f"keyword arguments are not allowed in '{name}(...)'")
            if name in ("max", "min") and not node.args:  # SymPy's empty Max is -oo, its empty Min +oo
                raise self.fail(node, f"'{name}' needs at least one argument")
            args = [self.visit(arg) for arg in node.args]
            try:
                return self.functions[name](*args)
            except (TypeError, ValueError) as exc:
                raise self.fail(node, f"bad arguments to '{name}': {exc}") from None
        raise self.fail(node, f"'{ast.unparse(node)}' is not allowed")
