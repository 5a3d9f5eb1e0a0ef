r"""The catalogue of common mistakes, and the wrong link they are tried on.

:data:`MISTAKES` is one table. Each entry either *commits* the mistake on the
true side (computes what the document would get with it: a path through the
network left out, a wrong derivative of an activation, a missing 1/m, 2
instead of 1/2, a quadratic cost whose residual is not squared, the opposite
sign, the whole side transposed, a weight's gradient with its two indices
swapped, an update with another parameter's gradient, a small constant factor,
a stray or missing factor of one quantity) or *repairs* it on the document's
side (rebuilds the document's expression with the mistake undone: sigma'(a)
back to sigma'(z), the other np.sum axis, keepdims=True, two factors swapped, a
transpose added or removed, an earlier line's number put back), or runs a
*test* of its own. The mistakes of place (the wrong layer, index or
quantity) are in :mod:`.misplaced`. Each is tried on a
:class:`.diagnose.Problem`, the wrong link. Non-goals: the search over the
table, and when a side reproduces the document's claim (:mod:`.diagnose`);
verdicts (:mod:`.links`).
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import sympy as sp

from ..errors import SymbpError
from ..matrixprint import text as plain_text
from ..rules import A as RULE_A
from .latex import Call, NpSum, Transpose
from .compare import POINTS
from .context import LR
from .earlier import rounded_names, rounded_values
from .numbers import Printed, rounds_to, show
from .printing import doc_latex, doc_name
from .misplaced import (component_for_vector, gradient_of_another, layer_slip, output_layer_only,
                        stacked_examples, through_a_parameter)
from .sides import Side, entries, exact_literals, printed_of, safely

if TYPE_CHECKING:  # pragma: no cover
    from .diagnose import Problem


__all__ = ["Mistake", "MISTAKES"]


@dataclass(frozen=True)
class Mistake:
    """One common mistake, and how it is tried.

    ``kind`` is ``"commit"`` (``candidates`` yields the true side with the mistake made), ``"repair"`` (the
    document's side with the mistake undone) or ``"test"`` (a test of its own, which yields at most one
    explanation with no side). Each candidate is ``(side, explanation)``. ``alone``: a slip in copying numbers,
    not in writing the formula, is named only by itself, never as one of two mistakes together (:mod:`.diagnose`).
    """

    name: str
    kind: str
    candidates: Callable[[Problem], Iterator[tuple[Side | None, str]]]
    alone: bool = False


def _scaled(problem: Problem, factor) -> Side:
    value = problem.reference.value
    value = value.applyfunc(lambda e: e * factor) if isinstance(value, sp.MatrixBase) else value * factor
    return Side(value, problem.reference.env)


def _in_variants(problem: Problem, variants: dict):
    """The true side in each network of ``variants`` (name -> the mistake it builds in, :mod:`.variants`)."""
    if problem.sort(0) != "symbolic":
        return
    for variant, what in variants.items():
        side = problem.rebuild(0, variant=variant)
        if side.error is None and side.value is not None:
            side = replace(side, value=problem.ctx.in_variant(side.value, variant))
            if not all(e == 0 for e in entries(side.value)):
                # (a variant that cuts every path of the quantity would "explain" any claim of 0)
                yield side, f"{what}{_value_text(problem, side)}"


def _path_left_out(problem: Problem):
    return _in_variants(problem, problem.ctx.variants())


def _unsquared_residual(problem: Problem):
    """The quadratic cost with its residual not squared (a - y or |a - y|): its value, and the gradients from it.

    Printed decimals are tried only as the cost's value: a gradient or an update written with them (0.52, or
    0.5 - 0.1 (-0.2)) fitted the slip by chance, within their rounding; as a formula or exact numbers it is tried.
    """
    ctx, env = problem.ctx, problem.claimed.env
    decimals = env is not None and bool(env.literals)
    if ctx.spec is None or decimals and not problem.reference.value.has(ctx.forward.cost_symbol):
        return iter(())
    return _in_variants(problem, ctx.cost_variants())


def _repairs(problem: Problem, pieces, mutation, explain):
    """The document's side with one mutation per piece (the mistake undone)."""
    for piece in pieces:
        side = problem.rebuild(1, mutation=mutation(piece))
        if side.error is None:
            yield side, explain(piece)


