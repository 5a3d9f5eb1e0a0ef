"""The steps of a network's derivation: forward pass, chain rule, errors of every layer.

Builds the first sections of :func:`symbp.derivation.derive`:

1. the forward equations of every layer (matrix form and one unit written out)
   and the cost;
2. the output layer: dC/dw = dC/da . da/dz . dz/dw for one weight, each factor
   differentiated and written in the rule's own form, the product simplified
   (with a softmax output, the sum over every output the pre-activation feeds);
3. the hidden layers: for one weight the sum over every path to the cost
   written out (softmax cross terms included), then the error of every hidden
   unit by the recursion.

When the targets of an example sum to 1, the output error goes one step
further, to ``a - y`` (see :mod:`symbp.derivation_targets`).

Every row is proved by :class:`~symbp.derivation_check.StepChecker` before it
is added. The remaining sections (the backprop equations, the update, the
worked example) are in :mod:`symbp.derivation_numbers`.
Non-goals: rendering; matrix calculus with symbolic sizes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import sympy as sp

from . import derivation_targets
from .derivation import Derivation, Display, Heading, Link, Row, Text, width
from .derivation_check import StepChecker
from .errors import SpecError
from .functions import derivative
from .notation import Notation, load_notation
from .printing import latex, ordered_product, ordered_sum, plain
from .spec import Example, NetworkSpec
from .symbols import COST, network_symbols

__all__ = ["Context", "build_derivation", "parse_weight", "factors_of"]

#: Hidden units shown one by one in the recursion, per layer.
UNITS_SHOWN = 4
D = sp.Derivative


def parse_weight(text: str, spec: NetworkSpec) -> tuple[int, int, int]:
    """``"W2[0][1]"`` -> (layer 2, row 1, column 2), 1-based; checked against the widths.

    Examples
    --------
    >>> spec = NetworkSpec((4, 4, 2), ("sigmoid", "softmax"), "sse")
    >>> parse_weight("W2[0][1]", spec)
    (2, 1, 2)
    >>> parse_weight("W3[0][0]", spec)
    Traceback (most recent call last):
    ...
    symbp.errors.SpecError: --weight W3[0][0]: the network has layers 1..2
    """
    match = re.fullmatch(r"\s*W(\d+)\[(\d+)\]\[(\d+)\]\s*", text)
    if not match:
        raise SpecError(f"--weight {text!r}: expected a weight in code form, like W2[0][1] (layer, row, column)")
    l, r, c = (int(g) for g in match.groups())
    if not 1 <= l <= spec.depth:
        raise SpecError(f"--weight {text}: the network has layers 1..{spec.depth}")
    rows, cols = spec.widths[l], spec.widths[l - 1]
    if r >= rows or c >= cols:
        raise SpecError(f"--weight {text}: W{l} is {rows} x {cols}; rows 0..{rows - 1}, columns 0..{cols - 1}")
    return l, r + 1, c + 1


@dataclass(frozen=True, eq=False)
class Context:
    """What every section needs: the network, one example's checker, the notation."""

    spec: NetworkSpec
    notation: Notation
    checker: StepChecker
    loss: sp.Symbol
    output_weight: tuple[int, int, int]
    hidden_weight: tuple[int, int, int] | None

    @property
    def one(self):
        """Symbols of one example (batch 1)."""
        return self.checker.symbols

    @cached_property
    def batch_symbols(self):
        """Symbols of the whole batch."""
        return network_symbols(self.spec.widths, self.spec.batch)

    def chain(self, lhs, *rhs, keep_from: int | None = None, tag: str = "", step: str = "",
              given_sum: tuple = ()) -> Row:
        """A row ``lhs = rhs[0] = rhs[1] ... = given_sum[0] ...``, each link proved first.

        The links to ``given_sum`` are proved for targets that sum to 1 (see
        :attr:`~symbp.derivation_check.StepChecker.target_sum`).
        """
        links, previous = [], lhs
        for n, expr in enumerate((*rhs, *given_sum)):
            how = self.checker.prove(previous, expr, keep_from=keep_from, step=step or sp.sstr(lhs),
                                     targets_sum_to_one=n >= len(rhs))
            links.append(Link("=", expr, how))
            previous = expr
        return Row(lhs, tuple(links), tag)

    def weight(self, l: int, j: int, k: int) -> sp.Symbol:
        """The weight symbol w^{[l]}_{jk} of one example's network (1-based)."""
        return self.one.W[l][j - 1, k - 1]

    def code(self, l: int, j: int, k: int) -> str:
        """The code name of a weight (``W2[0][1]``)."""
        return self.notation.code("weight", l, j, k)

    def local_value(self, u: sp.Symbol, v: sp.Symbol) -> sp.Expr:
        """du/dv by SymPy, from u's formula, in a readable form."""
        return tidy(sp.together(derivative(self.checker.definitions[u], v)))

    def hand_value(self, u: sp.Symbol, v: sp.Symbol) -> sp.Expr:
        """du/dv in the form of the rule table (in activations), for the step after :meth:`local_value`."""
        s, spec = self.one, self.spec
        if u == self.loss or u == COST:
            j = list(s.A[spec.depth]).index(v)
            return tidy(spec.cost_rule().hand_gradient(v, s.Y[j, 0], spec.widths[-1]))
        for l in range(1, spec.depth + 1):
            if u in s.A[l] and v in s.Z[l]:
                rule, i, j = spec.activation_rule(l), list(s.A[l]).index(u), list(s.Z[l]).index(v)
                if rule.kind == "vector":
                    return tidy(rule.hand_jacobian(list(s.A[l]))[i, j])
                return tidy(rule.hand_derivative(v, u, spec.options)) if i == j else sp.S.Zero
        return self.local_value(u, v)


