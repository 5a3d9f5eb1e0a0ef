r"""Check every claim of a document: identities, derivatives, numbers, update rules.

For each ``[[claim]]`` of a claims file :class:`Verifier`

1. reads the LaTeX (:mod:`.reader`); malformed LaTeX is ``unchecked`` with the
   parse error and its column, never a crash;
2. finds the claim's layer and index variables (``l``, ``j``) through the
   notation and checks every instance the network has (each layer l at which
   every quantity exists, each unit index);
3. proves a claim about whole matrices in matrix form when it can (:mod:`.matrixclaims`: symbolic sizes,
   symbp's matrix-calculus gradients, so the proof holds for every width and batch size); otherwise
   checks the chain ``a = b = c = ...`` link by link (:mod:`.links`): two
   expressions must be equal as an identity in the network's symbols (refuted
   numerically at seeded random points, then proved exactly by
   :func:`symbp.proof.prove_zero`, expanding symbp's reverse-mode adjoints one
   layer at a time); a printed number must be what its expression gives at the
   worked example, at the printed precision; arithmetic on printed numbers is
   checked with interval arithmetic over their precision;
4. for a wrong link, tries the catalogue of common mistakes (:mod:`.mistakes`, by :mod:`.diagnose`).

Verdicts: ``correct``, ``wrong``, ``rounding`` (right only up to the
document's rounding of its own intermediate values), ``unchecked`` (with the
reason). Checking a claim is bounded in time. Non-goals: output formats
(:mod:`.report`).
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import sympy as sp

from ..errors import SpecError, SymbpError
from ..textfiles import read_text
from .claims import Claim, ClaimsError, ClaimsFile, load_claims
from .context import LR, Context, QuantityError
from .env import ClaimEnv
from .indices import clashing, sum_indices
from .latex import PLACEHOLDER, Atom, Call, LatexParseError, Literal, Node
from .links import Link, check_chain, reason_of
from .notation import FUNCTIONS, MATRICES, Notation, NotationError
from .quantities import EXAMPLE_COLUMN, Instance
from .reader import Builder, Reading, TimeLimit, read, time_limit
from .report import Report, Result

__all__ = ["Result", "Report", "Verifier", "verify_file", "SECONDS_PER_CLAIM", "MAX_INSTANCES"]

SECONDS_PER_CLAIM = 60.0
MAX_INSTANCES = 24


def verify_file(path: str | Path, document: str | Path | None = None, *, seconds: float = SECONDS_PER_CLAIM) -> Report:
    r"""Load a claims file and verify every claim (``document`` overrides where the document is).

    The document is looked for as :meth:`~.claims.ClaimsFile.document_path` says; when it is found, each
    claim's LaTeX must be on its line (else the claim is ``unchecked`` with where it is). Bad input (the
    claims file, its network or notation) stops before any claim is checked.

    Parameters
    ----------
    path : str or pathlib.Path
        The claims file.
    document : str or pathlib.Path, optional
        The document, or the folder that holds it (``symbp verify --document``).
    seconds : float, optional
        The time limit of each claim; a claim that takes longer is ``unchecked (time limit)``.

    Returns
    -------
    Report
        One :class:`~.report.Result` per claim, in order; ``document_found`` says whether the lines were
        checked against the document.

    Raises
    ------
    ClaimsError
        For a claims file, network file or notation that is not valid, or a ``document`` that is not a file.

    Examples
    --------
    A note on :data:`.examples.ONE_UNIT` (``\hat{y} = \sigma(0.5 \cdot 2 + 0) = 0.731059``, the loss
    ``(0.731059 - 1)^2 / 2 = 0.0361647``), its claims and the network in one folder:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from symbp.documents.examples import ONE_UNIT
    >>> tmp = tempfile.TemporaryDirectory()
    >>> folder = Path(tmp.name)
    >>> _ = (folder / "net.toml").write_text(ONE_UNIT)
    >>> _ = (folder / "notes.md").write_text("The output is\n\n$$\\hat{y} = \\sigma(w x + b) = 0.73$$\n\n"
    ...                                      "and its loss $L = 0.05$.\n")
    >>> _ = (folder / "claims.toml").write_text(r'''document = "notes.md"
    ... notation = {'\hat{y}' = "A[1][0]", w = "W[1][0,0]", b = "b[1][0]", x = "X[0]", L = "C"}
    ... claim = [{line = 3, latex = '\hat{y} = \sigma(w x + b) = 0.73', kind = "numeric"},
    ...          {line = 5, latex = 'L = 0.05', kind = "numeric"}]
    ... [context]
    ... network = "net.toml"
    ... ''')
    >>> report = verify_file(folder / "claims.toml")
    >>> report.document_found, report.counts()
    (True, {'correct': 1, 'wrong': 1, 'rounding': 0, 'unchecked': 0})
    >>> print(report.results[1].reason)
    the exact value at the example is 0.04 (0.0361647), not 0.05
    """
    claims = load_claims(path)
    text = None
    try:
        text = read_text(claims.document_path(document), lenient=True)
    except SpecError:
        if document is not None:
            raise
    verifier = Verifier(claims, text, seconds=seconds)
    verifier.prepare()
    report = verifier.run()
    report.document_found = text is not None
    return report


def _without_verdict(reason: str) -> str:
    return reason.removeprefix("unchecked: ")


class Verifier:
    """Verifies the claims of one claims file, in document order."""

    def __init__(self, claims: ClaimsFile, document_text: str | None = None, *, seconds: float = SECONDS_PER_CLAIM):
        self.claims = claims
        self.lines = document_text.split("\n") if document_text is not None else None
        self.seconds = seconds
        self.contexts: dict[str, Context] = {}
        self.defined: dict[str, dict] = {}
        self.printed: dict[str, dict] = {}
        self.printed_exprs: dict[str, list] = {}
        self.last_side: str | None = None
        self.last_sides: dict[int, str] = {}

    def prepare(self) -> None:
        """Load every context and notation the claims use, so that bad input stops before any claim is checked.

        A network file that cannot be read, a notation meaning that is not understood or a definition
        that does not parse is an error in the claims file (:class:`ClaimsError`, exit status 2 on the
        command line), not a column of ``unchecked`` verdicts.
        """
        where = self.claims.path or "claims file"
        for claim in self.claims.claims:
            if claim.kind == "skip":
                continue
            section = f"[contexts.{claim.context}]" if claim.context else "[context]"
            try:
                Notation(self.claims.notation_of(claim), self.claims.context_of(claim).index_base)
                with time_limit(self.seconds, f"reading the network and definitions of {section}"):
                    self.context(claim.context).zeros  # noqa: B018 - a zero that [example] contradicts raises
            except TimeLimit as exc:
                raise ClaimsError(f"{where}: {section}: {exc}") from None
            except (LatexParseError, SpecError) as exc:
                raise ClaimsError(f"{where}: {section} (used by the claim of line {claim.line}): "
                                  f"{_without_verdict(reason_of(exc) if isinstance(exc, LatexParseError) else str(exc))}") from None

    def run(self) -> Report:
        report = Report(self.claims.document, claims_path=str(self.claims.path or ""))
        for claim in self.claims.claims:
            report.results.append(self.check(claim))
        return report

    # ----- One claim -----
    def check(self, claim: Claim) -> Result:
        result = Result(claim.line, claim.latex, "unchecked", kind=claim.kind, expect=claim.expect, note=claim.note)
        if claim.kind == "skip":
            result.reason = f"not checked: {claim.reason}"
            self.last_side = None
            return result
        where = self._where(claim)
        if where:
            result.reason = where
            return result
        try:
            with time_limit(self.seconds, f"checking the claim of line {claim.line}"):
                return self._check(claim, result)
        except TimeLimit as exc:
            result.verdict, result.reason = "unchecked", f"unchecked (time limit): {exc}"
        except (LatexParseError, NotationError) as exc:
            result.verdict, result.reason = "unchecked", reason_of(exc)
        except (SpecError, SymbpError) as exc:
            result.verdict, result.reason = "unchecked", str(exc)
        except OverflowError as exc:  # exp(exp(exp(100))): SymPy or mpmath give up on the size
            result.verdict, result.reason = "unchecked", f"unchecked: a number in it is too large to evaluate ({exc})"
        except Exception as exc:  # noqa: BLE001 - one claim never stops the report
            result.verdict, result.reason = "unchecked", f"unchecked (internal error: {type(exc).__name__}: {exc})"
        if result.verdict == "unchecked":
            result.expected = result.diagnosis = None
        return result

    def _where(self, claim: Claim) -> str:
        """A reason if the document's line does not hold the claim's LaTeX (compared without white space)."""
        if self.lines is None:
            return ""
        squash = lambda text: re.sub(r"\s+", "", text)  # noqa: E731
        target = squash(claim.latex)
        if not target:
            return ""
        span = claim.latex.count("\n") + 1

        def window(number: int, extra: int = 1) -> str:  # the claim's lines, and one more (math may start below)
            if not 1 <= number <= len(self.lines):
                return ""
            return squash("".join(self.lines[number - 1 : number - 1 + span + extra]))

        if target in window(claim.line):
            return ""
        numbers = range(1, len(self.lines) + 1)
        found = next((n for n in numbers if target in window(n, 0)), None) or next(
            (n for n in numbers if target in window(n)), None)
        if found is not None:
            return f"unchecked: the LaTeX is on line {found} of the document, not line {claim.line}"
        first = squash(claim.latex.split("\n")[0])[:40]
        starts = [n for n, line in enumerate(self.lines, start=1) if first and first in squash(line)]
        if not starts:
            return f"unchecked: line {claim.line} of the document does not contain this LaTeX"
        start = claim.line if claim.line in starts else starts[0]
        text = window(start)
        offset = text.find(first)
        k = next((i for i, (a, b) in enumerate(zip(target, text[offset:])) if a != b), min(len(target), len(text) - offset))
        where = "line {0} of the document starts this LaTeX" if start == claim.line else \
            f"line {claim.line} of the document does not contain this LaTeX; line {{0}} starts it"
        return (f"unchecked: {where.format(start)}, but the two differ after {target[:k][-30:]!r}: the document has "
                f"{text[offset + k : offset + k + 20]!r}, the claim {target[k : k + 20]!r} (white space aside)")

    def context(self, name: str) -> Context:
        if name not in self.contexts:
            ctx = self.claims.contexts[name] if name else self.claims.context
            self.contexts[name] = Context(ctx)
            self.defined[name] = {}
            self.printed[name] = {}
            self.printed_exprs[name] = []
            self._load_definitions(name, ctx)
        return self.contexts[name]

    def _load_definitions(self, name: str, ctx) -> None:
        context = self.contexts[name]
        notation = Notation(self.claims.notation | dict(ctx.notation), ctx.index_base)
        for text in ctx.definitions:
            reading = read(text)
            chain = reading.chains[0]
            if len(chain) != 2:
                raise SpecError(f"definition {text!r} must be 'name = expression'")
            target = _single_atom(chain[0], reading)
            if target is None:
                raise SpecError(f"definition {text!r}: the left side must be a single symbol")
            env = _FreeEnv(context, notation, text)
            value = Builder(reading, env).node(chain[1])
            symbol = sp.Symbol(target.name, real=True)
            context.define(symbol, value)
            context.free.pop(target.name, None)
            self.defined[name][target.name] = (lambda s: (lambda env: s))(symbol)

    def _check(self, claim: Claim, result: Result) -> Result:
        ctx = self.context(claim.context)
        claims_ctx = self.claims.context_of(claim)
        notation = Notation(self.claims.notation_of(claim), claims_ctx.index_base)
        functions = [k for k, v in self.claims.notation_of(claim).items() if v.split("[")[0] in FUNCTIONS]
        latex = self._continued(claim)
        self.last_side = None
        reading = read(latex, functions, notation, partial=True)
        chain = reading.chains[-1]
        self.last_side = reading.source[chain[-1].span[0] : chain[-1].span[1]]
        self.last_sides[claim.line] = self.last_side
        defined = self.defined[claim.context]
        if claim.kind == "definition":
            first = reading.chains[0][0]
            atom = _single_atom(first, reading)
            if atom is not None and notation.resolve(atom.name) is None and atom.name not in defined:
                if len(reading.chains[0]) < 2:
                    raise NotationError("a definition needs a right-hand side")
                node = reading.chains[0][1]
                defined[atom.name] = lambda env, node=node, reading=reading: Builder(reading, env).node(node)
                result.reason = f"unchecked: defines {atom.name} (a definition; later claims may use it)"
                return result
        instances = self._instances(claim, reading, notation, ctx)
        if not instances:
            raise NotationError("no layer of the network makes every quantity of this claim exist")
        outcomes = []
        for chain in reading.chains:
            try:
                outcome = check_chain(Link.setup(self, claim, reading, chain, ctx, notation, instances, defined))
            except QuantityError as exc:
                raise clashing(exc, reading, notation) from exc
            outcomes.append(outcome)
            if outcome.verdict == "wrong":
                break
        worst = max(outcomes, key=lambda o: ("correct", "rounding", "unchecked", "wrong").index(o.verdict))
        explained = clashing(worst.error, reading, notation) if worst.error is not None else None
        if explained is not worst.error:  # an unchecked link's index without a value: a sum over the wrong index
            worst.reason = reason_of(explained)
        result.verdict, result.reason = worst.verdict, worst.reason
        result.expected, result.diagnosis, result.numeric = worst.expected, worst.diagnosis, worst.numeric
        if len(instances) > 1 and worst.verdict == "correct":
            result.reason += f" ({len(instances)} instances: {Instance.describe(instances, notation.index_base)})"
        return result

    def _continued(self, claim: Claim) -> str:
        """A claim that starts with '=' continues an earlier chain (``continues``, else the claim before it)."""
        latex = claim.latex
        stripped = latex.lstrip().lstrip("&").lstrip()
        if not stripped.startswith("=") or stripped.startswith("=="):
            return latex
        side = self.last_sides.get(claim.continues) if claim.continues else self.last_side
        if side is None:
            which = f"the claim of line {claim.continues}" if claim.continues else "the claim before it"
            raise NotationError(f"a claim that starts with '=' continues {which}, which could not be read")
        return f"{side} {latex}"

    # ----- Variables and instances -----
    def _instances(self, claim: Claim, reading: Reading, notation: Notation, ctx: Context) -> list[dict]:
        summed = sum_indices(reading)
        layer_vars: set[str] = set()
        index_uses: dict[str, list] = {}
        per_example = False
        for piece in _atoms(reading):
            if piece.name in summed:
                continue
            resolved = notation.resolve(piece.name)
            if resolved is None:
                continue
            layers, indices = resolved.variables()
            layer_vars |= layers
            name = resolved.meaning.name
            for position, index in enumerate(resolved.index):
                if index.var and index.var not in summed:
                    index_uses.setdefault(index.var, []).append((resolved, position))
            if resolved.example is not None and resolved.example.var and resolved.example.var not in summed:
                index_uses.setdefault(resolved.example.var, []).append((resolved, "example"))
            if (name in MATRICES and MATRICES[name][1] or name in ("X", "Y")) and len(resolved.index) == 1:
                per_example = True
        depth = ctx.depth
        layer_values = list(claim.layers) or list(range(1, depth + 1))
        instances = []
        for values in itertools.product(*[layer_values for _ in sorted(layer_vars)]) if layer_vars else [()]:
            bindings = dict(zip(sorted(layer_vars), values))
            ranges = {}
            try:
                for var, uses in index_uses.items():
                    sizes = {self._size(ctx, r, position, bindings) for r, position in uses}
                    ranges[var] = range(min(sizes))
            except (QuantityError, NotationError):
                continue
            if per_example and ctx.spec is not None and ctx.batch > 1:
                ranges[EXAMPLE_COLUMN] = range(ctx.batch)
            names = sorted(ranges)
            for combo in itertools.product(*[ranges[n] for n in names]):
                instances.append(Instance({**bindings, **dict(zip(names, combo))}, units=set(index_uses)))
        if len(instances) > MAX_INSTANCES:
            step = len(instances) / MAX_INSTANCES
            instances = [instances[int(k * step)] for k in range(MAX_INSTANCES - 1)] + [instances[-1]]
        return instances

    @staticmethod
    def _size(ctx: Context, resolved, position, bindings: dict) -> int:
        name = resolved.meaning.name
        if ctx.spec is None:
            raise QuantityError("no network")
        if position == "example":
            return ctx.batch
        if name in MATRICES:
            layer = resolved.layer.value(bindings, ctx.depth)
            if not MATRICES[name][0] <= layer <= ctx.depth:
                raise QuantityError("layer out of range")
            rows = ctx.spec.widths[layer] if name not in ("W", "dW") else ctx.spec.widths[layer]
            cols = ctx.spec.widths[layer - 1] if name in ("W", "dW") else (1 if name in ("b", "db") else ctx.batch)
        elif name in ("X", "Y"):
            rows, cols = (ctx.spec.widths[0] if name == "X" else ctx.spec.widths[-1]), ctx.batch
        elif name == "C":
            return ctx.batch
        else:
            raise QuantityError(f"{name} has no indices")
        return rows if position == 0 else cols


class _FreeEnv(ClaimEnv):
    """Definitions: symbols without a meaning are free variables."""

    def atom(self, atom: Atom):
        if self.notation.resolve(atom.name) is None and atom.name not in self.defined:
            return self.ctx.free_symbol(atom.name)
        return super().atom(atom)


def _single_atom(node: Node, reading: Reading) -> Atom | None:
    m = PLACEHOLDER.fullmatch(node.skeleton.strip())
    if m is None:
        return None
    piece = reading.pieces[int(m.group(1))]
    return piece if isinstance(piece, Atom) else None


def _atoms(reading: Reading):
    for piece in reading.pieces.values():
        if isinstance(piece, Atom):
            yield piece
        elif isinstance(piece, Call):
            yield piece.function


__all__ += ["LR", "Literal"]
