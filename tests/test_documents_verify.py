"""Tests of symbp verify: verdicts, link by link, the catalogue of mistakes, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from symbp.documents.claims import parse_claims
from symbp.documents.report import to_json, to_markdown, to_table
from symbp.documents.verify import Verifier, verify_file

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def example():
    return verify_file(DATA / "claims_example.toml")


def test_every_verdict_of_the_example_document_is_the_expected_one(example):
    assert [(r.line, r.verdict) for r in example.results if r.verdict != r.expect] == []
    assert example.counts() == {"correct": 13, "wrong": 2, "rounding": 1, "unchecked": 2}


def test_json_is_exactly_the_documented_shape(example):
    data = json.loads(to_json(example))
    assert set(data) == {"document", "results"} and data["document"] == "example_doc.md"
    for result in data["results"]:
        assert set(result) == {"line", "latex", "verdict", "expected", "diagnosis", "reason"}
        assert result["verdict"] in ("correct", "wrong", "rounding", "unchecked")
        assert isinstance(result["line"], int) and result["reason"]


def _result(report, line, start=""):
    return next(r for r in report.results if r.line == line and r.latex.startswith(start))


def test_the_example_mistakes_are_explained(example):
    missing_t = _result(example, 19)
    assert "1 x 2" in missing_t.reason and "2 x 1" in missing_t.reason
    assert "transpose is missing" in missing_t.diagnosis
    update = _result(example, 34)
    assert update.reason.startswith("link 1 of 2 breaks")
    assert update.expected.startswith("0.52") and "wrong sign in the update" in update.diagnosis
    rounded = _result(example, 30)
    assert rounded.expected.startswith("-0.069") and "rounded intermediate values" in rounded.reason


def test_bad_latex_and_unknown_symbols_are_unchecked_with_the_reason(example):
    malformed = _result(example, 36)
    assert "cannot parse" in malformed.reason and "column 63" in malformed.reason
    unknown = _result(example, 38)
    assert r"unknown symbol \theta" in unknown.reason and "[notation]" in unknown.reason


def test_table_and_markdown_show_every_claim(example):
    table = to_table(example)
    assert table.splitlines()[0] == "example_doc.md: 18 claims: 13 correct, 2 wrong, 1 rounding, 2 unchecked"
    assert "diagnosis: a wrong sign in the update" in table
    markdown = to_markdown(example)
    assert "| line | verdict | claim | expected | diagnosis | reason |" in markdown
    assert markdown.count("\n| ") == 19  # the header and one row per claim


# ----- The catalogue of mistakes: each entry reproduces a planted mistake -----
def network(widths, activations, cost, batch=1, example=""):
    acts = ", ".join(f'"{a}"' for a in activations)
    return f"widths = {widths}\nactivations = [{acts}]\ncost = \"{cost}\"\nbatch = {batch}\n{example}"


TINY_EXAMPLE = "[example]\nW1 = [[0.5, -0.3]]\nb1 = [0.1]\nW2 = [[0.8], [-0.6]]\nb2 = [0.2, -0.1]\nX = [1, 2]\nY = [1, 0]\n" \
               "learning_rate = 0.5\n"
SOFTMAX = network([2, 1, 2], ["sigmoid", "softmax"], "sse", 1, TINY_EXAMPLE)
SIGMOIDS = network([1, 1, 1], ["sigmoid", "sigmoid"], "half_sse")
BATCH = network([2, 3], ["linear"], "half_sse", 2)
SQUARED = network([1, 1], ["sigmoid"], "sse")
NOTATION = """
'\\hat{y}_{j}' = "A[2][j]"
'\\hat{y}' = "A[L]"
'y_{j}' = "Y[j]"
y = "Y"
'z^{[l]}' = "Z[l]"
'z^{[l]}_{j}' = "Z[l][j]"
'a^{[l]}' = "A[l]"
'w^{[l]}' = "W[l][0,0]"
'W^{[l]}' = "W[l]"
X = "X"
'dW^{[l]}' = "dW[l]"
'db^{[l]}' = "db[l]"
'dZ^{[l]}' = "dZ[l]"
'dA^{[l]}' = "dA[l]"
L = "C"
m = "m"
"""

CATALOGUE = [
    # (network, context extras, claim LaTeX, what the diagnosis must say)
    (SOFTMAX, "", r"\frac{\partial L}{\partial z^{[2]}_{1}} = -2(y_1 - \hat{y}_1) \hat{y}_1 (1 - \hat{y}_1)",
     "cross terms of the softmax"),
    (SIGMOIDS, "", r"\frac{\partial z^{[2]}}{\partial z^{[1]}} = w^{[2]} \sigma'(a^{[1]})", "sigma'(a) for sigma'(z)"),
    (BATCH, 'derivatives = "example"', r"dW^{[1]} = dZ^{[1]} X^{T}", "1/m of the mean over the batch (m = 2) is missing"),
    (BATCH, 'derivatives = "example"', r"db^{[1]} = \frac{1}{m} np.sum(dZ^{[1]}, axis=0, keepdims=True)",
     "axis=0 adds up the units"),
    (BATCH, 'derivatives = "example"', r"dA^{[0]} = W^{[1]} dZ^{[1]}", "transpose is missing"),
    (BATCH, 'derivatives = "example"', r"dW^{[1]} = \frac{1}{m} X^{T} dZ^{[1]}", "wrong order"),
    (SQUARED, "", r"\frac{\partial L}{\partial \hat{y}} = \hat{y} - y", "2 versus 1/2 in the quadratic cost"),
    # the loss named in the diagnosis is the cost's own, from the table of costs
    (SQUARED, "", r"\frac{\partial L}{\partial \hat{y}} = \hat{y} - y", "the loss is (-a + y)**2, whose derivative is 2*a - 2*y"),
    (network([1, 1, 2], ["sigmoid", "sigmoid"], "mse"), "", r"\frac{\partial L}{\partial \hat{y}_{1}} = 2 (\hat{y}_{1} - y_{1})",
     "the loss is (-a + y)**2/n, whose derivative is (2*a - 2*y)/n"),
    (SIGMOIDS, "", r"\frac{\partial L}{\partial \hat{y}} = y - \hat{y}", "wrong sign"),
    (SIGMOIDS, "", r"\frac{\partial L}{\partial z^{[2]}} = \hat{y} - y", "derivative of the sigmoid of layer 2 is left out"),
]


def run_claims(tmp_path, net, context, claims, notation=NOTATION):
    (tmp_path / "net.toml").write_text(net)
    blocks = "".join(f"\n[[claim]]\nline = {k + 1}\nlatex = '''{latex}'''\nkind = \"{kind}\"\n"
                     for k, (latex, kind) in enumerate(claims))
    text = f'document = "doc.md"\n[context]\nnetwork = "net.toml"\n{context}\n[notation]\n{notation}\n{blocks}'
    return Verifier(parse_claims(text, base=tmp_path), None, seconds=60).run()


@pytest.mark.parametrize("net, context, latex, diagnosis", CATALOGUE, ids=[c[3][:30] for c in CATALOGUE])
def test_each_mistake_of_the_catalogue_is_recognised(tmp_path, net, context, latex, diagnosis):
    result = run_claims(tmp_path, net, context, [(latex, "identity")]).results[0]
    assert result.verdict == "wrong", result.reason
    assert diagnosis in (result.diagnosis or ""), (result.reason, result.diagnosis)


@pytest.mark.parametrize("latex, words", [
    (r"db^{[1]} = \frac{1}{m} np.sum(dZ^{[1]}, axis=0, keepdims=True)", ("axis=0", "extra 1/m")),
    (r"dW^{[1]} = \frac{1}{m} X^{T} dZ^{[1]}", ("wrong order", "extra 1/m")),
], ids=["axis-and-1/m", "order-and-1/m"])
def test_two_mistakes_of_the_catalogue_together_are_both_named(tmp_path, latex, words):
    # dZ is dC/dZ of the batch cost here, so the 1/m is one too many on top of the other mistake
    result = run_claims(tmp_path, BATCH, 'derivatives = "batch"', [(latex, "identity")]).results[0]
    assert result.verdict == "wrong", result.reason
    assert (result.diagnosis or "").startswith("two mistakes together") and all(
        w in result.diagnosis for w in words), result.diagnosis


def test_no_pair_is_claimed_for_a_mistake_the_catalogue_does_not_know(tmp_path):
    result = run_claims(tmp_path, BATCH, 'derivatives = "batch"', [(r"dW^{[1]} = dZ^{[1]} X^{T} + W^{[1]}", "identity")])
    assert result.results[0].verdict == "wrong" and result.results[0].diagnosis is None


def test_a_value_carried_from_an_earlier_line(tmp_path):
    claims = [  # at the example, y_hat = [0.7311, 0.2689]: the two derivatives are -0.5379 and 0.5379
        (r"\frac{\partial L}{\partial \hat{y}_{1}} = -2(y_1 - \hat{y}_1) = -0.54", "numeric"),
        (r"\frac{\partial L}{\partial \hat{y}_{2}} = -2(y_2 - \hat{y}_2) = 0.54", "numeric"),
        (r"\frac{\partial L}{\partial \hat{y}_{1}} + \frac{\partial L}{\partial \hat{y}_{2}} = -0.54 + 0.45", "numeric"),
    ]
    first, second, third = run_claims(tmp_path, SOFTMAX, "", claims).results
    assert first.verdict == second.verdict == "correct", (first.reason, second.reason)
    assert third.verdict == "wrong"
    assert "carried from an earlier line" in third.diagnosis and "line 2" in third.diagnosis


def test_intermediate_values_rounded_too_early_give_rounding(tmp_path):
    # exactly 0.7311 (1 - 0.7311) = 0.1966; from the printed 0.73, 0.73 (1 - 0.73) = 0.1971
    claims = [(r"\hat{y}_{1} = 0.73", "numeric"), (r"\hat{y}_{1}(1 - \hat{y}_{1}) = 0.1971", "numeric")]
    printed, derived = run_claims(tmp_path, SOFTMAX, "", claims).results
    assert printed.verdict == "correct", printed.reason
    assert derived.verdict == "rounding", derived.reason
    assert "printed earlier" in derived.reason and "line 1" in derived.reason


def test_a_chain_names_the_first_link_that_breaks(tmp_path):
    claims = [(r"\frac{\partial L}{\partial \hat{y}} = \hat{y} - y = y - \hat{y}", "identity")]
    result = run_claims(tmp_path, SIGMOIDS, "", claims).results[0]
    assert result.verdict == "wrong" and result.reason.startswith("link 2 of 2 breaks: \\hat{y} - y = y - \\hat{y}")


def test_generic_layers_are_checked_at_every_layer_or_those_given(tmp_path):
    net = network([2, 3, 2], ["sigmoid", "sigmoid"], "half_sse", 2)
    claims = [(r"dA^{[l-1]} = W^{[l]T} dZ^{[l]}", "identity"), (r"dZ^{[l]} = dA^{[l]} \odot a^{[l]} \odot (1 - a^{[l]})",
                                                                   "identity")]
    every, ours = run_claims(tmp_path, net, 'derivatives = "example"', claims).results
    assert every.verdict == "correct" and "l in 1..2" in every.reason and "proved exactly" in every.reason
    assert ours.verdict == "correct" and "l in 1..2" in ours.reason


def test_shape_errors_name_the_shapes(tmp_path):
    net = network([2, 3], ["linear"], "half_sse", 2)
    result = run_claims(tmp_path, net, 'derivatives = "example"', [(r"dW^{[1]} = X dZ^{[1]}", "identity")]).results[0]
    assert result.verdict == "wrong"
    assert "a product of a 2 x 2 and a 3 x 2 matrix" in result.reason


def test_a_pathological_claim_is_unchecked_at_the_time_limit(tmp_path):
    (tmp_path / "net.toml").write_text(network([2, 3, 3, 2], ["tanh", "tanh", "sigmoid"], "binary_cross_entropy", 3))
    text = ('document = "doc.md"\n[context]\nnetwork = "net.toml"\n[notation]\n\'W^{[l]}\' = "W[l]"\nL = "C"\n'
            "[[claim]]\nline = 1\nlatex = '\\frac{\\partial L}{\\partial W^{[1]}} = W^{[1]}'\nkind = \"derivative\"\n")
    result = Verifier(parse_claims(text, base=tmp_path), None, seconds=0.05).run().results[0]
    assert result.verdict == "unchecked" and result.reason.startswith("unchecked (time limit)")


def test_the_true_value_of_a_wrong_update_reads_as_the_step_in_the_documents_names(tmp_path):
    claims = [(r"w^{[2]} = w^{[2]} + \eta \frac{\partial L}{\partial w^{[2]}}", "update")]
    result = run_claims(tmp_path, SIGMOIDS, "", claims, NOTATION + "'\\eta' = \"lr\"\n").results[0]
    assert result.verdict == "wrong" and "wrong sign in the update" in result.diagnosis
    assert result.expected == r"w^{[2]} - \eta \frac{\partial L}{\partial w^{[2]}}"  # not the gradient expanded


def test_a_claim_whose_line_starts_its_latex_says_where_the_two_differ(tmp_path):
    (tmp_path / "net.toml").write_text(SIGMOIDS)
    long = r"\hat{y} = " + " + ".join(["y"] * 20)

    def reason(line):
        text = ('document = "doc.md"\n[context]\nnetwork = "net.toml"\n[notation]\n\'\\hat{y}\' = "A[L]"\ny = "Y"\n'
                f"[[claim]]\nline = {line}\nlatex = '{long} + 2'\nkind = \"identity\"\n")
        return Verifier(parse_claims(text, base=tmp_path), f"prose\n$${long} + 1$$\n\n\n").run().results[0].reason

    assert reason(2).startswith("unchecked: line 2 of the document starts this LaTeX, but the two differ after")
    assert "the document has '1$$', the claim '2'" in reason(2)
    assert reason(4).startswith("unchecked: line 4 of the document does not contain this LaTeX; line 2 starts it")


def test_a_claim_on_the_wrong_line_of_the_document_is_refused(tmp_path):
    (tmp_path / "net.toml").write_text(SIGMOIDS)
    text = ('document = "doc.md"\n[context]\nnetwork = "net.toml"\n[notation]\n\'\\hat{y}\' = "A[L]"\ny = "Y"\n'
            "[[claim]]\nline = 1\nlatex = '\\hat{y} = y'\nkind = \"identity\"\n")
    report = Verifier(parse_claims(text, base=tmp_path), "prose\n\nmore\n\nyet more\n$$\\hat{y} = y$$\n").run()
    assert "on line 6 of the document, not line 1" in report.results[0].reason


# ----- Chain-rule factors written as derivatives of matrices by matrices -----
SIGMOID_BATCH = network([2, 3], ["sigmoid"], "half_sse", 2)


@pytest.mark.parametrize("latex, verdict, words", [
    # dA/dZ of an elementwise activation is a diagonal Jacobian: the chain rule's product is elementwise
    (r"\frac{\partial L}{\partial z^{[1]}} = \frac{\partial L}{\partial a^{[1]}} \cdot \frac{\partial a^{[1]}}{\partial z^{[1]}}",
     "correct", "proved exactly"),
    (r"\frac{\partial L}{\partial z^{[1]}} = 2 \frac{\partial L}{\partial a^{[1]}} \frac{\partial a^{[1]}}{\partial z^{[1]}}",
     "wrong", "differ"),
    # dZ/dW contracted with dC/dZ over Z's entries is dC/dW, whichever side it is written on
    (r"\frac{\partial L}{\partial W^{[1]}} = \frac{\partial L}{\partial z^{[1]}} \frac{\partial z^{[1]}}{\partial W^{[1]}}",
     "correct", "proved exactly"),
    (r"\frac{\partial L}{\partial W^{[1]}} = \frac{\partial z^{[1]}}{\partial W^{[1]}} \frac{\partial L}{\partial z^{[1]}}",
     "correct", "proved exactly"),
    # ... which is not dC/dA^{[0]}: a 3 x 2 gradient against a 2 x 2 one
    (r"\frac{\partial L}{\partial a^{[0]}} = \frac{\partial z^{[1]}}{\partial W^{[1]}} \frac{\partial L}{\partial z^{[1]}}",
     "wrong", "the left side is a 2 x 2 matrix, the right side a 3 x 2 matrix"),
    # alone, a 4-index Jacobian written as a matrix is a shorthand that is not checked
    (r"\frac{\partial z^{[1]}}{\partial W^{[1]}} = X", "unchecked", "4-index tensor"),
], ids=["diagonal", "diagonal-x2", "gradient-first", "jacobian-first", "wrong-variable", "alone"])
def test_a_jacobian_in_a_product_is_contracted_with_the_gradient_beside_it(tmp_path, latex, verdict, words):
    result = run_claims(tmp_path, SIGMOID_BATCH, "", [(latex, "derivative")]).results[0]
    assert result.verdict == verdict and words in result.reason, result.reason


def test_a_chain_is_wrong_at_its_first_broken_link_even_when_a_later_side_cannot_be_read(tmp_path):
    claims = [(r"\frac{\partial L}{\partial \hat{y}} = y - \hat{y} = \sum \theta", "derivative"),
              (r"\frac{\partial L}{\partial \hat{y}} = \hat{y} - y = \sum \theta", "derivative"),
              (r"\frac{\partial L}{\partial \hat{y}} = \hat{y} - y = \theta_{k}", "derivative")]
    broken, unread, unknown = run_claims(tmp_path, SIGMOIDS, "", claims).results
    assert broken.verdict == "wrong" and broken.reason.startswith("link 1 of 2 breaks"), broken.reason
    assert unread.verdict == "unchecked" and "without an index" in unread.reason, unread.reason
    assert "(link 2 of 2: \\hat{y} - y = \\sum \\theta); link 1 holds" in unread.reason
    assert unknown.verdict == "unchecked" and "unknown symbol \\theta_{k}" in unknown.reason and "link 1 holds" in unknown.reason


def test_arguments_left_out_and_layers_left_out(tmp_path):
    net = network([2, 3, 2], ["sigmoid", "sigmoid"], "half_sse")
    claims = [(r"L(\dots) = \frac{1}{2}((\hat{y}_1 - y_1)^2 + (\hat{y}_2 - y_2)^2)", "definition"),
              (r"L = \sigma(W^{[2]} \sigma(\dots))", "identity"),  # 2 rows whatever is left out: never a scalar
              (r"\hat{y} = \sigma(W^{[2]} \sigma(\dots))", "identity")]  # the shape fits: the value is unknown
    defined, scalar, output = run_claims(tmp_path, net, "", claims).results
    assert defined.verdict == "correct", defined.reason
    assert scalar.verdict == "wrong" and "a scalar, the right side a 2 x ? matrix" in scalar.reason, scalar.reason
    assert output.verdict == "unchecked" and "cannot be checked" in output.reason, output.reason


# ----- Whole numbers printed without decimals are the numbers themselves -----
EXAMPLE_NOTATION = """
'w^{[l]}_{jk}' = "W[l][j,k]"
'\\delta^{[l]}_{j}' = "delta[l][j]"
'\\hat{y}' = "A[2][0]"
'x_{j}' = "X[j]"
L = "C"
"""


@pytest.mark.parametrize("latex, verdict, words", [
    # at the example, dL/dw^{[2]}_{11} = -0.0430, delta^{[2]}_1 = -0.0691, L = 0.0507, y_hat = 0.6817
    (r"\frac{\partial L}{\partial w^{[2]}_{11}} = 0", "wrong", "-0.0430004, not 0"),
    (r"\delta^{[2]}_1 = 0", "wrong", "-0.0690815, not 0"),
    (r"L = 0", "wrong", "0.0506719, not 0"),
    (r"\hat y = 1", "wrong", "0.681655, not 1"),
    (r"x_2 = 2", "correct", "exactly 2 at the example's numbers (proved)"),
    (r"\frac{\partial \hat{y}}{\partial x_{1}} \cdot 0 = 0", "correct", "proved exactly"),  # an identity
], ids=["gradient", "delta", "loss", "output", "input", "identity"])
def test_a_whole_number_is_compared_exactly_not_rounded_to_no_decimals(tmp_path, latex, verdict, words):
    text = (f'document = "doc.md"\n[context]\nnetwork = "{(DATA / "example_network.toml").as_posix()}"\n'
            f"[notation]\n{EXAMPLE_NOTATION}\n[[claim]]\nline = 1\nlatex = '{latex}'\nkind = \"numeric\"\n")
    result = Verifier(parse_claims(text, base=tmp_path), None).run().results[0]
    assert result.verdict == verdict and words in result.reason, result.reason
    if verdict == "wrong":
        assert result.expected == words.split(",")[0] and result.diagnosis is None, (result.expected, result.diagnosis)


# ----- One claim never stops the report -----
def _example_claims(tmp_path, *latex):
    blocks = "".join(f"\n[[claim]]\nline = {k + 1}\nlatex = '{text}'\nkind = \"numeric\"\n" for k, text in enumerate(latex))
    text = (f'document = "doc.md"\n[context]\nnetwork = "{(DATA / "example_network.toml").as_posix()}"\n'
            f"[notation]\n{EXAMPLE_NOTATION}\n'a^{{[l]}}' = \"A[l]\"\n{blocks}")
    return parse_claims(text, base=tmp_path)


def test_a_value_that_is_not_a_finite_number_is_a_reason_not_a_crash(tmp_path):
    claims = _example_claims(tmp_path, r"a^{[2]} = \frac{1}{0}", r"\hat{y} = \log(0)",
                             r"\frac{1}{x_{1} - 1} = 0.5",  # x_1 = 1 at the example: 1/0 there
                             r"\hat{y} = 0.68")
    division, logarithm, at_example, fine = Verifier(claims, None).run().results
    for result in (division, logarithm):
        assert result.verdict == "wrong" and "not a finite number" in result.reason, result.reason
    assert at_example.verdict == "unchecked" and "not a finite number at the worked example" in at_example.reason
    assert fine.verdict == "correct", fine.reason


def test_an_unexpected_error_in_one_claim_leaves_it_unchecked_and_the_others_checked(tmp_path, monkeypatch):
    import symbp.documents.verify as verify

    real = verify.check_chain

    def flaky(link):
        if link.claim.line == 1:
            raise RuntimeError("boom")
        return real(link)

    monkeypatch.setattr(verify, "check_chain", flaky)
    first, second = Verifier(_example_claims(tmp_path, r"\hat{y} = 0.68", r"\hat{y} = 0.68"), None).run().results
    assert first.verdict == "unchecked" and first.reason == "unchecked (internal error: RuntimeError: boom)"
    assert second.verdict == "correct", second.reason


def test_the_summary_counts_claims_correct_on_numeric_evidence_only(tmp_path, monkeypatch):
    import symbp.documents.compare as compare
    from symbp.documents.report import summary

    claims = _example_claims(tmp_path, r"\hat{y} = \hat{y}", r"\hat{y} = 0.68")
    assert summary(Verifier(claims, None).run()).endswith("2 claims: 2 correct, 0 wrong, 0 rounding, 0 unchecked")
    monkeypatch.setattr(compare, "prove_entry", lambda *args, **kwargs: False)  # as if the proof ran out of time
    report = Verifier(claims, None).run()
    assert report.results[0].numeric_only and not report.results[1].numeric_only
    assert "2 correct (1 on numeric evidence only, not proved)" in summary(report)


def test_a_wrong_definition_shows_what_the_quantity_is_defined_as(tmp_path):
    # the true value of the left side is the quantity itself; "expected: a^{[1]}" would say nothing
    result = run_claims(tmp_path, SIGMOIDS, "", [(r"a^{[1]} = \frac{1}{1 + e^{z^{[1]}}}", "definition")]).results[0]
    assert result.verdict == "wrong", result.reason
    assert result.expected == r"\sigma\left(z^{[1]}_{1}\right)", result.expected


@pytest.mark.parametrize("dps", [5, 15, 50])
def test_verdicts_do_not_depend_on_mpmaths_global_precision(tmp_path, dps):
    import mpmath

    (tmp_path / "net.toml").write_text('widths = [1, 1]\nactivations = ["sigmoid"]\ncost = "half_sse"\n'
                                       "[example]\nW1 = [[0.5]]\nb1 = [0]\nX = [2]\nY = [1]\n")
    claims = parse_claims(r'''document = "doc.md"
claim = [{line = 1, latex = '\hat{y} = \sigma(0.5 \cdot 2)', kind = "numeric"},
         {line = 2, latex = '\hat{y} = \frac{1}{1+e^{-1}}', kind = "numeric"},
         {line = 3, latex = '0.73 (1 - 0.73) = 0.1971', kind = "numeric"}]
[context]
network = "net.toml"
[notation]
'\hat{y}' = "A[1][0]"
''', base=tmp_path)
    saved = mpmath.mp.dps
    mpmath.mp.dps = dps
    try:
        results = Verifier(claims, None).run().results
    finally:
        mpmath.mp.dps = saved
    assert [r.verdict for r in results] == ["correct", "correct", "correct"], [r.reason for r in results]
    assert mpmath.mp.dps == saved


# ----- What a reader is shown: the true value of a rounding, numbers that differ shown differently -----
def test_a_two_sided_rounding_gives_the_true_value_like_a_chain_does():
    from symbp.documents.examples import verify_claims

    _, two_sided, chain = verify_claims((r"\hat{y} = 0.73", "numeric"), (r"\hat{y}(1 - \hat{y}) = 0.1971", "numeric"),
                                        (r"\hat{y}(1 - \hat{y}) = 0.73 (1 - 0.73) = 0.1971", "numeric"))
    assert two_sided.verdict == chain.verdict == "rounding", (two_sided.reason, chain.reason)
    assert two_sided.expected == chain.expected == "0.1966 (0.196612)"


def test_two_different_numbers_are_never_shown_as_the_same_number():
    from symbp.documents.examples import verify_claims

    [update] = verify_claims((r"w = 0.5 + 0.1 \cdot 0.2", "update"))  # true step: 0.510575
    assert update.verdict == "wrong"
    assert update.reason == "the exact value at the example is 0.51 (0.510575), but the arithmetic gives 0.52"


def test_a_tie_is_shown_rounded_the_way_it_is_judged():
    from symbp.documents.examples import verify_claims

    [tie] = verify_claims((r"0.5 \cdot 0.25 = 0.13", "numeric"), network=None, notation={})
    assert tie.verdict == "correct" and tie.reason == "the arithmetic gives 0.13 (0.125), which rounds to 0.13"


@pytest.mark.parametrize("first, second", [
    (r"\frac{\partial L}{\partial z} = 0.144", r"\frac{\partial L}{\partial w} = 0.15 \cdot 2"),  # the only decimal
    (r"\frac{\partial L}{\partial z} = -0.053", r"\frac{\partial L}{\partial w} = -0.07 \cdot 2.00"),  # its own sign
])
def test_a_carried_value_is_diagnosed_at_its_printed_precision_and_with_the_claims_sign(first, second):
    from symbp.documents.examples import ONE_UNIT, verify_claims

    network = ONE_UNIT.replace("Y = [1]", "Y = [0]") if "0.144" in first else ONE_UNIT
    earlier, carried = verify_claims((first, "numeric"), (second, "numeric"), network=network)
    assert earlier.verdict == "correct" and carried.verdict == "wrong", (earlier.reason, carried.reason)
    assert carried.diagnosis.startswith("a value carried from an earlier line differs from the one computed there"), \
        carried.diagnosis
    assert "sign" not in carried.diagnosis


def test_an_update_that_uses_the_earlier_gradient_as_a_product_is_not_said_to_ignore_it():
    from symbp.documents.examples import verify_claims

    _, product, other = verify_claims((r"\frac{\partial L}{\partial w} = 2 \cdot (-0.07) = -0.14", "numeric"),
                                      (r"w = 0.5 - 0.1 \cdot (-0.07 \cdot 2)", "update"),  # -0.07 * 2 is the -0.14
                                      (r"w = 0.5 - 0.1 \cdot (-0.2)", "update"))
    assert product.verdict == other.verdict == "wrong"
    assert "-0.14" not in (product.diagnosis or "")
    assert other.diagnosis.startswith("None of the update's numbers is the -0.14 the document computed"), other.diagnosis


def test_a_time_limit_beyond_the_timer_still_checks_and_leaves_no_state_behind():
    import signal

    from symbp.documents import limits
    from symbp.documents.examples import verify_claims

    handler = signal.getsignal(signal.SIGALRM)
    with limits.time_limit(1e12, "a very long limit"):
        pass
    assert limits._LIMITS == [] and signal.getsignal(signal.SIGALRM) == handler
    [result] = verify_claims((r"\hat{y} = 0.73", "numeric"))
    assert result.verdict == "correct", result.reason


@pytest.mark.parametrize("latex, shown", [
    (r"10^{30} = 5.00", "the arithmetic gives 1.00e+30, not 5.00"),
    (r"2^{100} = 1.5", "the arithmetic gives 1.27e+30 (1.26765e+30), not 1.5"),
    (r"1 = 1.000000000000000000000000000001", "1 is not 1.000000000000000000000000000001"),
])
def test_large_and_nearly_equal_numbers_are_shown_not_crashed_on(latex, shown):
    from symbp.documents.examples import verify_claims

    [result] = verify_claims((latex, "numeric"), network=None, notation={})
    assert result.verdict == "wrong" and shown in result.reason, result.reason


SIGMOID_OF_1 = "0.731058578630004879251159241821836274365144640165156519276366"  # 60 digits, right


@pytest.mark.parametrize("latex, verdict, reason", [
    # beyond 35 significant digits the 40-digit values cannot tell the last digit: a wrong 50th digit was 'correct'
    (r"\hat{y} = " + SIGMOID_OF_1[:50] + "9" + SIGMOID_OF_1[51:], "unchecked", "has 60 significant digits"),
    (r"\hat{y} = " + SIGMOID_OF_1[:37], "correct", "rounds to"),  # 35 significant digits: checked
    ("z = 0." + "4" * 900, "unchecked", "has 900 significant digits"),  # was an internal error (decimal)
    ("z = " + "9" * 5001, "unchecked", "a number of 5001 digits"),  # was Python's int-from-text limit
    (r"z = \sqrt{-1}", "wrong", "it is not a real number"),  # was an internal error (mpf from I)
    ("z = e^{e^{e^{100}}}", "unchecked", "too large to evaluate"),
])
def test_numbers_symbp_cannot_check_say_why(latex, verdict, reason):
    from symbp.documents.examples import verify_claims

    [result] = verify_claims((latex, "numeric"))
    assert result.verdict == verdict and reason in result.reason and "internal error" not in result.reason, result.reason


def test_many_printed_decimals_are_shown_with_at_least_as_many():
    from symbp.documents.examples import verify_claims

    [result] = verify_claims((r"\hat{y} = 1 - 0.26894143", "numeric"))  # true 0.7310585786...
    assert result.verdict == "wrong"
    assert result.reason == ("the exact value at the example is 0.73105858 (0.7310585786), but the arithmetic "
                             "gives 0.73105857"), result.reason


def test_a_free_variable_met_after_the_random_points_were_drawn_still_gets_a_value():
    from symbp.documents.examples import ONE_UNIT_NOTATION, verify_claims

    # the first claim draws the seeded random points; t is first met in the second claim
    first, later = verify_claims((r"\frac{\partial L}{\partial w} = 1", "derivative"),
                                 (r"\sigma'(t) = \sigma(t)(1+\sigma(t))", "identity"),
                                 notation={**ONE_UNIT_NOTATION, "t": "free"})
    assert first.verdict == "wrong"
    assert later.verdict == "wrong" and "the two sides differ" in later.reason, later.reason


SOFTMAX_CE = """widths = [2, 3]
activations = ["softmax"]
cost = "cross_entropy"
batch = 1
"""


def test_cross_entropy_over_a_softmax_takes_targets_that_sum_to_1():
    from symbp.documents.examples import verify_claims

    notation = {"z_{j}": "Z[1][j]", r"\hat{y}_{j}": "A[1][j]", "y_{j}": "Y[j]", "z": "Z[1]", r"\hat{y}": "A[1]",
                "y": "Y", "L": "C"}
    right, doubled = verify_claims((r"\frac{\partial L}{\partial z} = \hat{y} - y", "derivative"),
                                   (r"\frac{\partial L}{\partial z} = 2(\hat{y} - y)", "derivative"),
                                   network=SOFTMAX_CE, notation=notation)
    assert right.verdict == "correct" and "targets that sum to 1" in right.reason, right.reason
    assert doubled.verdict == "wrong"
    assert doubled.expected.replace(" ", "") == (r"\left[\begin{matrix}\hat{y}_{1}-y_{1}\\\hat{y}_{2}-y_{2}\\"
                                                 r"\hat{y}_{3}-y_{3}\end{matrix}\right]"), doubled.expected


def test_the_targets_summing_to_1_is_named_only_where_the_proof_needs_it():
    from symbp.documents.examples import verify_claims

    notation = {r"\hat{y}_{j}": "A[1][j]", "y_{j}": "Y[j]", "z_{j}": "Z[1][j]", "L": "C"}
    [result] = verify_claims((r"\frac{\partial L}{\partial z_{1}} = \hat{y}_{1} (y_{1} + y_{2} + y_{3}) - y_{1}",
                              "derivative"), network=SOFTMAX_CE, notation=notation)  # holds for any targets
    assert result.verdict == "correct" and "sum to 1" not in result.reason, result.reason


@pytest.mark.parametrize("activation, claim", [
    ("tanh", r"\hat{y} = \tanh(z) = \tanh(0.4) = 0.38"),  # tanh over intervals
    ("relu", r"\hat{y} = \mathrm{relu}(0.4) = 0.4"),  # no interval for relu: the arithmetic done exactly
])
def test_a_value_equal_to_arithmetic_through_a_function_is_correct(activation, claim):
    from symbp.documents.examples import ONE_UNIT_NOTATION, verify_claims

    network = (f'widths = [1, 1]\nactivations = ["{activation}"]\ncost = "half_sse"\n'
               "[example]\nW1 = [[0.4]]\nb1 = [-0.2]\nX = [1.5]\nY = [0.5]\n")
    [result] = verify_claims((claim, "numeric"), network=network, notation=ONE_UNIT_NOTATION)
    assert result.verdict == "correct", result.reason


@pytest.mark.parametrize("claim, words", [
    (r"\frac{\partial L}{\partial z} = (\hat{y} - y)\hat{y}(1 + \hat{y})", ("1 + a is written for 1 - a", "a*(a + 1)")),
    (r"\frac{\partial L}{\partial w} = (\hat{y} - y)\hat{y} x", ("the activation a = g(z) itself",)),
    (r"\frac{\partial L}{\partial z} = 3(\hat{y} - y)\hat{y}(1 - \hat{y})", ("3 times the true one",)),
])
def test_a_wrong_activation_derivative_or_a_constant_factor_is_diagnosed(claim, words):
    from symbp.documents.examples import verify_claims

    [result] = verify_claims((claim, "derivative"))
    assert result.verdict == "wrong" and result.diagnosis is not None, result.reason
    assert all(w in result.diagnosis for w in words), result.diagnosis


def test_the_tanh_derivative_without_its_square_and_a_transposed_gradient_are_diagnosed():
    from symbp.documents.examples import verify_claims

    network = 'widths = [3, 2]\nactivations = ["tanh"]\ncost = "half_sse"\nbatch = 1\n'
    notation = {"z": "Z[1]", "a": "A[1]", "x": "X", "y": "Y", "L": "C", "W": "W[1]"}
    slip, transposed = verify_claims((r"\frac{\partial L}{\partial z} = (a - y) \odot (1 - a)", "derivative"),
                                     (r"\frac{\partial L}{\partial W} = x ((a - y) \odot (1 - a \odot a))^T", "derivative"),
                                     network=network, notation=notation)
    assert slip.verdict == "wrong" and "the square is left out" in slip.diagnosis, slip.diagnosis
    assert transposed.verdict == "wrong" and "the whole side is transposed" in transposed.diagnosis, transposed.diagnosis


TWO_UNITS = """widths = [1, 2]
activations = ["sigmoid"]
cost = "half_sse"

