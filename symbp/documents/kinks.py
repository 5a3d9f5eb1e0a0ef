r"""The derivative at a kink of the worked example: a value the document chooses.

An activation such as relu has no derivative where its pre-activation sits at
its kink (``z = 0``). symbp takes the value its formula gives there (relu'(0) =
0, the one-sided convention of :func:`symbp.functions.without_point_masses`); a
document may take another (relu'(0) = 1, or 1/2). When the worked example puts a
pre-activation exactly at a kink, a number the document derives from it may be
off only because of that choice. :func:`kinks` finds, exactly, the units of the
example at a kink; :func:`at_kinks` checks a wrong link again at the example
with the derivative at those kinks taken as each value a document may choose
there (the derivative's one-sided limits and their mean), and says which one
makes the link hold. Non-goals: kinks away from the example (an identity must
hold for every input; :mod:`symbp.proof` says where a step's derivative
differs), one convention across several claims.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

import sympy as sp

from ..program import Program
from ..rules import Z as RULE_Z
from .context import Context, QuantityError
from .printing import doc_name
from .sides import Side

if TYPE_CHECKING:  # pragma: no cover
    from .links import Link

__all__ = ["Kink", "kinks", "at_kinks", "taking"]

#: What an activation's derivative has where it has no derivative: a jump between two formulas.
NONSMOOTH = (sp.Piecewise, sp.Heaviside, sp.sign, sp.Abs, sp.Max, sp.Min)
#: How far either side of a pre-activation's 40-digit value to look for a jump of the derivative (then proved).
NEAR = sp.Float(10) ** -30
_EPSILON = sp.Symbol("epsilon", positive=True)
_FOUND: WeakKeyDictionary = WeakKeyDictionary()  # Context -> its kinks
_TAKEN: WeakKeyDictionary = WeakKeyDictionary()  # Context -> {values chosen at its kinks -> the context taking them}


@dataclass(frozen=True)
class Kink:
    """A unit of the worked example whose pre-activation is exactly at a kink of its activation.

    ``derivative`` is the activation's derivative at ``z`` as symbp's programs write it; ``own`` its value at
    the kink in symbp; ``choices`` the other values a document may take there, most common first.
    """

    z: sp.Symbol
    point: sp.Expr
    activation: str
    derivative: sp.Expr
    own: sp.Expr
    choices: tuple


def kinks(ctx: Context) -> tuple[Kink, ...]:
    """The units of the worked example whose pre-activation is exactly at a kink of their activation.

    Parameters
    ----------
    ctx : Context
        A context with a network and its worked example (else there are none).

    Returns
    -------
    tuple of Kink
        In layer order; each kink's ``choices`` are the derivative's limit from the right, from the left and
        their mean, without the value symbp takes.

    Examples
    --------
    A relu unit with w x + b = 0.5 * 2 - 1 = 0:

    >>> from symbp.documents.examples import ONE_UNIT, one_unit
    >>> ctx, _ = one_unit(ONE_UNIT.replace("sigmoid", "relu").replace("b1 = [0]", "b1 = [-1]"))
    >>> [(k.z, k.point, k.activation, k.own, k.choices) for k in kinks(ctx)]
    [(z^{[1]}_{1}, 0, 'relu', 0, (1, 1/2))]
    >>> kinks(one_unit()[0])  # a sigmoid has no kink
    ()
    """
    if ctx not in _FOUND:
        try:
            _FOUND[ctx] = tuple(_kinks(ctx)) if ctx.has_example else ()
        except QuantityError:  # an example without some of its numbers: no values to find kinks at
            _FOUND[ctx] = ()
    return _FOUND[ctx]


def _kinks(ctx: Context):
    values = ctx.values("example")
    for layer in range(1, ctx.depth + 1):
        rule = ctx.spec.activation_rule(layer)
        if rule.kind != "elementwise":
            continue
        general = sp.diff(rule.apply([RULE_Z], ctx.spec.options)[0], RULE_Z)
        if not general.has(*NONSMOOTH):  # smooth everywhere
            continue
        for z in ctx.symbols.Z[layer]:
            kink = _kink(ctx, z, rule.name, general, values[z])
            if kink is not None:
                yield kink


def _kink(ctx: Context, z: sp.Symbol, name: str, general: sp.Expr, near: sp.Expr) -> Kink | None:
    """The kink at ``z`` when the derivative jumps there, proved at the exact value of ``z``; else None."""
    if _one_sided(general, near - NEAR, 0) == _one_sided(general, near + NEAR, 0):  # no jump near its value
        return None
    point = ctx.expand_all(z).xreplace(ctx.example_point())  # exact: the example's numbers are rationals
    left, right = _one_sided(general, point, -1), _one_sided(general, point, 1)
    if left == right or not (left.is_number and right.is_number):
        return None
    own = general.xreplace({RULE_Z: point})
    choices = tuple(dict.fromkeys(c for c in (right, left, (left + right) / 2) if c != own))
    return Kink(z, point, name, general.xreplace({RULE_Z: z}), own, choices)


def _one_sided(general: sp.Expr, point: sp.Expr, side: int) -> sp.Expr:
    """The derivative's limit at ``point`` from the right (``side`` 1), the left (-1), or its value there (0)."""
    value = general.xreplace({RULE_Z: point + side * _EPSILON})
    return sp.limit(value, _EPSILON, 0, "+") if value.has(_EPSILON) else value