def tidy(expr: sp.Expr) -> sp.Expr:
    """The shortest printed of a few equivalent forms; common factors pulled out wins a near tie."""
    pulled = sp.factor_terms(expr)
    candidates = [pulled, expr]
    if sp.count_ops(expr) < 60 and not expr.has(sp.Piecewise, sp.Heaviside):
        candidates.append(sp.factor(expr))
    return min(candidates, key=lambda e: width(latex(e)) - (3 if e is pulled else 0))


# ----- The document -----
def build_derivation(network, *, notation: str | Notation = "ng", weight: str | None = None) -> Derivation:
    """Build the checked derivation (see :func:`symbp.derivation.derive`).

    ``network`` is a :class:`~symbp.network.Network`, a
    :class:`~symbp.spec.NetworkSpec` or the path of a ``network.toml``;
    ``weight`` (code form, ``"W1[0][1]"``) chooses the weight whose chain rule
    is written out.

    Examples
    --------
    >>> from symbp.derivation import Heading
    >>> d = build_derivation(NetworkSpec((2, 1), ("sigmoid",), "half_sse"), notation="nielsen", weight="W1[0][1]")
    >>> d.title, d.notation
    ('Backpropagation through a 2-1 network', 'nielsen')
    >>> [block.text for block in d.blocks if isinstance(block, Heading)]  # doctest: +NORMALIZE_WHITESPACE
    ['The forward pass', 'The output layer: the chain rule for one weight', 'Hidden layers',
     'The four backpropagation equations', 'Gradient descent']
    >>> for row in [row for row in d.rows() if row.tag][:2]:
    ...     print(row.tag, d.latex(row.lhs), "=", d.latex(row.links[-1].expr))
    BP1 \\delta^{2}_{1} = \\left(a^{2}_{1} - y_{1}\\right) a^{2}_{1} \\left(1 - a^{2}_{1}\\right)
    BP4 \\frac{\\partial C_{x}}{\\partial w^{2}_{12}} = \\delta^{2}_{1} x_{2}
    """
    from . import derivation_numbers as numbers
    from .network import Network

    if isinstance(network, (str, Path)):
        network = Network.from_toml(network)
    spec = network.spec if isinstance(network, Network) else network
    nt = notation if isinstance(notation, Notation) else load_notation(notation)
    ctx = _context(spec, nt, weight)
    blocks = [
        *forward_section(ctx),
        *output_section(ctx),
        *hidden_section(ctx),
        *numbers.equations_section(ctx),
        *numbers.update_section(ctx),
        *numbers.worked_example(ctx),
    ]
    blocks = [*_introduction(ctx), *blocks]  # after the proofs: it says whether one holds only away from kinks
    names = nt.symbol_names(ctx.one, cost="loss")
    names.update(nt.symbol_names(ctx.batch_symbols, cost="cost" if spec.batch > 1 else "loss"))
    names[ctx.loss] = nt.latex["loss"]
    names.update(numbers.generic_names(nt))
    title = spec.title or f"Backpropagation through a {'-'.join(map(str, spec.widths))} network"
    return Derivation(title, tuple(blocks), {"symbol_names": names}, nt.name)


