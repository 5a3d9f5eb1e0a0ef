r"""A document's notation: from its LaTeX symbols to symbp's quantities.

A claims file's ``[notation]`` maps keys (a symbol as the document writes it)
to meanings (``"W[l]"``, ``"A[2][0]"``, ``"C"``, ``"lr"``, ``"free"``, ...; the
list is in :mod:`.claims`). This module parses meanings, turns keys with
pattern variables into matchers (``'w_{ljk}' = "W[l][j,k]"`` matches
``w_{212}``), and resolves a symbol of a claim to a :class:`Resolved`
quantity: the meaning with its layer and indices, which may still contain the
claim's own layer and index variables (``l``, ``j``). Turning that into SymPy
objects is :mod:`.context`'s job. Non-goals: guessing meanings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from .functions import DEFAULT_SYMBOLS, MEANINGS
from .latex import LatexParseError, Normaliser, tokenize, unwrap

__all__ = ["Layer", "Index", "Meaning", "Resolved", "Notation", "NotationError", "parse_meaning", "BUILTIN",
           "MATRICES", "FUNCTIONS"]


class NotationError(LatexParseError):
    """A notation entry is malformed, or a symbol has no meaning."""


#: Quantities with a layer: name -> (first layer that exists, per-example columns?)
MATRICES: dict[str, tuple[int, bool]] = {
    "W": (1, False), "b": (1, False), "Z": (1, True), "A": (0, True), "dW": (1, False), "db": (1, False),
    "dZ": (1, True), "dA": (0, True), "delta": (1, True), "g'": (1, True),
}
#: Quantities without a layer: name -> per-example columns?
UNLAYERED = {"X": True, "Y": True, "C": True}
FUNCTIONS = MEANINGS | {"g", "g'"}
SCALARS = {"C", "lr", "m", "free", "n"}

#: Symbols with a meaning when the notation has none (canonical name -> meaning).
BUILTIN: dict[str, str] = DEFAULT_SYMBOLS


@dataclass(frozen=True)
class Layer:
    """A layer: ``var`` + ``offset`` (``l-1``), the last layer + offset (``L-1``), or a number."""

    var: str | None = None
    offset: int = 0
    last: bool = False

    def value(self, bindings: Mapping[str, int], depth: int) -> int:
        """The layer number under ``bindings`` of the claim's layer variables."""
        if self.last:
            return depth + self.offset
        if self.var is None:
            return self.offset
        if self.var not in bindings:
            raise NotationError(f"layer variable {self.var!r} has no value")
        return bindings[self.var] + self.offset

    def shifted(self, inner: Layer) -> Layer:
        """This layer expression with its variable replaced by ``inner`` (``l-1`` with l := l+1 is l)."""
        if self.var is None:
            return self
        return Layer(inner.var, inner.offset + self.offset, inner.last)


@dataclass(frozen=True)
class Index:
    """A 0-based code index, or a claim variable (a document index letter), or ``:`` (all)."""

    code: int | None = None
    var: str | None = None
    every: bool = False


@dataclass(frozen=True)
class Meaning:
    """A parsed meaning: ``name`` with optional ``layer`` and ``index``."""

    name: str
    layer: Layer | None = None
    index: tuple[Index, ...] = ()
    text: str = ""
    example: Index | None = None

    @property
    def is_function(self) -> bool:
        return self.name in FUNCTIONS

    def variables(self) -> set[str]:
        out = {self.layer.var} if self.layer is not None and self.layer.var else set()
        if self.example is not None and self.example.var:
            out.add(self.example.var)
        return out | {i.var for i in self.index if i.var}


_MEANING = re.compile(r"^(?P<name>dW|db|dZ|dA|delta|g'|[A-Za-z]+)(\[(?P<first>[^\]]*)\])?(\[(?P<second>[^\]]*)\])?"
                      r"(\((?P<example>[^)]*)\))?$")
_LAYER = re.compile(r"^(?:(?P<num>\d+)|(?P<var>[A-Za-z])\s*(?:(?P<sign>[+-])\s*(?P<off>\d+))?)$")


