r"""The normalising layer in front of latex2sympy2: tokens, atoms, skeletons.

Tutorial LaTeX is ambiguous in ways latex2sympy2 1.9.1 gets wrong (it reads
``w^{[2]}_{jk}`` as ``w_{jk}**2``, ``\sigma'(z)`` as a product, drops the
``T`` of ``W^T``, takes ``\log`` as base 10). So before latex2sympy2 sees an
expression, this module

* cuts it into tokens (with their offsets in the source, for error messages);
* reads every *atom* -- a symbol with its layer superscripts, indices and
  primes (``w^{[2]}_{jk}``, ``\hat{y}_1``, ``g^{'[l]}``, ``dZ_l``) -- and gives
  it a canonical name (superscript before subscript, braces normalised);
* turns the constructs latex2sympy2 cannot read into *pieces* parsed on their
  own: derivative fractions (``\partial``, ``d``, ``\mathrm{d}``, ``\nabla_a``),
  function calls, transposes (``^T``, ``^{T}``, ``^{[l]T}``), Hadamard
  products (``\odot``, ``\otimes``, ``\circ``), ``np.sum(..., axis=k)``,
  matrices and bracketed rows of numbers, norms, printed decimals (kept with
  their precision);
* leaves a *skeleton*: the arithmetic (sums, products, fractions, powers,
  ``\sum``) over placeholder symbols, which latex2sympy2 parses.

Nothing here evaluates anything. Non-goals: semantics (what a symbol means is
decided by the caller, see :mod:`.reader` and :mod:`.verify`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

from ..errors import SymbpError
from .elide import ELLIPSES, ElisionError, elide_sums, elided_matrix

__all__ = ["LatexParseError", "Tok", "tokenize", "Atom", "Literal", "Call", "Deriv", "Transpose", "NpSum", "Norm",
           "MatrixLit", "ElidedMatrix", "Group", "Node", "Side", "split_chains", "Normaliser", "canonical_atom", "placeholder"]


class LatexParseError(SymbpError, ValueError):
    """LaTeX that cannot be read; ``position`` is the 1-based column in ``source``."""

    def __init__(self, message: str, source: str = "", offset: int | None = None):
        self.source = source
        self.offset = offset
        self.position = None if offset is None else offset + 1
        where = f" at column {offset + 1}" if offset is not None else ""
        super().__init__(f"{message}{where}" + (f" in {source!r}" if source and len(source) < 200 else ""))


# ----- Tokens -----
@dataclass(frozen=True)
class Tok:
    """One token: ``kind`` is cmd, num, letter or char; ``space`` says whitespace precedes it."""

    kind: str
    text: str
    pos: int
    space: bool = False


UNICODE = {"η": r"\eta", "α": r"\alpha", "σ": r"\sigma", "δ": r"\delta", "∂": r"\partial", "⊙": r"\odot",
           "·": r"\cdot", "×": r"\times", "−": "-", "∇": r"\nabla", "ϵ": r"\epsilon", "ε": r"\epsilon",
           "λ": r"\lambda", "θ": r"\theta", "Δ": r"\Delta", "∑": r"\sum", "ŷ": r"\hat{y}", "…": r"\dots"}


def tokenize(text: str) -> list[Tok]:
    r"""Cut LaTeX into tokens, keeping each token's offset.

    Examples
    --------
    >>> [t.text for t in tokenize(r"\hat{y}_1 = 0.77")]
    ['\\hat', '{', 'y', '}', '_', '1', '=', '0.77']
    """
    out: list[Tok] = []
    i, n, space = 0, len(text), False
    while i < n:
        c = text[i]
        if c.isspace():
            space, i = True, i + 1
            continue
        if c == "%" and (i == 0 or text[i - 1] != "\\"):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if c == "\\":
            m = re.compile(r"\\([A-Za-z]+|.)", re.S).match(text, i)
            if m is None:
                raise LatexParseError("a lone backslash", text, i)
            out.append(Tok("cmd", m.group(0), i, space))
            i = m.end()
        elif c.isdigit() or (c == "." and i + 1 < n and text[i + 1].isdigit()):
            m = re.compile(r"\d*\.\d+|\d+").match(text, i)
            out.append(Tok("num", m.group(0), i, space))
            i = m.end()
        elif c.isascii() and c.isalpha():
            out.append(Tok("letter", c, i, space))
            i += 1
        elif c in UNICODE:
            for k, t in enumerate(tokenize(UNICODE[c])):
                out.append(Tok(t.kind, t.text, i, space if k == 0 else t.space))
            i += 1
        else:
            out.append(Tok("char", c, i, space))
            i += 1
        space = False
    return out


# ----- Pieces: what the skeleton's placeholders stand for -----
@dataclass(frozen=True)
class Atom:
    """A symbol with its scripts; ``name`` is canonical (``w^{[2]}_{jk}``)."""

    name: str
    base: str
    sup: str = ""
    sub: str = ""
    primes: int = 0
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Literal:
    """A printed decimal number: exact ``value`` and the precision printed (``decimals``)."""

    text: str
    value: Fraction
    decimals: int
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Node:
    """A sub-expression: its skeleton (for latex2sympy2) and where it is in the source."""

    skeleton: str
    span: tuple[int, int]
    chunks: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Call:
    r"""``function(args)``; ``function`` is an :class:`Atom` (``\sigma``, ``g^{[l]}``) or a word (``exp``)."""

    function: Atom
    args: tuple[Node, ...]
    primes: int = 0
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Deriv:
    r"""A derivative ``d num / d den``; for ``\frac{\partial}{\partial x}[...]`` num is the operand."""

    num: Node
    den: Node
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Transpose:
    """``arg^T``."""

    arg: Node
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class NpSum:
    """``np.sum(arg, axis=k, keepdims=...)``."""

    arg: Node
    axis: int | None
    keepdims: bool
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Norm:
    r"""``\| arg \|``."""

    arg: Node
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class MatrixLit:
    """A matrix or a bracketed row of entries, row by row."""

    rows: tuple[tuple[Node, ...], ...]
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class ElidedMatrix:
    """A matrix written by its corners: a template entry and, per axis, (index letter, first, last)."""

    template: Node
    rows: tuple | None
    cols: tuple | None
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Group:
    """A parenthesised sub-expression, read on its own (one operand of the expression around it)."""

    node: Node
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Side:
    """One side of an equation chain: its tokens and source span."""

    tokens: tuple[Tok, ...]
    span: tuple[int, int]


def placeholder(k: int) -> str:
    """The skeleton text of placeholder ``k``: a symbol latex2sympy2 reads as one name."""
    return rf"\mathit{{p}}_{{{k}}}"


PLACEHOLDER = re.compile(r"\\mathit\{p\}_\{?(\d+)\}?")

GREEK = {r"\alpha", r"\beta", r"\gamma", r"\delta", r"\epsilon", r"\varepsilon", r"\zeta", r"\eta", r"\theta",
         r"\iota", r"\kappa", r"\lambda", r"\mu", r"\nu", r"\xi", r"\pi", r"\rho", r"\sigma", r"\tau", r"\upsilon",
         r"\phi", r"\varphi", r"\chi", r"\psi", r"\omega", r"\Gamma", r"\Delta", r"\Theta", r"\Lambda", r"\Xi",
         r"\Pi", r"\Sigma", r"\Phi", r"\Psi", r"\Omega", r"\ell"}
DECORATIONS = {r"\hat", r"\bar", r"\tilde", r"\vec", r"\widehat", r"\overline", r"\dot", r"\mathcal", r"\mathbb",
               r"\mathrm", r"\mathit", r"\mathsf", r"\text", r"\operatorname", r"\textrm", r"\mathtt"}
BOLD = {r"\mathbf", r"\boldsymbol", r"\bm", r"\textbf", r"\pmb", r"\mathbfit"}
DROPPED = {r"\quad", r"\qquad", r"\,", r"\;", r"\:", r"\!", r"\ ", r"\displaystyle", r"\textstyle", r"\limits",
           r"\nonumber", r"\notag", r"\blacktriangleright", r"\big", r"\Big", r"\bigg", r"\Bigg", r"\middle"}
RELATIONS = {"=", r"\equiv", r"\leftarrow", r"\gets", r"\approx", r"\coloneqq", r"\triangleq", r"\doteq"}
HADAMARD = {r"\odot", r"\otimes", r"\circ"}
TIMES = {r"\cdot", r"\times", r"\ast"}
FUNCTION_WORDS = {"sigmoid", "softmax", "relu", "tanh", "exp", "log", "ln", "ReLU", "Softmax", "Sigmoid"}
BUILTIN_FUNCTIONS = {r"\exp": "exp", r"\log": "log", r"\ln": "log", r"\tanh": "tanh", r"\sin": "sin",
                     r"\cos": "cos", r"\max": "max", r"\min": "min"}
FUNCTION_BASES = {r"\sigma", "g", "f", r"\phi", r"\varphi", r"\psi"}
MATRIX_ENVS = {"bmatrix", "pmatrix", "matrix", "Bmatrix", "vmatrix", "smallmatrix", "array"}
OPEN = {"(": ")", "[": "]", "{": "}"}
MAX_DEPTH = 40


def _matching(tokens: list[Tok], i: int) -> int:
    """Index of the token closing the group opened at ``i`` ({, (, [, \\left, \\begin)."""
    depth = 0
    for j in range(i, len(tokens)):
        t = tokens[j]
        if t.text in ("{", "(", "[", r"\left") or t.text == r"\begin":
            depth += 1
        elif t.text in ("}", ")", "]", r"\right") or t.text == r"\end":
            depth -= 1
            if depth == 0:
                return j
    raise LatexParseError(f"unbalanced {tokens[i].text!r}: no matching close", "", tokens[i].pos)


def _group(tokens: list[Tok], i: int) -> tuple[list[Tok], int]:
    """A brace group's inner tokens (or the single token at ``i``) and the index after it."""
    if i >= len(tokens):
        raise LatexParseError("expected an argument", "", tokens[-1].pos if tokens else 0)
    if tokens[i].text == "{":
        j = _brace_close(tokens, i)
        return tokens[i + 1 : j], j + 1
    return [tokens[i]], i + 1


def _brace_close(tokens: list[Tok], i: int) -> int:
    depth = 0
    for j in range(i, len(tokens)):
        if tokens[j].text == "{":
            depth += 1
        elif tokens[j].text == "}":
            depth -= 1
            if depth == 0:
                return j
    raise LatexParseError("unbalanced '{': no matching '}'", "", tokens[i].pos)


def _text(tokens) -> str:
    """Canonical text of a token run: no spaces, single-token scripts braced."""
    out, k, toks = [], 0, list(tokens)
    while k < len(toks):
        t = toks[k]
        if t.text in ("_", "^") and k + 1 < len(toks) and toks[k + 1].text != "{":
            out.append(f"{t.text}{{{toks[k + 1].text}}}")
            k += 2
            continue
        if out and t.kind == "letter" and out[-1].startswith("\\") and out[-1][1:].isalpha():
            out.append(" ")
        out.append(t.text)
        k += 1
    return "".join(out)


_LAYERISH = re.compile(r"^'?((\[[^\]]*\])|(\([^)]*\)))+$|^[A-Za-z]([+-]\d+)?$|^\([A-Za-z]([+-]\d+)?\)$")
_TRANSPOSE = {"T", r"\top", r"\intercal", r"\mathsf{T}", r"\mathrm{T}", r"\mathsf T"}


def classify_superscript(content: str, base: str) -> tuple[str, bool, int]:
    """Split a superscript into (part of the atom's name, transpose?, primes); ``("", False, 0)`` means a power.

    Examples
    --------
    >>> classify_superscript("[l-1]T", "A"), classify_superscript("2", "x"), classify_superscript("'[L]", "g")
    (('[l-1]', True, 0), ('', False, 0), ('[L]', False, 1))
    """
    if content in _TRANSPOSE:
        return "", True, 0
    primes = len(content) - len(content.lstrip("'"))
    body = content[primes:]
    transpose = False
    if body.endswith("T") and body[:-1].endswith(("]", ")")):
        body, transpose = body[:-1], True
    elif body.endswith(r"\top") and body[:-4].endswith(("]", ")")):
        body, transpose = body[:-4], True
    if base == r"\Delta" and body:
        return body, transpose, primes
    if not body:
        return "", transpose, primes
    if _LAYERISH.match(body):
        return body, transpose, primes
    return "", False, 0


def canonical_atom(base: str, sup: str = "", sub: str = "", primes: int = 0) -> str:
    """The canonical name: base, primes, ``^{sup}``, ``_{sub}``.

    Examples
    --------
    >>> canonical_atom(r"\\hat{y}", sub="1"), canonical_atom("w", "[2]", "jk")
    ('\\\\hat{y}_{1}', 'w^{[2]}_{jk}')
    """
    name = base + "'" * primes
    if sup:
        name += f"^{{{sup}}}"
    if sub:
        name += f"_{{{sub}}}"
    return name


def split_chains(tokens: list[Tok], source: str) -> list[list[Side]]:
    r"""Split a claim into chains of sides: rows at top-level ``\\``, sides at relations.

    A row whose first side is empty (``& = ...``) continues the chain above.
    """
    rows: list[list[Tok]] = [[]]
    depth = 0
    for t in tokens:
        if t.text in ("{", "(", "[", r"\left", r"\begin"):
            depth += 1
        elif t.text in ("}", ")", "]", r"\right", r"\end"):
            depth -= 1
        if depth == 0 and t.text == r"\\":
            rows.append([])
        elif t.text != "&" or depth > 0:
            rows[-1].append(t)
    chains: list[list[Side]] = []
    for row in rows:
        colons = [k for k, t in enumerate(row) if t.text == ":" and (k + 1 >= len(row) or row[k + 1].text != "=")
                  and _depth_at(row, k) == 0]
        if colons:  # "C : A = ..." -- what precedes a colon introduces the equation
            row = row[colons[-1] + 1 :]
        sides: list[list[Tok]] = [[]]
        depth = 0
        for k, t in enumerate(row):
            if t.text in ("{", "(", "[", r"\left", r"\begin"):
                depth += 1
            elif t.text in ("}", ")", "]", r"\right", r"\end"):
                depth -= 1
            relation = t.text in RELATIONS or (t.text == ":" and k + 1 < len(row) and row[k + 1].text == "=")
            if depth == 0 and relation:
                sides.append([])
            elif depth == 0 and t.text == "=" and sides[-1] == [] and k and row[k - 1].text == ":":
                continue
            else:
                sides[-1].append(t)
        while sides and sides[-1] and [x.text for x in sides[-1]] in (["."], [","]):
            sides[-1] = []
        sides = [s[:-1] if s and s[-1].text in (".", ",") and len(s) > 1 and s[-2].kind != "num" else s for s in sides]
        if all(not s for s in sides):
            continue
        made = [Side(tuple(s), (s[0].pos, s[-1].pos + len(s[-1].text)) if s else (0, 0)) for s in sides]
        if not sides[0] and chains and len(sides) > 1:
            chains[-1].extend(made[1:])
        else:
            chains.append(made)
    for chain in chains:
        for side in chain:
            if not side.tokens:
                raise LatexParseError("an empty side of an equation", source, chain[0].span[0] if chain else 0)
    return chains


def _depth_at(tokens: list[Tok], k: int) -> int:
    depth = 0
    for t in tokens[:k]:
        if t.text in ("{", "(", "[", r"\left", r"\begin"):
            depth += 1
        elif t.text in ("}", ")", "]", r"\right", r"\end"):
            depth -= 1
    return depth


def unwrap(tokens: list[Tok], source: str) -> list[Tok]:
    r"""Remove presentation: bold wrappers, ``\tag``/``\label``, ``\begin{aligned}``, dropped spacing."""
    toks = list(tokens)
    out: list[Tok] = []
    skip: set[int] = set()
    k = 0
    while k < len(toks):
        t = toks[k]
        if k in skip:
            k += 1
            continue
        if t.text in BOLD and k + 1 < len(toks) and toks[k + 1].text == "{":
            skip.add(_brace_close(toks, k + 1))
            k += 2
            continue
        if t.text in (r"\tag", r"\label", r"\text") and t.text != r"\text" and k + 1 < len(toks):
            _, k = _group(toks, k + 1)
            continue
        if t.text in (r"\begin", r"\end") and k + 1 < len(toks) and toks[k + 1].text == "{":
            inner, after = _group(toks, k + 1)
            env = _text(inner).rstrip("*")
            if env in ("aligned", "align", "equation", "gather", "split", "multline", "eqnarray", "alignat"):
                k = after
                if env == "alignat" and k < len(toks) and toks[k].text == "{":
                    _, k = _group(toks, k)
                continue
        if t.text in DROPPED:
            k += 1
            continue
        out.append(t)
        k += 1
    return out


@dataclass
class Normaliser:
    r"""Turns token runs into :class:`Node` skeletons and fills the piece table.

    ``functions`` are canonical atom names to read as functions when followed
    by ``(`` (besides ``\sigma``, ``g``, ``f``, words like ``\text{softmax}``,
    any primed atom, and any atom called with several arguments).
    """

    source: str
    functions: frozenset[str] = frozenset()
    pieces: dict[int, object] = field(default_factory=dict)
    depth: int = 0

    def add(self, piece) -> str:
        k = len(self.pieces)
        self.pieces[k] = piece
        return placeholder(k)

    def fail(self, message: str, tok: Tok | None) -> LatexParseError:
        return LatexParseError(message, self.source, None if tok is None else tok.pos)

    # ----- Expressions -----
    def node(self, tokens: list[Tok]) -> Node:
        """Normalise one expression (no relations) into a skeleton node."""
        if not tokens:
            raise self.fail("an empty expression", None)
        if self.depth > MAX_DEPTH:
            raise self.fail(f"expression nested more than {MAX_DEPTH} levels deep", tokens[0])
        self.depth += 1
        try:
            return self._node(tokens)
        finally:
            self.depth -= 1

    def _node(self, tokens: list[Tok]) -> Node:
        tokens = self._elide_sums(tokens)
        chunks: list[tuple[int, int]] = []
        parts: list[str] = []
        i = 0
        while i < len(tokens):
            start = sum(len(p) for p in parts)
            text, i = self.item(tokens, i)
            chunks.append((start, tokens[min(i, len(tokens)) - 1].pos))
            parts.append(text)
        span = (tokens[0].pos, tokens[-1].pos + len(tokens[-1].text))
        return Node(" ".join(parts).strip(), span, tuple(chunks))

    def _elide_sums(self, tokens: list[Tok]) -> list[Tok]:
        r"""``first + \dots + last`` at the top level of ``tokens``, rewritten as a ``\sum`` (see :mod:`.elide`)."""
        top = [k for k, t in enumerate(tokens) if self._at_top(tokens, k)]
        spans = []
        for k in top:
            if tokens[k].text in ELLIPSES and 0 < k < len(tokens) - 1 and tokens[k - 1].text == "+" and \
                    tokens[k + 1].text == "+":
                before = [j for j in top if j < k - 1 and tokens[j].text in ("+", "-", "=")]
                after = [j for j in top if j > k + 1 and tokens[j].text in ("+", "-", "=")]
                first = (before[-1] + 1) if before else 0
                last = (after[0] - 1) if after else len(tokens) - 1
                if first > k - 2 or last < k + 2:
                    raise self.fail("an ellipsis without a first or last term", tokens[k])
                spans.append((first, k - 2, k + 2, last))
        if not spans:
            return tokens
        base = tokens[0].pos
        text = self.source[base : tokens[-1].pos + len(tokens[-1].text)]
        rel = [(tokens[a].pos - base, tokens[b].pos + len(tokens[b].text) - base,
                tokens[c].pos - base, tokens[d].pos + len(tokens[d].text) - base) for a, b, c, d in spans]
        try:
            new = elide_sums(text, rel)
        except ElisionError as exc:
            raise self.fail(f"elided terms: {exc}", tokens[spans[0][0]]) from None
        return [Tok(t.kind, t.text, base + min(t.pos, len(text) - 1), t.space) for t in tokenize(new)]

    @staticmethod
    def _at_top(tokens: list[Tok], k: int) -> bool:
        depth = 0
        for t in tokens[:k]:
            if t.text in ("{", "(", "[", r"\left", r"\begin"):
                depth += 1
            elif t.text in ("}", ")", "]", r"\right", r"\end"):
                depth -= 1
        return depth == 0

    def item(self, toks: list[Tok], i: int) -> tuple[str, int]:
        t = toks[i]
        x = t.text
        if x in ("+", "-", "/"):
            return x, i + 1
        if x == "*" or x in TIMES:
            return r" \cdot ", i + 1
        if x in HADAMARD:
            return r" \mod ", i + 1
        if x == r"\div":
            return "/", i + 1
        if x in ELLIPSES or (x == "." and i + 1 < len(toks) and toks[i + 1].text == "."):
            raise self.fail(f"elided terms ({x!r}): an expression with '...' cannot be checked", t)
        if x == r"\partial":
            raise self.fail(r"'\partial' outside a fraction \frac{\partial ...}{\partial ...}", t)
        if x in RELATIONS or x in ("<", ">", r"\le", r"\ge", r"\leq", r"\geq", r"\neq", r"\in", r"\to", r"\mapsto"):
            raise self.fail(f"a relation {x!r} inside an expression", t)
        text, i = self.operand(toks, i)
        return self.postfix(toks, i, text)

    def postfix(self, toks: list[Tok], i: int, text: str) -> tuple[str, int]:
        """Superscripts after an operand: a transpose wraps it, anything else is a power."""
        while i < len(toks) and toks[i].text in ("^", "_", "'"):
            op = toks[i].text
            if op == "'":
                raise self.fail("a prime after an expression that is not a function call", toks[i])
            content, after = _group(toks, i + 1)
            if op == "_":
                if _text(content) in ("t", "t+1", "{t}", "{t+1}"):
                    i = after  # (w)_{t+1}: the time step of an update rule; the claim's kind says old or new
                    continue
                if not content:
                    i = after
                    continue
                raise self.fail(f"a subscript on an expression: {_text(content)!r}", toks[i])
            if not content:
                i = after
                continue
            name, transpose, primes = classify_superscript(_text(content), "")
            if transpose and not name and not primes:
                text = self.add(Transpose(self._sub(text, toks, i), (toks[i].pos, toks[after - 1].pos + 1)))
            else:
                text = f"{self.group_of(text)}^{{{self.node(content).skeleton}}}"
            i = after
        return text, i

    def group_of(self, skeleton: str) -> str:
        """``skeleton`` as one operand: itself if it already is a single placeholder, else a group piece."""
        if PLACEHOLDER.fullmatch(skeleton.strip()) or re.fullmatch(r"\s*\d+\s*", skeleton):
            return skeleton
        return self.add(Group(Node(skeleton, (0, 0)), (0, 0)))

    def _sub(self, skeleton: str, toks, i) -> Node:
        return Node(skeleton, (toks[max(i - 1, 0)].pos, toks[i].pos), ())

    def operand(self, toks: list[Tok], i: int) -> tuple[str, int]:
        t = toks[i]
        x = t.text
        if t.kind == "num":
            return self.number(toks, i)
        if x in ("(", "[") or (x == r"\left" and i + 1 < len(toks) and toks[i + 1].text in ("(", "[", r"\{", ".")):
            return self.bracket(toks, i)
        if x == "{":
            inner, after = _group(toks, i)
            return self.add(Group(self.node(inner), (t.pos, toks[after - 1].pos + 1))), after
        if x in ("|",) or (x == r"\left" and i + 1 < len(toks) and toks[i + 1].text in ("|", r"\|")):
            return self.bars(toks, i)
        if x == r"\|":
            return self.bars(toks, i)
        if x in (r"\frac", r"\dfrac", r"\tfrac"):
            return self.fraction(toks, i)
        if x == r"\sqrt":
            inner, after = _group(toks, i + 1)
            return rf"\sqrt{{{self.group_of(self.node(inner).skeleton)}}}", after
        if x in (r"\sum", r"\prod"):
            return self.big_operator(toks, i)
        if x == r"\begin":
            return self.matrix(toks, i)
        if x == r"\nabla" and i + 1 < len(toks) and toks[i + 1].text == "_":
            wrt, after = _group(toks, i + 2)
            operand, after2 = self.operand(toks, after)
            num = Node(operand, (toks[after].pos, toks[after2 - 1].pos + 1))
            return self.add(Deriv(num, self.node(wrt), (t.pos, toks[after2 - 1].pos + 1))), after2
        if x in BUILTIN_FUNCTIONS:
            return self.builtin_call(toks, i, BUILTIN_FUNCTIONS[x])
        if t.kind == "letter" and x == "e" and i + 1 < len(toks) and toks[i + 1].text == "^":
            exponent, after = _group(toks, i + 2)
            node = self.node(exponent)
            exp = Atom("exp", "exp", span=(t.pos, t.pos + 1))
            return self.add(Call(exp, (node,), 0, (t.pos, toks[after - 1].pos + 1))), after
        word = self.word(toks, i)
        if word:
            return word
        atom, after, transpose = self.atom(toks, i)
        if atom is None:
            raise self.fail(f"unexpected {x!r}", t)
        text = self.add(atom)
        if after < len(toks) and self.is_call(atom, toks, after):
            text, after = self.call(toks, after, atom)
        if transpose:
            text = self.add(Transpose(Node(text, atom.span), atom.span))
        return text, after

    # ----- Atoms -----
    def atom(self, toks: list[Tok], i: int):
        t = toks[i]
        start = t.pos
        if t.kind == "letter":
            base, i = t.text, i + 1
            if (base == "d" and i < len(toks) and toks[i].kind == "letter" and not toks[i].space
                    and not (i + 1 < len(toks) and toks[i + 1].kind == "letter" and not toks[i + 1].space)):
                base, i = "d" + toks[i].text, i + 1
            elif i < len(toks) and toks[i].kind == "num" and not toks[i].space and "." not in toks[i].text:
                sub = toks[i].text
                return self._scripts(toks, i + 1, base, start, implicit_sub=sub)
        elif t.text in GREEK:
            base, i = t.text, i + 1
            if base == r"\Delta" and i < len(toks) and toks[i].kind == "letter":
                inner, after, transpose = self._scripts(toks, i + 1, toks[i].text, toks[i].pos)
                name = rf"\Delta {inner.name}"
                return Atom(name, name, span=(start, inner.span[1])), after, transpose
        elif t.text in DECORATIONS:
            inner, i = _group(toks, i + 1)
            content = _text(inner)
            if t.text in (r"\text", r"\operatorname", r"\mathrm", r"\textrm") and content.strip() in FUNCTION_WORDS:
                base = content.strip().lower()
            elif t.text in (r"\text", r"\textrm"):
                base = rf"\text{{{content.strip()}}}"
            else:
                base = f"{t.text}{{{content}}}"
        else:
            return None, i, False
        return self._scripts(toks, i, base, start)

    def _scripts(self, toks, i, base, start, implicit_sub=""):
        sup, sub, primes, transpose = "", implicit_sub, 0, False
        while i < len(toks):
            x = toks[i].text
            if x == "'":
                primes, i = primes + 1, i + 1
            elif x == "_":
                content, after = _group(toks, i + 1)
                text = _text(content)
                sub = f"{sub},{text}" if sub and text else (sub or text)
                i = after
            elif x == "^":
                content, after = _group(toks, i + 1)
                name, tr, extra = classify_superscript(_text(content), base)
                if not (name or tr or extra):
                    if not content:
                        i = after
                        continue
                    break  # a power: left to the skeleton
                if name:
                    sup = f"{sup}{name}" if sup else name
                primes += extra
                transpose = transpose or tr
                i = after
            else:
                break
        end = toks[i - 1].pos + len(toks[i - 1].text)
        return Atom(canonical_atom(base, sup, sub, primes), base, sup, sub, primes, (start, end)), i, transpose

    def is_call(self, atom: Atom, toks: list[Tok], i: int) -> bool:
        opens = toks[i].text == "(" or (toks[i].text == r"\left" and i + 1 < len(toks) and toks[i + 1].text == "(")
        if not opens:
            return False
        if (atom.base in FUNCTION_BASES or atom.base in FUNCTION_WORDS or atom.primes or atom.name in self.functions
                or atom.base in self.functions):
            return True
        inner, _ = self._inside(toks, i)
        return any(t.text == "," for t in self._top_level(inner))

    def _top_level(self, toks):
        depth = 0
        for t in toks:
            if t.text in ("{", "(", "[", r"\left", r"\begin"):
                depth += 1
            elif t.text in ("}", ")", "]", r"\right", r"\end"):
                depth -= 1
            elif depth == 0:
                yield t

    def call(self, toks: list[Tok], i: int, function: Atom) -> tuple[str, int]:
        """``function(args)`` starting at the ``(`` at ``i``; a prime after the ``)`` differentiates."""
        inner, after = self._inside(toks, i)
        args = [self.node(a) for a in self._split_args(inner)]
        primes = 0
        while after < len(toks) and toks[after].text == "'":
            primes, after = primes + 1, after + 1
        span = (function.span[0], toks[after - 1].pos + 1)
        return self.add(Call(function, tuple(args), primes, span)), after

    def _split_args(self, inner: list[Tok]) -> list[list[Tok]]:
        args: list[list[Tok]] = [[]]
        depth = 0
        for t in inner:
            if t.text in ("{", "(", "[", r"\left", r"\begin"):
                depth += 1
            elif t.text in ("}", ")", "]", r"\right", r"\end"):
                depth -= 1
            if depth == 0 and t.text == ",":
                args.append([])
            else:
                args[-1].append(t)
        return [a for a in args if a]

    def builtin_call(self, toks, i, name):
        atom = Atom(name, name, span=(toks[i].pos, toks[i].pos + len(toks[i].text)))
        j = i + 1
        if j < len(toks) and toks[j].text == "^":  # \log^2 x: not supported
            raise self.fail(f"a power of {toks[i].text}", toks[j])
        if j < len(toks) and (toks[j].text == "(" or (toks[j].text == r"\left" and toks[j + 1].text == "(")):
            return self.call(toks, j, atom)
        text, after = self.operand(toks, j)
        node = Node(text, (toks[j].pos, toks[after - 1].pos + 1))
        return self.add(Call(atom, (node,), 0, (toks[i].pos, toks[after - 1].pos + 1))), after

    def word(self, toks: list[Tok], i: int):
        """Multi-letter words: ``np.sum(...)``, ``log(...)``, ``sigmoid(...)``."""
        j = i
        while j < len(toks) and toks[j].kind == "letter" and (j == i or not toks[j].space):
            j += 1
        word = "".join(t.text for t in toks[i:j])
        if word == "np" and j + 1 < len(toks) and toks[j].text == ".":
            k = j + 1
            while k < len(toks) and toks[k].kind == "letter" and not toks[k].space:
                k += 1
            name = "".join(t.text for t in toks[j + 1 : k])
            if name != "sum" or k >= len(toks) or toks[k].text != "(":
                raise self.fail(f"unsupported NumPy function np.{name}", toks[i])
            return self.np_sum(toks, k, toks[i].pos)
        if word in FUNCTION_WORDS and j < len(toks) and toks[j].text in ("(", r"\left"):
            atom = Atom(word.lower() if word != "ln" else "log", word, span=(toks[i].pos, toks[j - 1].pos + 1))
            return self.call(toks, j, atom)
        return None

    def np_sum(self, toks, i, start):
        inner, after = self._inside(toks, i)
        close = after - 1
        args = self._split_args(inner)
        if not args:
            raise self.fail("np.sum() without an argument", toks[i])
        options = " ".join(_text(a) for a in args[1:])
        options = re.sub(r"\\text(bf|rm)?\{([^}]*)\}", r"\2", options).replace(" ", "")
        axis_match = re.search(r"axis=(-?\d+)", options)
        keep = re.search(r"keepdims=(True|False)", options)
        unknown = re.sub(r"axis=-?\d+|keepdims=(True|False)|,", "", options)
        if unknown:
            raise self.fail(f"np.sum option {unknown!r} not understood (axis=k, keepdims=True|False)", toks[i])
        piece = NpSum(self.node(args[0]), int(axis_match.group(1)) if axis_match else None,
                      bool(keep and keep.group(1) == "True"), (start, toks[close].pos + 1))
        return self.add(piece), close + 1

    # ----- Numbers, groups, fractions -----
    def number(self, toks, i):
        t = toks[i]
        text = t.text
        if i + 3 < len(toks) and toks[i + 1].text == r"\times" and toks[i + 2].text == "10" and toks[i + 3].text == "^":
            exponent_toks, after = _group(toks, i + 4)
            exponent = _text(exponent_toks)
            if not re.fullmatch(r"[+-]?\d+", exponent):
                raise self.fail(f"exponent {exponent!r} of a number in scientific notation", toks[i + 3])
            e = int(exponent)
            mantissa = Fraction(text)
            decimals = (len(text.split(".")[1]) if "." in text else 0) - e
            value = mantissa * Fraction(10) ** e
            return self.add(Literal(f"{text} \\times 10^{{{e}}}", value, decimals, (t.pos, toks[after - 1].pos + 1))), after
        if "." in text:
            if text.endswith("."):
                raise self.fail(f"number {text!r}", t)
            return self.add(Literal(text, Fraction(text), len(text.split(".")[1]), (t.pos, t.pos + len(text)))), i + 1
        return text, i + 1

    def bracket(self, toks, i):
        left = toks[i].text == r"\left"
        opener = toks[i + 1].text if left else toks[i].text
        inner, after = self._inside(toks, i)
        if opener == "[" and inner and self._is_number_row(inner):
            rows = [[]]
            for t in inner:
                if t.text == r"\\":
                    rows.append([])
                elif t.text not in ("&", ","):
                    rows[-1].append(t)
            entries = tuple(tuple(self.node(g) for g in self._numbers(row)) for row in rows if row)
            return self.add(MatrixLit(entries, (toks[i].pos, toks[after - 1].pos + 1))), after
        if not inner:
            raise self.fail("empty brackets", toks[i])
        return self.add(Group(self.node(inner), (toks[i].pos, toks[after - 1].pos + 1))), after

    def _inside(self, toks, i):
        """The tokens inside the group opened at ``i`` (``(``, ``[``, ``\\left(``...) and the index after it."""
        close = _matching(toks, i)
        if toks[i].text == r"\left":
            end = close - 1 if toks[close - 1].text == r"\right" else close
            return toks[i + 2 : end], close + 1
        return toks[i + 1 : close], close + 1

    def _is_number_row(self, inner):
        return all(t.kind == "num" or t.text in ("-", "+", "&", ",", r"\\") for t in inner) and any(
            t.kind == "num" for t in inner
        )

    def _numbers(self, row):
        groups, current = [], []
        for t in row:
            if t.kind == "num" and current and current[-1].kind == "num":
                groups.append(current)
                current = []
            current.append(t)
            if t.kind == "num":
                groups.append(current)
                current = []
        return groups

    def bars(self, toks, i):
        left = toks[i].text == r"\left"
        bar = toks[i + 1].text if left else toks[i].text
        j = i + 2 if left else i + 1
        depth = 0
        for k in range(j, len(toks)):
            x = toks[k].text
            if x in ("{", "(", "[") or (x == r"\left" and k + 1 < len(toks) and toks[k + 1].text not in ("|", r"\|")):
                depth += 1
            elif x in ("}", ")", "]") or (x == r"\right" and k + 1 < len(toks) and toks[k + 1].text not in ("|", r"\|")):
                depth -= 1
            elif depth == 0 and x == bar and (not left or toks[k - 1].text == r"\right"):
                inner = toks[j : k - 1] if left else toks[j:k]
                node = self.node(inner)
                if bar == r"\|":
                    return self.add(Norm(node, (toks[i].pos, toks[k].pos + 2))), k + 1
                return rf"\left|{node.skeleton}\right|", k + 1
        raise self.fail(f"unbalanced {bar!r}", toks[i])

    def fraction(self, toks, i):
        num, j = _group(toks, i + 1)
        den, after = _group(toks, j)
        dn, dd = differential(num), differential(den)
        span = (toks[i].pos, toks[after - 1].pos + 1)
        if dn is not None and dd is not None:
            num_rest, den_rest = dn, dd
            if not den_rest:
                raise self.fail("a derivative with nothing after the 'd' of its denominator", toks[i])
            if not num_rest:  # \frac{\partial}{\partial x} [operand]
                if after >= len(toks):
                    raise self.fail("a derivative operator with nothing to act on", toks[i])
                text, end = self.operand(toks, after)
                operand = Node(text, (toks[after].pos, toks[end - 1].pos + 1))
                return self.add(Deriv(operand, self.node(den_rest), (span[0], toks[end - 1].pos + 1))), end
            return self.add(Deriv(self.node(num_rest), self.node(den_rest), span)), after
        top, bottom = self.node(num), self.node(den)
        return rf"\frac{{{self.group_of(top.skeleton)}}}{{{self.group_of(bottom.skeleton)}}}", after

    def big_operator(self, toks, i):
        name = toks[i].text
        j = i + 1
        lower = upper = None
        while j < len(toks) and toks[j].text in ("_", "^"):
            content, after = _group(toks, j + 1)
            if toks[j].text == "_":
                lower = content
            else:
                upper = content
            j = after
        if not lower:
            raise self.fail(f"{name} without an index", toks[i])
        eq = next((k for k, t in enumerate(lower) if t.text == "="), None)
        index = lower[:eq] if eq is not None else lower
        start = self.node(lower[eq + 1 :]).skeleton if eq is not None else "1"
        atom, end, _ = self.atom(index, 0) if index else (None, 0, False)
        if atom is None or end != len(index):
            raise self.fail(f"{name} index {_text(index)!r} is not a symbol", toks[i])
        stop = self.node(upper).skeleton if upper else self.add(Atom(r"\infty_{unbounded}", r"\infty"))
        return rf"{name}_{{{self.add(atom)}={start}}}^{{{stop}}}", j

    def elided(self, rows, span, tok) -> str:
        """A matrix written with ``\\dots``: its template entry and index ranges, as one piece."""
        texts = [[self.source[c[0].pos : c[-1].pos + len(c[-1].text)] if c else "" for c in row] for row in rows]
        try:
            pattern = elided_matrix(texts, span[0])
        except ElisionError as exc:
            raise self.fail(f"elided matrix entries: {exc}", tok) from None

        def sub(text: str) -> Node:
            saved, self.source = self.source, text
            try:
                return self.node(unwrap(tokenize(text), text))
            finally:
                self.source = saved

        template = sub(pattern.template)
        axes = [None if a is None else (a[0], sub(a[1]), sub(a[2])) for a in (pattern.rows, pattern.cols)]
        return self.add(ElidedMatrix(template, axes[0], axes[1], span))

    def matrix(self, toks, i):
        env_toks, j = _group(toks, i + 1)
        env = _text(env_toks)
        if env not in MATRIX_ENVS:
            raise self.fail(f"environment {env!r} inside an expression", toks[i])
        if env == "array" and j < len(toks) and toks[j].text == "{":
            _, j = _group(toks, j)
        depth, k = 0, j
        while k < len(toks):
            if toks[k].text == r"\begin":
                depth += 1
            elif toks[k].text == r"\end":
                if depth == 0:
                    break
                depth -= 1
            k += 1
        else:
            raise self.fail(rf"\begin{{{env}}} without \end{{{env}}}", toks[i])
        body = toks[j:k]
        _, after = _group(toks, k + 1)
        if after < len(toks) and toks[after].text == "_":  # a size annotation: \end{bmatrix}_{n \times m}
            _, after = _group(toks, after + 1)
        rows: list[list[list[Tok]]] = [[[]]]
        depth = 0
        for t in body:
            if t.text in ("{", "(", "[", r"\left", r"\begin"):
                depth += 1
            elif t.text in ("}", ")", "]", r"\right", r"\end"):
                depth -= 1
            if depth == 0 and t.text == r"\\":
                rows.append([[]])
            elif depth == 0 and t.text == "&":
                rows[-1].append([])
            else:
                rows[-1][-1].append(t)
        rows = [r for r in rows if any(cell for cell in r)]
        if not rows:
            raise self.fail("an empty matrix", toks[i])
        if len({len(r) for r in rows}) != 1:
            raise self.fail("matrix rows of different lengths", toks[i])
        span = (toks[i].pos, toks[after - 1].pos + 1)
        if any(len(cell) == 1 and (cell[0].text in ELLIPSES or cell[0].text == ".") for row in rows for cell in row):
            return self.elided(rows, span, toks[i]), after
        entries = []
        for row in rows:
            for cell in row:
                if not cell:
                    raise self.fail("an empty matrix entry", toks[i])
            entries.append(tuple(self.node(cell) for cell in row))
        return self.add(MatrixLit(tuple(entries), (toks[i].pos, toks[after - 1].pos + 1))), after


def differential(tokens: list[Tok]) -> list[Tok] | None:
    r"""The tokens after a leading ``\partial``, ``d``, ``\mathrm{d}`` or ``{\rm d}``; None if there is none.

    Examples
    --------
    >>> [t.text for t in differential(tokenize(r"\mathrm{d} C"))], differential(tokenize("x"))
    (['C'], None)
    """
    if not tokens:
        return None
    t = tokens[0]
    if t.text == r"\partial":
        if len(tokens) > 1 and tokens[1].text == "^":
            raise LatexParseError(r"a higher derivative (\partial^n) is not supported", "", tokens[1].pos)
        return tokens[1:]
    if t.text in (r"\mathrm", r"\operatorname", r"\text") and len(tokens) > 2 and tokens[1].text == "{":
        close = _brace_close(tokens, 1)
        inner = tokens[2:close]
        if inner and inner[0].text == "d":
            return inner[1:] + tokens[close + 1 :]
        return None
    if t.text == "{" and len(tokens) > 3 and tokens[1].text == r"\rm" and tokens[2].text == "d":
        close = _brace_close(tokens, 0)
        return tokens[3:close] + tokens[close + 1 :]
    if t.kind == "letter" and t.text == "d":
        return tokens[1:]
    return None