def _sigma_prime_of_a(problem: Problem):
    calls = [c for c in problem.pieces(1, Call) if c.primes or c.function.primes]
    return _repairs(problem, calls, lambda c: ("argument", id(c)),
                    lambda c: f"the derivative {c.function.name} is taken at the activation a instead of the "
                              f"pre-activation z (sigma'(a) for sigma'(z))")


def _one_over_m(problem: Problem):
    m = problem.ctx.batch
    if m < 2:
        return
    yield _scaled(problem, m), f"the 1/m of the mean over the batch (m = {m}) is missing"
    yield _scaled(problem, sp.Rational(1, m)), f"an extra 1/m: the batch mean (m = {m}) is taken twice"


def _wrong_axis(problem: Problem):
    return _repairs(problem, problem.pieces(1, NpSum), lambda p: ("axis", id(p)),
                    lambda p: f"np.sum over axis={p.axis} adds up the units of each example; the examples are the "
                              f"columns, so the sum over the batch is axis={1 - p.axis}")


def _no_keepdims(problem: Problem):
    pieces = [p for p in problem.pieces(1, NpSum) if p.flattens]
    return _repairs(problem, pieces, lambda p: ("keepdims", id(p)),
                    lambda p: "keepdims=True is missing: np.sum(..., axis=1) without it is a 1-D array, which NumPy "
                              "broadcasts as a row (a bias update b - alpha db then makes a square matrix)")


def _order_or_transpose(problem: Problem):
    yield from _repairs(problem, problem.pieces(1, Transpose), lambda p: ("transpose", id(p)),
                        lambda p: "a transpose too many: without it the two sides agree")
    products = problem.claimed.env.products if problem.claimed.env is not None else 0
    for product in range(1, products + 1):
        for position in range(4):
            for kind, text in (("toggle", "a transpose is missing (or extra) on factor {n} of a product"),
                               ("swap", "factors {n} and {n1} of a product are in the wrong order")):
                try:
                    side = problem.rebuild(1, mutation=(kind, product, position))
                except IndexError:
                    break
                if side.error is None:
                    yield side, text.format(n=position + 1, n1=position + 2)


def _transposed(problem: Problem):
    value = problem.reference.value
    if isinstance(value, sp.MatrixBase) and value.rows != value.cols:
        yield Side(value.T, problem.reference.env), ("the whole side is transposed: it is the transpose of the true "
                                                     "value (the factors of a product in the wrong order, each "
                                                     "transposed)")


def _indices_swapped(problem: Problem):
    """The gradient of w_kj for that of w_jk (a_j delta_k for a_k delta_j), entry by entry of the true side."""
    ctx = problem.ctx
    if problem.sort(0) != "symbolic" or ctx.spec is None:
        return
    W = ctx.symbols.W
    weights = {}  # a weight's gradient -> (layer, j, k)
    for l in range(1, ctx.depth + 1):
        for j, k in itertools.product(range(W[l].rows), range(W[l].cols)):
            gradient = ctx.cost_derivative(W[l][j, k])
            if gradient != 0:
                weights.setdefault(gradient, (l, j, k))
    found = [weights.get(e) for e in entries(problem.reference.value)]
    if any(f is None or f[2] >= W[f[0]].rows or f[1] >= W[f[0]].cols for f in found) or \
            all(j == k for _, j, k in found):
        return  # not every entry is the gradient of a weight whose mirror exists, or every one is its own mirror
    swapped = [ctx.cost_derivative(W[l][k, j]) for l, j, k in found]
    value = problem.reference.value
    value = sp.ImmutableMatrix(value.rows, value.cols, swapped) if isinstance(value, sp.MatrixBase) else swapped[0]
    side = Side(value, problem.reference.env)
    if len(found) == 1:
        l, j, k = found[0]
        name = lambda r, c: doc_name(ctx, problem.link.notation, W[l][r, c])
        what = f"this is the gradient of {name(k, j)}, not of {name(j, k)}"
    else:
        what = "this is the transpose of the gradient, each entry that of the weight with its indices the other way"
    yield side, (f"a weight's indices swapped: {what} (w_jk carries a_k of the layer below into unit j, so its "
                 f"gradient is a_k delta_j, not a_j delta_k){_value_text(problem, side)}")