def parse_layer(text: str, where: str = "") -> Layer:
    """``"2"``, ``"L"``, ``"L-1"``, ``"l"``, ``"l+1"`` as a :class:`Layer`.

    Examples
    --------
    >>> parse_layer("l-1"), parse_layer("L")
    (Layer(var='l', offset=-1, last=False), Layer(var=None, offset=0, last=True))
    """
    m = _LAYER.match(text.strip().strip("[]()"))
    if m is None:
        raise NotationError(f"{where}layer {text!r} is not a number, L, or a letter with an offset like l-1")
    if m["num"]:
        return Layer(None, int(m["num"]), False)
    offset = int(m["off"] or 0) * (-1 if m["sign"] == "-" else 1)
    if m["var"] == "L":
        return Layer(None, offset, True)
    return Layer(m["var"], offset, False)


def _index(text: str, where: str) -> Index:
    text = text.strip()
    if text == ":":
        return Index(every=True)
    if re.fullmatch(r"\d+", text):
        return Index(code=int(text))
    if re.fullmatch(r"[A-Za-z]", text):
        return Index(var=text)
    raise NotationError(f"{where}index {text!r} must be a 0-based number, a letter, or ':'")


def parse_meaning(text: str, where: str = "") -> Meaning:
    """Parse a meaning string.

    Examples
    --------
    >>> parse_meaning("W[2][0,1]").index
    (Index(code=0, var=None, every=False), Index(code=1, var=None, every=False))
    >>> parse_meaning("A[l-1]").layer
    Layer(var='l', offset=-1, last=False)
    >>> parse_meaning("V[1]")
    Traceback (most recent call last):
    ...
    symbp.documents.notation.NotationError: unknown quantity 'V' in 'V[1]'; valid: ...
    """
    m = _MEANING.match(text.strip())
    valid = ", ".join([*MATRICES, *UNLAYERED, "lr", "m", "n[l]", "free", *sorted(FUNCTIONS - {"g", "g'"}), "g[l]"])
    if m is None:
        raise NotationError(f"{where}meaning {text!r} is not understood; valid: {valid}")
    name = m["name"]
    first, second = m["first"], m["second"]
    if name in MATRICES or name in ("g", "n"):
        if first is None:
            raise NotationError(f"{where}{name} needs a layer, like {name}[l] or {name}[2]")
        layer = parse_layer(first, where)
        index = tuple(_index(x, where) for x in second.split(",")) if second else ()
    elif name in UNLAYERED:
        if second is not None:
            raise NotationError(f"{where}{name} has no layer: write {name}[i] or {name}[i,k]")
        layer = None
        index = tuple(_index(x, where) for x in first.split(",")) if first else ()
    elif name in SCALARS or name in FUNCTIONS:
        if first is not None:
            raise NotationError(f"{where}{name} takes no brackets")
        layer, index = None, ()
    else:
        raise NotationError(f"{where}unknown quantity {name!r} in {text!r}; valid: {valid}")
    if len(index) > 2:
        raise NotationError(f"{where}at most two indices (row, column) in {text!r}")
    example = None
    if m["example"] is not None:
        if name not in ("dW", "db"):
            raise NotationError(f"{where}only dW[l](i) and db[l](i) (one example's gradient) take an example (i)")
        example = _index(m["example"], where)
    return Meaning(name, layer, index, text.strip(), example)


@dataclass(frozen=True)
class Resolved:
    """A claim's symbol resolved: its meaning with the key's pattern variables substituted."""

    meaning: Meaning
    layer: Layer | None
    index: tuple[Index, ...]
    key: str
    example: Index | None = None

    def variables(self) -> tuple[set[str], set[str]]:
        """(layer variables, index variables) of the claim this symbol uses."""
        layers = {self.layer.var} if self.layer is not None and self.layer.var else set()
        indices = {i.var for i in self.index if i.var}
        if self.example is not None and self.example.var:
            indices.add(self.example.var)
        return layers, indices


@dataclass(frozen=True)
class _Entry:
    key: str
    meaning: Meaning
    pattern: re.Pattern
    groups: tuple[tuple[str, str], ...]  # (group name, "layer" | "index")
    literal_chars: int


def _atom_of(key: str):
    tokens = unwrap(tokenize(key), key)
    if not tokens:
        raise NotationError("an empty notation key", key, 0)
    atom, end, transpose = Normaliser(key, symbol=True).atom(tokens, 0)  # a key is one symbol: a^{3}_{1} too
    if atom is None or end != len(tokens) or transpose:
        raise NotationError(f"notation key {key!r} is not a single symbol (a letter with sub- and superscripts)", key)
    return atom


