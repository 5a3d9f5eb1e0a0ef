r"""The one table of functions a document can name: how it is written, what it means.

A document writes ``\sigma(z)``, ``\text{sigmoid}(z)``, ``\operatorname{ReLU}(z)``,
``\tanh z``, ``\log``, ``\ln``, ``softmax(z)``. Each row of :data:`NAMED` says,
for one function, the words that call it (plain, or inside ``\text{}`` and
``\operatorname{}``), the LaTeX commands that call it, the SymPy function it is
entry by entry (none for a function of a whole column, like softmax), and
whether a notation meaning may name it (``'\phi' = "tanh"``). Every other
module of :mod:`symbp.documents` reads the sets below instead of keeping its own
list of names.

Non-goals: what the activations of a network are (:mod:`symbp.rules`), parsing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sympy as sp

from ..functions import relu, sigmoid

__all__ = ["Named", "NAMED", "WORDS", "COMMANDS", "MEANINGS", "ELEMENTWISE", "COLUMN", "SYMPY", "DEFAULT_SYMBOLS"]


@dataclass(frozen=True)
class Named:
    """One function a document can write.

    ``name`` is its canonical name (as in a notation meaning); ``words`` the
    spellings of it as a word; ``commands`` the LaTeX commands for it;
    ``sympy`` the SymPy function it is entry by entry (``None``: it acts on a
    whole column); ``meaning``: a notation entry may give it as a meaning.
    """

    name: str
    sympy: Callable | None
    words: tuple[str, ...] = ()
    commands: tuple[str, ...] = ()
    meaning: bool = True


def _identity(x):
    return x


#: name -> how a document writes it and what it is.
NAMED: dict[str, Named] = {f.name: f for f in (
    Named("sigmoid", sigmoid, ("sigmoid", "Sigmoid")),
    Named("softmax", None, ("softmax", "Softmax")),
    Named("relu", relu, ("relu", "ReLU")),
    Named("tanh", sp.tanh, ("tanh",), (r"\tanh",)),
    Named("exp", sp.exp, ("exp",), (r"\exp",)),
    Named("log", sp.log, ("log", "ln"), (r"\log", r"\ln")),
    Named("identity", _identity),
    Named("sin", sp.sin, (), (r"\sin",), meaning=False),
    Named("cos", sp.cos, (), (r"\cos",), meaning=False),
    Named("max", sp.Max, (), (r"\max",), meaning=False),
    Named("min", sp.Min, (), (r"\min",), meaning=False),
)}

#: A word (plain, or in ``\text{}``/``\operatorname{}``) that calls a function -> its name.
WORDS: dict[str, str] = {w: f.name for f in NAMED.values() for w in f.words}
#: A LaTeX command that calls a function -> its name.
COMMANDS: dict[str, str] = {c: f.name for f in NAMED.values() for c in f.commands}
#: The names a notation meaning may give (besides ``g[l]`` and ``g'[l]``, the layer's own activation).
MEANINGS: frozenset[str] = frozenset(f.name for f in NAMED.values() if f.meaning)
#: Entry-by-entry functions a meaning may name -> the SymPy function.
ELEMENTWISE: dict[str, Callable] = {f.name: f.sympy for f in NAMED.values() if f.meaning and f.sympy is not None}
#: Functions of a whole column (applied to a matrix they act on each column).
COLUMN: frozenset[str] = frozenset(f.name for f in NAMED.values() if f.sympy is None)
#: Every entry-by-entry function by name, for reading plain LaTeX without a notation.
SYMPY: dict[str, Callable] = {f.name: f.sympy for f in NAMED.values() if f.sympy is not None}
#: Symbols that mean a function when the notation does not say otherwise (canonical name -> meaning).
DEFAULT_SYMBOLS: dict[str, str] = {r"\sigma": "sigmoid", **{n: n for n in MEANINGS - {"identity"}}}