def _context(spec: NetworkSpec, nt: Notation, weight: str | None) -> Context:
    example = spec.example
    if example is not None and example.X is not None and spec.batch > 1:
        example = Example(example.params, example.X[:, 0], example.Y[:, 0] if example.Y is not None else None,
                          example.learning_rate)
    one = replace(spec, batch=1, example=example)
    L, widths = spec.depth, spec.widths
    output = (L, 1, min(2, widths[L - 1]))
    hidden = (L - 1, min(3, widths[L - 1]), 1) if L > 1 else None
    if weight is not None:
        chosen = parse_weight(weight, spec)
        output, hidden = (chosen, hidden) if chosen[0] == L else (output, chosen)
    loss = COST if spec.batch == 1 else sp.Symbol("loss", real=True)
    return Context(spec, nt, StepChecker(one, cost=loss), loss, output, hidden)


def _introduction(ctx: Context) -> list:
    spec, nt = ctx.spec, ctx.notation
    layers = ", ".join(f"{spec.widths[l]} {spec.activations[l - 1]}{_parameters(spec, l)}"
                       for l in range(1, spec.depth + 1))
    batch = "one example" if spec.batch == 1 else f"a batch of {spec.batch} examples (one column each)"
    return [
        Text((
            f"The network has {_count(spec.widths[0], 'input')} and {_count(spec.depth, 'layer')} of units ({layers}); "
            "the loss of one "
            f"example is {spec.cost}, and the cost is its mean over {batch}. Notation: {nt.description}. ",
            "Every equation below was proved with SymPy before it was written: each derivative against symbp's "
            "automatic (reverse-mode) differentiation of the cost, each rewriting as an exact identity",
            KINKS if ctx.checker.away_from_kinks else ".",
        )),
    ]


#: How the introduction ends when a step was proved only away from the kinks of an activation or the cost.
KINKS = ("; some of them hold only wherever no step's argument is 0, as an activation or the cost of this network has "
         "a kink (a step, sign, absolute value, max or min): at a kink the function has no derivative, and the two "
         "sides may take different values there by convention.")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _parameters(spec: NetworkSpec, l: int) -> str:
    """`` with leaky_relu_slope = 1/5``: the options of layer l's rule, which its printed formula does not show."""
    return "".join(f" with {option} = {spec.options.get(option, default)}"
                   for _, option, default in spec.activation_rule(l).parameters)


# ----- 1. Forward pass -----
def forward_section(ctx: Context) -> list:
    """The forward equations (matrix form, one unit) and the cost."""
    from .derivation_numbers import forward_rows

    spec, s = ctx.spec, ctx.batch_symbols
    defs = ctx.checker.definitions if spec.batch == 1 else _batch_definitions(spec)
    blocks = [Heading("The forward pass"), Text(("Layer by layer, in matrix form and for one unit written out:",))]
    matrix_rows = forward_rows(ctx)
    rows = []
    for l in range(1, spec.depth + 1):
        z, a = s.Z[l][0, 0], s.A[l][0, 0]
        weights = [ordered_product(s.W[l][0, k], s.A[l - 1][k, 0]) for k in range(spec.widths[l - 1])]
        rows += [matrix_rows[2 * l - 2], _definition(z, ordered_sum(*weights, s.b[l][0, 0]), defs),
                 matrix_rows[2 * l - 1], _definition(a, defs[a], defs)]
    m = sp.Integer(spec.batch)
    per_example = sp.Add(*[m * term for term in sp.Add.make_args(defs[COST])])
    rows.append(_definition(COST, ordered_product(1 / m, _targets_first(per_example, set(s.Y))), defs))
    blocks.append(Display(tuple(rows)))
    return blocks


def _targets_first(expr: sp.Expr, targets: set) -> sp.Expr:
    """Every sum that has a target in it written target first: (y - a) rather than (-a + y)."""
    def reorder(e):
        first = [t for t in e.args if t in targets]
        return ordered_sum(*first, *[t for t in e.args if t not in targets])

    return expr.replace(lambda e: isinstance(e, sp.Add) and any(t in targets for t in e.args), reorder)


