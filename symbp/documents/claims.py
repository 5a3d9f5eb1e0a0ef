r"""Claims files: what a document asserts, and what its symbols mean (TOML).

A claims file describes one document for ``symbp verify``: the network its
symbols live in, a notation table from the document's LaTeX to symbp's
quantities, and one ``[[claim]]`` per equation or number the document states,
each with its 1-based line. ``symbp extract DOCUMENT -o claims.toml`` writes a
scaffold (:func:`.scaffold.scaffold`); a person then fills in the context, the notation
and the kinds. This module reads and validates the file (:func:`load_claims`);
it does no mathematics. Non-goals: parsing LaTeX (:mod:`.reader`), checking
(:mod:`.verify`).

The format
----------
Top level

``document`` (required)
    The document's file name. ``symbp verify`` looks for it beside the claims
    file, then in the folder given by ``--document`` (a file or a folder).

``[context]`` (optional; every key optional)
    ``network``
        A ``network.toml`` (widths, activations, cost, batch, ``[example]``
        numbers), relative to the claims file. Without it only claims whose
        symbols are all ``free`` (or defined in ``definitions``) can be checked.
    ``batch``
        Overrides the network's batch size m (e.g. 1 to read "C" as the loss of
        one example).
    ``examples``
        ``"columns"`` (the only layout supported: X is n0 x m, one example per
        column, as in symbp's code).
    ``derivatives``
        What the gradient names ``dZ``, ``dA`` and ``delta`` (see below) denote:
        ``"batch"`` (default): the derivative of the cost C, the mean over the
        batch; ``"example"``: column i is the derivative of example i's own
        loss, i.e. m times the batch derivative (Ng's ``dZ``, with
        ``dW = 1/m dZ A^T``). ``dW`` and ``db`` are always dC/dW and dC/db.
    ``index_base``
        The document's first unit index: 1 (default; ``w_{12}`` is row 1,
        column 2 in the document, ``W[0,1]`` in code) or 0.
    ``zero``
        Parameters the document holds at zero, by code name: ``["b"]`` (every
        bias), ``["b1", "W2"]``. They are 0 in every check (``b^{[l]}`` is a
        zero column) and are not differentiated.
    ``definitions``
        A list of LaTeX definitions ``'h_{1} = x^{2}'`` of quantities the
        network does not have (e.g. a calculus recap's intermediates). They form
        a small straight-line program: derivatives such as
        ``\frac{dy}{dh_{1}}`` treat the denominator as an independent variable
        and follow every later definition that uses it.

``[contexts.NAME]`` (optional)
    Further contexts with the same keys as ``[context]`` (each key not given is
    taken from ``[context]``) plus an optional ``notation`` table that is laid
    over the top-level one. A claim selects one with ``context = "NAME"``.

``[notation]``
    Maps the document's LaTeX (a key, as a TOML string: use literal strings
    ``'\hat{y}_1'`` so backslashes stay as written, and ``'''\sigma'(z)'''``
    when the LaTeX has a prime) to a *meaning* (below).
    Keys are compared after normalisation (spaces removed, ``x_1`` and
    ``x_{1}`` alike, ``\mathrm{d}`` and ``d`` alike), so write them as the
    document does. Letters of a key that also appear as the layer or index
    variables of its meaning are *pattern variables*: ``'w_{ljk}' =
    "W[l][j,k]"`` maps ``w_{212}`` to ``W[2][0,1]`` (with ``index_base = 1``)
    and ``'a^{l}_{j}' = "A[l][j]"`` maps ``a^{l+1}_{k}`` to row k of
    ``A[l+1]``. A letter is a pattern variable only where it stands alone in
    a layer slot (``l``, ``L`` is *not* a variable: it is the last layer) or is
    one character of an index run (``jk``). Symbols without an entry are looked
    up in the built-in table (``\sigma`` is the sigmoid, ``\text{softmax}``,
    ``\exp``, ``\log`` the natural log, ``\eta``/``\alpha`` are *not* built in).

Meanings (strings)

=====================================  =====================================================
``"C"``                                the cost (mean over the batch of the per-example loss)
``"W[l]"``, ``"b[l]"``                 a layer's weights (n_l x n_(l-1)) and biases (n_l x 1)
``"Z[l]"``, ``"A[l]"``                 pre-activations and activations (n_l x m); ``A[0]`` is X
``"X"``, ``"Y"``                       inputs (n0 x m) and targets (nL x m)
``"dW[l]"``, ``"db[l]"``               dC/dW, dC/db
``"dW[l](i)"``, ``"db[l](i)"``         the gradient of example i's own loss (its column's loss)
``"C[i]"``                             the loss of example i (the cost is their mean)
``"dZ[l]"``, ``"dA[l]"``, ``"delta[l]"``  dC/dZ, dC/dA (``delta`` = ``dZ``), scaled per ``derivatives``
``"g[l]"``, ``"g'[l]"``                the activation function of layer l, its derivative
                                       (applied: ``g^{[l]}(Z^{[l]})``; alone: the matrix g'(Z[l]))
``"sigmoid"``, ``"softmax"``,          functions (``softmax`` acts on columns)
``"relu"``, ``"tanh"``, ``"exp"``,
``"log"``
``"lr"``                               the learning rate (the example's ``learning_rate``)
``"m"``, ``"n[l]"``                    the batch size, the width of layer l
``"free"``                             a free real variable (calculus recaps: ``x``)
=====================================  =====================================================

A layer is a whole number, ``L`` (the last layer), or a layer variable with an
offset (``l``, ``l-1``, ``l+1``, ``L-1``). An element is selected with
0-based code indices as in NumPy, ``"W[2][0,1]"``, ``"A[1][2]"`` (row 2; with a
batch of m > 1 a single index means that row in the example's column, and the
claim is checked for every example), or with the key's index variables,
``"W[l][j,k]"`` (document indices, shifted by ``index_base``).

``[[claim]]`` (one per claim, in document order)

``line`` (required)
    The 1-based line of the document where the claim starts.
``latex`` (required)
    The LaTeX exactly as the document writes it (``=`` chains, ``\\`` rows of
    an align block; a row starting with ``=`` or ``&=`` continues the chain of
    the row above, and a claim whose LaTeX starts with ``=`` continues the last
    side of the claim before it). A chain ``a = b = c = 0.46`` is checked link
    by link. What a top-level colon introduces (``\mathcal{C} : A = ...``) is
    dropped. Sums and matrices written by their first and last terms
    (``dW^{(1)} + \dots + dW^{(N)}``, ``\begin{bmatrix} w_{11} & \dots &
    w_{1m} \\ \vdots & \ddots & \vdots \\ w_{n1} & \dots & w_{nm}
    \end{bmatrix}``) are expanded: the first and last terms must differ in one
    running index, whose last value (``N``, ``m``) is read through the notation.
    A derivative of a column of n values by a column of m values is the m x n
    matrix with d num_i / d den_j at (j, i) (so ``dA = dZ/dA dZ``), unless each
    entry depends on its own counterpart only (then it is elementwise).
``kind`` (required)
    ``"identity"``: every link must hold for all values of the network's
    symbols; ``"derivative"``: the same, for a claim about derivatives
    (``\frac{\partial ...}{\partial ...}`` is computed by symbp's autodiff);
    ``"definition"``: the first side names something; if the name has a meaning
    in the notation it is checked like an identity, otherwise it is recorded
    (later claims may use it) and reported ``unchecked``; ``"numeric"``: links
    between printed numbers and expressions are checked at the example's
    numbers, at the precision printed; ``"update"``: a gradient-descent step,
    whose left side is the parameter's new value (``w = w - \eta dC/dw``; in a
    context of ``definitions`` without the parameter in the network, the last
    definition is the loss descended);
    ``"skip"``: not checked (give ``reason``). Symbolic links of a numeric
    claim are still checked as identities.
``reason`` (required when ``kind = "skip"``)
    Why the claim is not checked; reported as the ``unchecked`` reason.
``context`` (optional)
    The name of a ``[contexts.NAME]`` table.
``notation`` (optional inline table)
    Extra or overriding notation for this claim only, e.g. ``{ x = "free" }``.
``layers`` (optional)
    The values of the layer variable ``l`` to check (default: every layer at
    which each quantity of the claim exists).
``continues`` (optional)
    For a claim whose LaTeX starts with ``=``: the line of the earlier claim
    whose chain it continues (default: the claim just before it).
``expect`` (optional)
    The verdict a person expects (``correct``, ``wrong``, ``rounding``,
    ``unchecked``); ``symbp verify`` exits 1 if a verdict differs.
``note`` (optional)
    Free text (shown by ``--markdown``).

Verdicts (``symbp verify --json``) are ``correct``, ``wrong``, ``rounding``
(right only up to the document's rounding of its own intermediate values) and
``unchecked`` (always with the reason).

A complete small example (``tests/data/claims_example.toml`` describes
``tests/data/example_doc.md``)::

    document = "example_doc.md"

    [context]
    network = "example_network.toml"
    derivatives = "batch"
    index_base = 1

    [notation]
    'z^{[l]}' = "Z[l]"
    'a^{[l]}' = "A[l]"
    'W^{[l]}' = "W[l]"
    'b^{[l]}' = "b[l]"
    'a^{[l]}_{j}' = "A[l][j]"
    'w^{[l]}_{jk}' = "W[l][j,k]"
    '\delta^{[l]}' = "delta[l]"
    '\delta^{[l]}_{j}' = "delta[l][j]"
    '\hat{y}' = "A[2][0]"
    y = "Y[0]"
    L = "C"
    '\eta' = "lr"

    [[claim]]
    line = 5
    latex = 'z^{[l]} = W^{[l]} a^{[l-1]} + b^{[l]}'
    kind = "definition"

    [[claim]]
    line = 13
    latex = '\frac{\partial L}{\partial \hat{y}} = \hat{y} - y'
    kind = "derivative"

    [[claim]]
    line = 25
    latex = '\hat{y} = \sigma(0.76) = 0.68'
    kind = "numeric"

Examples
--------
>>> text = '''document = "doc.md"
... [[claim]]
... line = 3
... latex = 'a = b'
... kind = "identity"
... '''
>>> parse_claims(text).claims[0].latex
'a = b'
>>> parse_claims(text.replace("kind", "knd"))
Traceback (most recent call last):
...
symbp.documents.claims.ClaimsError: <string>: line 5: [[claim]] 1: unknown key 'knd'; did you mean 'kind'? valid keys: ...
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import SpecError
from ..textfiles import read_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

__all__ = [
    "ClaimsError",
    "Context",
    "Claim",
    "ClaimsFile",
    "KINDS",
    "VERDICTS",
    "load_claims",
    "parse_claims",
]

#: Claim kinds and what each means (one table; the module docstring explains them).
KINDS: dict[str, str] = {
    "identity": "holds for all values of the network's symbols",
    "derivative": "an identity about derivatives, computed by autodiff",
    "definition": "names a quantity; checked if the name has a meaning",
    "numeric": "numbers at the worked example, at the printed precision",
    "update": "a gradient-descent step; the left side is the new value",
    "skip": "not checked (needs a reason)",
}
VERDICTS = ("correct", "wrong", "rounding", "unchecked")
DERIVATIVE_CONVENTIONS = ("batch", "example")

TOP_KEYS = {"document", "context", "contexts", "notation", "claim"}
CONTEXT_KEYS = {"network", "batch", "examples", "derivatives", "index_base", "definitions", "zero"}
NAMED_CONTEXT_KEYS = CONTEXT_KEYS | {"notation"}
CLAIM_KEYS = {"line", "latex", "kind", "reason", "context", "notation", "layers", "expect", "note", "continues"}


class ClaimsError(SpecError):
    """A claims file is malformed; the message names the file, line and key."""


@dataclass(frozen=True)
class Context:
    """What gives a document's symbols meaning: the network and conventions."""

    name: str = ""
    network: Path | None = None
    batch: int | None = None
    examples: str = "columns"
    derivatives: str = "batch"
    index_base: int = 1
    definitions: tuple[str, ...] = ()
    notation: Mapping[str, str] = field(default_factory=dict)
    zero: tuple[str, ...] = ()


