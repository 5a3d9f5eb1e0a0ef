"""The restricted expression syntax: what it accepts, and that it never executes anything."""

from __future__ import annotations

import pytest
import sympy as sp

from symbp.errors import ExpressionSyntaxError
from symbp.exprparse import exact_number, parse_expression
from symbp.functions import sigmoid

z = sp.Symbol("z", real=True)
a = sp.Symbol("a", real=True)
NAMES = {"z": z, "a": a}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("z * sigmoid(z)", z * sigmoid(z)),
        ("2*(a - z)^3", 2 * (a - z) ** 3),
        ("2*(a - z)**3", 2 * (a - z) ** 3),
        ("2*z^2^3", 2 * z ** 8),
        ("-z/2 + 0.25", -z / 2 + sp.Rational(1, 4)),
        ("exp(-z) + log(a) + tanh(z) + erf(z/sqrt(2))", sp.exp(-z) + sp.log(a) + sp.tanh(z) + sp.erf(z / sp.sqrt(2))),
        ("step(z)", sp.Heaviside(z, 0)),
        ("max(0, z)", sp.Max(0, z)),
    ],
)
def test_accepts(text, expected):
    assert parse_expression(text, NAMES) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("__import__('os').system('echo pwned')", "only plain function names can be called"),
        ("__import__('os')", "unknown function '__import__'"),
        ("z.__class__", "is not allowed"),
        ("(lambda: 1)()", "only plain function names"),
        ("[z for z in (1,)]", "is not allowed"),
        ("open('x')", "unknown function 'open'"),
        ("q + 1", "unknown name 'q'"),
        ("'text'", "is not a number"),
        ("z +", "cannot parse"),
        ("exp(z, base=2)", "keyword arguments are not allowed"),
        ("z == 1", "is not allowed"),
        ("z*9**9**9", "exponent 387420489 is too large"),
        ("z^(10^5)", "exponent 100000 is too large"),
        ("max()", "'max' needs at least one argument"),  # SymPy's empty Max is -oo: it was accepted
        ("z + min()", "'min' needs at least one argument"),
    ],
)
def test_rejects(text, message):
    with pytest.raises(ExpressionSyntaxError, match=message):
        parse_expression(text, NAMES, where="test")


def test_error_says_where_and_what_is_allowed():
    with pytest.raises(ExpressionSyntaxError) as info:
        parse_expression("softplus(z)", NAMES, where="net.toml: activation 'sp'")
    message = str(info.value)
    assert message.startswith("net.toml: activation 'sp': unknown function 'softplus' at column 1")
    assert "allowed names: a, z" in message and "sigmoid" in message


def test_deep_nesting_is_bounded():
    with pytest.raises(ExpressionSyntaxError, match="nested too deeply"):
        parse_expression("-" * 150 + "z", NAMES)


def test_exact_number_uses_the_decimal_written():
    assert exact_number(0.1) == sp.Rational(1, 10)
    assert exact_number(-0.3) == sp.Rational(-3, 10)
    with pytest.raises(TypeError):
        exact_number(True)
