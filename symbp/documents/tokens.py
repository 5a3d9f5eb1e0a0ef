r"""Tokens of tutorial LaTeX and the structure around them: groups, chains, presentation.

:func:`tokenize` cuts LaTeX into tokens that remember their offsets (for error
messages with a column); :func:`split_chains` cuts a claim into equation
chains (rows of an align block at ``\\``, sides at ``=``, ``\equiv``,
``\leftarrow``); :func:`unwrap` drops presentation (bold wrappers, ``\tag``,
spacing); :func:`canonical_atom` and :func:`classify_superscript` decide a
symbol's canonical name and whether a superscript is a layer, a transpose or a
power. The tables here (Greek letters, decorations, relations, functions) are
the vocabulary the normalising layer (:mod:`.latex`) knows. Non-goals: parsing
arithmetic (latex2sympy2 does), meanings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import SymbpError
from .functions import COMMANDS, WORDS

#: The longest number read: a document's numbers have a few dozen digits; thousands are a mistake (and Python
#: refuses to convert integers of more than 4,300 digits from text).
MAX_DIGITS = 1000

__all__ = ["LatexParseError", "Tok", "tokenize", "split_chains", "unwrap", "canonical_atom", "classify_superscript",
           "differential", "placeholder", "PLACEHOLDER", "Side", "depths", "split_top", "relation_at", "COMPARISONS", "RELATIONS"]


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
            digits = len(m.group(0)) - ("." in m.group(0))
            if digits > MAX_DIGITS:
                raise LatexParseError(f"a number of {digits} digits (symbp reads numbers of up to {MAX_DIGITS})", text, i)
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


@dataclass(frozen=True)
class Side:
    """One side of an equation chain: its tokens and source span."""

    tokens: tuple[Tok, ...]
    span: tuple[int, int]


def placeholder(k: int) -> str:
    r"""The skeleton text of placeholder ``k``: a symbol latex2sympy2 reads as one name.

    The normaliser replaces each piece it reads itself (a symbol, a derivative, a call) by a placeholder in the
    skeleton that latex2sympy2 parses; :data:`PLACEHOLDER` finds ``k`` again.

    Parameters
    ----------
    k : int
        The piece's number.

    Returns
    -------
    str
        ``\mathit{p}_{k}``.

    Examples
    --------
    >>> print(placeholder(3))
    \mathit{p}_{3}
    >>> PLACEHOLDER.fullmatch(placeholder(3)).group(1)
    '3'
    """
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
FUNCTION_WORDS = WORDS
BUILTIN_FUNCTIONS = COMMANDS
FUNCTION_BASES = {r"\sigma", "g", "f", r"\phi", r"\varphi", r"\psi"}
MATRIX_ENVS = {"bmatrix", "pmatrix", "matrix", "Bmatrix", "vmatrix", "smallmatrix", "array"}
#: Comparisons inside an Iverson bracket or a case of ``\begin{cases}``, by their canonical spelling.
COMPARISONS = {">": ">", "<": "<", r"\geq": r"\geq", r"\ge": r"\geq", r"\leq": r"\leq", r"\le": r"\leq"}
#: Words that introduce a case's condition, and the words of the case that holds otherwise.
CASE_WORDS = {"for", "if", "when", "where"}
OTHERWISE = {"otherwise", "else", "elsewhere"}
OPEN = {"(": ")", "[": "]", "{": "}"}
MAX_DEPTH = 40


OPENERS = ("{", "(", "[", r"\left", r"\begin")
CLOSERS = ("}", ")", "]", r"\right", r"\end")


def depths(tokens):
    r"""Each token with the number of groups open after it ({, (, [, \left, \begin and their closes).

    A separator (``,``, ``&``, ``=``) at depth 0 is at the top level.

    Parameters
    ----------
    tokens : iterable of Tok
        Tokens from :func:`tokenize`.

    Yields
    ------
    tuple of (int, Tok, int)
        The token's index, the token, and the depth after it (an opening token counts itself, a closing one
        does not).

    Examples
    --------
    >>> [(t.text, depth) for _, t, depth in depths(tokenize("f(a, b), c"))]
    [('f', 0), ('(', 1), ('a', 1), (',', 1), ('b', 1), (')', 0), (',', 0), ('c', 0)]
    """
    depth = 0
    for k, t in enumerate(tokens):
        if t.text in OPENERS:
            depth += 1
        elif t.text in CLOSERS:
            depth -= 1
        yield k, t, depth


def split_top(tokens, separators: tuple[str, ...]) -> list[list]:
    """``tokens`` cut at the top-level ``separators`` (the separators dropped).

    Parameters
    ----------
    tokens : iterable of Tok
        Tokens from :func:`tokenize`.
    separators : tuple of str
        Token texts that separate parts (``","``, ``"&"``), only outside every group (:func:`depths`).

    Returns
    -------
    list of list of Tok
        The parts, in order; one part when there is no separator.

    Examples
    --------
    >>> [[t.text for t in part] for part in split_top(tokenize("f(a, b), c"), (",",))]
    [['f', '(', 'a', ',', 'b', ')'], ['c']]
    """
    parts: list[list] = [[]]
    for _, t, depth in depths(tokens):
        if depth == 0 and t.text in separators:
            parts.append([])
        else:
            parts[-1].append(t)
    return parts


def relation_at(tokens, k: int) -> bool:
    r"""Does a relation start at ``tokens[k]``: one of :data:`RELATIONS`, or the ``:`` of ``:=``?

    Parameters
    ----------
    tokens : sequence of Tok
        Tokens from :func:`tokenize`.
    k : int
        An index into ``tokens``.

    Returns
    -------
    bool

    Examples
    --------
    >>> tokens = tokenize(r"w := w \gets b")
    >>> [t.text for k, t in enumerate(tokens) if relation_at(tokens, k)]
    [':', '=', '\\gets']
    """
    text = tokens[k].text
    return text in RELATIONS or (text == ":" and k + 1 < len(tokens) and tokens[k + 1].text == "=")


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

    A row whose first side is empty (``& = ...``) continues the chain above. Relations are ``=``, ``\equiv``,
    ``\leftarrow``, ``\approx``, ``:=`` and the like; what a top-level colon introduces (``C : A = ...``) is
    dropped, and so is a ``.`` or ``,`` that ends a side after anything but a number (``e.``; ``2.`` is kept).

    Parameters
    ----------
    tokens : list of Tok
        The claim's tokens (:func:`tokenize`, then :func:`unwrap`).
    source : str
        The claim's LaTeX, for error messages.

    Returns
    -------
    list of list of Side
        One chain per row (continuation rows joined), each a list of sides with their tokens and source span.

    Raises
    ------
    LatexParseError
        For an empty side (``a = = b``).

    Examples
    --------
    >>> source = r"a = b \\ & = c \\ d = e."
    >>> [[source[slice(*side.span)] for side in chain] for chain in split_chains(tokenize(source), source)]
    [['a', 'b', 'c'], ['d', 'e']]
    >>> source = r"w := w - \eta g = 0.4"
    >>> [[source[slice(*side.span)] for side in chain] for chain in split_chains(tokenize(source), source)]
    [['w', 'w - \\eta g', '0.4']]
    """
    rows = [[t for _, t, depth in depths(row) if t.text != "&" or depth > 0] for row in split_top(tokens, (r"\\",))]
    chains: list[list[Side]] = []
    for row in rows:
        colons = [k for k, t, depth in depths(row) if depth == 0 and t.text == ":" and
                  (k + 1 >= len(row) or row[k + 1].text != "=")]
        if colons:  # "C : A = ..." -- what precedes a colon introduces the equation
            row = row[colons[-1] + 1 :]
        sides: list[list[Tok]] = [[]]
        for k, t, depth in depths(row):
            if depth == 0 and t.text == "=" and sides[-1] == [] and k and row[k - 1].text == ":":
                continue  # the "=" of ":=", whose ":" already began the next side
            if depth == 0 and relation_at(row, k):
                sides.append([])
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


def unwrap(tokens: list[Tok], source: str) -> list[Tok]:
    r"""Remove presentation: bold wrappers, ``\tag``/``\label``, ``\begin{aligned}``, dropped spacing.

    A bold digit (``\mathbf{1}``, the vector of ones) is a symbol, not presentation: it stays, spelled
    ``\mathbf``.

    Parameters
    ----------
    tokens : list of Tok
        Tokens from :func:`tokenize`.
    source : str
        The LaTeX they come from.

    Returns
    -------
    list of Tok
        The tokens that carry mathematics, offsets kept.

    Examples
    --------
    >>> source = r"\mathbf{W} x \quad \tag{3}"
    >>> [t.text for t in unwrap(tokenize(source), source)]
    ['W', 'x']
    >>> [t.text for t in unwrap(tokenize(r"\mathbf{1}^T"), "")]
    ['\\mathbf', '{', '1', '}', '^', 'T']
    """
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
            close = _brace_close(toks, k + 1)
            if close == k + 3 and toks[k + 2].kind == "num":  # \mathbf{1}: the vector of ones, a symbol
                out += [Tok("cmd", r"\mathbf", t.pos, t.space), *toks[k + 1 : close + 1]]
                k = close + 1
                continue
            skip.add(close)
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