@dataclass(frozen=True)
class Claim:
    """One claim: the document's LaTeX at ``line`` and how to read it."""

    line: int
    latex: str
    kind: str
    reason: str = ""
    context: str = ""
    notation: Mapping[str, str] = field(default_factory=dict)
    layers: tuple[int, ...] = ()
    expect: str = ""
    note: str = ""
    toml_line: int = 0
    continues: int = 0


@dataclass(frozen=True)
class ClaimsFile:
    """A validated claims file."""

    path: Path | None
    document: str
    context: Context
    contexts: Mapping[str, Context]
    notation: Mapping[str, str]
    claims: tuple[Claim, ...]

    def context_of(self, claim: Claim) -> Context:
        """The context a claim is read in (its named one, else the default)."""
        return self.contexts[claim.context] if claim.context else self.context

    def notation_of(self, claim: Claim) -> dict[str, str]:
        """The notation for ``claim``: top level, then its context's, then its own."""
        table = dict(self.notation)
        table.update(self.context_of(claim).notation)
        table.update(claim.notation)
        return table

    def document_path(self, hint: str | Path | None = None) -> Path:
        """Where the document is: ``hint`` (a file, or a folder holding it), else beside the claims file."""
        candidates = []
        if hint is not None:
            hint = Path(hint)
            candidate = hint / self.document if hint.is_dir() else hint
            if not hint.exists():
                raise ClaimsError(f"--document {hint}: no such file or folder (give the document, or the folder "
                                  f"that holds {self.document!r})")
            if not candidate.is_file():
                raise ClaimsError(f"--document {hint}: {candidate} is not a file (give the document, or the folder "
                                  f"that holds {self.document!r})")
            return candidate
        if self.path is not None:
            candidates.append(self.path.parent / self.document)
        for candidate in candidates:
            if candidate.is_file():
                return candidate
        where = ", ".join(str(c) for c in candidates) or self.document
        raise ClaimsError(f"document {self.document!r} not found (looked at {where}); pass --document PATH")


