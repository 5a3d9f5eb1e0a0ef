"""Straight-line programs: ordered assignments ``symbol := expression``.

A network's forward pass, and the adjoint sweep derived from it, are both
straight-line programs: each expression uses inputs and symbols assigned
earlier. Sharing an intermediate by name keeps the size linear where a single
nested expression would repeat it. This module only stores, expands and
compiles them; it knows nothing about networks or derivatives.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import sympy as sp

__all__ = ["Program", "compile_program"]


@dataclass(frozen=True)
class Program:
    """An ordered tuple of ``(symbol, expression)`` assignments.

    Examples
    --------
    >>> import sympy as sp
    >>> x, u, v = sp.symbols("x u v")
    >>> p = Program(((u, x**2), (v, sp.exp(u))))
    >>> p.expand(v)
    exp(x**2)
    """

    assignments: tuple[tuple[sp.Symbol, sp.Expr], ...]

    def __post_init__(self) -> None:
        seen: set[sp.Symbol] = set()
        for target, _ in self.assignments:
            if target in seen:
                raise ValueError(f"symbol {target} is assigned twice")
            seen.add(target)

    def __len__(self) -> int:
        return len(self.assignments)

    def __add__(self, other: Program) -> Program:
        return Program(self.assignments + other.assignments)

    @cached_property
    def definitions(self) -> dict[sp.Symbol, sp.Expr]:
        """Each assigned symbol's own expression (not expanded)."""
        return dict(self.assignments)

    @cached_property
    def expansions(self) -> dict[sp.Symbol, sp.Expr]:
        """Each assigned symbol's expression with every earlier assignment substituted.

        Subexpressions are shared between the results (SymPy objects are
        immutable), so this costs about as much as the program itself.
        """
        full: dict[sp.Symbol, sp.Expr] = {}
        for target, expr in self.assignments:
            full[target] = expr.xreplace(full) if full else expr
        return full

    def expand(self, expr: sp.Expr) -> sp.Expr:
        """``expr`` with every assigned symbol replaced by its full expression."""
        return sp.sympify(expr, strict=True).xreplace(self.expansions)  # safe: strict=True refuses text



def compile_program(
    program: Program,
    inputs: Sequence[sp.Symbol],
    outputs: Sequence[sp.Expr],
    *,
    modules: Iterable | str | Mapping = ("math",),
):
    """Compile ``program`` into a Python function ``f(*inputs) -> list(outputs)``.

    Uses :func:`sympy.lambdify`, handing it the program's assignments as its
    common subexpressions, so the generated code evaluates each assignment once,
    in order. ``modules`` is passed to lambdify (``"math"`` for floats,
    ``"mpmath"`` for high precision, ``"numpy"`` for arrays).

    Examples
    --------
    >>> import inspect
    >>> from symbp.functions import sigmoid
    >>> w, x, z, a = sp.symbols("w^{[1]}_{11} x_{1} z a", real=True)
    >>> p = Program(((z, w * x), (a, sigmoid(z))))
    >>> f = compile_program(p, [w, x], [a, a * (1 - a)])
    >>> f(0.0, 3.0)
    [0.5, 0.25]
    >>> print(inspect.getsource(f))
    def _lambdifygenerated(x0, x1):
        t0 = x0*x1
        t1 = 1/(1 + exp(-t0))
        return [t1, t1*(1 - t1)]
    <BLANKLINE>
    """
    from .functions import unfold, without_point_masses

    # Point masses: 0 away from the kink. The reverse engine's derivatives come without
    # (functions.derivative); the reference engine's diff of the whole cost still brings them.
    # Symbol names are LaTeX (w^{[1]}_{12}); the generated code needs identifiers.
    rename = {s: sp.Symbol(f"x{k}", real=True) for k, s in enumerate(inputs)}
    outputs = [sp.sympify(o, strict=True) for o in outputs]  # safe: strict=True converts SymPy objects, refuses text
    needed = _needed(program.assignments, outputs)
    kept = []
    for target, expr in program.assignments:
        if target in needed:
            new = sp.Symbol(f"t{len(kept)}", real=True)
            kept.append((new, without_point_masses(unfold(expr)).xreplace(rename)))
            rename[target] = new
    outputs = [without_point_masses(unfold(o)).xreplace(rename) for o in outputs]
    modules = list(modules) if not isinstance(modules, (str, Mapping)) else modules
    args = [rename[s] for s in inputs]
    return sp.lambdify(args, outputs, modules=modules, cse=lambda exprs: (kept, list(exprs)))


def _needed(assignments, outputs) -> set[sp.Symbol]:
    """The assigned symbols the outputs depend on (directly or through others)."""
    definitions = dict(assignments)
    needed: set[sp.Symbol] = set()
    stack = [s for o in outputs for s in o.free_symbols if s in definitions]
    while stack:
        symbol = stack.pop()
        if symbol in needed:
            continue
        needed.add(symbol)
        stack.extend(s for s in definitions[symbol].free_symbols if s in definitions and s not in needed)
    return needed
