r"""Find the math in a document: Markdown, LaTeX or plain text.

:func:`extract_math` returns every piece of math with the 1-based line (and
column) where it starts: ``$...$``, ``$$...$$``, ``\(...\)`` and ``\[...\]``
(also the Markdown-escaped ``\\(...\\)`` and ``\\[...\\]``), LaTeX
environments (``align``, ``equation``, ``gather``, ``multline``, starred or
not), and *bare display lines*: a line of LaTeX with an equals sign and
hardly any prose, as pasted notes often have. Fenced code blocks and inline
code are skipped; ``\$`` is a dollar sign, not math.

Non-goals: parsing the math (:mod:`.reader`), rendering, nested documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .tokens import LatexParseError, Tok, depths, relation_at, tokenize

__all__ = ["MathItem", "extract_math", "is_equation", "equations"]

ENVIRONMENTS = ("align", "aligned", "equation", "gather", "multline", "eqnarray", "displaymath", "math")
#: Environments whose rows (at ``\\``) are separate equations; a row starting with a relation continues the one above.
ROW_ENVIRONMENTS = ("align", "aligned", "gather", "gathered", "eqnarray", "alignat", "alignedat", "flalign")

# ----- Delimiters: opening text | closing text | display? (longest first) -----
DELIMITERS = (
    ("$$", "$$", True),
    ("\\\\[", "\\\\]", True),
    ("\\\\(", "\\\\)", False),
    ("\\[", "\\]", True),
    ("\\(", "\\)", False),
    ("$", "$", False),
)


@dataclass(frozen=True)
class MathItem:
    """One piece of math: the 1-based line and column where its LaTeX starts (after any delimiter), the LaTeX."""

    line: int
    column: int
    latex: str
    delimiter: str
    display: bool
    end_line: int


_BEGIN = re.compile(r"\\begin\{(" + "|".join(ENVIRONMENTS) + r")(\*?)\}")
_FENCE = re.compile(r"^\s*(```|~~~)")


def is_equation(latex: str) -> bool:
    r"""True when ``latex`` states something (has ``=``, ``\equiv``, ``\leftarrow`` ...).

    Examples
    --------
    >>> is_equation(r"\hat{y}"), is_equation(r"a = \sigma(z)")
    (False, True)
    >>> is_equation(r"w \gets w - \eta g"), is_equation("a <= b")
    (True, False)
    """
    tokens = _tokens(latex)
    return any(relation_at(tokens, k) and not _comparison(tokens, k) for k in range(len(tokens)))


def _comparison(tokens: list[Tok], k: int) -> bool:
    """Is ``tokens[k]`` the ``=`` of a comparison written ``<=``, ``>=`` or ``!=`` (code, not a statement)?"""
    return tokens[k].text == "=" and k > 0 and not tokens[k].space and tokens[k - 1].text in ("<", ">", "!")


def _tokens(text: str) -> list[Tok]:
    """The tokens of ``text``, up to anything :func:`~.tokens.tokenize` refuses (a lone backslash at the end, a
    number of thousands of digits): prose and pasted math are scanned, not read, so what precedes still counts."""
    try:
        return tokenize(text)
    except LatexParseError as exc:
        return _tokens(text[: exc.offset]) if exc.offset else []


def extract_math(text: str, unclosed: list[tuple[int, str]] | None = None) -> list[MathItem]:
    r"""Every piece of math in ``text``, in document order.

    ``unclosed``, if given, receives ``(line, opening)`` for each display delimiter (``$$``, ``\[``,
    ``\begin{...}``) that is never closed: the math after it is not read, and a person should know.

    Examples
    --------
    >>> items = extract_math("Let $a = 1$.\n\n$$\nz = W a + b\n$$\n")
    >>> [(i.line, i.latex, i.display) for i in items]
    [(1, 'a = 1', False), (4, 'z = W a + b', True)]
    >>> [i.line for i in extract_math("prose\n\\frac{\\partial C}{\\partial w} = a_{k}\\delta_{j}\n")]
    [2]
    >>> missing = []
    >>> extract_math("text\n$$ z = w x + b\n\nmore text\n", missing), missing
    ([], [(2, '$$')])
    """
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    masked = _mask_code(text, lines, starts)
    items: list[MathItem] = []
    covered = [False] * len(lines)
    pos = 0
    n = len(masked)
    while pos < n:
        found = _next_opening(masked, pos)
        if found is None:
            break
        start, opening, closing, display, env = found
        if env:
            end_match = re.compile(r"\\end\{" + re.escape(env) + r"\}").search(masked, start)
            if end_match is None:
                if unclosed is not None:
                    unclosed.append((_line_of(starts, start), opening))
                pos = start + len(opening)
                continue
            body_start, body_end, after = start, end_match.end(), end_match.end()
        else:
            body_start = start + len(opening)
            body_end = _find_closing(masked, body_start, closing)
            if body_end is None:
                if unclosed is not None and display:
                    unclosed.append((_line_of(starts, start), opening))
                pos = body_start
                continue
            after = body_end + len(closing)
        latex = text[body_start:body_end].strip()
        if latex:
            first = body_start + len(text[body_start:body_end]) - len(text[body_start:body_end].lstrip())
            line = _line_of(starts, first)  # the line where the math itself starts
            end_line = _line_of(starts, max(after - 1, start))
            column = first - starts[line - 1] + 1
            items.append(MathItem(line, column, latex, opening, display, end_line))
            for k in range(line - 1, end_line):
                covered[k] = True
        pos = after
    code_lines = _code_lines(lines)
    for number, line in enumerate(lines, start=1):
        if not covered[number - 1] and number not in code_lines and _is_bare_math(line):
            items.append(MathItem(number, len(line) - len(line.lstrip()) + 1, line.strip(), "", True, number))
    return sorted(items, key=lambda item: (item.line, item.column))


def _next_opening(text: str, pos: int):
    best = None
    for opening, closing, display in DELIMITERS:
        index = _find_unescaped(text, opening, pos)
        if index is not None and (best is None or index < best[0]):
            best = (index, opening, closing, display, None)
    begin = _BEGIN.search(text, pos)
    if begin is not None and (best is None or begin.start() < best[0]):
        env = begin.group(1) + begin.group(2)
        best = (begin.start(), begin.group(0), "", True, env)
    return best


def _find_unescaped(text: str, needle: str, pos: int) -> int | None:
    """The next ``needle`` from ``pos``; a dollar preceded by a backslash is not a delimiter."""
    while True:
        index = text.find(needle, pos)
        if index < 0 or not (needle.startswith("$") and index > 0 and text[index - 1] == "\\"):
            return None if index < 0 else index
        pos = index + 1


def _find_closing(text: str, pos: int, closing: str) -> int | None:
    """Where the math that starts at ``pos`` closes.

    A single ``$`` follows Pandoc's rule (``tex_math_dollars``): it opens only before a non-space
    character and closes only after one and not before a digit, so prices ("$5 and then $10") are
    prose. It never closes at ``$$`` nor across a paragraph.
    """
    if closing != "$":
        return _find_unescaped(text, closing, pos)
    if pos >= len(text) or text[pos].isspace():
        return None
    index = _find_unescaped(text, closing, pos)
    if index is None or text.startswith("$$", index) or "\n\n" in text[pos:index]:
        return None
    if text[index - 1].isspace() or text[index + 1 : index + 2].isdigit():
        return None  # as Pandoc: the first $ decides, and a $ that cannot close means no math opened here
    return index


def _line_of(starts: list[int], offset: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo + 1


def _code_lines(lines: list[str]) -> set[int]:
    inside, out = False, set()
    for number, line in enumerate(lines, start=1):
        if _FENCE.match(line):
            inside = not inside
            out.add(number)
        elif inside:
            out.add(number)
    return out


def _mask_code(text: str, lines: list[str], starts: list[int]) -> str:
    """``text`` with fenced code blocks and inline code replaced by spaces (offsets kept)."""
    chars = list(text)
    for number in _code_lines(lines):
        for k in range(starts[number - 1], starts[number] - 1):
            chars[k] = " "
    masked = "".join(chars)
    return re.sub(r"`[^`\n]*`", lambda m: " " * len(m.group(0)), masked)


_COMMAND = re.compile(r"\\[A-Za-z]+")
_WORD = re.compile(r"[A-Za-z]{3,}")
_MATH_HINT = re.compile(r"\\(frac|partial|sum|sigma|delta|hat|odot|cdot|nabla|left|sqrt)|[_^]\{")


def _is_bare_math(line: str) -> bool:
    """A line of LaTeX without delimiters: it has a relation, LaTeX markup, and almost no prose."""
    stripped = line.strip()
    if not stripped or "$" in stripped or not is_equation(stripped) or not _MATH_HINT.search(stripped):
        return False
    prose = _COMMAND.sub(" ", stripped)
    prose = re.sub(r"\{[^{}]*\}", " ", prose)
    words = [w for w in _WORD.findall(prose) if w.lower() not in {"sum", "exp", "log", "axis", "true", "keepdims"}]
    return len(words) <= 1


_ROWS = re.compile(r"\A\\begin\{(" + "|".join(ROW_ENVIRONMENTS) + r")(\*?)\}(\{\d+\})?(?P<body>.*)\\end\{\1\2\}\Z", re.S)


def equations(item: MathItem) -> list[MathItem]:
    r"""The equations of one piece of math: each row of an ``align`` (``gather``, ``aligned``...) block with its own
    line, a row that starts with a relation (``&= ...``) kept with the row above it; any other piece as it is.

    A block of unrelated equations read as one claim would report only its first wrong row, at the line of
    ``\begin{align}``; one claim per row reports every row at its own line.

    Examples
    --------
    >>> text = "\\begin{align}\na &= b \\\\\n  &= c \\\\\nd &= e\n\\end{align}\n"
    >>> [(e.line, e.latex) for i in extract_math(text) for e in equations(i)]
    [(2, 'a &= b \\\\\n  &= c'), (4, 'd &= e')]
    >>> [e.latex for e in equations(MathItem(1, 1, "x = 1", "$", False, 1))]
    ['x = 1']

    Equations listed in one piece (``w_{11} = 0.15, \quad w_{12} = 0.20``: separated by a comma or a
    ``\quad`` at the top level) are one claim each, when every part of the list is an equation.

    >>> [(e.column, e.latex) for e in equations(MathItem(1, 3, r"a = 1, \quad b = 2", "$$", True, 1))]
    [(3, 'a = 1'), (16, 'b = 2')]
    """
    return [part for row in _rows(item) for part in _listed(row)]


def _rows(item: MathItem) -> list[MathItem]:
    found = _ROWS.match(item.latex)
    if found is None:
        return [item]
    rows: list[tuple[int, MathItem]] = []  # (where the row starts in item.latex, the row)
    for start, end in _row_spans(item.latex, found.start("body"), found.end("body")):
        text = item.latex[start:end]
        spacing = re.match(r"\s*\[[^\]]*\]", text)  # the spacing argument of "\\[2pt]"
        if spacing:
            start, text = start + spacing.end(), text[spacing.end():]
        row = text.strip()
        if not row:
            continue
        first = start + text.index(row)
        line = item.line + item.latex.count("\n", 0, first)
        column = first - (item.latex.rfind("\n", 0, first) + 1) + 1 if line != item.line else item.column + first
        if rows and _continues(row):
            begun, previous = rows[-1]
            rows[-1] = (begun, MathItem(previous.line, previous.column, item.latex[begun:end].strip(), item.delimiter,
                                        True, line + row.count("\n")))
        else:
            rows.append((first, MathItem(line, column, row, item.delimiter, True, line + row.count("\n"))))
    return [row for _, row in rows] or [item]


def _continues(row: str) -> bool:
    r"""Does ``row`` start with a relation (``&= ...``), continuing the equation of the row above?"""
    tokens = _tokens(row)
    tokens = tokens[1:] if tokens and tokens[0].text == "&" else tokens
    return bool(tokens) and relation_at(tokens, 0)


def _row_spans(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    r"""Spans of the rows of ``text[start:stop]``: split at ``\\`` outside every group and nested environment."""
    breaks = [start + t.pos for _, t, depth in depths(_tokens(text[start:stop])) if depth == 0 and t.text == "\\\\"]
    return list(zip([start] + [k + 2 for k in breaks], breaks + [stop]))


#: Spacing that may separate the equations of a list; a run of it separates them with a comma, a ``\quad`` or a thin
#: space ``\,`` in it (each part must still be an equation).
_SPACING = {r"\quad", r"\qquad", r"\;", r"\,", r"\:", r"\enspace", "~"}
_LIST_BREAKS = {",", r"\,", r"\quad", r"\qquad"}


def _list_cuts(text: str) -> list[tuple[int, int]]:
    r"""Spans of the top-level separators of a list of equations in ``text``: a comma and the spacing after it, or a
    run of spacing with a ``\quad`` or ``\,`` in it."""
    runs: list[list[Tok]] = []
    previous = None
    for k, t, depth in depths(_tokens(text)):
        if depth == 0 and (t.text == "," or t.text in _SPACING):
            if t.text == "," or previous != k - 1:  # a comma begins a run; spacing continues the run just before it
                runs.append([])
            runs[-1].append(t)
            previous = k
    return [(run[0].pos, run[-1].pos + len(run[-1].text)) for run in runs if any(t.text in _LIST_BREAKS for t in run)]


def _listed(item: MathItem) -> list[MathItem]:
    r"""``item`` cut at the separators of a list of equations (a top-level comma or ``\quad``), if every part is one."""
    text = item.latex
    cuts = _list_cuts(text)
    if not cuts:
        return [item]
    spans = [(start, cut[0]) for start, cut in zip([0] + [end for _, end in cuts], cuts + [(len(text), 0)])]
    parts = [(start, text[start:end].strip()) for start, end in spans]
    if not all(part and is_equation(part) for _, part in parts):
        return [item]
    out = []
    for start, part in parts:
        first = start + text[start:].index(part)
        line = item.line + text.count("\n", 0, first)
        column = item.column + first if line == item.line else first - text.rfind("\n", 0, first)
        out.append(MathItem(line, column, part, item.delimiter, item.display, line + part.count("\n")))
    return out
