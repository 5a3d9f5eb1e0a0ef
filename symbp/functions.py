"""SymPy functions for activations that SymPy does not have (sigmoid, relu, ...).

Each is a :class:`sympy.Function` subclass defined by an *explicit formula*
(``sigmoid(z) = 1/(1 + exp(-z))``). Its ``fdiff`` is SymPy's derivative of that
formula, computed by :func:`sympy.diff`, never a hand-written rule: the automatic
side of symbp differentiates through these functions, and the hand-derived rules
in :mod:`symbp.rules` must stay independent of it. The one thing ``fdiff`` takes
out is a point mass (``DiracDelta``, the derivative of a step or ``sign`` in the
formula): see :func:`without_point_masses`. :func:`derivative` is that derivative
for any expression (a cost's loss written with ``sign``); the automatic side
differentiates with it.

New functions (for user-registered activations) are made by
:func:`define_function`, which the built-in ones use too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

import sympy as sp

__all__ = [
    "ActivationFunction",
    "define_function",
    "reserved_name",
    "unfold",
    "without_point_masses",
    "derivative",
    "sigmoid",
    "relu",
    "leaky_relu",
]


class ActivationFunction(sp.Function):
    """Base class: a named function with an explicit formula.

    Subclasses set ``_formula`` (a callable building the explicit expression from
    the arguments) and ``_latex_name``. State lives in ``args`` only, as SymPy
    requires.
    """

    _formula: ClassVar[Callable[..., sp.Expr]]
    _latex_name: ClassVar[str]
    _derivative_cache: ClassVar[dict]
    is_real = True

    @classmethod
    def eval(cls, *args):  # safe: SymPy's evaluation hook for numeric arguments, not Python's eval
        if all(arg.is_Number for arg in args):
            return cls._formula(*args)
        return None

    def explicit(self) -> sp.Expr:
        """The explicit formula at this function's arguments.

        Examples
        --------
        >>> import sympy as sp
        >>> sigmoid(sp.Symbol("x")).explicit()
        1/(1 + exp(-x))
        """
        return type(self)._formula(*self.args)

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        """SymPy's derivative of the explicit formula (never a hand rule), its point masses taken as 0.

        A step or ``sign`` in the formula makes SymPy's derivative carry ``DiracDelta``; every
        consumer of a derivative (autodiff, compiled and generated code, derivations) wants the
        derivative away from the kink, so the point masses go here, once. The exact check still
        sees them: it differentiates the unfolded formula (:func:`unfold`), and its proof says
        when it took them as 0.

        Examples
        --------
        >>> import sympy as sp
        >>> z = sp.Symbol("z", real=True)
        >>> absolute = define_function("demo_abs", lambda u: u * sp.sign(u))
        >>> sp.diff(absolute(z), z), sp.diff(unfold(absolute(z)), z)
        (sign(z), 2*z*DiracDelta(z) + sign(z))
        """
        cls = type(self)
        key = (len(self.args), argindex)
        if key not in cls._derivative_cache:
            dummies = sp.symbols(f"_d0:{len(self.args)}", real=True, cls=sp.Dummy)
            if not 1 <= argindex <= len(self.args):
                raise sp.ArgumentIndexError(self, argindex)
            cls._derivative_cache[key] = (dummies, derivative(cls._formula(*dummies), dummies[argindex - 1]))
        dummies, template = cls._derivative_cache[key]
        return template.xreplace(dict(zip(dummies, self.args)))

    def _eval_evalf(self, prec):
        return self.explicit().evalf(prec_to_dps(prec))

    def _latex(self, printer, exp=None):
        args = ", ".join(printer._print(arg) for arg in self.args[:1])
        name = type(self)._latex_name
        head = f"{name}^{{{exp}}}" if exp is not None else name
        return rf"{head}\left({args}\right)"


def prec_to_dps(prec: int) -> int:
    """Binary precision to decimal digits, as mpmath counts them."""
    return max(1, int(round(prec / 3.3219280948873626) - 1))


_REGISTRY: dict[tuple[str, str], type[ActivationFunction]] = {}


def _numpycode(self, printer, **settings):
    # The NumPy printers' hook: a user activation prints as its explicit formula, so
    # it can never be mistaken for a NumPy function that happens to share its name. Parenthesized
    # as the function call it stands for: y - elu(z) must not print as y - max(z, 0) + min(...).
    from sympy.printing.precedence import PRECEDENCE

    return printer.parenthesize(self.explicit(), PRECEDENCE["Func"])


def reserved_name(name: str) -> str | None:
    """Why ``name`` cannot name a new function (``None`` if it can).

    Examples
    --------
    >>> reserved_name("tanh")
    'it is a SymPy function'
    >>> reserved_name("swish") is None
    True
    """
    import numpy

    if not name.isidentifier() or name.startswith("_"):
        return "it is not an identifier that starts with a letter"
    if hasattr(sp, name):
        return "it is a SymPy function"
    if hasattr(numpy, name):
        return "it is a NumPy name"
    return None


def define_function(
    name: str,
    formula: Callable[..., sp.Expr],
    *,
    latex: str | None = None,
    nargs: int = 1,
    kernel: bool = False,
) -> type[ActivationFunction]:
    """Create (or return the existing) SymPy function ``name`` with an explicit formula.

    Parameters
    ----------
    name
        A Python identifier; the class name. Names of SymPy and NumPy functions
        are refused (a printer could take one for the other).
    formula
        Builds the explicit expression from ``nargs`` SymPy arguments.
    latex
        The LaTeX for the function's name, e.g. ``r"\\sigma"``; defaults to
        ``\\operatorname{name}``.
    kernel
        True for symbp's own functions, for which the code printers have a stable
        kernel; others print as their explicit formula in NumPy code.

    Two definitions with the same name and the same formula give the same class;
    a different formula gives a different class (so two network files may each
    define their own ``swish``).

    Examples
    --------
    >>> import sympy as sp
    >>> swish = define_function("demo_swish", lambda z: z / (1 + sp.exp(-z)))
    >>> z = sp.Symbol("z", real=True)
    >>> sp.diff(swish(z), z) == sp.diff(z / (1 + sp.exp(-z)), z)
    True
    """
    why = reserved_name(name)
    if why is not None:
        raise ValueError(f"{name!r} cannot name an activation: {why}; choose another name")
    key = (name, sp.srepr(formula(*sp.symbols(f"c0:{nargs}", real=True))))
    if key in _REGISTRY:
        return _REGISTRY[key]
    namespace = {
        "_formula": staticmethod(formula),
        "_latex_name": latex or rf"\operatorname{{{name}}}",
        "_derivative_cache": {},
        "nargs": nargs,
        "__module__": __name__,
        "__doc__": f"Activation function {name!r} with an explicit formula (see symbp.functions).",
    }
    if not kernel:
        namespace["_numpycode"] = _numpycode
    cls = type(name, (ActivationFunction,), namespace)
    _REGISTRY[key] = cls
    return cls


def unfold(expr: sp.Expr) -> sp.Expr:
    """Replace every :class:`ActivationFunction` in ``expr`` by its explicit formula.

    Examples
    --------
    >>> import sympy as sp
    >>> z = sp.Symbol("z")
    >>> unfold(relu(z) + sigmoid(z))
    Piecewise((z, z > 0), (0, True)) + 1/(1 + exp(-z))
    """
    while expr.has(ActivationFunction):  # a formula may use other activations (swish uses sigmoid)
        expr = expr.replace(lambda e: isinstance(e, ActivationFunction), lambda e: e.explicit())
    return expr


def without_point_masses(expr: sp.Expr) -> sp.Expr:
    """``expr`` with every ``DiracDelta`` (the derivative of a step, ``sign`` or ``Heaviside``) taken as 0.

    A step's derivative is 0 everywhere but at its kink, where the function has no derivative: symbp
    takes the one-sided convention there (as ``relu' = step``), so gradients, proofs and generated code
    agree for activations written with ``sign``, ``Heaviside`` or a step. An activation's derivative
    (:meth:`ActivationFunction.fdiff`) is taken this way at its source; a proof that drops a point
    mass says so (:func:`symbp.proof.prove_zero`).

    Examples
    --------
    >>> import sympy as sp
    >>> z = sp.Symbol("z", real=True)
    >>> sp.diff(z * sp.sign(z), z)
    2*z*DiracDelta(z) + sign(z)
    >>> without_point_masses(sp.diff(z * sp.sign(z), z))
    sign(z)
    """
    return expr.replace(sp.DiracDelta, lambda *args: sp.S.Zero) if expr.has(sp.DiracDelta) else expr


def derivative(expr: sp.Expr, variable: sp.Symbol) -> sp.Expr:
    """SymPy's derivative of ``expr`` by ``variable``, its point masses taken as 0: the derivative away from kinks.

    Every consumer of a derivative (autodiff, the matrix calculus, generated code, derivations) wants
    it where it exists; :func:`symbp.check.check_rules` alone differentiates with :func:`sympy.diff`,
    so that its proof says when it took a point mass as 0.

    Examples
    --------
    >>> import sympy as sp
    >>> a, y = sp.symbols("a y", real=True)
    >>> derivative((a - y) * sp.sign(a - y), a)
    sign(a - y)
    """
    return without_point_masses(sp.diff(expr, variable))


# ----- Built-in activation functions: explicit formulas (the hand rules live in rules.py) -----
sigmoid = define_function("sigmoid", lambda z: 1 / (1 + sp.exp(-z)), latex=r"\sigma", kernel=True)
relu = define_function(
    "relu", lambda z: sp.Piecewise((z, z > 0), (0, True)), latex=r"\operatorname{ReLU}", kernel=True
)
leaky_relu = define_function(
    "leaky_relu",
    lambda z, slope: sp.Piecewise((z, z > 0), (slope * z, True)),
    latex=r"\operatorname{LeakyReLU}",
    nargs=2,
    kernel=True,
)