class Notation:
    """Compiled notation: exact keys, then pattern keys (most specific first), then built-ins.

    Examples
    --------
    >>> n = Notation({"w_{ljk}": "W[l][j,k]", r"\\hat{y}_1": "A[2][0]"}, index_base=1)
    >>> r = n.resolve("w_{212}")
    >>> r.meaning.name, r.layer, r.index
    ('W', Layer(var=None, offset=2, last=False), (Index(code=0, var=None, every=False), Index(code=1, var=None, every=False)))
    >>> n.resolve("w_{l+1,kj}") is None
    True
    """

    def __init__(self, table: Mapping[str, str], index_base: int = 1, where: str = "[notation]"):
        self.index_base = index_base
        self.exact: dict[str, tuple[str, Meaning]] = {}
        self.patterns: list[_Entry] = []
        for key, text in table.items():
            meaning = parse_meaning(text, f"{where} {key!r}: ")
            atom = _atom_of(key)
            variables = meaning.variables()
            if not variables:
                self.exact[atom.name] = (key, meaning)
            else:
                self.patterns.append(self._compile(key, atom, meaning, variables))
        self.patterns.sort(key=lambda e: -e.literal_chars)

    def _compile(self, key, atom, meaning: Meaning, variables: set[str]) -> _Entry:
        kinds = {}
        if meaning.layer is not None and meaning.layer.var:
            kinds[meaning.layer.var] = "layer"
        for i in list(meaning.index) + ([meaning.example] if meaning.example else []):
            if i.var:
                kinds[i.var] = "index"
        groups: list[tuple[str, str]] = []
        regex = re.escape(atom.base) + re.escape("'" * atom.primes)
        literal = len(atom.base)
        for mark, script in (("^", atom.sup), ("_", atom.sub)):
            if not script:
                continue
            regex += re.escape(mark + "{")
            commas = "," in script
            k = 0
            while k < len(script):
                c = script[k]
                if c.isalpha() and c in kinds and c not in [g for g, _ in groups]:
                    adjacent = (k > 0 and script[k - 1].isalnum()) or (k + 1 < len(script) and script[k + 1].isalnum())
                    groups.append((c, kinds[c]))
                    if kinds[c] == "layer" and not adjacent:
                        regex += rf"(?P<{c}>[A-Za-z](?:[+-]\d+)?|\d+)"
                    elif commas:
                        regex += rf"(?P<{c}>[^,{{}}\]]+)"
                    else:
                        regex += rf"(?P<{c}>[A-Za-z]|\d)"
                else:
                    regex += re.escape(c)
                    literal += 1
                k += 1
            regex += re.escape("}")
        missing = variables - {g for g, _ in groups}
        if missing:
            raise NotationError(
                f"[notation] {key!r}: the meaning {meaning.text!r} uses {', '.join(sorted(missing))}, "
                f"which does not appear as an index or layer in the key")
        return _Entry(key, meaning, re.compile(regex + "$"), tuple(groups), literal)

    def resolve(self, name: str) -> Resolved | None:
        """The quantity a canonical symbol name denotes, or None if the notation has no entry."""
        if name in self.exact:
            key, meaning = self.exact[name]
            index = tuple(Index(code=i.code, every=i.every) for i in meaning.index)
            return Resolved(meaning, meaning.layer, index, key, meaning.example)
        for entry in self.patterns:
            m = entry.pattern.match(name)
            if m is None:
                continue
            captured = {g: m.group(g) for g, _ in entry.groups}
            layer = entry.meaning.layer
            if layer is not None and layer.var:
                layer = layer.shifted(parse_layer(captured[layer.var], f"{name}: "))
            index = []
            specs = list(entry.meaning.index) + ([entry.meaning.example] if entry.meaning.example else [])
            for i in specs:
                if i.var is None:
                    index.append(i)
                    continue
                value = captured[i.var]
                if re.fullmatch(r"\d+", value):
                    code = int(value) - self.index_base
                    if code < 0:
                        raise NotationError(f"{name}: index {value} is below the document's index base {self.index_base}")
                    index.append(Index(code=code))
                elif re.fullmatch(r"[A-Za-z]", value):
                    index.append(Index(var=value))
                else:
                    break
            else:
                example = index.pop() if entry.meaning.example else None
                return Resolved(entry.meaning, layer, tuple(index), entry.key, example)
        if name in BUILTIN:
            meaning = parse_meaning(BUILTIN[name])
            return Resolved(meaning, None, (), name)
        return None

    @staticmethod
    def _layer_script(entry: _Entry) -> str | None:
        """The key's script holding the layer variable alone (``l``, ``[l]``, ``(l)``); None if it has more."""
        var = entry.meaning.layer.var if entry.meaning.layer is not None else None
        atom = _atom_of(entry.key)
        for script in (atom.sup, atom.sub):
            if var and var in script:
                return script if script.strip("[](){}") == var else None
        return None

    @property
    def renumbers_layers(self) -> bool:
        """Does the document number layers differently from symbp (``'a^{l}_{j}' = "A[l-1][j]"``)?

        Then a symbol without a key of its own cannot be shown by symbp's name (``a^{[1]}_{1}`` would read as
        the document's layer 1).

        Examples
        --------
        >>> Notation({"a^{l}_{j}": "A[l-1][j]"}).renumbers_layers, Notation({"a^{[l-1]}": "A[l-1]"}).renumbers_layers
        (True, False)
        """
        return any(e.meaning.layer is not None and e.meaning.layer.var and e.meaning.layer.offset
                   and self._layer_script(e) is not None for e in self.patterns)

    def __contains__(self, name: object) -> bool:
        """Does the canonical symbol ``name`` have a meaning? (So a reader keeps ``w^{3}_{12}`` one symbol.)

        Examples
        --------
        >>> "w^{3}_{12}" in Notation({"w^{l}_{jk}": "W[l][j,k]"}), "x^{2}" in Notation({"x_{j}": "X[j]"})
        (True, False)
        """
        try:
            return isinstance(name, str) and self.resolve(name) is not None
        except NotationError:
            return True  # it matches an entry; resolving it again says what is wrong with it

    def key_for(self, meaning_name: str, layer: int | None, index: tuple[int, ...],
                depth: int | None = None) -> str | None:
        """The document's LaTeX for a concrete quantity, from an exact key or a pattern key (for printing).

        A pattern whose meaning shifts the layer (Nielsen's ``'a^{l}_{j}' = "A[l-1][j]"``) writes the
        document's layer number; one of the last layer (``"A[L][j]"``) needs the network's ``depth``.

        Examples
        --------
        >>> Notation({"w_{ljk}": "W[l][j,k]"}).key_for("W", 2, (0, 1))
        'w_{212}'
        >>> Notation({"a^{l}_{j}": "A[l-1][j]"}).key_for("A", 1, (0,))  # symbp's layer 1 is Nielsen's 2
        'a^{2}_{1}'
        >>> Notation({"a^{L}_{j}": "A[L][j]"}).key_for("A", 2, (1,), depth=2)
        'a^{L}_{2}'
        """
        for original, meaning in self.exact.values():
            layer_ok = (meaning.layer is None and layer is None) or (
                meaning.layer is not None and not meaning.layer.var and not meaning.layer.last
                and meaning.layer.offset == layer) or (
                meaning.layer is not None and meaning.layer.last and depth is not None
                and depth + meaning.layer.offset == layer)
            if meaning.name == meaning_name and layer_ok and tuple(i.code for i in meaning.index) == index:
                return original
        last = [e.meaning.layer is not None and e.meaning.layer.last for e in self.patterns]  # L: when no number
        for _, _, entry in sorted(zip(last, [len(e.groups) for e in self.patterns], self.patterns),
                                  key=lambda t: t[:2]):
            m = entry.meaning
            if m.name != meaning_name or len(m.index) != len(index) or (m.layer is None) != (layer is None):
                continue
            if m.layer is not None and m.layer.var and m.layer.offset and self._layer_script(entry) is None:
                continue  # the key writes the offset itself (a^{[l-1]}): its layer slot cannot take a number
            if m.layer is not None and m.layer.last and (depth is None or depth + m.layer.offset != layer):
                continue
            if m.layer is not None and not m.layer.var and not m.layer.last and m.layer.offset != layer:
                continue
            values: dict[str, str] = ({m.layer.var: str(layer - m.layer.offset)}
                                      if m.layer is not None and m.layer.var else {})
            if any(spec.var is None and spec.code != code for spec, code in zip(m.index, index)):
                continue
            values.update({spec.var: str(code + self.index_base) for spec, code in zip(m.index, index) if spec.var})
            atom = _atom_of(entry.key)
            scripts = []
            for script in (atom.sup, atom.sub):
                if "," not in script and any(len(values.get(c, "")) > 1 for c in script):
                    break
                scripts.append("".join(values.get(c, c) if c.isalpha() else c for c in script))
            else:
                name = atom.base + "'" * atom.primes
                name += f"^{{{scripts[0]}}}" if scripts[0] else ""
                name += f"_{{{scripts[1]}}}" if scripts[1] else ""
                return name
        return None