def _other_parameter(problem: Problem):
    """An update that descends another parameter's gradient: w_12 - eta dC/dw_11 for w_12 - eta dC/dw_12.

    The other parameters are those of the same matrix (the weights, or the biases, of the layer): an index slip.
    """
    ctx, parameter = problem.ctx, problem.reference.parameter
    if problem.link.claim.kind != "update" or problem.k != 0 or ctx.spec is None or not isinstance(parameter, sp.Symbol):
        return
    name = lambda p: doc_name(ctx, problem.link.notation, p)
    matrix = next((m for m in ctx.symbols.parameters().values() if parameter in m), ())
    for other in matrix:
        gradient = ctx.cost_derivative(other) if other != parameter else 0
        if gradient != 0:
            side = Side(parameter - LR * gradient, problem.reference.env)
            yield side, (f"the update descends the gradient of another parameter: {name(other)}'s, not "
                         f"{name(parameter)}'s{_value_text(problem, side)}")


def _constant_factor(problem: Problem):
    """The document's expression is a small constant times the true one (2 (a - y) for a - y...)."""
    reference, claimed = problem.reference.value, problem.claimed.value
    if problem.sort(0) != "symbolic" or problem.sort(1) != "symbolic" or claimed is None or \
            problem.claimed.error is not None or not problem.fits(reference, claimed):
        return
    overrides = {**exact_literals(problem.reference.env), **exact_literals(problem.claimed.env)}
    try:
        true = entries(problem.ctx.evaluate(reference, POINTS[0], overrides))
        claimed = entries(problem.ctx.evaluate(claimed, POINTS[0], overrides))
    except (sp.SympifyError, TypeError):  # a side with parts that have no value (unread)
        return
    t, c = next(((t, c) for t, c in zip(true, claimed) if abs(t) > sp.Float(10) ** -10), (None, None))
    if t is None:
        return
    ratio = sp.nsimplify(c / t, rational=True, tolerance=sp.Float(10) ** -20)
    if ratio in (0, 1, -1) or not ratio.is_Rational or ratio.q > 12 or abs(ratio.p) > 12:
        return  # -1 is the wrong sign's; a ratio that is no small fraction is no constant factor
    yield _scaled(problem, ratio), f"a constant factor: the document's expression is {ratio} times the true one"


#: What a stray factor of one quantity q is called: (the document's side is the true one times q^power, q is a
#: factor of the side it multiplies or divides) -> the diagnosis
_STRAY = {
    (1, True): "an extra factor {q}: without it the document's expression is the true one",
    (-1, True): "a factor {q} is missing: with it the document's expression is the true one",
    (-1, False): "an extra division by {q}: without it the document's expression is the true one",
    (1, False): "a division by {q} is missing: with it the document's expression is the true one",
}