def shorter(expr: sp.Expr, simplified: sp.Expr) -> list[sp.Expr]:
    """``[expr, simplified]``, or ``[expr]`` when simplifying does not shorten what is printed."""
    return [expr, simplified] if width(latex(simplified)) < width(latex(expr)) - 2 else [expr]


def _batch_definitions(spec: NetworkSpec):
    from .build import build

    return build(spec).program.definitions


def _definition(symbol, expr, defs) -> Row:
    from .proof import prove_zero

    verdict = prove_zero(sp.expand(plain(expr) - defs[symbol]))
    if not verdict.proved:  # pragma: no cover - the forward program is the definition
        raise SpecError(f"forward equation of {symbol} does not match the network's program")
    return Row(symbol, (Link("=", expr, "the forward program's definition"),))


# ----- The chain of one weight -----
def factors_of(ctx: Context, weight: tuple[int, int, int]) -> tuple[list[tuple], sp.Expr]:
    """The local derivatives (u, v) on the paths from ``weight`` to the loss, and dC/dw as their chain.

    ``weight`` is ``(layer, row, column)``, 1-based. The chain is built with
    :func:`~symbp.printing.ordered_product` and
    :func:`~symbp.printing.ordered_sum`, so it prints in the order of the paths.

    Examples
    --------
    Through a softmax output, ``z_1`` reaches the loss through every output:

    >>> from symbp.notation import load_notation
    >>> from symbp.printing import latex
    >>> ctx = _context(NetworkSpec((2, 2), ("softmax",), "cross_entropy"), load_notation("ng"), None)
    >>> pairs, chain = factors_of(ctx, (1, 1, 2))
    >>> pairs
    [(C, a^{[1]}_{1}), (C, a^{[1]}_{2}), (a^{[1]}_{1}, z^{[1]}_{1}), (a^{[1]}_{2}, z^{[1]}_{1}), (z^{[1]}_{1}, w^{[1]}_{12})]
    >>> print(latex(chain))  # doctest: +NORMALIZE_WHITESPACE
    \\left(\\frac{\\partial C}{\\partial a^{[1]}_{1}} \\frac{\\partial a^{[1]}_{1}}{\\partial z^{[1]}_{1}}
    + \\frac{\\partial C}{\\partial a^{[1]}_{2}} \\frac{\\partial a^{[1]}_{2}}{\\partial z^{[1]}_{1}}\\right)
    \\frac{\\partial z^{[1]}_{1}}{\\partial w^{[1]}_{12}}
    >>> ctx.checker.prove(sp.Derivative(ctx.loss, ctx.weight(1, 1, 2)), chain, step="chain rule")
    'rational-function identity: the numerator cancels to 0 (sympy.cancel)'
    """
    l, j, k = weight
    s, C = ctx.one, ctx.loss
    w, z, a = ctx.weight(l, j, k), s.Z[l][j - 1, 0], s.A[l][j - 1, 0]
    if l == ctx.spec.depth:
        outputs = _outputs_of(ctx, l, j)
        pairs = [(C, out) for out in outputs] + [(out, z) for out in outputs] + [(z, w)]
        if len(outputs) == 1:
            return pairs, ordered_product(D(C, a), D(a, z), D(z, w))
        return pairs, ordered_product(ordered_sum(*[ordered_product(D(C, out), D(out, z)) for out in outputs]), D(z, w))
    paths, _, pairs = _paths(ctx, l, j)
    outputs = _outputs_of(ctx, l, j)
    if len(outputs) == 1:
        return pairs + [(a, z), (z, w)], ordered_product(ordered_sum(*paths), D(a, z), D(z, w))
    # A softmax hidden layer: z_j feeds every a_i of its layer; the paths are written out for a_j.
    terms = [ordered_product(ordered_sum(*paths) if out == a else D(C, out), D(out, z)) for out in outputs]
    return pairs + [(out, z) for out in outputs] + [(z, w)], ordered_product(ordered_sum(*terms), D(z, w))