[example]
W1 = [[0.5], [0.1]]
b1 = [0, 0]
X = [2]
Y = [1, 0]
"""


def test_a_printed_zero_across_from_a_vector_is_the_zero_vector():
    from symbp.documents.examples import verify_claims

    zero, one = verify_claims(("b = 0", "numeric"), ("b = 1", "numeric"), network=TWO_UNITS,
                              notation={"b": "b[1]", "W": "W[1]"})
    assert zero.verdict == "correct", zero.reason  # a teacher's 'b = 0' means every entry (it was: 2 x 1 vs scalar)
    assert one.verdict == "wrong" and "compared with a scalar" in one.reason  # no other number reads as a vector


@pytest.mark.parametrize("latex, verdict, expected", [
    (r"\tanh'(z) = 1 - \tanh^2(z)", "correct", None),  # a prime on \tanh could not be read
    (r"\tanh' z = 1 - \tanh^{2} z", "correct", None),
    (r"\tanh'(z) = 1 - \tanh(z)", "wrong", r"1 - \tanh^{2}{\left(z \right)}"),
    # the true value of a free variable's sigma' reads as a teacher writes it, not 1/(4 cosh^2(z/2))
    (r"\sigma'(z) = \sigma(z)(1 + \sigma(z))", "wrong", r"\left(1 - \sigma\left(z\right)\right) \sigma\left(z\right)"),
])
def test_derivatives_of_named_functions_of_a_free_variable(latex, verdict, expected):
    from symbp.documents.examples import verify_claims

    [result] = verify_claims((latex, "identity"), network=None, notation={"z": "free"})
    assert result.verdict == verdict, result.reason
    assert result.expected == expected


# ----- NumPy-flavoured notes (dZ2, A1.T, np.dot, * elementwise, np.power, keepdims) -----
NUMPY_NET = network([2, 2, 1], ["tanh", "sigmoid"], "binary_cross_entropy", 3)
NUMPY_NOTATION = "\n".join(f"'{k}_{{l}}' = \"{k}[l]\"" for k in ("Z", "A", "W", "b", "dZ", "dW", "db")) + \
    '\nX = "X"\nY = "Y"\nm = "m"\n'


def test_numpy_notes_are_read_and_a_missing_keepdims_is_diagnosed(tmp_path):
    claims = [("dZ2 = A2 - Y", "identity"),
              (r"dW2 = \frac{1}{m} np.dot(dZ2, A1.T)", "identity"),
              ("dZ1 = np.dot(W2.T, dZ2) * (1 - np.power(A1, 2))", "identity"),
              (r"db1 = \frac{1}{m} np.sum(dZ1, axis=1)", "identity")]
    results = run_claims(tmp_path, NUMPY_NET, 'derivatives = "example"', claims, NUMPY_NOTATION).results
    assert [r.verdict for r in results] == ["correct", "correct", "correct", "wrong"], [r.reason for r in results]
    assert "keepdims=True is missing" in results[3].diagnosis



def test_a_digit_layer_superscript_of_a_notation_pattern_is_a_layer_not_a_power(tmp_path):
    # Nielsen writes w^3_{12} and a^2_1 for the numbers of his pattern w^l_{jk}: they were read as powers
    # ("cannot parse the LaTeX: a subscript on an expression")
    notation = "'w^{l}_{jk}' = \"W[l][j,k]\"\n'a^{l}_{j}' = \"A[l][j]\"\n'b^{l}_{j}' = \"b[l][j]\"\n'x_{j}' = \"X[j]\"\n"
    claims = [(r"a^1_1 = \sigma(w^1_{11} x_1 + w^1_{12} x_2 + b^1_1) = 0.5", "numeric"), ("x_1^2 = 1", "numeric")]
    first, square = run_claims(tmp_path, SOFTMAX, "", claims, notation).results
    assert first.verdict == "correct", first.reason
    assert square.verdict == "correct", square.reason  # x_1^2 is still a square: no pattern x^{l}


RELU_NET = """widths = [2, 3, 1]
activations = ["relu", "linear"]
cost = "half_sse"