def _factor_of_one_quantity(problem: Problem):
    """The document's expression is the true one times, or divided by, one quantity (-a_22, x): a stray factor.

    Tried on identities only (numbers would fit too many quantities): the quantities of the document's side and
    of the true side, each with either sign. It is a missing factor only when the quantity is a factor of the
    true side (a_12 delta_1 / y_1 for a_12 delta_1 has a stray division, it lacks no factor y_1), an extra one
    only when it is a factor of the document's.
    """
    if problem.sort(0) != "symbolic" or problem.sort(1) != "symbolic" or problem.claimed.value is None:
        return
    ctx = problem.ctx
    expand = lambda value: value.applyfunc(ctx.expand_adjoint_symbols) if isinstance(value, sp.MatrixBase) else \
        ctx.expand_adjoint_symbols(value)
    claimed, true = expand(problem.claimed.value), expand(problem.reference.value)
    quantities = lambda value: sorted((s for s in value.free_symbols if ctx.locate(s) is not None
                                       or s in ctx.free.values()), key=str)
    tried = [(q, 1) for q in quantities(claimed)] + [(q, -1) for q in quantities(true)]
    tried += [(q, -power) for q, power in tried]
    for (q, power), sign in itertools.product(tried, (1, -1)):
        if safely(problem.matches, _scaled(problem, sign * q ** power).value):
            factor = all(not sp.denom(sp.cancel(e / q)).has(q) for e in entries(claimed if power == 1 else true))
            yield None, _STRAY[power, factor].format(q=doc_latex(ctx, problem.link.notation, sign * q))
            return


def _quadratic_factor(problem: Problem):
    if problem.ctx.spec is None:
        return
    rule = problem.ctx.spec.cost_rule()
    if not rule.loss.is_polynomial(RULE_A) or sp.degree(rule.loss, RULE_A) != 2:
        return  # the mistake is about the quadratic cost's 2 or 1/2
    loss, derivative = plain_text(rule.loss), plain_text(rule.derivative)
    for factor, text in ((2, "a factor 2 too many"), (sp.Rational(1, 2), "a factor 1/2 too many")):
        yield _scaled(problem, factor), (f"{text}: 2 versus 1/2 in the quadratic cost (here the loss is {loss}, "
                                         f"whose derivative is {derivative})")


def _sign(problem: Problem):
    if problem.link.claim.kind == "update" and problem.k == 0:
        side = problem.rebuild(0, update_sign=-1)
        if side.error is None:
            yield side, ("a wrong sign in the update: it adds the learning rate times the gradient instead of "
                         "subtracting it")
    yield _scaled(problem, -1), "a wrong sign: the document's value is the negative of the true one"


def _carried_value(problem: Problem):
    """A number of the document's arithmetic put back as an earlier line computed it (-0.54 + 0.45 for -0.54 + 0.54).

    Only a number inside arithmetic, neither a whole side nor entry (that one would fit any number: it says nothing
    about this line) nor one of the example's own inputs (a weight, the learning rate); and only a value the earlier
    line printed right, as "the one computed there" says.
    """
    if problem.sort(1) == "symbolic" or problem.claimed.value is None:
        return
    ctx, env = problem.ctx, problem.claimed.env
    records = [(line, earlier, text) for line, expr, earlier, text in
               reversed(problem.link.verifier.printed_exprs.get(problem.link.claim.context, []))
               if safely(lambda: rounds_to(ctx.evaluate(expr, "example"), earlier))]
    bare = {s for e in entries(problem.claimed.value) for s in e.free_symbols if e in (s, -s)}
    for symbol, printed in env.literals.items():
        for line, earlier, text in records if symbol not in bare and not printed.exact else ():
            if abs(earlier.value) == printed.value:  # a literal is unsigned: -0.07 is the literal 0.07 negated
                continue
            # the earlier number in place of this one, at its own printed precision; its size only, as the
            # claim writes its own sign
            size = abs(earlier.value)
            carried = copy.copy(env)
            carried.literals = {**env.literals, symbol: Printed(size, earlier.decimals, earlier.text, earlier.exact)}
            yield Side(problem.claimed.value, carried), (
                f"a value carried from an earlier line differs from the one computed there: {printed.text} is used "
                f"where line {line} gives {text} = {earlier.text}")


def _rounded_too_early(problem: Problem):
    if problem.sort(0) != "symbolic" or problem.sort(1) == "symbolic" or problem.claimed.value is None:
        return
    rounded = rounded_values(problem.link, problem.reference)
    if rounded is None:
        return
    printed = [printed_of(e, problem.claimed.env) for e in entries(problem.claimed.value)]
    if all(p is not None and rounds_to(v, p) for v, p in zip(rounded, printed)):
        yield None, f"intermediate values rounded too early ({rounded_names(problem.link, problem.reference)})"


