"""The automatic side: derivatives of a straight-line program by the chain rule.

Two engines, both generic (they see SymPy expressions, not networks, and never
look at the hand-derived rules of :mod:`symbp.rules`):

* :func:`reference_gradients` expands the output into one expression and calls
  :func:`sympy.diff` once per variable. Simple and obviously right, but the
  expanded expression repeats shared intermediates, so its cost grows about
  quadratically with the number of parameters.
* :func:`reverse_gradients` is reverse-mode differentiation over the program's
  expression graph: one adjoint per node, local derivatives from SymPy, sums of
  contributions at nodes with several parents. Its cost grows about linearly.

Local derivatives: for ``Add`` and ``Mul`` nodes the sum and product rules are
applied directly (d(sum)/d(arg) = 1, d(product)/d(arg) = product of the other
arguments; ``tests/test_autodiff.py`` checks both against ``diff``); for every
other node (powers, exp, log, sigmoid, ...) the local derivative is SymPy's own
``diff`` of that node with its arguments replaced by dummy symbols.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import sympy as sp

from .functions import derivative
from .program import Program

__all__ = ["Gradient", "reverse_gradients", "reference_gradients", "adjoint_symbol", "local_derivative"]


def adjoint_symbol(symbol: sp.Symbol) -> sp.Symbol:
    r"""The symbol naming the adjoint dC/dv of program variable ``v``: ``\bar{v}``.

    Examples
    --------
    >>> import sympy as sp
    >>> adjoint_symbol(sp.Symbol("u"))
    \bar{u}
    """
    return sp.Symbol(rf"\bar{{{symbol.name}}}", real=True)


@dataclass(frozen=True, eq=False)
class Gradient:
    """Derivatives of one output of a program with respect to chosen inputs.

    Attributes
    ----------
    primal
        The program that was differentiated.
    adjoint
        The adjoint sweep: assignments of adjoint symbols (one per program
        variable, and one per shared inner node), in the order they are computed.
    adjoints
        Program variable -> its adjoint symbol (absent if the output does not depend on it).
    gradients
        Each requested input -> its derivative, an expression in adjoint and
        primal symbols (exact; expand with :meth:`expanded`).
    """

    primal: Program
    adjoint: Program
    adjoints: dict[sp.Symbol, sp.Symbol]
    gradients: dict[sp.Symbol, sp.Expr]
    engine: str = "reverse"
    stats: dict[str, int] = field(default_factory=dict)

    @cached_property
    def program(self) -> Program:
        """Primal and adjoint assignments together."""
        return self.primal + self.adjoint

    def expanded(self) -> dict[sp.Symbol, sp.Expr]:
        """Each derivative as one expression in the program's inputs only."""
        return {w: self.program.expand(g) for w, g in self.gradients.items()}


# ----- Local derivatives -----
_TEMPLATES: dict[tuple[type, int, int], tuple[tuple[sp.Dummy, ...], sp.Expr]] = {}


def local_derivative(node: sp.Expr, index: int) -> sp.Expr:
    """d node / d node.args[index], by SymPy's ``diff`` of the node's own expression (away from kinks).

    A point mass (the ``DiracDelta`` of a step or ``sign`` in a cost) is taken as 0, as in an
    activation's own derivative (:func:`symbp.functions.derivative`).

    Examples
    --------
    >>> import sympy as sp
    >>> x, y = sp.symbols("x y", real=True)
    >>> local_derivative(sp.exp(x * y), 0)
    exp(x*y)
    >>> local_derivative(x**3, 0)
    3*x**2
    """
    args = node.args
    key = (node.func, len(args), index)
    template = _TEMPLATES.get(key)
    if template is None:
        dummies = tuple(sp.Dummy(f"u{k}", real=True) for k in range(len(args)))
        try:
            generic = node.func(*dummies)
        except (TypeError, ValueError, AttributeError):
            generic = None
        if generic is None or generic.func is not node.func or len(generic.args) != len(args):
            # Nodes whose arguments cannot be generic symbols: differentiate in place.
            d = sp.Dummy("u", real=True)
            replaced = node.func(*[d if k == index else a for k, a in enumerate(args)])
            return derivative(replaced, d).xreplace({d: args[index]})
        template = (dummies, derivative(generic, dummies[index]))
        _TEMPLATES[key] = template
    dummies, local = template
    return local.xreplace(dict(zip(dummies, args)))


