"""Network specifications: validation and TOML loading, with the errors a user sees."""

from __future__ import annotations

import pytest
import sympy as sp

from symbp.errors import SpecError, UnknownRuleError
from symbp.spec import NetworkSpec, load_toml, parse_toml

GOOD = 'widths = [4, 4, 2]\nactivations = ["sigmoid", "softmax"]\ncost = "sse"\nbatch = 1\n'


class TestValidation:
    def test_accepts_the_issue_example(self):
        spec = NetworkSpec((4, 4, 2), ("sigmoid", "softmax"), "sse", 1)
        assert spec.depth == 2
        assert spec.parameter_count == 4 * 5 + 2 * 5

    @pytest.mark.parametrize(
        ("widths", "message"),
        [
            ((4,), "need at least an input width"),
            ((4, 0, 2), "got 0 at position 1"),
            ((4, -1, 2), "got -1 at position 1"),
            ((4, 2.5, 2), "got 2.5 at position 1"),
            ((4, True, 2), "got True at position 1"),
            ("442", "expected a list"),
        ],
    )
    def test_bad_widths(self, widths, message):
        with pytest.raises(SpecError, match=message):
            NetworkSpec(widths, ("sigmoid", "softmax"), "sse")

    def test_activation_count_must_match_layers(self):
        with pytest.raises(SpecError, match=r"2 layer\(s\), so 2 activation\(s\) are needed; got 1"):
            NetworkSpec((4, 4, 2), ("sigmoid",), "sse")

    def test_unknown_activation_lists_valid_names(self):
        with pytest.raises(UnknownRuleError) as info:
            NetworkSpec((4, 4, 2), ("sigmoid", "softplus"), "sse")
        assert "unknown activation 'softplus'" in str(info.value)
        for name in ("linear", "sigmoid", "tanh", "relu", "leaky_relu", "softmax"):
            assert name in str(info.value)

    def test_unknown_cost_lists_valid_names(self):
        with pytest.raises(UnknownRuleError, match="unknown cost 'hinge'; valid: binary_cross_entropy, cross_entropy"):
            NetworkSpec((2, 1), ("sigmoid",), "hinge")

    @pytest.mark.parametrize(
        ("output", "cost", "message"),
        [
            ("softmax", "binary_cross_entropy", "does not support a softmax output layer"),
            ("sigmoid", "cross_entropy", "does not support a sigmoid output layer"),
            ("linear", "binary_cross_entropy", "it needs sigmoid"),
        ],
    )
    def test_cost_and_output_activation_must_fit(self, output, cost, message):
        with pytest.raises(SpecError, match=message):
            NetworkSpec((2, 2), (output,), cost)

    def test_softmax_needs_two_units(self):
        with pytest.raises(SpecError, match="single unit is the constant 1"):
            NetworkSpec((2, 1), ("softmax",), "sse")

    def test_batch_must_be_positive(self):
        with pytest.raises(SpecError, match="batch: must be a whole number >= 1, got 0"):
            NetworkSpec((2, 1), ("sigmoid",), "sse", 0)

    def test_leaky_relu_slope_is_exact_and_checked(self):
        spec = NetworkSpec((2, 1), ("leaky_relu",), "sse", 1, {"leaky_relu_slope": 0.2})
        assert spec.options["leaky_relu_slope"] == sp.Rational(1, 5)
        with pytest.raises(SpecError, match="strictly between 0 and 1"):
            NetworkSpec((2, 1), ("leaky_relu",), "sse", 1, {"leaky_relu_slope": 1.5})
        with pytest.raises(SpecError, match="no layer uses leaky_relu"):
            NetworkSpec((2, 1), ("relu",), "sse", 1, {"leaky_relu_slope": 0.1})


