r"""Read tutorial LaTeX into SymPy: latex2sympy2 behind a normalising layer.

:func:`parse_latex` is the public entry point (also used to read symbp's own
generated LaTeX back, issue 5): it returns a SymPy expression whose symbols are
named by their canonical LaTeX (``w^{[2]}_{12}``, ``\hat{y}_{1}``, the names
symbp's symbol factory uses), or taken from ``symbols`` when given (pass
``MatrixSymbol``\ s for matrices: products then keep their order, ``^T`` is a
``Transpose``, ``\odot`` a ``HadamardProduct``, ``\sigma(Z)`` the sigmoid of
every entry; a key may also be an expression such as ``\nabla_{a} C``, which
then names what it reads as). Iverson brackets ``[z > 0]`` are steps and
``\begin{cases}`` a ``Piecewise``. :func:`parse_equation` returns
the sides of ``a = b = c``; :func:`read` gives the intermediate form
:mod:`.verify` builds with its own meanings.

How it reads: :mod:`.latex` turns the text into a skeleton over placeholders;
latex2sympy2 (never SymPy's ``parse_latex``: it needs a different ANTLR)
parses the skeleton's arithmetic; a builder walks the result and asks an
*environment* what each placeholder means. Every placeholder must come back
out of latex2sympy2 exactly as often as it went in, so nothing the source says
is silently dropped (its known traps: ``w^{[2]}_{jk}`` as ``w_{jk}**2``,
``\sigma'(z)`` and ``\sigma(z)`` as products, ``W^T`` as ``W``, ``\log`` as
base 10, ``a = b`` answered with ``b``). Parsing is bounded in time
(:func:`time_limit`). Document text is never evaluated as Python.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container, Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from .defaults import DefaultEnv
from .functions import MEANINGS
from .latex import (PLACEHOLDER, Atom, Call, Deriv, ElidedMatrix, Group, LatexParseError, Literal, MatrixLit, Node,
                    Normaliser, Norm, NpSum, Side, Transpose, canonical_atom, split_chains, tokenize, unwrap)
from .pieces import Cases, Elision, Iverson, NpPower
from .limits import TimeLimit, time_limit

__all__ = ["LatexParseError", "TimeLimit", "parse_latex", "parse_equation", "read", "Reading", "atoms",
           "canonical", "time_limit", "Builder", "DefaultEnv"]


# ----- latex2sympy2 on skeletons -----
#: Letters latex2sympy2 reads as plain symbols (not e, E, I, nor d, which starts a differential);
#: single letters parse many times faster than longer placeholder names. They are in the order SymPy sorts
#: the factors of a product (by name), so a product keeps the order of the source (matrices do not commute).
LETTERS = "ABCDFGHJKLMNOPQRSTUVWXYZabcfghijklmnopqrstuvwxyz"


def _placeholder(k: int) -> sp.Symbol:
    """The symbol standing for piece ``k``; zero-padded, so that names sort as the pieces do (left to right)."""
    return sp.Symbol(f"@{k:06d}")


@lru_cache(maxsize=8192)
def _latex2sympy(skeleton: str) -> sp.Basic:
    import latex2sympy2

    latex2sympy2.var = {}  # latex2sympy2 keeps state between calls (assignments, differentials): reset it
    try:
        return latex2sympy2.latex2sympy(skeleton)
    except TimeLimit:
        raise
    except Exception as exc:  # latex2sympy2 raises bare Exceptions with an ASCII marker
        lines = str(exc).splitlines()
        column = len(lines[2]) - 1 if len(lines) >= 3 and lines[2].endswith("^") else None
        raise _SkeletonError(lines[0] if lines else type(exc).__name__, column) from None


class _SkeletonError(Exception):
    def __init__(self, message: str, column: int | None):
        super().__init__(message)
        self.message, self.column = message, column


def _local_name(n: int) -> str:
    return LETTERS[n] if n < len(LETTERS) else f"z_{{{n:04d}}}"  # after every letter, in order


def _parse_skeleton(node: Node, source: str) -> sp.Basic:
    """latex2sympy2's tree for a node's skeleton, placeholders as ``Symbol('@k')``."""
    text = node.skeleton
    single = PLACEHOLDER.fullmatch(text.strip())
    if single:
        return _placeholder(int(single.group(1)))
    if re.fullmatch(r"\s*\d+\s*", text):
        return sp.Integer(int(text))
    order: list[int] = []

    def local(match):
        k = int(match.group(1))
        if k not in order:
            order.append(k)
        return f" {_local_name(order.index(k))} "

    skeleton = re.sub(r"\s+", " ", PLACEHOLDER.sub(local, text)).strip()
    try:
        tree = _latex2sympy(skeleton)
    except _SkeletonError as exc:
        offset = _source_offset(node, exc.column)
        raise LatexParseError(f"cannot parse: {exc.message}", source, offset) from None
    if isinstance(tree, (list, tuple)) or tree is None:
        raise LatexParseError("a list where one expression was expected", source, node.span[0])
    names = {_local_name(n): n for n in range(len(order))}
    back = {}
    for s in tree.atoms(sp.Symbol):
        if s.name not in names:
            raise LatexParseError(f"unexpected symbol {s.name!r} in latex2sympy2's result", source, node.span[0])
        back[s] = _placeholder(order[names[s.name]])
    _check_inventory(skeleton, tree, names, node, source)
    return tree.xreplace(back)


def _source_offset(node: Node, column: int | None) -> int:
    if column is None or not node.chunks:
        return node.span[0]
    best = node.chunks[0][1]
    for start, offset in node.chunks:
        if start <= column:
            best = offset
    return best


def _check_inventory(skeleton: str, tree: sp.Basic, names: dict, node: Node, source: str) -> None:
    """Every placeholder must come out of latex2sympy2 as often as it went in (nothing silently dropped)."""
    sent = Counter(t for t in re.findall(r"z_\{\d{4}\}|[A-Za-z]+|\\[A-Za-z]+", skeleton) if t in names)
    got: Counter = Counter()
    for sub in sp.preorder_traversal(tree):
        if isinstance(sub, sp.Symbol) and sub.name in names:
            got[sub.name] += 1
    if any(got[k] < sent[k] for k in sent):
        raise LatexParseError(
            "the parse dropped part of the expression (latex2sympy2 did not return every symbol it was given)",
            source, node.span[0])


# ----- Reading: chains of sides, each a node over pieces -----
@dataclass(frozen=True)
class Reading:
    """The normalised form of a claim: chains of side nodes and the piece table."""

    source: str
    chains: tuple[tuple[Node, ...], ...]
    pieces: Mapping[int, object]


_NUMPY_STYLE = re.compile(r"\bnp\.[A-Za-z]|[\w)]\.T\b")


def read(latex: str, functions: Iterable[str] = (), names: Iterable[str] | Container[str] = (), *,
         partial: bool = False) -> Reading:
    r"""Normalise ``latex`` (an equation chain, or rows of an align block).

    ``names`` are canonical names of known symbols (see :class:`~.latex.Normaliser`): a set, or any container
    that answers ``name in names`` (a document's notation, whose patterns match many names). With ``partial``, a
    side of a chain of three or more sides that cannot be read is kept as a node with its ``error`` (the
    links between the other sides can still be checked); otherwise the error is raised.

    Examples
    --------
    >>> r = read(r"\frac{\partial L}{\partial \hat{y}_1} = -2(y_1 - \hat{y}_1) = -0.46")
    >>> len(r.chains[0]), type(r.pieces[0]).__name__
    (3, 'Atom')
    """
    if not isinstance(latex, str) or not latex.strip():
        raise LatexParseError("empty LaTeX", str(latex), None)
    if len(latex) > 20000:
        raise LatexParseError("LaTeX longer than 20000 characters", latex[:60], None)
    tokens = unwrap(tokenize(latex), latex)
    if len(tokens) > 2 and tokens[0].kind in ("num", "letter") and tokens[1].text == "." and "." not in tokens[0].text:
        tokens = tokens[2:]  # a list marker ("3. w = ...", "c. b = ..."), not math
    known = names if isinstance(names, Container) else frozenset(names)
    normaliser = Normaliser(latex, frozenset(canonical(f) for f in functions), names=known,
                            numpy=bool(_NUMPY_STYLE.search(latex)))
    chains = []
    for chain in split_chains(tokens, latex):
        chains.append(tuple(_side(normaliser, side, partial and len(chain) > 2) for side in chain))
        if all(node.error is not None for node in chains[-1]):
            raise chains[-1][0].error
    if not chains:
        raise LatexParseError("no expression found", latex, 0)
    return Reading(latex, tuple(chains), dict(normaliser.pieces))


def _side(normaliser: Normaliser, side: Side, partial: bool = False) -> Node:
    first = len(normaliser.pieces)
    try:
        try:
            return normaliser.node(list(side.tokens))
        except LatexParseError as exc:
            if exc.source:
                raise
            raise LatexParseError(str(exc).split(" at column")[0], normaliser.source, exc.offset) from None
    except LatexParseError as exc:
        if not partial:
            raise
        for k in range(first, len(normaliser.pieces)):  # the pieces of the side that could not be read
            del normaliser.pieces[k]
        return Node("", side.span, (), exc)


@lru_cache(maxsize=4096)
def canonical(key: str) -> str:
    r"""The canonical name of a single symbol written in LaTeX (a notation key).

    Examples
    --------
    A key is one symbol, so a superscript that would elsewhere be a power is part of its name
    (Nielsen's ``w^{3}_{12}``).

    >>> canonical(r"\hat{y}_1"), canonical("w_{kj}^{l+1}"), canonical(r"\mathbf{x}"), canonical("w^3_{12}")
    ('\\hat{y}_{1}', 'w^{l+1}_{kj}', 'x', 'w^{3}_{12}')
    >>> canonical(r"\nabla_{A_l}"), canonical(r"\mathbf{1}_{m}")
    ('\\nabla_{A_{l}}', '\\mathbf{1}_{m}')
    """
    tokens = unwrap(tokenize(key), key)
    if not tokens:
        raise LatexParseError("an empty symbol", key, 0)
    atom, end, transpose = Normaliser(key, symbol=True).atom(tokens, 0)
    if atom is None or end != len(tokens) or transpose:
        raise LatexParseError(f"{key!r} is not a single symbol (a letter with sub- and superscripts)", key, 0)
    return atom.name


def atoms(latex: str) -> list[str]:
    r"""The distinct symbols (canonical names) of ``latex``, in order of appearance.

    Examples
    --------
    >>> atoms(r"\delta^{[l]} = W^{[l+1]T} \delta^{[l+1]} \odot g'^{[l]}")
    ['\\delta^{[l]}', 'W^{[l+1]}', '\\delta^{[l+1]}', "g'^{[l]}"]
    """
    reading = read(latex)
    seen: list[str] = []
    for k in sorted(reading.pieces):
        piece = reading.pieces[k]
        if isinstance(piece, Atom) and not piece.name.startswith(r"\infty") and piece.name not in seen:
            seen.append(piece.name)
        if isinstance(piece, Call) and piece.function.name not in seen and piece.function.base not in MEANINGS:
            seen.append(piece.function.name)
    return seen


# ----- Building: walk latex2sympy2's tree, asking an environment what pieces mean -----
class Builder:
    """Builds SymPy objects from a :class:`Reading` with an environment ``env``.

    The environment has the methods of :class:`DefaultEnv`; :mod:`.verify`
    supplies one that knows the network.
    """

    def __init__(self, reading: Reading, env):
        self.reading = reading
        self.env = env
        #: True while a factor of a product is built (a Jacobian there is a chain-rule factor, see :mod:`.env`)
        self.in_product = False

    def node(self, node: Node, *, factor: bool = False):
        """Build one side (or sub-expression); ``factor``: it is one factor of a product (a parenthesised one)."""
        with self._product(factor):
            return self.walk(_parse_skeleton(node, self.reading.source))

    @contextmanager
    def _product(self, factor: bool):
        saved, self.in_product = self.in_product, factor
        try:
            yield
        finally:
            self.in_product = saved

    def piece(self, k: int):
        return self.reading.pieces[k]

    def walk(self, e: sp.Basic):
        env = self.env
        if isinstance(e, sp.Symbol):
            if not e.name.startswith("@"):
                raise LatexParseError(f"unexpected symbol {e.name!r}", self.reading.source, None)
            return self.realise(self.piece(int(e.name[1:])))
        if e.is_Number:
            return env.number(e)
        if isinstance(e, sp.Mul):
            return env.mul([self._factor(a) for a in e.args])
        with self._product(False):
            return self._walk(e)

    def _factor(self, e: sp.Basic):
        with self._product(True):
            return self.walk(e)

    def _walk(self, e: sp.Basic):
        env = self.env
        if isinstance(e, sp.Add):
            return env.add([self.walk(a) for a in e.args])
        if isinstance(e, sp.Pow):
            return env.pow(self.walk(e.base), self.walk(e.exp))
        if isinstance(e, sp.Mod):
            return env.hadamard(self.walk(e.args[0]), self.walk(e.args[1]))
        if isinstance(e, sp.exp):
            return env.function("exp", [self.walk(e.args[0])], 0)
        if isinstance(e, sp.log):
            if len(e.args) == 2 and e.args[1] != sp.E:
                raise LatexParseError("a logarithm to a base other than e", self.reading.source, None)
            return env.function("log", [self.walk(e.args[0])], 0)
        if isinstance(e, sp.Abs):
            return env.abs(self.walk(e.args[0]))
        if isinstance(e, sp.Sum):
            body = e.function
            index, lo, hi = e.limits[0]
            atom = self.piece(int(index.name[1:]))
            unbounded = isinstance(hi, sp.Symbol) and getattr(self.piece(int(hi.name[1:])), "base", "") == r"\infty"
            return env.sum(atom, self.walk(lo), None if unbounded else (lambda: self.walk(hi)), lambda: self.walk(body))
        raise LatexParseError(f"{type(e).__name__} is not supported here", self.reading.source, None)

    def realise(self, piece):
        env = self.env
        if isinstance(piece, Group):
            return self.node(piece.node, factor=self.in_product)
        if isinstance(piece, Atom):
            return env.atom(piece)
        if isinstance(piece, Literal):
            return env.literal(piece)
        if isinstance(piece, Call):
            return env.call(piece, lambda: [self.node(a) for a in piece.args])
        if isinstance(piece, Deriv):
            return env.derivative(piece, self)
        if isinstance(piece, Transpose):
            return env.transpose(self.node(piece.arg), piece)
        if isinstance(piece, NpSum):
            return env.npsum(self.node(piece.arg), piece)
        if isinstance(piece, NpPower):
            return env.np_power(self.node(piece.arg), self.node(piece.exponent))
        if isinstance(piece, Norm):
            return env.norm(self.node(piece.arg))
        if isinstance(piece, MatrixLit):
            return env.matrix([[self.node(c) for c in row] for row in piece.rows])
        if isinstance(piece, ElidedMatrix):
            return env.elided(piece, self)
        if isinstance(piece, Elision):
            return env.elision(piece)
        if isinstance(piece, Iverson):
            return env.iverson(*self.condition(piece.condition), piece)
        if isinstance(piece, Cases):
            return env.cases([(self.node(v), None if c is None else self.condition(c)) for v, c in piece.rows], piece)
        raise LatexParseError(f"unknown piece {piece!r}", self.reading.source, None)  # pragma: no cover


    def condition(self, c) -> tuple:
        """(left value, comparison, right value) of a :class:`~.pieces.Condition`."""
        return self.node(c.lhs), c.op, self.node(c.rhs)


def parse_latex(latex: str, symbols: Mapping[str, sp.Basic] | None = None, *, functions: Iterable[str] = (),
                seconds: float = 10.0) -> sp.Basic:
    r"""Parse one LaTeX expression (no ``=``) into SymPy.

    Parameters
    ----------
    latex
        The expression, e.g. ``r"\frac{1}{m} dZ^{[l]} {A^{[l-1]}}^{T}"``.
    symbols
        Optional meanings by LaTeX name: ``{"W^{[l]}": MatrixSymbol(...)}``.
        Other symbols become real ``Symbol``\ s named by their canonical LaTeX.
        A known name keeps a superscript that would otherwise be a power
        (``w^{3}_{12}``), and a known ``\nabla_{A}`` is that symbol. A key that
        is an expression (``\nabla_{a} C``, ``g'(Z)``) names what it reads as.
        A function of a matrix symbol acts entry by entry (softmax on columns).
    functions
        Names to read as functions when followed by ``(`` (``\sigma``, ``g``,
        ``f`` and primed names already are).
    seconds
        Time limit (:class:`TimeLimit` beyond it).

    Raises
    ------
    LatexParseError
        With ``position``, the 1-based column in ``latex``.

    Examples
    --------
    >>> parse_latex(r"w^{[2]}_{jk}")
    w^{[2]}_{jk}
    >>> parse_latex(r"\sigma'(z)")
    exp(-z)/(1 + exp(-z))**2
    >>> parse_latex(r"\log(x)")
    log(x)
    >>> n = sp.Symbol("n")
    >>> parse_latex(r"W^T x", {"W": sp.MatrixSymbol("W", n, n), "x": sp.MatrixSymbol("x", n, 1)})
    W.T*x
    >>> parse_latex(r"\frac{1}{2}(y - \hat{y}")
    Traceback (most recent call last):
    ...
    symbp.documents.tokens.LatexParseError: unbalanced '(': no matching close at column 12 ...
    """
    with time_limit(seconds, "parsing LaTeX"):
        env = DefaultEnv(symbols, latex, functions)
        reading = read(latex, functions, env.names)
        if len(reading.chains) != 1 or len(reading.chains[0]) != 1:
            raise LatexParseError("an equation where one expression was expected (use parse_equation)", latex, None)
        return Builder(reading, env).node(reading.chains[0][0])


def parse_equation(latex: str, symbols: Mapping[str, sp.Basic] | None = None, *, functions: Iterable[str] = (),
                   seconds: float = 10.0) -> list[sp.Basic]:
    r"""Parse an equation chain ``a = b = c`` into its sides ``[a, b, c]``.

    latex2sympy2 alone would solve or drop an ``=``; here every side is kept.

    Examples
    --------
    >>> parse_equation(r"\delta^{L}_{j} = \frac{\partial C}{\partial z^{L}_{j}}")
    [\delta^{L}_{j}, Derivative(C, z^{L}_{j})]
    """
    with time_limit(seconds, "parsing LaTeX"):
        env = DefaultEnv(symbols, latex, functions)
        reading = read(latex, functions, env.names)
        if len(reading.chains) != 1:
            raise LatexParseError(f"{len(reading.chains)} equations where one was expected", latex, None)
        builder = Builder(reading, env)
        return [builder.node(side) for side in reading.chains[0]]


__all__ += ["canonical_atom"]
