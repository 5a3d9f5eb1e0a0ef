"""The results of a verification, and how they are shown: a plain-text table, JSON, or Markdown.

``--json`` prints exactly ``{"document": ..., "results": [{"line", "latex",
"verdict", "expected", "diagnosis", "reason"}]}``. The table and the Markdown
add a summary line (claims checked, found wrong, ...). Non-goals: checking.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass, field

__all__ = ["Result", "Report", "to_json", "to_table", "to_markdown", "summary"]


@dataclass
class Result:
    """The verdict on one claim (the JSON of ``symbp verify --json``)."""

    line: int
    latex: str
    verdict: str
    expected: str | None = None
    diagnosis: str | None = None
    reason: str = ""
    kind: str = ""
    expect: str = ""
    note: str = ""
    #: The verdict rests on numeric evidence only: equal when evaluated to 25 digits, not proved exactly (set from
    #: the comparison that found it, :attr:`.compare.Comparison.numeric`; not part of the JSON).
    numeric: bool = False

    def to_dict(self) -> dict:
        return {"line": self.line, "latex": self.latex, "verdict": self.verdict, "expected": self.expected,
                "diagnosis": self.diagnosis, "reason": self.reason}

    @property
    def as_expected(self) -> bool:
        return not self.expect or self.expect == self.verdict

    @property
    def numeric_only(self) -> bool:
        """Correct on numeric evidence only: equal when evaluated to 25 digits, not proved exactly."""
        return self.verdict == "correct" and self.numeric


@dataclass
class Report:
    """All results for one claims file."""

    document: str
    results: list[Result] = field(default_factory=list)
    claims_path: str = ""
    document_found: bool = True

    def to_dict(self) -> dict:
        return {"document": self.document, "results": [r.to_dict() for r in self.results]}

    def counts(self) -> dict[str, int]:
        out = {v: 0 for v in ("correct", "wrong", "rounding", "unchecked")}
        for r in self.results:
            out[r.verdict] += 1
        return out

    @property
    def surprises(self) -> list[Result]:
        """Results that differ from the claim's ``expect``, or wrong ones nobody expected."""
        return [r for r in self.results if (r.expect and r.expect != r.verdict) or (not r.expect and r.verdict == "wrong")]


def to_json(report: Report) -> str:
    r"""The report as the JSON of ``symbp verify --json``.

    Parameters
    ----------
    report : Report
        The results of one claims file.

    Returns
    -------
    str
        ``{"document": ..., "results": [{"line", "latex", "verdict", "expected", "diagnosis", "reason"}]}``,
        indented by 2, non-ASCII characters kept.

    Examples
    --------
    >>> right = Result(3, r"\hat{y} = 0.68", "correct", reason="0.68 (0.681655) at the example's numbers")
    >>> wrong = Result(5, r"\frac{\partial L}{\partial \hat{y}} = y - \hat{y}", "wrong", expected=r"\hat{y} - y",
    ...                diagnosis="a wrong sign", reason="the two sides differ")
    >>> print(to_json(Report("doc.md", [wrong])))
    {
      "document": "doc.md",
      "results": [
        {
          "line": 5,
          "latex": "\\frac{\\partial L}{\\partial \\hat{y}} = y - \\hat{y}",
          "verdict": "wrong",
          "expected": "\\hat{y} - y",
          "diagnosis": "a wrong sign",
          "reason": "the two sides differ"
        }
      ]
    }
    """
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False)


def summary(report: Report) -> str:
    """One line: how many claims, and how many of each verdict.

    Examples
    --------
    A claim found equal only by evaluation (not proved) is counted among the
    correct ones and also on its own:

    >>> from symbp.documents.report import Result
    >>> summary(Report("doc.md", [Result(3, "a = b", "wrong"), Result(4, "c = 1", "correct")]))
    'doc.md: 2 claims: 1 correct, 1 wrong, 0 rounding, 0 unchecked'
    >>> numeric = Result(5, "d = e", "correct", reason="equal at 3 points (numeric evidence only)", numeric=True)
    >>> summary(Report("doc.md", [numeric]))
    'doc.md: 1 claim: 1 correct (1 on numeric evidence only, not proved), 0 wrong, 0 rounding, 0 unchecked'
    """
    counts = report.counts()
    numeric = sum(r.numeric_only for r in report.results)
    shown = {v: f"{counts[v]} {v}" for v in counts}
    if numeric:
        shown["correct"] += f" ({numeric} on numeric evidence only, not proved)"
    parts = ", ".join(shown[v] for v in ("correct", "wrong", "rounding", "unchecked"))
    n = len(report.results)
    return f"{report.document}: {n} claim{'' if n == 1 else 's'}: {parts}"


