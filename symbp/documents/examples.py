r"""A one-unit worked network to try claims on: for the examples in the docstrings, and for experiments.

:data:`ONE_UNIT` is the smallest network with a worked example: one input, one
sigmoid output, the quadratic cost ``1/2 (a - y)^2``, and the numbers
``w = 0.5``, ``b = 0``, ``x = 2``, ``y = 1`` (so ``z = 1`` and
``\hat{y} = \sigma(1) = 0.731059``), learning rate 0.1. :data:`ONE_UNIT_NOTATION`
names its quantities the way a tutorial would. :func:`verify_claims` checks a
few claims about it (or about free variables) in one call, :func:`one_unit`
gives its context for the functions that take one.

Non-goals: anything a claims file does not do (this writes one and reads it).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from .claims import Context as ClaimsContext, parse_claims
from .context import Context
from .notation import Notation
from .report import Result
from .scaffold import toml_string
from .verify import Verifier

__all__ = ["ONE_UNIT", "ONE_UNIT_NOTATION", "verify_claims", "one_unit"]

#: The network file: one sigmoid unit, quadratic cost, and its worked example.
ONE_UNIT = """widths = [1, 1]
activations = ["sigmoid"]
cost = "half_sse"

[example]
W1 = [[0.5]]
b1 = [0]
X = [2]
Y = [1]
learning_rate = 0.1
"""

#: A tutorial's names for its quantities (LaTeX -> symbp quantity).
ONE_UNIT_NOTATION: Mapping[str, str] = {
    "w": "W[1][0,0]", "b": "b[1][0]", "x": "X[0]", "y": "Y[0]", "z": "Z[1][0]", r"\hat{y}": "A[1][0]",
    "L": "C", r"\eta": "lr",
}


def verify_claims(*claims: tuple[str, str], network: str | None = ONE_UNIT,
                  notation: Mapping[str, str] = ONE_UNIT_NOTATION, definitions: Sequence[str] = ()) -> list[Result]:
    r"""Verify ``(latex, kind)`` claims about the one-unit network (or, with ``network=None``, free variables).

    Parameters
    ----------
    *claims
        ``(latex, kind)`` pairs, ``kind`` one of ``identity``, ``derivative``, ``definition``, ``numeric``,
        ``update``; they get lines 1, 2, ...
    network
        The network file's text (default :data:`ONE_UNIT`); None for claims about free variables only.
    notation
        LaTeX name -> meaning (default :data:`ONE_UNIT_NOTATION`; ``"free"`` for a free variable).
    definitions
        ``name = expression`` definitions of the context (``h = x^{2}``).

    Returns
    -------
    list of Result
        One per claim: ``verdict``, ``reason``, ``expected``, ``diagnosis``.

    Examples
    --------
    >>> right, wrong = verify_claims((r"\hat{y} = 0.73", "numeric"),
    ...                              (r"\frac{\partial L}{\partial b} = \hat{y} - y", "derivative"))
    >>> right.verdict, right.reason
    ('correct', "0.73 (0.731059) at the example's numbers, which rounds to 0.73")
    >>> wrong.verdict, wrong.expected
    ('wrong', '\\hat{y} \\left(1 - \\hat{y}\\right) \\left(\\hat{y} - y\\right)')
    >>> print(wrong.diagnosis)
    the derivative of the sigmoid of layer 1 is left out (the chain rule without g'(z), as if da/dz were 1); that gives -0.268941
    """
    lines = ['document = "claims.md"', "claim = ["]
    lines += [f"  {{line = {k}, latex = {toml_string(latex)}, kind = {toml_string(kind)}}}," for k, (latex, kind)
              in enumerate(claims, start=1)]
    lines += ["]", "[context]"]
    if network is not None:
        lines.append('network = "network.toml"')
    if definitions:
        lines.append("definitions = [" + ", ".join(toml_string(d) for d in definitions) + "]")
    lines.append("[notation]")
    lines += [f"{_toml_key(key)} = {toml_string(value)}" for key, value in notation.items()]
    with tempfile.TemporaryDirectory() as folder:
        if network is not None:
            (Path(folder) / "network.toml").write_text(network, encoding="utf-8")
        parsed = parse_claims("\n".join(lines) + "\n", base=Path(folder))
        return Verifier(parsed).run().results


def _toml_key(text: str) -> str:
    r"""``text`` as a TOML key: a basic string (a key cannot be a multi-line string, as ``g'^{[l]}`` would be).

    Examples
    --------
    >>> print(_toml_key("g'^{[l]}"), _toml_key(r"\hat{y}"))
    "g'^{[l]}" "\\hat{y}"
    """
    return json.dumps(text, ensure_ascii=False)  # JSON's escapes (backslash, quote, \n, \uXXXX) are TOML's


def one_unit(network: str = ONE_UNIT, notation: Mapping[str, str] = ONE_UNIT_NOTATION) -> tuple[Context, Notation]:
    r"""The context of the one-unit network and its notation, for the functions that take them.

    Examples
    --------
    >>> ctx, notation = one_unit()
    >>> ctx.spec.widths, ctx.symbols.A[1][0], notation.resolve("w").meaning.text
    ((1, 1), a^{[1]}_{1}, 'W[1][0,0]')
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "network.toml"
        path.write_text(network, encoding="utf-8")
        ctx = Context(ClaimsContext(network=path))  # the network is read here, before the folder goes
    return ctx, Notation(dict(notation))
