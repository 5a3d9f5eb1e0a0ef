r"""The claims-file scaffold ``symbp extract`` writes, and TOML strings that keep LaTeX readable.

:func:`scaffold` writes a claims file (the format is in :mod:`.claims`) with one
``[[claim]]`` per extracted piece of math, a guessed kind, and the document's
symbols listed in ``[notation]`` for a person to give meanings. Non-goals:
finding the math (:mod:`.extract`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .claims import KINDS
from .latex import Normaliser
from .reader import atoms
from .tokens import LatexParseError, split_chains, tokenize, unwrap

__all__ = ["scaffold", "toml_string", "guess_kind", "symbols_of"]


def symbols_of(latex: str) -> tuple[list[str], LatexParseError | None]:
    r"""The symbols of ``latex`` for ``[notation]``, and why it could not be read whole (None when it could).

    Math that cannot be read whole still has its symbols listed: those of each side that can be read, and of a
    side that cannot, each symbol the reader recognises on its own (a letter or Greek letter with its scripts).

    Examples
    --------
    >>> symbols_of(r"\frac{\partial L}{\partial w_{11}} = \delta_{1} x_{1}")
    (['L', 'w_{11}', '\\delta_{1}', 'x_{1}'], None)
    >>> found, error = symbols_of(r"\| W \|_F^2 = \sum_{i,j} W_{ij}^2 + \lambda")
    >>> found, str(error).split(" at ")[0]
    (['W', 'F', 'i', 'j', 'W_{ij}', '\\lambda'], "a subscript on an expression: 'F'")
    """
    try:
        return atoms(latex), None
    except LatexParseError as exc:
        error = exc
    found: list[str] = []
    try:
        sides = [side for chain in split_chains(unwrap(tokenize(latex), latex), latex) for side in chain]
    except LatexParseError:
        sides = []
    for side in sides:
        text = latex[slice(*side.span)]
        try:
            names = atoms(text)
        except LatexParseError:
            names = _loose_atoms(text)
        found += [n for n in names if n not in found]
    return found, error


def _loose_atoms(text: str) -> list[str]:
    """Each symbol of ``text`` the reader recognises on its own, when the whole cannot be read."""
    try:
        tokens = unwrap(tokenize(text), text)
    except LatexParseError:
        return []
    names, i = [], 0
    while i < len(tokens):
        try:
            atom, end, _ = Normaliser(text).atom(tokens, i)
        except (LatexParseError, IndexError):
            atom, end = None, i + 1
        if atom is not None and not atom.name.startswith(("\\text", "\\infty")) and atom.name not in names:
            names.append(atom.name)
        i = max(end, i + 1)
    return names


def toml_string(text: str) -> str:
    """``text`` as a TOML string, a literal one where possible (backslashes stay readable).

    Examples
    --------
    >>> print(toml_string(r"\\frac{a}{b}"))
    '\\frac{a}{b}'
    >>> print(toml_string(r"\\sigma'(z)"))
    '''\\sigma'(z)'''
    """
    if "'" not in text and "\n" not in text and "\r" not in text:
        return f"'{text}'"
    if "'''" not in text and not text.endswith("'") and "\r" not in text:
        return f"'''\n{text}'''" if text.startswith("\n") else f"'''{text}'''"
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{escaped}"'


def scaffold(document: str, items: Sequence, symbols: Sequence[str] = (), *, network: str | None = None) -> str:
    """The text of a claims file for ``document`` with one claim per extracted item.

    ``items`` are :class:`~symbp.documents.extract.MathItem` (``line``,
    ``latex``); each claim gets a guessed kind for a person to confirm.
    ``symbols`` are the distinct LaTeX symbols found, listed in ``[notation]``
    as comments to fill in.

    Examples
    --------
    >>> from types import SimpleNamespace as Item
    >>> from symbp.documents.claims import parse_claims
    >>> text = scaffold("doc.md", [Item(line=4, latex=r"\\hat{y} = 0.25")], [r"\\hat{y}"])
    >>> parse_claims(text).claims[0].kind
    'numeric'
    """
    out = [
        "# Claims of a document, for `symbp verify` (the format: symbp/documents/claims.py).",
        "# Fill in [context] and [notation], then confirm each claim's kind:",
        "#   " + " | ".join(KINDS),
        f"document = {toml_string(document)}",
        "",
        "[context]",
        f"network = {toml_string(network)}" if network else '# network = "network.toml"   # widths, activations, cost, [example]',
        'derivatives = "batch"   # or "example": dZ, dA, delta of one example\'s loss (Ng\'s convention)',
        "index_base = 1",
        "",
        "[notation]",
        "# The document's symbols, each to a meaning such as \"W[l]\", \"A[2][0]\", \"C\", \"lr\", \"free\":",
    ]
    out += [f"# {toml_string(symbol)} = \"\"" for symbol in symbols]
    for item in items:
        out += ["", "[[claim]]", f"line = {item.line}", f"latex = {toml_string(item.latex)}", f'kind = "{guess_kind(item.latex)}"']
    return "\n".join(out) + "\n"


_DECIMAL = re.compile(r"(?<![\w^_{])\d*\.\d+")
#: Layout that may surround numbers on a side that is only numbers: matrix environments, row breaks,
#: spacing, a transpose.
_MARKUP = re.compile(r"\\(begin|end)\{[a-z]*matrix\*?\}|\\\\|\\[,;:! ]|\\q?quad|\\left|\\right|\^\{?(T|\\top)\}?")
_NUMBERS_ONLY = re.compile(r"[\s\d.,;&+\-\[\]()]*\d[\s\d.,;&+\-\[\]()]*")


def guess_kind(latex: str) -> str:
    r"""A first guess at a claim's kind from its LaTeX.

    Examples
    --------
    >>> guess_kind(r"\frac{\partial L}{\partial w} = -0.029"), guess_kind(r"\delta = \frac{\partial C}{\partial z}")
    ('numeric', 'derivative')
    >>> guess_kind("b = 0"), guess_kind("x = [1, 2]^T"), guess_kind(r"W = \begin{bmatrix} 1 & 2 \end{bmatrix}")
    ('numeric', 'numeric', 'numeric')
    >>> guess_kind(r"W1 = W1 - \alpha \cdot dW1 = [0.1, 0.2]"), guess_kind(r"w \leftarrow w - \eta \delta")
    ('update', 'update')
    >>> guess_kind(r"b := b - \alpha \frac{\partial C}{\partial b} = 0.08"), guess_kind(r"z := W x + b")
    ('update', 'definition')
    """
    sides = [side.strip() for side in re.split(r":=|\\coloneqq|=", latex)]
    if r"\leftarrow" in latex or r"\gets" in latex or (len(sides) > 1 and sides[0] and sides[1].startswith(sides[0])
                                  and sides[1][len(sides[0]):].lstrip().startswith(("-", "+"))):
        return "update"  # the parameter on both sides: one step of gradient descent
    if _DECIMAL.search(latex) or any(_NUMBERS_ONLY.fullmatch(_MARKUP.sub(" ", side)) for side in latex.split("=")[1:]):
        return "numeric"
    if "\\partial" in latex or "\\nabla" in latex or re.search(r"\\frac\{\s*(\\mathrm\{)?d", latex):
        return "derivative"
    if "\\equiv" in latex or ":=" in latex:
        return "definition"
    return "identity"