[example]
W1 = [[0.2, 0.5], [0.4, 0.4], [0.3, -0.2]]
b1 = [0, 0, 0]
W2 = [[-0.5, 0.6, 0.8]]
b2 = [0]
X = [1, -1]
Y = [1]
"""
RELU_NOTATION = {"z^{[l]}_{j}": "Z[l][j]", "w^{[l]}_{jk}": "W[l][j,k]", r"\hat{y}": "A[2][0]", "y": "Y[0]", "L": "C"}


@pytest.mark.parametrize("latex, verdict, reason", [
    # z_1 = -0.3 at the example: relu' = 0 there; the seeded random points all had z_1 > 0 ('rounding' before)
    (r"\frac{\partial L}{\partial z^{[1]}_{1}} = (\hat{y} - y) w^{[2]}_{11} = 0.3", "wrong",
     "at the example's numbers the left side is 0"),
    # the example's values written into the formula: right for this example, not an identity (was 'wrong')
    (r"\frac{\partial L}{\partial z^{[1]}_{1}} = (\hat{y} - y) w^{[2]}_{11} \cdot 0 = 0", "correct",
     "equal at the example's numbers (proved exactly); not an identity for every input"),
    (r"\frac{\partial L}{\partial z^{[1]}_{3}} = (\hat{y} - y) w^{[2]}_{13} \cdot 1 = -0.48", "correct",
     "equal at the example's numbers (proved exactly)"),
])
def test_a_worked_example_line_is_checked_at_the_example(latex, verdict, reason):
    from symbp.documents.examples import verify_claims

    [result] = verify_claims((latex, "numeric"), network=RELU_NET, notation=RELU_NOTATION)
    assert result.verdict == verdict and reason in result.reason, result.reason


def test_an_identity_claim_is_still_an_identity():
    from symbp.documents.examples import verify_claims

    [result] = verify_claims((r"\frac{\partial L}{\partial z^{[1]}_{1}} = (\hat{y} - y) w^{[2]}_{11} \cdot 0",
                              "derivative"), network=RELU_NET, notation=RELU_NOTATION)
    assert result.verdict == "wrong"  # true at this example only; as a derivative it leaves out relu'


def test_instances_are_named_in_the_documents_numbering():
    from symbp.documents.examples import verify_claims

    notation = {r"\hat{y}_{j}": "A[1][j]", "z_{j}": "Z[1][j]"}
    wrong, right = verify_claims((r"\hat{y}_{j} = \sigma(z_{j}) + 1", "identity"),
                                 (r"\hat{y}_{j} = \sigma(z_{j})", "identity"), network=TWO_UNITS, notation=notation)
    assert wrong.reason.startswith("at j = 1:"), wrong.reason  # the first unit, with index_base = 1 (it said j = 0)
    assert "2 instances: j in 1..2" in right.reason, right.reason


@pytest.mark.parametrize("relation", [":=", r"\coloneqq", r"\leftarrow"])
def test_an_update_written_with_an_assignment_is_checked(relation):
    from symbp.documents.examples import verify_claims

    # 'w := w + ...' was unchecked ('an empty side of an equation'): the = of := began a second, empty side
    wrong, right = verify_claims((rf"w {relation} w + \eta \frac{{\partial L}}{{\partial w}}", "update"),
                                 (rf"w {relation} w - \eta \frac{{\partial L}}{{\partial w}}", "update"))
    assert wrong.verdict == "wrong" and "wrong sign in the update" in wrong.diagnosis, wrong.reason
    assert right.verdict == "correct", right.reason


def test_a_tie_evaluated_in_binary_is_shown_rounded_the_way_it_is_judged():
    from symbp.documents.examples import verify_claims

    # 0.8373 / 6 = 0.13955 exactly; it was shown '0.1395 (0.13955), which rounds to 0.1396'
    [tie] = verify_claims((r"\frac{1}{6} (0.6736 + 0.0825 + 0.0812) = 0.1396", "numeric"), network=None, notation={})
    assert tie.verdict == "correct" and tie.reason == "the arithmetic gives 0.1396 (0.13955), which rounds to 0.1396"


NIELSEN_NET = """widths = [2, 2, 2]
activations = ["sigmoid", "sigmoid"]
cost = "half_sse"