def _paths(ctx: Context, l: int, j: int):
    """dC/da^{[l]}_j as a sum over paths (through the outputs when l = L-1), its values, and its factors."""
    s, C, L = ctx.one, ctx.loss, ctx.spec.depth
    a = s.A[l][j - 1, 0]
    paths, values, pairs = [], [], []
    for q in range(ctx.spec.widths[l + 1]):
        zq = s.Z[l + 1][q, 0]
        if l + 1 == L:
            for out in _outputs_of(ctx, L, q + 1):
                paths.append(ordered_product(D(C, out), D(out, zq), D(zq, a)))
                values.append(ordered_product(ctx.hand_value(C, out), ctx.hand_value(out, zq), ctx.hand_value(zq, a)))
                pairs += [p for p in ((C, out), (out, zq)) if p not in pairs]
        else:
            paths.append(ordered_product(ctx.checker.delta(l + 1, q + 1), D(zq, a)))
            values.append(ordered_product(ctx.checker.delta(l + 1, q + 1), ctx.hand_value(zq, a)))
        pairs.append((zq, a))
    return paths, values, pairs


# ----- 2. Output layer -----
def output_section(ctx: Context) -> list:
    """dC/dw for one output weight by the chain rule, each factor evaluated, then delta^L."""
    spec, s, C = ctx.spec, ctx.one, ctx.loss
    L, (l, j, k) = spec.depth, ctx.output_weight
    w, z, a_prev = ctx.weight(l, j, k), s.Z[L][j - 1, 0], s.A[L - 1][k - 1, 0]
    outputs = _outputs_of(ctx, L, j)
    pairs, chain = factors_of(ctx, ctx.output_weight)
    feeds = (", which feeds every output of the softmax, ",) if len(outputs) > 1 else (" and ", outputs[0], ", ")
    blocks = [
        Heading("The output layer: the chain rule for one weight"),
        Text((f"The weight {ctx.code(l, j, k)}, ", w, ", reaches the loss only through ", z, *feeds,
              "so the chain rule gives")),
        Display((ctx.chain(D(C, w), chain, step=f"chain rule for {ctx.code(l, j, k)}"),)),
        Text(("Each factor, differentiated from its definition and written in the activations:",)),
        Display(tuple(_factor_row(ctx, u, v) for u, v in pairs)),
    ]
    paths = ordered_sum(*[ordered_product(D(C, a), D(a, z)) for a in outputs])
    values = ordered_sum(*[ordered_product(ctx.hand_value(C, a), ctx.hand_value(a, z)) for a in outputs])
    delta = ctx.checker.delta(L, j)
    simplified = tidy(sp.expand(plain(values)))
    reduced = derivation_targets.sum_to_one(ctx, simplified)
    factored, given = ((), ()) if reduced is None else ((reduced[0],), (reduced[1],))
    blocks += [
        Text(("Multiplied together and simplified; the factors before the last make the output error ", delta, ":")),
        Display((
            ctx.chain(D(C, w), *shorter(ordered_product(values, a_prev), tidy(sp.expand(plain(values)) * a_prev)),
                      *[ordered_product(f, a_prev) for f in factored], step=f"dC/d{ctx.code(l, j, k)}",
                      given_sum=tuple(ordered_product(g, a_prev) for g in given)),
            ctx.chain(delta, paths, *shorter(values, simplified), *factored, step="output error", tag="BP1",
                      given_sum=tuple(given)),
            ctx.chain(D(C, w), ordered_product(delta, a_prev), step="weight gradient", tag="BP4"),
        )),
    ]
    return blocks + derivation_targets.note(ctx, reduced is not None)


def _outputs_of(ctx: Context, l: int, j: int) -> list[sp.Symbol]:
    """The activations of layer l that z^{[l]}_j feeds: all of them for softmax, else a_j."""
    s = ctx.one
    if ctx.spec.activation_rule(l).kind == "vector":
        return list(s.A[l])
    return [s.A[l][j - 1, 0]]


def _factor_row(ctx: Context, u: sp.Symbol, v: sp.Symbol, keep_from: int | None = None) -> Row:
    """du/dv = (SymPy's derivative of u's formula) = (the rule's form), skipping repeats."""
    steps = [ctx.local_value(u if u != ctx.loss else COST, v)]
    hand = ctx.hand_value(u, v)
    if sp.expand(hand - steps[0]) == 0:
        steps = [hand]  # the same polynomial: show the rule's form only
    else:
        steps.append(hand)
    return ctx.chain(D(u, v), *steps, keep_from=keep_from, step=f"d{u}/d{v}")