# ----- Loading -----
def load_claims(path: str | Path) -> ClaimsFile:
    r"""Read and validate a claims file.

    Errors (:class:`ClaimsError`) name the file, the line and the key.

    Parameters
    ----------
    path : str or pathlib.Path
        The claims file (TOML, the format of the module docstring).

    Returns
    -------
    ClaimsFile
        The validated claims; a ``network`` given relative to the claims file is resolved against its folder.

    Raises
    ------
    ClaimsError
        When the file cannot be read or is not a valid claims file.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> tmp = tempfile.TemporaryDirectory()
    >>> folder = Path(tmp.name)
    >>> _ = (folder / "claims.toml").write_text('document = "notes.md"\n[context]\nnetwork = "net.toml"\n'
    ...                                         '[[claim]]\nline = 3\nlatex = "a = b"\nkind = "identity"\n')
    >>> claims = load_claims(folder / "claims.toml")
    >>> claims.document, claims.context.network == folder / "net.toml", claims.claims[0].line
    ('notes.md', True, 3)
    >>> load_claims(folder / "missing.toml")
    Traceback (most recent call last):
    ...
    symbp.documents.claims.ClaimsError: ...missing.toml: cannot read: No such file or directory
    """
    path = Path(path)
    try:
        text = read_text(path, "a claims file")
    except SpecError as exc:
        raise ClaimsError(str(exc)) from None
    return parse_claims(text, str(path), base=path.parent, path=path)


