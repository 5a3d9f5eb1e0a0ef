"""Values of a context's symbols: at the worked example's numbers, or at seeded random points.

:class:`Values` (mixed into :class:`~.context.Context`) gives every input its
value (the example's exact numbers from the network file, or seeded random
rationals), runs the forward program and symbp's adjoint sweep on them with
``DIGITS`` significant digits, and evaluates any expression over those
symbols. Non-goals: what the symbols mean (:mod:`.quantities`).
"""

from __future__ import annotations

import random
from fractions import Fraction
from functools import cached_property

import sympy as sp

from .tokens import LatexParseError

__all__ = ["Values", "QuantityError", "LR", "DIGITS", "finite"]

LR = sp.Symbol(r"\eta", positive=True)
DIGITS = 40


#: What SymPy gives for a value that is not a finite number.
NON_FINITE = (sp.zoo, sp.oo, -sp.oo, sp.nan)


def finite(value) -> bool:
    """False when ``value`` (a scalar or a matrix) is or contains an infinity or NaN.

    Examples
    --------
    >>> finite(sp.Integer(1) / 0), finite(sp.log(0)), finite(sp.ImmutableMatrix([1, 2]))
    (False, False, True)
    """
    return not (hasattr(value, "has") and value.has(*NON_FINITE))


class QuantityError(LatexParseError):
    """A symbol's meaning does not exist here (layer or index out of range, no value)."""


class Values:
    """Evaluation of a context's symbols (needs ``spec``, ``symbols``, ``program``, ``gradient``, ``zeros``...)."""

    def example_point(self) -> dict:
        """Exact values of the inputs at the worked example (``[example]`` of the network file)."""
        if self.spec is None or self.spec.example is None:
            raise QuantityError("the network file has no [example] with the worked example's numbers")
        ex = self.spec.example
        point: dict = {}
        s = self.symbols
        for name, matrix in s.parameters().items():
            if all(p in self.zeros for p in matrix) and name not in ex.params:
                point.update(self.zeros)
                continue
            if name not in ex.params:
                raise QuantityError(f"the network's [example] has no {name}")
            point.update(zip(matrix, ex.params[name]))
        for name, matrix, value in (("X", s.X, ex.X), ("Y", s.Y, ex.Y)):
            if value is None:
                raise QuantityError(f"the network's [example] has no {name}")
            point.update(zip(matrix, value))
        if ex.learning_rate is not None:
            point[LR] = ex.learning_rate
        return point

    @property
    def has_example(self) -> bool:
        """True when the network file carries the worked example's numbers."""
        return self.spec is not None and self.spec.example is not None

    @cached_property
    def exact_inputs(self) -> dict:
        """The worked example's input values (|value| -> fewest decimals it is written with)."""
        try:
            point = self.example_point()
        except QuantityError:
            return {}
        out: dict = {}
        for value in point.values():
            v = abs(Fraction(int(value.p), int(value.q)))
            text = format(float(v), ".15g")
            decimals = len(text.split(".")[1]) if "." in text else 0
            out[v] = min(out.get(v, decimals), decimals)
        return out

    def random_point(self, seed: int) -> dict:
        """Seeded random rationals for every input, free variable and the learning rate (each example's targets
        summing to 1 where they are a distribution: ``target_sums``)."""
        rng = random.Random(seed)
        point: dict = {}
        for s in [*self.inputs, *sorted(self.free.values(), key=str)]:
            point[s] = sp.Rational(rng.randint(-150, 150), 100) or sp.Rational(1, 7)
        point[LR] = sp.Rational(rng.randint(1, 99), 100)
        point.update(self.zeros)
        point.update({y: rest.xreplace(point) for y, rest in self.target_sums.items()})  # targets summing to 1
        return point

    def values(self, which) -> dict:
        """Values (``DIGITS`` significant digits) of every symbol at ``"example"`` or at random point ``k``."""
        if which not in self._values:
            point = self.example_point() if which == "example" else self.random_point(1000 + which)
            values = {s: sp.Float(v, DIGITS) if not isinstance(v, sp.Float) else v for s, v in point.items()}
            for target, expr in self.program.assignments:
                values[target] = _number(expr.xreplace(values))
            if self.spec is not None:
                for target, expr in self.gradient.adjoint.assignments:
                    values[target] = _number(expr.xreplace(values))
            self._values[which] = values
        return self._values[which]

    def evaluate(self, expr, which, overrides: dict | None = None):
        """The value of ``expr`` (scalar or matrix) at a point; ``overrides`` replace some symbols' values."""
        values = self.values(which)
        if overrides:
            values = {**values, **overrides}
        if isinstance(expr, sp.MatrixBase):
            return expr.applyfunc(lambda e: self.evaluate(e, which, overrides))
        value = _number(sp.sympify(expr, strict=True).xreplace(values))  # safe: strict=True refuses text
        if not finite(value):
            where = "the worked example" if which == "example" else "a seeded random point"
            raise QuantityError(f"the value is not a finite number at {where} (a division by zero, or a logarithm "
                                f"of 0, there)")
        if not value.is_number:
            missing = sorted(str(s) for s in value.free_symbols)
            raise QuantityError(f"no value for {', '.join(missing)} at the {'example' if which == 'example' else 'point'}")
        return value



def _number(expr: sp.Expr) -> sp.Expr:
    if expr.is_Number:
        return expr
    return expr.evalf(DIGITS)