def to_table(report: Report, width: int = 100) -> str:
    r"""A plain-text table: line, verdict, the claim, and what was found.

    Parameters
    ----------
    report : Report
        The results of one claims file.
    width : int, optional
        The width the claims and reasons are wrapped to.

    Returns
    -------
    str
        :func:`summary`, then one row per claim (line, verdict, the LaTeX shortened to fit, ``[expected V]``
        when the verdict is not the claim's ``expect``), followed by its reason, ``expected:`` and
        ``diagnosis:`` lines. A note says so when the document was not found.

    Examples
    --------
    >>> right = Result(3, r"\hat{y} = 0.68", "correct", reason="0.68 (0.681655) at the example's numbers")
    >>> wrong = Result(5, r"\frac{\partial L}{\partial \hat{y}} = y - \hat{y}", "wrong", expected=r"\hat{y} - y",
    ...                diagnosis="a wrong sign", reason="the two sides differ")
    >>> print(to_table(Report("doc.md", [right, wrong])))
    doc.md: 2 claims: 1 correct, 1 wrong, 0 rounding, 0 unchecked
    <BLANKLINE>
        3  correct    \hat{y} = 0.68
                      0.68 (0.681655) at the example's numbers
        5  wrong      \frac{\partial L}{\partial \hat{y}} = y - \hat{y}
                      the two sides differ
                      expected: \hat{y} - y
                      diagnosis: a wrong sign
    """
    out = [summary(report), ""]
    if not report.document_found:
        out[1:1] = ["(the document was not found: the claims' line numbers were not checked against it; "
                    "give --document PATH)"]
    for r in report.results:
        mark = "" if r.as_expected else f"  [expected {r.expect}]"
        latex = " ".join(r.latex.split())
        out.append(f"{r.line:>5}  {r.verdict:<9}  {textwrap.shorten(latex, width - 18, placeholder=' ...')}{mark}")
        details = []
        if r.verdict != "correct" or r.reason:
            details.append(r.reason)
        if r.expected:
            details.append(f"expected: {r.expected}")
        if r.diagnosis:
            details.append(f"diagnosis: {r.diagnosis}")
        for text in details:
            for line in textwrap.wrap(text, width - 18) or [""]:
                out.append(" " * 18 + line)
    return "\n".join(out)


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def to_markdown(report: Report) -> str:
    r"""A Markdown section: summary, then one table row per claim.

    Parameters
    ----------
    report : Report
        The results of one claims file.

    Returns
    -------
    str
        A ``###`` heading with the document's name, the counts, and a table of line, verdict, the claim (as
        inline math), expected value, diagnosis and reason (``|`` escaped, newlines made spaces).

    Examples
    --------
    >>> right = Result(3, r"\hat{y} = 0.68", "correct", reason="0.68 (0.681655) at the example's numbers")
    >>> wrong = Result(5, r"\frac{\partial L}{\partial \hat{y}} = y - \hat{y}", "wrong", expected=r"\hat{y} - y",
    ...                diagnosis="a wrong sign", reason="the two sides differ")
    >>> print(to_markdown(Report("doc.md", [right, wrong])))
    ### doc.md
    <BLANKLINE>
    2 claims: 1 correct, 1 wrong, 0 rounding, 0 unchecked
    <BLANKLINE>
    | line | verdict | claim | expected | diagnosis | reason |
    |---:|---|---|---|---|---|
    | 3 | correct | $\hat{y} = 0.68$ |  |  | 0.68 (0.681655) at the example's numbers |
    | 5 | wrong | $\frac{\partial L}{\partial \hat{y}} = y - \hat{y}$ | \hat{y} - y | a wrong sign | the two sides differ |
    <BLANKLINE>
    """
    out = [f"### {report.document}", "", summary(report).split(": ", 1)[1], "",
           "| line | verdict | claim | expected | diagnosis | reason |", "|---:|---|---|---|---|---|"]
    for r in report.results:
        latex = " ".join(r.latex.split())
        out.append(f"| {r.line} | {r.verdict} | ${_cell(latex)}$ | {_cell(r.expected)} | {_cell(r.diagnosis)} | "
                   f"{_cell(r.reason)} |")
    return "\n".join(out) + "\n"
