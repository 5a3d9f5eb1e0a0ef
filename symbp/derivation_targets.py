"""Targets that sum to 1: the step from the general output error to ``delta = a - y``.

With a softmax output and a cost over a distribution of targets (cross-entropy;
``distribution_targets`` in :data:`symbp.rules.COSTS`) the output error is, for
any targets, ``a_j (y_1 + ... + y_n) - y_j``. The targets of one example sum
to 1 (one-hot labels, or a probability distribution), so it is ``a_j - y_j``:
the step every teacher writes. This module finds that step for a displayed
expression (:func:`sum_to_one`), says why it holds (:func:`note`) and writes
the vector forms ``delta^{[L]} = a^{[L]} - y`` and ``dZ^{[L]} = A^{[L]} - Y``
(:func:`output_error_reduced`). Each is proved by
:meth:`~symbp.derivation_check.StepChecker.prove` with
``targets_sum_to_one=True`` before it is written; a worked example whose
targets do not sum to 1 turns the step off.
Non-goals: other assumptions on the targets; choosing the chain-rule steps.
"""

from __future__ import annotations

import sympy as sp

from .derivation import Display, Link, Row, Text, width
from .derivation_check import DerivationError
from .printing import latex, ordered_product, ordered_sum, plain

__all__ = ["example_target_sums", "targets_sum_to_one", "sum_to_one", "note", "output_error_proofs",
           "output_error_reduced"]


def example_target_sums(ctx) -> list[sp.Expr]:
    """The sum of the targets of each example of the network's worked example (empty without one).

    ``ctx`` is the :class:`~symbp.derivation_sections.Context` of a derivation.

    Examples
    --------
    >>> from symbp.derivation_sections import _context
    >>> from symbp.notation import load_notation
    >>> from symbp.spec import Example, NetworkSpec
    >>> example = Example({}, X=sp.Matrix([[1, 2], [3, 4]]), Y=sp.Matrix([[1, 1], [0, 1]]))
    >>> example_target_sums(_context(NetworkSpec((2, 2), ("softmax",), "cross_entropy", batch=2, example=example),
    ...                              load_notation("ng"), None))
    [1, 2]
    """
    example = ctx.spec.example
    if example is None or example.Y is None:
        return []
    return [sp.nsimplify(sum(example.Y[:, c])) for c in range(example.Y.cols)]


def targets_sum_to_one(ctx) -> bool:
    """Whether the derivation may use that the targets of an example sum to 1.

    They do for a cost of probability targets on a softmax output
    (:attr:`~symbp.derivation_check.StepChecker.target_sum`), unless the
    worked example's targets say otherwise.

    Examples
    --------
    >>> from symbp.derivation_sections import _context
    >>> from symbp.notation import load_notation
    >>> from symbp.spec import NetworkSpec
    >>> [targets_sum_to_one(_context(NetworkSpec((2, 3), ("softmax",), cost), load_notation("ng"), None))
    ...  for cost in ("cross_entropy", "sse")]
    [True, False]
    """
    return bool(ctx.checker.target_sum) and all(total == 1 for total in example_target_sums(ctx))


def sum_to_one(ctx, expr: sp.Expr) -> tuple[sp.Expr, sp.Expr] | None:
    """``expr`` with the sum of the targets factored out, and then put to 1; ``None`` when that does not apply.

    It applies when the targets of an example sum to 1 (:func:`targets_sum_to_one`)
    and writing one target as the sum minus the others leaves the sum in
    ``expr``; of those ways, the one that prints shortest, and only when the
    result prints shorter than ``expr``.

    Examples
    --------
    >>> from symbp.derivation_sections import _context
    >>> from symbp.notation import load_notation
    >>> from symbp.spec import NetworkSpec
    >>> ctx = _context(NetworkSpec((2, 3), ("softmax",), "cross_entropy"), load_notation("ng"), None)
    >>> a, y = ctx.one.A[1][0, 0], ctx.one.Y
    >>> factored, simple = sum_to_one(ctx, a * y[0] + a * y[1] + a * y[2] - y[0])
    >>> print(latex(factored), "|", latex(simple))
    a^{[1]}_{1} \\left(y_{1} + y_{2} + y_{3}\\right) - y_{1} | a^{[1]}_{1} - y_{1}
    >>> sum_to_one(ctx, a - y[0]) is None
    True
    """
    from .derivation_sections import tidy

    if not targets_sum_to_one(ctx):
        return None
    targets, total = list(ctx.one.Y), sp.Dummy("total")
    forms = [sp.expand(plain(expr).xreplace({y: total - sp.Add(*[t for t in targets if t != y])})) for y in targets]
    best = min((f for f in forms if f.has(total)), key=lambda f: width(latex(f)), default=None)
    if best is None:
        return None
    simple = tidy(sp.expand(best.xreplace({total: sp.S.One})))
    if width(latex(simple)) >= width(latex(expr)):
        return None
    coefficient = best.coeff(total)
    others = [o for o in sp.Add.make_args(sp.expand(best - coefficient * total)) if o != 0]
    return ordered_sum(ordered_product(coefficient, ordered_sum(*targets)), *others), simple