[example]
W1 = [[0.15, 0.20], [0.25, 0.30]]
b1 = [0.35, 0.35]
W2 = [[0.40, 0.45], [0.50, 0.55]]
b2 = [0.60, 0.60]
X = [0.05, 0.10]
Y = [0.01, 0.99]
"""
#: Nielsen numbers the input layer 1: his a^2 is symbp's A[1]
NIELSEN_NOTATION = {"w^{l}_{jk}": "W[l-1][j,k]", "b^{l}_{j}": "b[l-1][j]", "z^{l}_{j}": "Z[l-1][j]",
                    "a^{l}_{j}": "A[l-1][j]", r"\delta^{l}_{j}": "delta[l-1][j]", "x_{j}": "X[j]", "y_{j}": "Y[j]",
                    "C": "C"}


def test_the_true_value_is_written_in_the_documents_layer_numbers():
    from symbp.documents.examples import verify_claims

    # it was a^{[1]}_{2} a^{[2]}_{1} ... (symbp's layers: the document's a^2 shown as a^{[1]}), and a path sum
    # was an expanded polynomial of 8 terms
    short, path_sum = verify_claims((r"\frac{\partial C}{\partial w^3_{12}} = a^2_1 \delta^3_1", "derivative"),
                                    (r"\frac{\partial C}{\partial w^2_{12}} = x_1 \delta^2_1", "derivative"),
                                    network=NIELSEN_NET, notation=NIELSEN_NOTATION)
    assert short.verdict == "wrong"
    assert short.expected == r"a^{2}_{2} a^{3}_{1} \left(1 - a^{3}_{1}\right) \left(a^{3}_{1} - y_{1}\right)"
    assert path_sum.verdict == "wrong" and "[" not in path_sum.expected, path_sum.expected
    assert path_sum.expected.count("w^{3}_{11}") == 1 and path_sum.expected.count("w^{3}_{21}") == 1, path_sum.expected


def test_a_true_value_with_a_symbol_the_renumbered_notation_cannot_name_is_left_out():
    from symbp.documents.examples import verify_claims

    notation = {k: v for k, v in NIELSEN_NOTATION.items() if k != "a^{l}_{j}"} | {r"\hat{y}_{j}": "A[2][j]"}
    [result] = verify_claims((r"\frac{\partial C}{\partial w^3_{12}} = \hat{y}_1 \delta^3_1", "derivative"),
                             network=NIELSEN_NET, notation=notation)
    # a^{2}_{2} has no key: symbp's a^{[1]}_{2} would read as the document's layer 1
    assert result.verdict == "wrong" and result.expected is None, result.expected


def test_a_sum_over_the_wrong_index_says_which_index_is_summed_and_which_is_free():
    from symbp.documents.examples import verify_claims

    wrong, right = verify_claims(
        (r"\delta^l_j = \sum_{j} w^{l+1}_{kj} \delta^{l+1}_k \sigma'(z^l_j)", "identity"),  # it said "index 'j' has no value"
        (r"\delta^l_j = \sum_{k} w^{l+1}_{kj} \delta^{l+1}_k \sigma'(z^l_j)", "identity"),
        network=NIELSEN_NET, notation=NIELSEN_NOTATION)
    assert wrong.verdict == "unchecked"
    assert wrong.reason == (r"unchecked: index j is summed on the right (\sum_{j}) but free on the left; "
                            "k is free on the right only: is the sum over the wrong index?"), wrong.reason
    assert right.verdict == "correct", right.reason


HALF_MSE_NET = """widths = [2, 2, 1]
activations = ["sigmoid", "linear"]
cost = "half_sse"
batch = 3