# ----- 3. Hidden layers -----
def hidden_section(ctx: Context) -> list:
    """One hidden weight through every path, then every hidden error by the recursion."""
    if ctx.hidden_weight is None:
        return [Heading("Hidden layers"), Text(("The network has no hidden layer: the output layer is all there is.",))]
    spec, s, C = ctx.spec, ctx.one, ctx.loss
    L, (l, j, k) = spec.depth, ctx.hidden_weight
    w, z, a = ctx.weight(l, j, k), s.Z[l][j - 1, 0], s.A[l][j - 1, 0]
    a_prev = s.A[l - 1][k - 1, 0]
    keep = None if l == L - 1 else l + 1
    cross = spec.activation_rule(L).kind == "vector" and l == L - 1
    blocks = [
        Heading("Hidden layers: every path from a weight to the loss"),
        Text((f"The weight {ctx.code(l, j, k)}, ", w, ", changes ", a, ", which feeds every unit of layer "
              f"{ctx.notation.layer(l + 1)}; the derivative sums over every path from ", a, " to the loss",
              *((" (a softmax output couples every pre-activation to every output: the cross terms)",) if cross else ()),
              ":")),
    ]
    paths, values, pairs = _paths(ctx, l, j)
    recursion = _recursion_sum(ctx, l, a)
    blocks.append(Display((ctx.chain(D(C, a), ordered_sum(*paths), ordered_sum(*values), recursion, keep_from=keep,
                                     step=f"paths to {a}"),)))
    factors, chain = factors_of(ctx, ctx.hidden_weight)
    blocks += [Text(("with the factors",)), Display(tuple(_factor_row(ctx, u, v, keep) for u, v in factors))]
    values = ordered_sum(*[ordered_product(_recursion_sum(ctx, l, out), ctx.hand_value(out, z))
                           for out in _outputs_of(ctx, l, j)])
    blocks += [
        Text(("and so",)),
        Display((
            ctx.chain(D(C, w), chain, ordered_product(values, a_prev), keep_from=keep, step=f"dC/d{ctx.code(l, j, k)}"),
            ctx.chain(D(C, w), ordered_product(ctx.checker.delta(l, j), a_prev), keep_from=keep, step="BP4", tag="BP4"),
        )),
    ]
    return blocks + _recursion(ctx)


def _recursion_sum(ctx: Context, l: int, a: sp.Symbol) -> sp.Expr:
    """dC/da for an activation a of layer l: sum over the next layer's errors, delta^{[l+1]}_q w^{[l+1]}_{qi}."""
    s, i = ctx.one, list(ctx.one.A[l]).index(a)
    return ordered_sum(*[ordered_product(ctx.checker.delta(l + 1, q + 1), s.W[l + 1][q, i])
                         for q in range(ctx.spec.widths[l + 1])])


def _recursion(ctx: Context) -> list:
    spec, s = ctx.spec, ctx.one
    L = spec.depth
    blocks = [Text(("The error of every hidden unit follows from the errors of the layer after it (the recursion, "
                    "each step proved with the later errors named):",))]
    for l in range(L - 1, 0, -1):
        rows = []
        for j in range(1, min(spec.widths[l], UNITS_SHOWN) + 1):
            outputs = _outputs_of(ctx, l, j)
            z = s.Z[l][j - 1, 0]
            up = [_recursion_sum(ctx, l, a) for a in outputs]
            chain = ordered_sum(*[ordered_product(u, D(a, z)) for u, a in zip(up, outputs)])
            values = ordered_sum(*[ordered_product(u, ctx.hand_value(a, z)) for u, a in zip(up, outputs)])
            rows.append(ctx.chain(ctx.checker.delta(l, j), chain, values, keep_from=l + 1,
                                  step=f"error of unit {j} in layer {l}", tag="BP2" if j == 1 else ""))
        blocks.append(Display(tuple(rows)))
        if spec.widths[l] > UNITS_SHOWN:
            blocks.append(Text((f"and likewise for units {UNITS_SHOWN + 1} to {spec.widths[l]} of this layer.",)))
    return blocks