class TestToml:
    def test_reads_a_file(self, tmp_path):
        path = tmp_path / "network.toml"
        path.write_text(GOOD)
        spec = load_toml(path)
        assert (spec.widths, spec.activations, spec.cost, spec.batch) == ((4, 4, 2), ("sigmoid", "softmax"), "sse", 1)

    def test_syntax_error_names_file_and_line(self, tmp_path):
        path = tmp_path / "bad.toml"
        path.write_text('widths = [4, 4, 2]\nactivations = ["sigmoid", "softmax"]\ncost = sse\n')
        with pytest.raises(SpecError, match=r"bad.toml: line 3: TOML syntax error"):
            load_toml(path)

    def test_semantic_error_names_the_line(self):
        text = GOOD.replace('"softmax"', '"softmaks"')
        with pytest.raises(SpecError, match=r"net.toml: line 2: unknown activation 'softmaks'"):
            parse_toml(text, "net.toml")

    def test_unknown_key(self):
        with pytest.raises(SpecError, match=r"line 5: unknown key 'widht'; valid keys:"):
            parse_toml(GOOD + "widht = 3\n", "net.toml")

    def test_missing_key(self):
        with pytest.raises(SpecError, match="missing key 'cost'"):
            parse_toml('widths = [2, 1]\nactivations = ["sigmoid"]\n')

    def test_missing_file(self, tmp_path):
        with pytest.raises(SpecError, match="cannot read"):
            load_toml(tmp_path / "absent.toml")

    def test_example_numbers_are_exact(self):
        spec = parse_toml(GOOD + "[example]\nW2 = [[0.1, 0.2, 0.3, 0.4], [1, 2, 3, 4]]\nX = [2, 5, 3, 3]\nlearning_rate = 0.5\n")
        assert spec.example.params["W2"][0, 0] == sp.Rational(1, 10)
        assert spec.example.X.shape == (4, 1)
        assert spec.example.learning_rate == sp.Rational(1, 2)

    def test_example_shapes_are_checked(self):
        with pytest.raises(SpecError, match=r"example.W2: expected shape \(2, 4\), got \(1, 4\)"):
            parse_toml(GOOD + "[example]\nW2 = [[0.1, 0.2, 0.3, 0.4]]\n")

    def test_custom_rules_stay_local_to_the_file(self):
        from symbp.rules import ACTIVATIONS

        text = GOOD.replace('"sigmoid", "softmax"', '"swish_local", "softmax"') + (
            '[custom_activations.swish_local]\nforward = "z * sigmoid(z)"\n'
            'derivative = "sigmoid(z) * (1 + z * (1 - sigmoid(z)))"\n'
        )
        spec = parse_toml(text)
        assert spec.activation_rule(1).name == "swish_local"
        assert "swish_local" not in ACTIVATIONS

    def test_bad_values_are_errors_not_tracebacks(self, tmp_path):
        with pytest.raises(SpecError, match="example.learning_rate: expected a number, got 'fast'"):
            parse_toml(GOOD + '[example]\nlearning_rate = "fast"\n')
        with pytest.raises(SpecError, match="output_activations must be a list of activation names"):
            parse_toml(GOOD + '[custom_costs.q]\nloss = "a"\nderivative = "1"\noutput_activations = "tanh"\n')
        path = tmp_path / "latin1.toml"
        path.write_bytes(GOOD.encode() + b"# caf\xe9\n")
        with pytest.raises(SpecError, match="not UTF-8"):
            load_toml(path)

    def test_custom_rule_syntax_is_restricted(self):
        text = GOOD + '[custom_costs.evil]\nloss = "__import__(\'os\').system(\'true\')"\nderivative = "0"\n'
        with pytest.raises(SpecError, match=r"line 5: cost 'evil' loss: only plain function names can be called"):
            parse_toml(text)


def test_a_copy_of_a_spec_keeps_the_rules_it_was_checked_with():
    import dataclasses

    import symbp
    from symbp.functions import unfold

    symbp.register_activation("pinned_act", "tanh(z)", "1 - a**2")
    spec = NetworkSpec((1, 1), ("pinned_act",), "half_sse")
    symbp.register_activation("pinned_act", "z**3", "3*z**2", overwrite=True)
    copy = dataclasses.replace(spec, batch=2)  # how lambdify, matrixcheck and the derivation make copies
    assert unfold(copy.activation_rule(1).forward).has(sp.tanh)
    assert not unfold(NetworkSpec((1, 1), ("pinned_act",), "half_sse").activation_rule(1).forward).has(sp.tanh)