class _Taking(Context):
    """A context whose derivatives at the example's kinks are taken as chosen values: for the example only.

    Its adjoint program has each kink's derivative replaced by the value chosen (which holds at the example,
    where the pre-activation is at the kink, and nowhere else), and so has every expression it evaluates.
    """

    taken: dict

    def evaluate(self, expr, which, overrides=None):
        return super().evaluate(self._taken(expr), which, overrides)

    def expand_all(self, expr):
        return super().expand_all(self._taken(expr))

    def _taken(self, expr):
        return sp.sympify(expr, strict=True).xreplace(self.taken)  # safe: strict=True refuses text


def taking(ctx: Context, taken: dict) -> Context:
    """``ctx`` with the derivative at the example's kinks taken as ``taken`` (kink derivative -> value).

    Only values at the worked example mean anything in it: the derivative is replaced for every input.

    Examples
    --------
    >>> from symbp.documents.examples import ONE_UNIT, one_unit
    >>> ctx, _ = one_unit(ONE_UNIT.replace("sigmoid", "relu").replace("b1 = [0]", "b1 = [-1]"))
    >>> [kink] = kinks(ctx)
    >>> db = ctx.cost_derivative(ctx.symbols.b[1][0])
    >>> ctx.evaluate(db, "example"), taking(ctx, {kink.derivative: 1}).evaluate(db, "example")
    (0, -1.000000000000000000000000000000000000000)
    """
    other = _Taking.__new__(_Taking)
    other.__dict__.update(ctx.__dict__)
    gradient = ctx.gradient
    other.__dict__["gradient"] = replace(
        gradient, adjoint=Program(tuple((t, e.xreplace(taken)) for t, e in gradient.adjoint.assignments)),
        gradients={v: e.xreplace(taken) for v, e in gradient.gradients.items()})
    other._values = {}
    other._derivatives = {}
    other.taken = dict(taken)
    return other


def at_kinks(link: Link, k: int, sides: list[Side]):
    r"""A wrong link that holds at the example once the derivative at its kinks takes the document's value.

    Parameters
    ----------
    link : Link
    k : int
        The link between sides ``k`` and ``k + 1``, wrong at symbp's value of the derivative at the kinks.
    sides : list of Side

    Returns
    -------
    tuple of (Comparison, Link) or None
        The link compared again at the example's numbers (:func:`.links.compare_link`, ``example_only``) with the
        first value that makes it ``correct`` (or ``rounding``): that :class:`~.compare.Comparison`, its message
        after the convention taken ("holds with relu'(0) = 1, a convention: ..."), and the link in that context;
        None when no value does, or the link does not depend on the example.

    Examples
    --------
    A relu unit at its kink (z = 0.5 * 2 - 1 = 0), and a document that takes relu'(0) = 1:

    >>> from symbp.documents.examples import ONE_UNIT, verify_claims
    >>> relu = ONE_UNIT.replace("sigmoid", "relu").replace("b1 = [0]", "b1 = [-1]")
    >>> for r in verify_claims((r"\frac{\partial L}{\partial b} = -1", "numeric"),
    ...                        (r"\frac{\partial L}{\partial b} = -2", "numeric"), network=relu):
    ...     print(r.verdict, "|", r.reason)
    correct | holds with relu'(0) = 1, a convention: at the example z is 0, where relu has no derivative (symbp takes relu'(0) = 0); exactly -1 at the example's numbers (proved)
    wrong | the exact value at the example is 0, not -2 (a whole number printed without decimals is compared exactly)
    """
    from .links import compare_link

    sorts = link.sorts[k], link.sorts[k + 1]
    if "symbolic" not in sorts or (sorts == ("symbolic", "symbolic") and link.claim.kind != "numeric"):
        return None  # arithmetic on printed numbers, or an identity: for every input, not the example's
    found = kinks(link.ctx)
    if not found:
        return None
    choices = {(kink.activation, kink.point): kink.choices for kink in found}  # one value per activation and kink
    where = sorted(choices, key=str)
    for values in itertools.product(*(choices[w] for w in where)):
        chosen = dict(zip(where, values))
        held = replace(link, ctx=_taking_cached(link.ctx, found, chosen))
        comparison = compare_link(held, k, sides, example_only=True)
        if comparison.status in ("correct", "rounding"):
            return comparison._replace(message=f"{_convention(link, found, chosen)}; {comparison.message}"), held
    return None


def _taking_cached(ctx: Context, found: tuple[Kink, ...], chosen: dict) -> Context:
    """:func:`taking` with one value per activation and kink, made once per context (its example values are kept)."""
    made = _TAKEN.setdefault(ctx, {})
    key = tuple(chosen.items())
    if key not in made:
        made[key] = taking(ctx, {kink.derivative: chosen[kink.activation, kink.point] for kink in found})
    return made[key]


def _convention(link: Link, found: tuple[Kink, ...], chosen: dict) -> str:
    """What the document took at the kinks: ``holds with relu'(0) = 1, a convention: at the example z is 0, ...``."""
    parts = []
    for (name, point), value in chosen.items():
        units = [kink for kink in found if (kink.activation, kink.point) == (name, point)]
        own = units[0].own
        shown = [doc_name(link.ctx, link.notation, kink.z) for kink in units]
        verb = "is" if len(shown) == 1 else "are"
        parts.append(f"{name}'({point}) = {value}, a convention: at the example {', '.join(shown)} {verb} {point}, "
                     f"where {name} has no derivative (symbp takes {name}'({point}) = {own})")
    return "holds with " + "; and ".join(parts)