[example]
W1 = [[0.2, -0.3], [0.4, 0.1]]
b1 = [0, 0.1]
W2 = [[0.5, -0.4]]
b2 = [0.2]
X = [[1, 0, 2], [1, -1, 0]]
Y = [[1, 0, 0.5]]
"""


@pytest.mark.parametrize("printed, what", [
    ("-0.2736 & 0.0957 & -0.0950", "whose sum is the true value"),  # dC/dZ's columns: db = their sum
    ("-0.8208 & 0.2872 & -0.2850", "whose mean is the true value"),  # each example's own a - y
])
def test_one_value_per_example_for_a_bias_gradient_gives_the_true_value_and_says_so(printed, what):
    from symbp.documents.examples import verify_claims

    # db of a one-unit layer is a scalar (-0.272856); it said only "a scalar compared with a 1 x 3 matrix"
    [result] = verify_claims((rf"db^{{[2]}} = \begin{{bmatrix}} {printed} \end{{bmatrix}}", "numeric"),
                             network=HALF_MSE_NET, notation={"db^{[l]}": "db[l]"})
    assert result.verdict == "wrong"
    assert result.expected == "-0.2729 (-0.272856)", result.reason
    assert result.diagnosis.startswith("not summed over the examples") and what in result.diagnosis, result.diagnosis


def test_a_cube_for_the_square_in_tanhs_derivative_is_diagnosed():
    from symbp.documents.examples import verify_claims

    network = HALF_MSE_NET.replace('"sigmoid", "linear"', '"tanh", "linear"')
    notation = {"A_{l}": "A[l]", "W_{l}": "W[l]", "dZ_{l}": "dZ[l]"}
    [result] = verify_claims((r"dZ1 = np.dot(W2.T, dZ2) * (1 - np.power(A1, 3))", "identity"),
                             network=network, notation=notation)
    assert result.verdict == "wrong"  # it had no diagnosis
    assert "a cube is written for the square" in result.diagnosis and "1 - a**2" in result.diagnosis, result.diagnosis


def test_an_exact_notation_key_may_carry_a_numbered_superscript():
    from symbp.documents.examples import verify_claims

    right, wrong = verify_claims((r"a^{2}_{1} = 0.73", "numeric"), (r"a^{2}_{1} = 0.5", "numeric"), network=TWO_UNITS,
                                 notation={"a^{2}_{1}": "A[1][0]"})  # Nielsen's layer 2 is symbp's layer 1
    assert right.verdict == "correct" and wrong.verdict == "wrong", (right.reason, wrong.reason)
