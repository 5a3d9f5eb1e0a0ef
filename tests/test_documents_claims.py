"""Tests of the claims-file format: loading, validation messages, the scaffold."""

from __future__ import annotations

from pathlib import Path

import pytest

from symbp.documents.claims import KINDS, ClaimsError, load_claims, parse_claims
from symbp.documents.scaffold import scaffold, toml_string

DATA = Path(__file__).resolve().parent / "data"

MINIMAL = """document = "doc.md"
[context]
network = "net.toml"
index_base = 1

[[claim]]
line = 3
latex = 'a = b'
kind = "identity"
"""


def test_example_file_loads_with_its_context_and_claims():
    claims = load_claims(DATA / "claims_example.toml")
    assert claims.document == "example_doc.md"
    assert claims.context.network == DATA / "example_network.toml"
    assert claims.context.derivatives == "batch"
    assert claims.notation[r"\hat{y}"] == "A[2]"
    assert [c.line for c in claims.claims][:3] == [5, 7, 11]
    assert claims.claims[4].latex == r"\delta^{[2]} = (a^{[2]} - y) \odot \sigma'(z^{[2]})"
    assert all(c.kind in KINDS for c in claims.claims)
    assert claims.document_path() == DATA / "example_doc.md"


BAD = [
    # (replace this, with this, the message must contain)
    ('document = "doc.md"\n', "", "missing key 'document'"),
    ('kind = "identity"', 'knd = "identity"', "line 9: [[claim]] 1: unknown key 'knd'; did you mean 'kind'?"),
    ('kind = "identity"', 'kind = "identiy"', "line 9: [[claim]] 1: unknown kind 'identiy'; did you mean 'identity'?"),
    ("line = 3", "line = 0", "line 7: [[claim]] 1: line must be a whole number >= 1"),
    ("line = 3\n", "", "[[claim]] 1: missing key 'line'"),
    ("index_base = 1", "index_base = 2", "line 4: index_base must be 0 or 1"),
    ("index_base = 1", "indexbase = 1", "line 4: unknown key 'indexbase' in [context]; did you mean 'index_base'?"),
    ('kind = "identity"', 'kind = "skip"', 'kind = "skip" needs a reason'),
    ('kind = "identity"', 'kind = "identity"\ncontext = "deep"', "unknown context 'deep'"),
    ('kind = "identity"', 'kind = "identity"\nexpect = "right"', "expect must be one of correct, wrong"),
    ("[context]", "[context\n", "TOML syntax error"),
    ("[context]", "[notation]\nx = 3\n[context]", "'x' must map to a meaning string"),
]


@pytest.mark.parametrize("old, new, message", BAD, ids=[b[2][:40] for b in BAD])
def test_bad_claims_files_name_the_key_and_line(old, new, message):
    with pytest.raises(ClaimsError) as info:
        parse_claims(MINIMAL.replace(old, new, 1), "c.toml")
    assert message in str(info.value)
    assert str(info.value).startswith("c.toml")


def test_named_contexts_inherit_and_overlay_notation():
    text = MINIMAL + '[contexts.deep]\nbatch = 1\nnotation = { x = "free" }\n[notation]\nx = "X"\n'
    text = text.replace('kind = "identity"', 'kind = "identity"\ncontext = "deep"\nnotation = { y = "Y" }')
    claims = parse_claims(text, base=Path("/tmp/c"))
    claim = claims.claims[0]
    deep = claims.context_of(claim)
    assert deep.batch == 1 and deep.network == Path("/tmp/c/net.toml") and deep.index_base == 1
    assert claims.notation_of(claim) == {"x": "free", "y": "Y"}


def test_missing_document_says_where_it_looked(tmp_path):
    path = tmp_path / "claims.toml"
    path.write_text(MINIMAL)
    with pytest.raises(ClaimsError, match="document 'doc.md' not found"):
        load_claims(path).document_path()


@pytest.mark.parametrize("text", [r"\frac{a}{b}", r"\sigma'(z)", "it's '''odd'''", "two\nlines", "ends with '"])
def test_toml_string_round_trips(text):
    assert parse_claims(f"document = {toml_string(text)}\n").document == text


def test_scaffold_is_a_valid_claims_file_with_guessed_kinds():
    class Item:
        def __init__(self, line, latex):
            self.line, self.latex = line, latex

    items = [Item(3, r"\frac{\partial C}{\partial w} = \delta a"), Item(9, r"\hat{y} = 0.77"), Item(12, r"\sigma'(z) = a")]
    text = scaffold("doc.md", items, [r"\hat{y}", r"\delta"])
    claims = parse_claims(text)
    assert [c.kind for c in claims.claims] == ["derivative", "numeric", "identity"]
    assert [c.latex for c in claims.claims] == [i.latex for i in items]
    assert "# '\\hat{y}' = \"\"" in text