def _children(node: sp.Basic) -> tuple[sp.Basic, ...]:
    return node.args if not node.is_Atom else ()


# ----- Reverse mode -----
def reverse_gradients(program: Program, output: sp.Symbol, wrt: Sequence[sp.Symbol]) -> Gradient:
    """Reverse-mode derivatives of ``output`` with respect to each symbol in ``wrt``.

    Examples
    --------
    >>> import sympy as sp
    >>> x, u, f = sp.symbols("x u f", real=True)
    >>> g = reverse_gradients(Program(((u, x**2), (f, sp.sin(u)))), f, [x])
    >>> g.expanded()[x]
    2*x*cos(x**2)
    """
    definitions = program.definitions
    if output not in definitions:
        raise ValueError(f"{output} is not assigned by the program")
    wanted = set(wrt)

    # Topological order of the expression graph (children first), nodes deduplicated.
    order: list[sp.Basic] = []
    parents: dict[sp.Basic, int] = defaultdict(int)
    depends: dict[sp.Basic, bool] = {}
    for target, expr in program.assignments:
        _postorder(expr, order, depends, wanted)
        depends[target] = depends[expr]
        order.append(target)
    for node in order:
        kids = (definitions[node],) if node in definitions else _children(node)
        for child in kids:
            parents[child] += 1

    contributions: dict[sp.Basic, list[sp.Expr]] = defaultdict(list)
    contributions[output].append(sp.S.One)
    adjoint: list[tuple[sp.Symbol, sp.Expr]] = []
    adjoints: dict[sp.Symbol, sp.Symbol] = {}
    counter = 0
    for node in reversed(order):
        if node.is_Atom and node not in definitions:
            continue  # an input: its contributions are summed into the gradient below
        terms = contributions.pop(node, None)
        if not terms or not depends.get(node, False):
            continue
        total = sp.Add(*terms)
        if node in definitions:
            symbol = adjoint_symbol(node)
            adjoint.append((symbol, total))
            adjoints[node] = symbol
            value = symbol
        elif parents[node] > 1 and len(terms) > 1:
            counter += 1
            symbol = sp.Symbol(rf"\bar{{v}}_{{{counter}}}", real=True)
            adjoint.append((symbol, total))
            value = symbol
        else:
            value = total
        if node in definitions:
            child = definitions[node]
            if depends.get(child, child in wanted):
                contributions[child].append(value)
            continue
        _propagate(node, value, contributions, depends, wanted)

    gradients = {w: sp.Add(*contributions.get(w, [])) for w in wrt}
    stats = {"nodes": len(order), "adjoint_assignments": len(adjoint)}
    return Gradient(program, Program(tuple(adjoint)), adjoints, gradients, "reverse", stats)


def _postorder(root: sp.Basic, order: list, depends: dict, wanted: set) -> None:
    """Append the unseen nodes under ``root`` to ``order``, children first (iterative)."""
    if root in depends:
        return
    stack = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if node in depends:
            continue
        kids = _children(node)
        if expanded or not kids:
            depends[node] = node in wanted if not kids else any(depends[k] for k in kids)
            order.append(node)
            continue
        stack.append((node, True))
        stack.extend((k, False) for k in kids if k not in depends)


def _propagate(node, value, contributions, depends, wanted) -> None:
    args = node.args
    if node.is_Add:
        for child in args:
            if depends.get(child, False):
                contributions[child].append(value)
    elif node.is_Mul:
        for k, child in enumerate(args):
            if depends.get(child, False):
                contributions[child].append(value * sp.Mul(*args[:k], *args[k + 1 :]))
    else:
        for k, child in enumerate(args):
            if depends.get(child, False):
                contributions[child].append(value * local_derivative(node, k))


# ----- Reference -----
def reference_gradients(program: Program, output: sp.Symbol, wrt: Sequence[sp.Symbol]) -> Gradient:
    """Derivatives by :func:`sympy.diff` of the fully expanded output, one variable at a time.

    Examples
    --------
    >>> import sympy as sp
    >>> x, u, f = sp.symbols("x u f", real=True)
    >>> reference_gradients(Program(((u, x**2), (f, sp.sin(u)))), f, [x]).gradients[x]
    2*x*cos(x**2)
    """
    full = program.expand(output)
    gradients = {w: sp.diff(full, w) for w in wrt}
    return Gradient(program, Program(()), {}, gradients, "reference", {"nodes": sp.count_ops(full, visual=False)})
