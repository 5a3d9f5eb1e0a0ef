"""Tests of math extraction and of the symbp extract / symbp verify commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from symbp.cli import main
from symbp.documents.claims import load_claims
from symbp.documents.extract import extract_math, is_equation
from tests.conftest import seed_document

DATA = Path(__file__).resolve().parent / "data"

DOCUMENT = r"""# Title with a $ in prose: costs \$5

Inline $a = 1$ and \(b = 2\) and the escaped Markdown \\(c = 3\\).

$$
z = W a + b
$$

\[ y = \sigma(z) \]

\begin{align}
u &= v \\
  &= w
\end{align}

```python
x = 1  # $not math$
```

\frac{\partial C}{\partial w^{l}_{jk}} = a^{l-1}_{k}\delta^{l}_{j}
A sentence that merely mentions a_j = 3 and continues with many words of prose.
"""

EXPECTED = [(3, "a = 1"), (3, "b = 2"), (3, "c = 3"), (6, "z = W a + b"), (9, r"y = \sigma(z)"),
            (11, "\\begin{align}\nu &= v \\\\\n  &= w\n\\end{align}"),
            (20, r"\frac{\partial C}{\partial w^{l}_{jk}} = a^{l-1}_{k}\delta^{l}_{j}")]


def test_every_kind_of_math_is_found_with_its_line():
    assert [(item.line, item.latex) for item in extract_math(DOCUMENT)] == EXPECTED


def test_display_and_inline_are_told_apart():
    items = extract_math(DOCUMENT)
    assert [item.display for item in items] == [False, False, False, True, True, True, True]
    assert not is_equation(r"\hat{y}") and is_equation(r"w \leftarrow w - \eta g")


@pytest.mark.parametrize("prefix, line, latex", [
    ("003", 327, r"\frac{\partial L}{\partial \hat{y}_1} = -2(y_1 - \hat{y}_1) = -0.46"),
    ("000", 211, r"\frac{\mathrm{d} C}{\mathrm{d} b^{[L]}}=\frac{1}{m}np.sum(\delta^{[L]},axis=0,keepdims=True)"),
    ("001", 335, r"\delta^{L} = \nabla _{a}C \odot \sigma'(z^{L})"),
])
def test_seed_documents_are_read_at_the_right_lines(prefix, line, latex):
    text = seed_document(prefix).read_text()
    assert (line, latex) in [(item.line, item.latex.strip()) for item in extract_math(text)]


def test_extract_writes_a_claims_file_that_loads(tmp_path, capsys):
    out = tmp_path / "claims.toml"
    assert main(["extract", str(DATA / "example_doc.md"), "-o", str(out), "--network", "net.toml"]) == 0
    claims = load_claims(out)
    assert claims.document_path().resolve() == DATA / "example_doc.md"  # named from the claims file's folder
    assert claims.context.network == tmp_path / "net.toml"
    assert [c.line for c in claims.claims][:4] == [5, 7, 11, 13]  # $$ and the math on one line
    assert {c.kind for c in claims.claims} == {"identity", "derivative", "numeric"}
    assert "wrote" in capsys.readouterr().out


def test_a_document_without_math_says_so(tmp_path, capsys):
    doc = tmp_path / "prose.md"
    doc.write_text("Only words here, and a price of \\$3.\n")
    assert main(["extract", str(doc)]) == 2
    assert "no math found" in capsys.readouterr().err


def test_verify_command_outputs_and_exit_status(tmp_path, capsys):
    claims = DATA / "claims_example.toml"
    assert main(["verify", str(claims), "--json"]) == 0  # every verdict is the claim's expect
    data = json.loads(capsys.readouterr().out)
    assert len(data["results"]) == 18
    assert main(["verify", str(claims), "--markdown"]) == 0
    assert capsys.readouterr().out.startswith("### example_doc.md")
    unexpected = tmp_path / "claims.toml"
    unexpected.write_text(claims.read_text().replace('expect = "wrong"', 'expect = "correct"', 1).replace(
        'network = "example_network.toml"', f'network = "{DATA / "example_network.toml"}"'))
    assert main(["verify", str(unexpected), "--document", str(DATA)]) == 1
    assert "[expected correct]" in capsys.readouterr().out


def test_verify_command_reports_bad_input_on_one_line(tmp_path, capsys):
    bad = tmp_path / "claims.toml"
    bad.write_text('document = "doc.md"\n[[claim]]\nline = 1\nlatex = "a = b"\nkynd = "identity"\n')
    assert main(["verify", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "line 5: [[claim]] 1: unknown key 'kynd'; did you mean 'kind'?" in err


def test_prices_in_prose_are_not_math():
    # Pandoc's rule: a single $ opens before a non-space and closes after one, not before a digit
    text = "It cost $5 and then $10.\n\nBut $x = 1$ is math, $ y = 2 $ is not, and $z=3$ is.\n"
    assert [item.latex for item in extract_math(text)] == ["x = 1", "z=3"]
    # a $ that cannot close ends the attempt: the math after it is still found, and no prose is swallowed
    assert [item.latex for item in extract_math("Let $a = 1 $ and $b = 2$.")] == ["b = 2"]
    assert [item.latex for item in extract_math("costs $5 and $x = 1$")] == ["x = 1"]
    assert [item.latex for item in extract_math("a $x$5 and $y = 2$")] == ["y = 2"]


@pytest.mark.parametrize("args, message", [
    (["extract", "{doc}", "-o", "{tmp}/missing/folder/claims.toml"], "-o {tmp}/missing/folder/claims.toml: cannot write"),
    (["verify", "{claims}", "--time-limit", "0"], "--time-limit: '0' is not a positive number of seconds"),
    (["verify", "{claims}", "--time-limit", "-1"], "is not a positive number of seconds"),
    (["verify", "{claims}", "--document", "{tmp}/nowhere.md"], "--document {tmp}/nowhere.md: no such file or folder"),
    (["verify", "{claims}", "--document", "{tmp}/nowhere"], "--document {tmp}/nowhere: no such file or folder (give"),
    (["verify", "{claims}", "--document", "{tmp}"], "--document {tmp}: {tmp}/example_doc.md is not a file"),
    (["verify", "{latin1}"], "latin1.toml: not UTF-8 text (byte 22, line 2); a claims file is text in UTF-8"),
    (["verify", "{no_network}"], "[context] (used by the claim of line 1): {tmp}/missing.toml: cannot read"),
    (["verify", "{bad_meaning}"], "[context] (used by the claim of line 1): [notation] 'a': meaning 'A[[2' is not understood"),
    (["verify", "{bad_zero}"], "[context] zero: no parameter 'q7'"),
    (["verify", "{zero_vs_example}"], "holds W1 at 0, but the network's [example] gives it nonzero values"),
    (["verify", "{huge_definition}", "--time-limit", "2"],
     "[context]: time limit: reading the network and definitions of [context] took longer than 2 s"),
])
def test_bad_command_line_input_is_one_line_and_exit_2(tmp_path, capsys, args, message):
    (tmp_path / "latin1.toml").write_bytes(b'document = "doc.md"\n# \xe9t\xe9\n')
    claim = '\n[[claim]]\nline = 1\nlatex = "a = 1"\nkind = "numeric"\n'
    (tmp_path / "no_network.toml").write_text(f'document = "doc.md"\n[context]\nnetwork = "missing.toml"\n{claim}')
    (tmp_path / "bad_meaning.toml").write_text(
        f'document = "doc.md"\n[context]\nnetwork = "{(DATA / "example_network.toml").as_posix()}"\n'
        f'[notation]\na = "A[[2"\n{claim}')
    from symbp.documents.examples import ONE_UNIT

    (tmp_path / "one.toml").write_text(ONE_UNIT)
    (tmp_path / "bad_zero.toml").write_text(f'document = "doc.md"\n[context]\nnetwork = "one.toml"\nzero = ["q7"]\n{claim}')
    (tmp_path / "zero_vs_example.toml").write_text(
        f'document = "doc.md"\n[context]\nnetwork = "one.toml"\nzero = ["W"]\n{claim}')
    (tmp_path / "huge_definition.toml").write_text(
        f'document = "doc.md"\n[context]\ndefinitions = [\'h = 10^{{10^{{10}}}}\']\n{claim}')
    names = {"doc": DATA / "example_doc.md", "claims": DATA / "claims_example.toml", "tmp": tmp_path,
             "latin1": tmp_path / "latin1.toml", "no_network": tmp_path / "no_network.toml",
             "bad_meaning": tmp_path / "bad_meaning.toml", "bad_zero": tmp_path / "bad_zero.toml",
             "zero_vs_example": tmp_path / "zero_vs_example.toml", "huge_definition": tmp_path / "huge_definition.toml"}
    try:
        status = main([a.format(**names) for a in args])
    except SystemExit as exc:  # argparse's own errors
        status = exc.code
    assert status == 2
    err = capsys.readouterr().err
    assert message.format(**names) in err and "Traceback" not in err, err
    assert err.strip().count("\n") == 0 or err.startswith("usage:"), err


def test_a_display_that_is_never_closed_is_said(tmp_path, capsys):
    doc = tmp_path / "notes.md"
    doc.write_text("# T\n\n$$ z = w x + b\n\nmore text, and $a = 1$\n\\begin{align} a &= b\n")
    assert main(["extract", str(doc)]) == 0  # the inline math is still found
    err = capsys.readouterr().err
    assert "line 3: $$ is never closed; the math after it is not read" in err
    assert "line 6: \\begin{align} is never closed" in err


def test_each_row_of_an_align_block_is_a_claim_at_its_own_line(tmp_path, capsys):
    doc = tmp_path / "notes.tex"
    doc.write_text("Two slips:\n\\begin{align}\n2 \\cdot 3 &= 6 \\\\\n  &= 7 \\\\[2pt]\n"
                   "\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix} &= 1 \\\\\n4 + 4 &= 9\n\\end{align}\n")
    out = tmp_path / "claims.toml"
    assert main(["extract", str(doc), "-o", str(out)]) == 0
    claims = load_claims(out).claims
    assert [(c.line, c.latex) for c in claims] == [
        (3, "2 \\cdot 3 &= 6 \\\\\n  &= 7"), (5, "\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix} &= 1"), (6, "4 + 4 &= 9")]
    out.write_text(out.read_text().replace('kind = "identity"', 'kind = "numeric"'))
    capsys.readouterr()
    assert main(["verify", str(out), "--json"]) == 1
    results = json.loads(capsys.readouterr().out)["results"]
    assert [(r["line"], r["verdict"]) for r in results] == [(3, "wrong"), (5, "wrong"), (6, "wrong")]


@pytest.mark.parametrize("latex, parts", [
    (r"w_{11} = 0.15, \quad w_{12} = 0.20, \quad b_1 = b_2 = 0.35", ["w_{11} = 0.15", "w_{12} = 0.20", "b_1 = b_2 = 0.35"]),
    (r"x = 1 \qquad y = 2", ["x = 1", "y = 2"]),
    (r"a = 0.75, \; b = 0.77", ["a = 0.75", "b = 0.77"]),
    (r"X = \begin{bmatrix} 1 & 2 \end{bmatrix}, \quad Y = [1 \quad 0]", [r"X = \begin{bmatrix} 1 & 2 \end{bmatrix}",
                                                                         r"Y = [1 \quad 0]"]),
    # not lists of equations: kept whole
    (r"x = [1 \quad 2]", [r"x = [1 \quad 2]"]),
    (r"f(a, b) = a + b", [r"f(a, b) = a + b"]),
    (r"z = 1, \quad j = 1", [r"z = 1", "j = 1"]),
    (r"z = w x + b, \quad \text{for each example}", [r"z = w x + b, \quad \text{for each example}"]),
])
def test_equations_listed_in_one_display_are_claims_of_their_own(latex, parts):
    # "w_11 = 0.15, \quad w_12 = 0.20" was one claim, unreadable ("unexpected ','")
    from symbp.documents.extract import MathItem, equations

    got = equations(MathItem(3, 1, latex, "$$", True, 3))
    assert [e.latex for e in got] == parts and {e.line for e in got} == {3}
    assert [latex[e.column - 1:].startswith(e.latex) for e in got] == [True] * len(parts)


def test_a_claims_file_written_elsewhere_finds_its_document_and_network(tmp_path, capsys, monkeypatch):
    # `symbp extract docs/notes.md -o out/notes.claims.toml --network docs/net.toml` wrote
    # document = 'notes.md' and network = 'docs/net.toml', both read beside out/: verify stopped at once
    (tmp_path / "docs").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "docs" / "notes.md").write_text((DATA / "example_doc.md").read_text())
    (tmp_path / "docs" / "net.toml").write_text((DATA / "example_network.toml").read_text())
    monkeypatch.chdir(tmp_path)
    out = Path("out") / "notes.claims.toml"
    assert main(["extract", "docs/notes.md", "-o", str(out), "--network", "docs/net.toml"]) == 0
    claims = load_claims(out)
    assert claims.document == "../docs/notes.md"
    assert claims.document_path().resolve() == (tmp_path / "docs" / "notes.md").resolve()
    assert claims.context.network.resolve() == (tmp_path / "docs" / "net.toml").resolve()
    # a network path that already names the file from -o's folder is kept as it is
    assert main(["extract", "docs/notes.md", "-o", str(out), "--network", "../docs/net.toml"]) == 0
    assert 'network = "../docs/net.toml"' in out.read_text() or "network = '../docs/net.toml'" in out.read_text()
    capsys.readouterr()
    assert main(["verify", str(out)]) in (0, 1)  # the claims are checked, not refused as bad input (2)


@pytest.mark.parametrize("latex, kind", [
    (r"b := b - \alpha \frac{\partial C}{\partial b} = 0.08", "update"),  # was 'numeric' (split at '=' only)
    (r"W \gets W - \eta \nabla_W C", "update"),
    (r"z := W x + b", "definition"),
])
def test_an_assignment_to_the_parameter_itself_is_guessed_an_update(latex, kind):
    from symbp.documents.scaffold import guess_kind

    assert guess_kind(latex) == kind


def test_the_symbols_of_math_that_cannot_be_read_whole_are_still_listed(tmp_path, capsys):
    doc = tmp_path / "notes.md"
    doc.write_text("# T\n\n$$\\| W \\|_F^2 = \\sum_{i,j} W_{ij}^2 + \\lambda$$\n\n$$z = w x + b$$\n")
    out = tmp_path / "notes.claims.toml"
    assert main(["extract", str(doc), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "line 3: the math cannot be read whole (a subscript on an expression: 'F'" in err
    listed = out.read_text()
    for symbol in ("'W_{ij}'", "'\\lambda'", "'z'", "'b'"):  # W_{ij} and \lambda were dropped silently
        assert f"# {symbol} = \"\"" in listed, symbol