def parse_claims(text: str, where: str = "<string>", *, base: Path | None = None, path: Path | None = None) -> ClaimsFile:
    r"""Parse the text of a claims file (see the module docstring for the format).

    Parameters
    ----------
    text : str
        The TOML text.
    where : str, optional
        The name error messages give the text (the file's path).
    base : pathlib.Path, optional
        The folder a relative ``network`` is resolved against (the claims file's folder); without it the path
        is kept as written.
    path : pathlib.Path, optional
        The claims file, kept as :attr:`ClaimsFile.path` (it is where the document is looked for).

    Returns
    -------
    ClaimsFile
        The validated claims.

    Raises
    ------
    ClaimsError
        For TOML that does not parse, an unknown key or kind, or a value of the wrong type, naming ``where``,
        the line and the key.

    Examples
    --------
    >>> from pathlib import Path
    >>> text = 'document = "notes.md"\n[context]\nnetwork = "net.toml"\n'
    >>> parse_claims(text, base=Path("notes")).context.network.as_posix()
    'notes/net.toml'
    >>> parse_claims(text.replace('network = "net.toml"', "batch = 0"), "claims.toml")
    Traceback (most recent call last):
    ...
    symbp.documents.claims.ClaimsError: claims.toml: line 3: batch must be a whole number >= 1, got 0
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.fullmatch(r"(?s)(.*?)\s*\(at line (\d+), column (\d+)\)", str(exc))
        place = f"line {found[2]}: TOML syntax error: {found[1]} (column {found[3]})" if found else \
            f"TOML syntax error: {exc}"
        raise ClaimsError(f"{where}: {place}") from None
    lines = _Lines(text, where)
    _keys(data, TOP_KEYS, lines.top, "the top level")
    if "document" not in data:
        raise ClaimsError(f"{where}: missing key 'document' (the document's file name, e.g. document = \"notes.md\")")
    document = _string(data["document"], lines.top("document"), "document")

    default = _context(data.get("context", {}), "", lines, base, None)
    contexts = {}
    named = data.get("contexts", {})
    if not isinstance(named, Mapping):
        raise ClaimsError(f"{lines.top('contexts')}: [contexts.NAME] must be tables, like [contexts.deep]")
    for name, table in named.items():
        contexts[name] = _context(table, name, lines, base, default)
    notation = _notation(data.get("notation", {}), lines.top("notation"), "[notation]")

    raw_claims = data.get("claim", [])
    if not isinstance(raw_claims, list):
        raise ClaimsError(f"{lines.top('claim')}: claims are written [[claim]] (an array of tables)")
    claims = [_claim(table, k, lines, contexts) for k, table in enumerate(raw_claims, start=1)]
    return ClaimsFile(path, document, default, contexts, notation, tuple(claims))


class _Lines:
    """Where keys are in the TOML text, for error messages."""

    def __init__(self, text: str, where: str):
        self.text_lines = text.splitlines()
        self.where = where
        self.claim_headers = [n for n, line in enumerate(self.text_lines, 1) if re.match(r"\s*\[\[\s*claim\s*\]\]", line)]

    def _find(self, key: str, start: int = 1, stop: int | None = None) -> int | None:
        pattern = re.compile(rf"^\s*(\[+\s*)?[\"']?{re.escape(key)}\b")
        stop = stop or len(self.text_lines) + 1
        for number in range(start, min(stop, len(self.text_lines) + 1)):
            if pattern.match(self.text_lines[number - 1]):
                return number
        return None

    def top(self, key: str) -> str:
        line = self._find(key)
        return f"{self.where}: line {line}" if line else self.where

    def table(self, header: str, key: str | None = None) -> str:
        start = self._find(header) or 1
        line = self._find(key, start + 1, self._next_header(start)) if key else start
        return f"{self.where}: line {line or start}"

    def claim(self, index: int, key: str | None = None) -> str:
        if index - 1 >= len(self.claim_headers):
            return self.where
        start = self.claim_headers[index - 1]
        line = self._find(key, start + 1, self._next_header(start)) if key else None
        return f"{self.where}: line {line or start}: [[claim]] {index}"

    def claim_line(self, index: int) -> int:
        return self.claim_headers[index - 1] if index - 1 < len(self.claim_headers) else 0

    def _next_header(self, start: int) -> int:
        for number in range(start + 1, len(self.text_lines) + 1):
            if re.match(r"\s*\[", self.text_lines[number - 1]):
                return number
        return len(self.text_lines) + 1


def _keys(table: Mapping, valid: set[str], where, what: str) -> None:
    for key in table:
        if key not in valid:
            close = difflib.get_close_matches(key, sorted(valid), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ";"
            in_what = f" in {what}" if what else ""
            raise ClaimsError(f"{where(key)}: unknown key {key!r}{in_what}{hint} valid keys: {', '.join(sorted(valid))}")


def _string(value: object, where: str, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ClaimsError(f"{where}: {key} must be a non-empty string, got {value!r}")
    return value


def _context(table: object, name: str, lines: _Lines, base: Path | None, parent: Context | None) -> Context:
    header = f"contexts.{name}" if name else "context"
    if not isinstance(table, Mapping):
        raise ClaimsError(f"{lines.top(header)}: [{header}] must be a table")
    valid = NAMED_CONTEXT_KEYS if name else CONTEXT_KEYS
    _keys(table, valid, lambda key: lines.table(header, key), f"[{header}]")
    at = lambda key: lines.table(header, key)  # noqa: E731
    ctx = parent if parent is not None else Context()
    changes: dict[str, object] = {"name": name, "notation": {}}
    if "network" in table:
        network = Path(_string(table["network"], at("network"), "network"))
        changes["network"] = network if network.is_absolute() or base is None else base / network
    if "batch" in table:
        batch = table["batch"]
        if isinstance(batch, bool) or not isinstance(batch, int) or batch < 1:
            raise ClaimsError(f"{at('batch')}: batch must be a whole number >= 1, got {batch!r}")
        changes["batch"] = batch
    if "examples" in table and table["examples"] != "columns":
        raise ClaimsError(f"{at('examples')}: examples must be \"columns\" (X is n0 x m), got {table['examples']!r}")
    if "derivatives" in table:
        if table["derivatives"] not in DERIVATIVE_CONVENTIONS:
            raise ClaimsError(
                f"{at('derivatives')}: derivatives must be one of {', '.join(map(repr, DERIVATIVE_CONVENTIONS))}, "
                f"got {table['derivatives']!r}"
            )
        changes["derivatives"] = table["derivatives"]
    if "index_base" in table:
        if table["index_base"] not in (0, 1) or isinstance(table["index_base"], bool):
            raise ClaimsError(f"{at('index_base')}: index_base must be 0 or 1, got {table['index_base']!r}")
        changes["index_base"] = table["index_base"]
    if "definitions" in table:
        defs = table["definitions"]
        if not isinstance(defs, list) or not all(isinstance(d, str) and "=" in d for d in defs):
            raise ClaimsError(f"{at('definitions')}: definitions must be a list of LaTeX strings like 'h_{{1}} = x^{{2}}'")
        changes["definitions"] = tuple(defs)
    if "zero" in table:
        zero = table["zero"]
        if not isinstance(zero, list) or not all(isinstance(z, str) for z in zero):
            raise ClaimsError(f"{at('zero')}: zero must be a list of parameter names like [\"b\"] or [\"b1\", \"W2\"]")
        changes["zero"] = tuple(zero)
    if "notation" in table:
        changes["notation"] = _notation(table["notation"], at("notation"), f"[{header}.notation]")
    return replace(ctx, **changes)


def _notation(table: object, where: str, what: str) -> dict[str, str]:
    if not isinstance(table, Mapping):
        raise ClaimsError(f"{where}: {what} must be a table of LaTeX = \"meaning\"")
    out = {}
    for key, value in table.items():
        if not isinstance(value, str) or not value.strip():
            raise ClaimsError(f"{where}: {what}: {key!r} must map to a meaning string like \"W[l]\", got {value!r}")
        out[key] = value.strip()
    return out


def _claim(table: object, index: int, lines: _Lines, contexts: Mapping[str, Context]) -> Claim:
    if not isinstance(table, Mapping):
        raise ClaimsError(f"{lines.claim(index)}: must be a table")
    _keys(table, CLAIM_KEYS, lambda key: lines.claim(index, key), "")
    for key in ("line", "latex", "kind"):
        if key not in table:
            raise ClaimsError(f"{lines.claim(index)}: missing key {key!r} (a claim needs line, latex and kind)")
    at = lambda key: lines.claim(index, key)  # noqa: E731
    line = table["line"]
    if isinstance(line, bool) or not isinstance(line, int) or line < 1:
        raise ClaimsError(f"{at('line')}: line must be a whole number >= 1 (1-based), got {line!r}")
    latex = _string(table["latex"], at("latex"), "latex")
    kind = table["kind"]
    if kind not in KINDS:
        close = difflib.get_close_matches(str(kind), list(KINDS), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ClaimsError(f"{at('kind')}: unknown kind {kind!r}{hint} valid kinds: {', '.join(KINDS)}")
    reason = table.get("reason", "")
    if kind == "skip" and not (isinstance(reason, str) and reason.strip()):
        raise ClaimsError(f"{at('kind')}: kind = \"skip\" needs a reason = \"...\" saying why it is not checked")
    context = table.get("context", "")
    if context and context not in contexts:
        valid = ", ".join(sorted(contexts)) or "(none defined)"
        raise ClaimsError(f"{at('context')}: unknown context {context!r}; defined contexts: {valid}")
    layers = table.get("layers", [])
    if not isinstance(layers, list) or not all(isinstance(l, int) and not isinstance(l, bool) for l in layers):
        raise ClaimsError(f"{at('layers')}: layers must be a list of whole numbers, like [1, 2]")
    expect = table.get("expect", "")
    if expect and expect not in VERDICTS:
        raise ClaimsError(f"{at('expect')}: expect must be one of {', '.join(VERDICTS)}, got {expect!r}")
    for key in ("reason", "note"):
        if key in table and not isinstance(table[key], str):
            raise ClaimsError(f"{at(key)}: {key} must be a string")
    notation = _notation(table.get("notation", {}), at("notation"), "notation") if "notation" in table else {}
    continues = table.get("continues", 0)
    if isinstance(continues, bool) or not isinstance(continues, int) or continues < 0:
        raise ClaimsError(f"{at('continues')}: continues must be the line of an earlier claim, got {continues!r}")
    return Claim(
        line=line,
        latex=latex,
        kind=kind,
        reason=str(reason),
        context=str(context),
        notation=notation,
        layers=tuple(layers),
        expect=str(expect),
        note=str(table.get("note", "")),
        toml_line=lines.claim_line(index),
        continues=continues,
    )
