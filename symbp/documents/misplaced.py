r"""Mistakes of place: the right formula written for the wrong layer, index or quantity.

Rows of :data:`.mistakes.MISTAKES`, each tried on a :class:`.diagnose.Problem` (the wrong link):

- a layer index slip: a side written at the output layer L where the link is at layer l, or the reverse;
- an equation of the output layer written for every layer l;
- a component on one side and the whole vector on the other;

each named only when the link, with the slip undone, holds at every instance of the claim; and

- the examples of a batch stacked in one column, where they stand side by side;
- a whole matrix that is another quantity's gradient (dC/dW where dC/dA belongs);
- the chain rule taken through a parameter, whose factor d(parameter)/dz is 0.

Non-goals: the table itself and the other rows (:mod:`.mistakes`), the search (:mod:`.diagnose`).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from typing import TYPE_CHECKING

import sympy as sp

from .latex import Deriv
from .notation import MATRICES, Layer
from .quantities import Instance
from .sides import Side, entries, safely
from .tokens import PLACEHOLDER

if TYPE_CHECKING:  # pragma: no cover
    from .diagnose import Problem

#: The notation's names of the network's parameters, and of the values the forward pass computes from them.
PARAMETERS, FORWARD = ("W", "b"), ("Z", "A")

__all__ = ["layer_slip", "output_layer_only", "component_for_vector", "stacked_examples", "gradient_of_another",
           "through_a_parameter"]


def _relettered(problem: Problem, offset: int, old: str, new: str) -> dict:
    """Side ``k + offset``'s symbols of layer ``old`` (``L``, or a layer variable l) written with ``new``: placeholder
    -> the symbol renamed, each one the notation reads as the same quantity at the other layer (l+1 for L+1)."""
    notation, out = problem.link.notation, {}
    letter = re.compile(rf"(?<![A-Za-z\\]){old}(?![A-Za-z])")
    for key, atom in problem.symbols(offset).items():
        sup, sub = letter.sub(new, atom.sup), letter.sub(new, atom.sub)
        name = atom.name.replace(f"^{{{atom.sup}}}", f"^{{{sup}}}", 1).replace(f"_{{{atom.sub}}}", f"_{{{sub}}}", 1)
        was, now = safely(notation.resolve, atom.name) or None, safely(notation.resolve, name) or None
        if name == atom.name or was is None or now is None or was.layer is None or now.layer is None:
            continue
        offset_ = was.layer.offset
        moved = Layer(new, offset_) if old == "L" else Layer(None, offset_, True)
        if was.layer.last == (old == "L") and was.layer.var in (None, old) and now.layer == moved and \
                (now.meaning.name, now.index) == (was.meaning.name, was.index):
            out[key] = replace(atom, name=name, sup=sup, sub=sub)
    return out


def _layer_letters(problem: Problem) -> list[str]:
    """The claim's layer variables (l) at a layer other than the last one, where l and L are two layers."""
    units = getattr(problem.bindings, "units", frozenset())
    return sorted(v for v, value in problem.bindings.items()
                  if len(v) == 1 and v.isalpha() and v not in units and value != problem.ctx.depth)


def _names(problem: Problem, renamed: dict) -> str:
    pieces = problem.link.reading.pieces
    return " and ".join(dict.fromkeys(f"{a.name} for {pieces[k].name}" for k, a in renamed.items()))


def layer_slip(problem: Problem):
    """A side written at the output layer L where the link is about layer l, or the reverse: with that side's
    symbols at the other layer the link holds at every instance (and the two sides are not then written alike)."""
    if problem.ctx.spec is None:
        return
    fixes = []
    for v in _layer_letters(problem):
        for offset, (old, new) in itertools.product((0, 1), (("L", v), (v, "L"))):
            renamed = _relettered(problem, offset, old, new)
            if renamed and problem.written(offset, renamed) != problem.written(1 - offset, {}) and \
                    problem.holds_at([problem.bindings, *problem.link.instances], {offset: renamed}):
                layer = f"layer {v}" if new == v else "the output layer L"
                fixes.append(f"with the {('left', 'right')[offset]} side at {layer} ({_names(problem, renamed)})")
    if fixes:
        yield None, (f"a layer index slip: the link mixes the output layer L and layer {v}; it holds at every {v} "
                     f"{', or '.join(fixes)}")


def output_layer_only(problem: Problem):
    """An equation of the output layer written for every layer l: it holds at l = L, not at the l it broke at."""
    if problem.ctx.spec is None:
        return
    depth = problem.ctx.depth
    for v in _layer_letters(problem):
        everywhere = {o: _relettered(problem, o, v, "L") for o in (0, 1)}
        if problem.written(0, everywhere[0]) == problem.written(1, everywhere[1]):
            continue  # a^l = a^L: alike at l = L, which says nothing
        at_last = [Instance({**b, v: depth}, getattr(b, "units", ())) for b in (problem.bindings, *problem.link.instances)]
        if problem.holds_at(at_last):
            yield None, (f"an equation of the output layer written for every layer {v}: it holds at {v} = L (layer "
                         f"{depth}), not at {v} = {problem.bindings[v]}")
            return