def _one_per_example(problem: Problem):
    """Printed numbers one per example (a row of m for an n x 1 or a scalar truth) whose sum or mean is the truth."""
    m, reference, claimed = problem.ctx.batch, problem.reference.value, problem.claimed.value
    rows = 1 if not isinstance(reference, sp.MatrixBase) else reference.rows
    if problem.sort(0) != "symbolic" or problem.sort(1) != "literal" or m < 2 or \
            not isinstance(claimed, sp.MatrixBase) or claimed.shape != (rows, m) or \
            (isinstance(reference, sp.MatrixBase) and reference.cols != 1):
        return
    printed = [[printed_of(e, problem.claimed.env) for e in claimed.row(r)] for r in range(rows)]
    if any(p is None for row in printed for p in row):
        return
    true = entries(problem.ctx.evaluate(reference, "example", exact_literals(problem.reference.env)))
    slack = 1 + sp.Rational(1, 10**12)
    for scale, what in ((1, "sum"), (sp.Rational(1, m), "mean")):
        if all(abs(scale * sum(p.rational for p in row) - t) <= scale * sum(p.spread for p in row) * slack
               for row, t in zip(printed, true)):
            yield None, (f"not summed over the examples: the document prints one value per example (a sum over "
                         f"the wrong axis, or none), whose {what} is the true value")
            return


def _value_text(problem: Problem, side: Side) -> str:
    if problem.sort(0) != "symbolic":
        return ""
    try:
        values = entries(problem.ctx.evaluate(side.value, "example", exact_literals(side.env)))
    except SymbpError:  # no example numbers: the explanation stands without the value
        return ""
    return "; that gives " + (show(values[0]) if len(values) == 1 else "[" + ", ".join(show(v) for v in values) + "]")


# ----- The catalogue: name | kind | candidates (the mistake made on the truth, or undone in the claim) -----
MISTAKES: list[Mistake] = [
    Mistake("a path through the network left out", "commit", _path_left_out),
    Mistake("sigma'(a) used for sigma'(z)", "repair", _sigma_prime_of_a),
    Mistake("a missing or extra 1/m", "commit", _one_over_m),
    Mistake("a sum over the wrong axis", "repair", _wrong_axis),
    Mistake("one value per example, not summed over the batch", "test", _one_per_example),
    Mistake("np.sum without keepdims=True", "repair", _no_keepdims),
    Mistake("factors in the wrong order or a missing transpose", "repair", _order_or_transpose),
    Mistake("2 versus 1/2 in the quadratic cost", "commit", _quadratic_factor),
    Mistake("the residual of the quadratic cost not squared", "commit", _unsquared_residual),
    Mistake("a wrong sign (in the update)", "commit", _sign),
    Mistake("the whole side transposed", "commit", _transposed),
    Mistake("a weight's indices swapped", "commit", _indices_swapped),
    Mistake("an update with another parameter's gradient", "commit", _other_parameter),
    Mistake("a constant factor", "commit", _constant_factor),
    Mistake("an extra or missing factor of one quantity", "test", _factor_of_one_quantity),
    Mistake("a value carried from an earlier line that differs from the one computed there", "repair", _carried_value,
            alone=True),
    Mistake("intermediate values rounded too early", "test", _rounded_too_early),
    Mistake("a layer index slip (l for L or L for l)", "test", layer_slip),
    Mistake("an equation of the output layer written for every layer", "test", output_layer_only),
    Mistake("a component on one side, the whole vector on the other", "test", component_for_vector),
    Mistake("the examples stacked in one column", "commit", stacked_examples),
    Mistake("the gradient of another quantity", "commit", gradient_of_another),
    Mistake("the chain rule taken through a parameter", "test", through_a_parameter),
]
