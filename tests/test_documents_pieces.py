"""The one traversal of a claim's pieces (:func:`symbp.documents.pieces.children` and :func:`~.walk`)."""

from __future__ import annotations

import dataclasses

import pytest

from symbp.documents import pieces as P
from symbp.documents.pieces import Atom, Node, children, walk
from symbp.documents.reader import read


def _names(latex: str) -> list[str]:
    reading = read(latex)
    return [p.name for p in walk(reading.chains[0][1], reading.pieces) if isinstance(p, Atom)]


@pytest.mark.parametrize("latex, names", [
    (r"y = np.power(x, n)", ["x", "n"]),                    # NpPower.exponent, the field no walker visited
    (r"y = np.power(x, np.sum(v, axis=0))", ["x", "v"]),    # pieces inside the exponent too
    (r"y = \sigma(W x + b)", ["W", "x", "b"]),             # a call's arguments (the function is the Call itself)
    (r"y = [z > t]", ["z", "t"]),                           # an Iverson bracket's comparison
    (r"y = \begin{cases} a & z > c \\ 0 & \text{otherwise} \end{cases}", ["a", "z", "c"]),
    (r"y = \frac{\partial C}{\partial w}", ["C", "w"]),
])
def test_walk_reaches_every_symbol_of_a_side(latex, names):
    assert set(names) <= set(_names(latex))


def test_walk_visits_a_piece_before_its_own_pieces():
    reading = read(r"y = np.power(x, n)")
    kinds = [type(p).__name__ for p in walk(reading.chains[0][1], reading.pieces)]
    assert kinds[0] == "NpPower" and kinds.count("Atom") == 2


def _fill(hint: str, name: str):
    """(a value for a field annotated ``hint`` holding nodes named after ``name``, their names); None for no node."""
    node = Node(name, (0, 0))
    condition = P.Condition(Node(name + "<", (0, 0)), ">", Node(name + ">", (0, 0)))
    both = {name, name + "<", name + ">"}
    return {"Node": (node, {name}), "tuple[Node, ...]": ((node,), {name}),
            "tuple[tuple[Node, ...], ...]": (((node,),), {name}),
            "Condition": (condition, both - {name}), "Condition | None": (condition, both - {name}),
            "tuple[tuple[Node, Condition | None], ...]": (((node, condition),), both),
            "tuple | None": (("i", node, node), {name})}.get(hint)


#: Values for the fields that hold no node.
PLAIN = {"str": "x", "int": 0, "bool": False, "int | None": None, "Atom": Atom("f", "f"), "Fraction": 0}


@pytest.mark.parametrize("cls", [getattr(P, n) for n in P.__all__ if isinstance(getattr(P, n), type) and n != "Node"])
def test_children_finds_a_node_in_every_field_that_can_hold_one(cls):
    """However a piece holds a node (directly, in a tuple, in a condition), children finds it: a field added later
    with one of these types is visited by every walker without a change to any of them."""
    values, expected = {}, set()
    for f in dataclasses.fields(cls):
        filled = _fill(f.type, f"{cls.__name__}.{f.name}")
        if filled is not None:
            values[f.name], names = filled
            expected |= names
        elif f.default is dataclasses.MISSING:
            values[f.name] = PLAIN[f.type]
    assert {n.skeleton for n in children(cls(**values))} == expected