def component_for_vector(problem: Problem):
    """One side a component (delta_j), the other the whole vector: the index is missing on that side, and its
    entry at the index is the component at every instance."""
    values = problem.reference.value, problem.claimed.value
    vector = next((o for o in (0, 1) if isinstance(values[o], sp.MatrixBase) and values[o].cols == 1
                   and values[o].rows > 1 and not isinstance(values[1 - o], sp.MatrixBase)), None)
    if vector is None or problem.sort(0) != "symbolic" or problem.sort(1) != "symbolic":
        return
    notation = problem.link.notation
    indices = lambda o: set().union(*(r.variables()[1] for a in problem.symbols(o).values()
                                      if (r := safely(notation.resolve, a.name) or None) is not None))
    missing = indices(1 - vector) - indices(vector)
    if len(missing) != 1 or next(iter(missing)) not in getattr(problem.bindings, "units", ()):
        return
    var = next(iter(missing))

    def entry(pair, bindings):
        side = pair[vector]
        if not isinstance(side.value, sp.MatrixBase) or not bindings[var] < side.value.rows:
            return pair  # not then a vector the index runs over: no match
        pair[vector] = replace(side, value=side.value[bindings[var], 0])
        return pair

    if problem.holds_at([problem.bindings, *problem.link.instances], pick=entry):
        which = ("left", "right")
        yield None, (f"a component on one side, the whole vector on the other: the {which[vector]} side "
                     f"({values[vector].rows} x 1) lacks the index {var}, and its entry {var} is the "
                     f"{which[1 - vector]} side at every {var}")


def stacked_examples(problem: Problem):
    """The examples of a batch stacked as one column, where they are side by side (one column each)."""
    value, claimed, m = problem.reference.value, problem.claimed.value, problem.ctx.batch
    if isinstance(value, sp.MatrixBase) and isinstance(claimed, sp.MatrixBase) and m > 1 and value.cols == m and \
            claimed.shape == (value.rows * m, 1):
        yield Side(sp.ImmutableMatrix(value.vec()), problem.reference.env), (
            f"the examples stacked in one column ({value.rows * m} x 1) where a batch puts them side by side, one "
            f"column each ({value.rows} x {m}): stacked, the true side is the document's")


def gradient_of_another(problem: Problem):
    """A whole matrix that is the gradient of another quantity of the network (dC/dW^{[L]} where dC/dA^{[L-1]}
    belongs: a derivative by W in the chain rule where one by A belongs). Whole matrices on both sides only: of an
    entry, the weight's indices swapped and another parameter's gradient are their own rows, and an entry equated to
    a matrix is first of all that."""
    ctx, claimed = problem.ctx, problem.claimed.value
    whole = lambda value: isinstance(value, sp.MatrixBase) and value.shape != (1, 1)
    if ctx.spec is None or problem.sort(0) != "symbolic" or problem.sort(1) != "symbolic" or \
            not whole(claimed) or not whole(problem.reference.value):
        return
    s = ctx.symbols
    for name in (*PARAMETERS, *FORWARD):
        for l in range(MATRICES[name][0], ctx.depth + 1):
            matrix = getattr(s, name)[l]
            if matrix.shape != claimed.shape:
                continue
            gradient = matrix.applyfunc(ctx.cost_derivative)
            if any(e != 0 for e in gradient):
                key = _matrix_name(problem, name, l)
                yield Side(gradient, problem.reference.env), (
                    f"the gradient of another quantity: the document's side is dC/d{key}, the gradient with respect "
                    f"to {key} (a derivative by {key} stands where one by the other side's quantity belongs)")


def _matrix_name(problem: Problem, name: str, layer: int) -> str:
    """The document's name for the whole matrix ``name`` of ``layer``: as the claim writes it, else the notation's."""
    notation, depth = problem.link.notation, problem.ctx.depth
    for atom in (*problem.symbols(0).values(), *problem.symbols(1).values()):
        meant = safely(notation.resolve, atom.name) or None
        if meant is not None and meant.meaning.name == name and not meant.index and meant.layer is not None and \
                safely(lambda: meant.layer.value(problem.bindings, depth) == layer):
            return atom.name
    return notation.key_for(name, layer, (), depth=depth) or f"{name}[{layer}]"


def _one_symbol(problem: Problem, node):
    """The symbol ``node`` is, with what the notation makes of it; None for anything else."""
    single = re.fullmatch(r"\s*" + PLACEHOLDER.pattern + r"\s*", node.skeleton)
    atom = problem.link.reading.pieces[int(single.group(1))] if single else None
    meant = safely(problem.link.notation.resolve, atom.name) or None if hasattr(atom, "name") else None
    return (atom, meant) if meant is not None else None


def through_a_parameter(problem: Problem):
    """The chain rule taken through a parameter (dC/db_k db_k/dz_k for dC/dz_k): a parameter does not depend on z,
    so that factor is 0, and so is the document's side where the true one is not."""
    claimed, reference = problem.claimed.value, problem.reference.value
    if problem.sort(0) != "symbolic" or problem.sort(1) != "symbolic" or claimed is None or \
            not all(e == 0 for e in entries(claimed)) or all(e == 0 for e in entries(reference)):
        return
    for piece in problem.pieces(1, Deriv):
        num, den = _one_symbol(problem, piece.num), _one_symbol(problem, piece.den)
        if num and den and num[1].meaning.name in PARAMETERS and den[1].meaning.name in FORWARD:
            p, v = num[0].name, den[0].name
            yield None, (f"the chain rule taken through a parameter: {p} does not depend on {v}, so d{p}/d{v} = 0 and "
                         f"the side is 0 (the chain rule runs the other way, from a parameter through the "
                         f"pre-activation it feeds)")
            return