def note(ctx, used: bool) -> list:
    """Why the last step of the output error holds, or why a worked example turned it off (else nothing).

    Examples
    --------
    >>> from symbp.derivation_sections import _context
    >>> from symbp.notation import load_notation
    >>> from symbp.spec import NetworkSpec
    >>> (text,) = note(_context(NetworkSpec((2, 2), ("softmax",), "cross_entropy"), load_notation("ng"), None), True)
    >>> text.parts[0]
    'The last step of each chain above uses that the targets of an example sum to 1, '
    """
    if not ctx.checker.target_sum:
        return []
    if used:
        ((last, _),) = ctx.checker.target_sum.items()
        others = list(ctx.one.Y)[:-1]
        return [Text((
            "The last step of each chain above uses that the targets of an example sum to 1, ",
            sp.Eq(ordered_sum(*ctx.one.Y), 1, evaluate=False),
            " (one-hot labels, or a probability distribution over the outputs); it was proved by putting ",
            sp.Eq(last, ordered_sum(1, *[-y for y in others]), evaluate=False), ".",
        ))]
    sums = example_target_sums(ctx)
    if all(total == 1 for total in sums):
        return []
    return [Text((f"The targets of the worked example do not all sum to 1 (per example: "
                  f"{', '.join(sp.sstr(s) for s in sums)}), as one-hot labels or a probability distribution would, "
                  "so the output error is left in this general form.",))]


def output_error_proofs(ctx) -> set[str] | None:
    """How each output unit's error was proved ``a_j - y_j`` for targets summing to 1; None when it is not.

    Examples
    --------
    >>> from symbp.derivation_sections import _context
    >>> from symbp.notation import load_notation
    >>> from symbp.spec import NetworkSpec
    >>> output_error_proofs(_context(NetworkSpec((2, 3), ("softmax",), "sse"), load_notation("ng"), None)) is None
    True
    """
    if not targets_sum_to_one(ctx):
        return None
    ck, L = ctx.checker, ctx.spec.depth
    try:
        return {ck.prove(ck.delta(L, j + 1), ck.symbols.A[L][j, 0] - ck.symbols.Y[j, 0], targets_sum_to_one=True,
                         step=f"output error of unit {j + 1} as a - y") for j in range(ctx.spec.widths[-1])}
    except DerivationError:  # a cost over a distribution whose output error is not a - y: not written
        return None


def output_error_reduced(ctx, form: str, hows: set[str] | None) -> list:
    """``delta^{[L]} = a^{[L]} - y`` (``form="per_example"``) or ``dZ^{[L]} = A^{[L]} - Y`` (``"vectorized"``).

    Proved entry by entry for one example, assuming its targets sum to 1
    (``hows``, from :func:`output_error_proofs`); the columns of a batch are
    examples, each the same identity. Empty when ``hows`` is None.

    Examples
    --------
    >>> from symbp.derivation_numbers import generic_names
    >>> from symbp.derivation_sections import _context
    >>> from symbp.notation import load_notation
    >>> from symbp.spec import NetworkSpec
    >>> ctx = _context(NetworkSpec((2, 3), ("softmax",), "cross_entropy", batch=2), load_notation("ng"), None)
    >>> row = output_error_reduced(ctx, "vectorized", output_error_proofs(ctx))[-1].rows[0]
    >>> print(latex(row.lhs, symbol_names=generic_names(ctx.notation)), "=", latex(row.links[0].expr))
    dZ^{[1]} = A^{[1]} - Y
    """
    if hows is None:
        return []
    nt, spec = ctx.notation, ctx.spec
    L, n, m = spec.depth, spec.widths[-1], spec.batch
    if form == "per_example":
        error, output, target = (nt.matrix("delta_vector", L, n), nt.matrix("output_vector", L, n),
                                 nt.matrix("target_vector", rows=n))
        where, name = "for one example", "BP1s"
    else:
        error, output, target = (nt.matrix("dZ", L, n, m), nt.matrix("activation_matrix", L, n, m),
                                 nt.matrix("target_matrix", rows=n, cols=m))
        where, name = "for every column (example), as for one example", "V1s"
    how = f"entry by entry {where}: " + " / ".join(sorted(hows))
    return [
        Text((f"At the output layer, as the targets of an example sum to 1 (see the output error above), {name} "
              "reduces to",)),
        Display((Row(error, (Link("=", sp.MatAdd(output, -target, evaluate=False), how),)),)),
    ]
