"""The later sections of a derivation: matrix forward rows, the backprop equations, the update, the worked example.

* The four backpropagation equations and their vectorized batch forms are the
  objects of :data:`symbp.backprop.EQUATIONS`, printed in the notation, with the
  shape of every matrix; before they are written, :func:`symbp.check.check`
  instantiates them for every layer of the network and proves them equal to
  autodiff.
* The gradient-descent update, in matrix form and for the chosen weights.
* When the network file has an ``[example]``, every factor and result of the
  chain-rule sections evaluated exactly at its numbers, then shown as
  decimals (``=`` when the decimal is exact, ``\\approx`` when rounded).

Non-goals: choosing the chain-rule steps (:mod:`symbp.derivation_sections`).
"""

from __future__ import annotations

import sympy as sp

from .backprop import EQUATIONS, hand_gradients, m as BATCH_SIZE
from .derivation import Display, Heading, Link, Math, Row, Shape, Text
from .derivation_check import DerivationError
from .derivation_targets import output_error_proofs, output_error_reduced
from .notation import Notation
from .printing import elementwise, latex, ordered_product, ordered_sum, plain
from .rules import Z as RULE_Z
from .symbols import COST

__all__ = ["DIGITS", "LEARNING_RATE", "generic_names", "forward_rows", "equations_section", "update_section",
           "worked_example", "rounded"]

#: What "exactly" leaves out when symbp check proved a gradient only away from the kinks of a rule.
KINKED = (" wherever no step's argument is 0 (at a kink of an activation or the cost the function has no derivative, "
          "and the two sides may take different values there by convention)")
#: Significant digits of the decimals in a worked example.
DIGITS = 4
LEARNING_RATE = sp.Symbol("learning_rate", positive=True)
D = sp.Derivative
ORDER = ("BP1", "BP1s", "BP2", "BP2s", "BP3", "BP4", "V1", "V1s", "V2", "V3", "V4")


def generic_names(nt: Notation) -> dict[sp.Basic, str]:
    """Printer names for the matrix symbols of the backprop equations, the batch size and the learning rate.

    Examples
    --------
    >>> from symbp.backprop import EQUATIONS
    >>> from symbp.notation import load_notation
    >>> ng, nielsen = generic_names(load_notation("ng")), generic_names(load_notation("nielsen"))
    >>> print(ng[LEARNING_RATE], ng[BATCH_SIZE], "|", nielsen[LEARNING_RATE], nielsen[BATCH_SIZE])
    \\alpha m | \\eta n
    >>> V2 = EQUATIONS["V2"]
    >>> for names in (ng, nielsen):
    ...     print(latex(V2.lhs, symbol_names=names), "=", latex(V2.rhs, symbol_names=names))
    dW^{[l]} = \\frac{1}{m} dZ^{[l]} {A^{[l-1]}}^{T}
    \\nabla_{w^{l}}C = \\frac{1}{n} \\Delta^{l} {A^{l-1}}^{T}
    """
    names: dict[sp.Basic, str] = {BATCH_SIZE: nt.latex["batch_size"], LEARNING_RATE: nt.latex["learning_rate"]}
    table = nt.generic_names()
    for eq in EQUATIONS.values():
        for ms in eq.lhs.atoms(sp.MatrixSymbol) | eq.rhs.atoms(sp.MatrixSymbol):
            if ms.name not in table:
                raise DerivationError(f"notation {nt.name!r} has no name for {ms.name} of equation {eq.name}")
            names[ms] = table[ms.name]
    return names


# ----- Forward pass, matrix form -----
def _vectors(ctx, l: int, m: int):
    """The matrix symbols of layer l's forward equation for m examples: (Z, W, A_prev, b, A), shapes concrete."""
    nt, spec = ctx.notation, ctx.spec
    L, n, n_prev = spec.depth, spec.widths[l], spec.widths[l - 1]
    if m == 1:
        prev = nt.matrix("input_vector", rows=n_prev) if l == 1 else nt.matrix("activation_vector", l - 1, n_prev)
        act = nt.matrix("output_vector" if l == L else "activation_vector", l, n)
        pre = nt.matrix("pre_activation_vector", l, n)
    else:
        prev = nt.matrix("input_matrix", rows=n_prev, cols=m) if l == 1 else nt.matrix("activation_matrix", l - 1, n_prev, m)
        act, pre = nt.matrix("activation_matrix", l, n, m), nt.matrix("pre_activation_matrix", l, n, m)
    return pre, nt.matrix("weight_matrix", l, n, n_prev), prev, nt.matrix("bias_vector", l, n), act


def _activation(rule, Z: sp.MatrixSymbol, options=None):
    """``g(Z)``: the activation applied entry by entry, or softmax(Z) (column by column, left unevaluated)."""
    if rule.kind == "vector":
        return sp.Function(rule.name)(Z)
    if rule.forward == RULE_Z:
        return Z
    forward = rule.forward.xreplace(rule._parameter_values(options or {}))
    return elementwise(lambda u: forward.xreplace({RULE_Z: u}), Z)


def forward_rows(ctx) -> list[Row]:
    """``Z = W A_prev + b`` and ``A = g(Z)`` for every layer, checked entry by entry.

    ``ctx`` is the :class:`~symbp.derivation_sections.Context` of a derivation.
    Each row is compared, entry by entry, with the network's forward program
    before it is returned; for a batch, ``b`` is broadcast over the columns.

    Examples
    --------
    >>> from symbp.derivation_sections import _context
    >>> from symbp.notation import load_notation
    >>> from symbp.spec import NetworkSpec
    >>> spec = NetworkSpec((2, 2, 1), ("relu", "sigmoid"), "binary_cross_entropy", batch=3)
    >>> for row in forward_rows(_context(spec, load_notation("ng"), None)):
    ...     print(latex(row.lhs), "=", latex(row.links[0].expr))
    Z^{[1]} = W^{[1]} X + b^{[1]} {\\mathbf{1}_{m}}^{T}
    A^{[1]} = \\operatorname{ReLU}\\left(Z^{[1]}\\right)
    Z^{[2]} = W^{[2]} A^{[1]} + b^{[2]} {\\mathbf{1}_{m}}^{T}
    A^{[2]} = \\sigma\\left(Z^{[2]}\\right)
    """
    from .build import build

    spec, s = ctx.spec, ctx.batch_symbols
    defs = build(spec).program.definitions
    m = spec.batch
    ones = sp.MatrixSymbol(ctx.notation.latex["ones"], m, 1)
    rows = []
    for l in range(1, spec.depth + 1):
        Zs, Ws, Ps, bs, As = _vectors(ctx, l, m)
        rhs = sp.MatAdd(Ws * Ps, bs if m == 1 else bs * ones.T, evaluate=False)
        explicit = rhs.xreplace({Ws: s.W[l], Ps: s.A[l - 1], bs: s.b[l], ones: sp.ones(m, 1)}).doit()
        if sp.expand(sp.Matrix(explicit) - s.Z[l].applyfunc(lambda z: defs[z])) != sp.zeros(*s.Z[l].shape):
            raise DerivationError(f"matrix form of layer {l} does not match the forward program")  # pragma: no cover
        rows.append(Row(Zs, (Link("=", rhs, "entry by entry the forward program's definition"),)))
        rule = spec.activation_rule(l)
        for i in range(m):
            applied = rule.apply(list(s.Z[l][:, i]), spec.options)
            if any(sp.expand(x - defs[a]) != 0 for x, a in zip(applied, s.A[l][:, i])):
                raise DerivationError(f"activation of layer {l} does not match the forward program")  # pragma: no cover
        rows.append(Row(As, (Link("=", _activation(rule, Zs, spec.options),
                                  "the activation rule, as the forward program applies it"),)))
    return rows


# ----- The backprop equations -----
def equations_section(ctx) -> list:
    """BP1-BP4 and the vectorized forms, proved for this network by :func:`symbp.check.check`.

    Only the equations the network uses are shown (BP2 and V4 need a hidden
    layer; a softmax layer uses BP1s/BP2s/V1s). A failed check raises
    :class:`~symbp.derivation_check.DerivationError` instead of writing them.

    Examples
    --------
    >>> from symbp.derivation import Display
    >>> from symbp.derivation_sections import _context
    >>> from symbp.notation import load_notation
    >>> from symbp.spec import NetworkSpec
    >>> spec = NetworkSpec((2, 2, 1), ("tanh", "sigmoid"), "half_sse")
    >>> blocks = equations_section(_context(spec, load_notation("ng"), None))
    >>> [row.tag for block in blocks if isinstance(block, Display) for row in block.rows]
    ['BP1', 'BP2', 'BP3', 'BP4', 'V1', 'V2', 'V3', 'V4']
    >>> blocks[-1].parts[-1]
    '; symbp check proved all 9 gradients equal to these equations, exactly.'
    """
    from .check import check

    spec = ctx.spec
    report = check(spec)
    if not report.ok:
        failure = report.failures()[0]
        raise DerivationError(f"the backprop equations do not hold for this network: {failure.name}: {failure.reason}")
    count = len({p.symbol for p in report.parameters})
    ctx.checker.away_from_kinks += [f"{r.kind} {r.name}" for r in report.rules if r.verdict.away_from_kinks]
    how = f"instantiated for every layer and proved equal to autodiff for all {count} parameters (symbp check)"
    blocks = [Heading("The four backpropagation equations")]
    hows = output_error_proofs(ctx)  # delta = a - y, proved once for both forms (None where it does not apply)
    for form, intro in (
        ("per_example", "For one example, with the error of each layer as a vector "
                        "(the cost of a batch is the mean of these):"),
        ("vectorized", "For a batch, one column per example (the mean over the batch enters through 1/m):"),
    ):
        used = {name for _, name in hand_gradients(spec, form).equations}
        equations = [EQUATIONS[name] for name in ORDER if name in used]
        blocks += [
            Text((intro,)),
            Display(tuple(Row(eq.lhs, (Link("=", eq.rhs, how),), eq.name) for eq in equations)),
            Text(("Shapes: ", *_shapes(equations), ".")),
            *output_error_reduced(ctx, form, hows),
        ]
    sizes = ", ".join(f"n_{{{l}}} = {n}" for l, n in enumerate(spec.widths))
    blocks.append(Text(("In this network ", Math(f"{sizes}, {ctx.notation.latex['batch_size']} = {spec.batch}"),
                        f"; symbp check proved all {count} gradients equal to these equations, exactly"
                        f"{KINKED if report.away_from_kinks else ''}.")))
    return blocks


def _shapes(equations) -> list:
    """One :class:`~symbp.derivation.Shape` per shape among the equations' matrices."""
    by_shape: dict[tuple, list[sp.MatrixSymbol]] = {}
    for eq in equations:
        for ms in [eq.lhs, *sorted(eq.rhs.atoms(sp.MatrixSymbol), key=str)]:
            group = by_shape.setdefault(ms.shape, [])
            if ms not in group:
                group.append(ms)
    parts: list = []
    for symbols in by_shape.values():
        parts += ["; "] if parts else []
        parts.append(Shape(tuple(symbols)))
    return parts


# ----- Gradient descent -----
def update_section(ctx) -> list:
    """The update of every weight and bias, as matrices and for the chosen weights.

    Examples
    --------
    >>> from symbp.derivation_sections import _context
    >>> from symbp.notation import load_notation
    >>> from symbp.spec import NetworkSpec
    >>> nt = load_notation("ng")
    >>> blocks = update_section(_context(NetworkSpec((2, 2, 1), ("tanh", "sigmoid"), "half_sse"), nt, None))
    >>> for row in blocks[-1].rows:
    ...     print(latex(row.lhs), row.links[0].relation, latex(row.links[0].expr, symbol_names=generic_names(nt)))
    W^{[l]} \\leftarrow W^{[l]} - \\alpha dW^{[l]}
    b^{[l]} \\leftarrow b^{[l]} - \\alpha db^{[l]}
    w^{[2]}_{12} \\leftarrow w^{[2]}_{12} - \\alpha \\frac{\\partial C}{\\partial w^{[2]}_{12}}
    w^{[1]}_{21} \\leftarrow w^{[1]}_{21} - \\alpha \\frac{\\partial C}{\\partial w^{[1]}_{21}}
    """
    nt = ctx.notation
    n_l, n_prev = sp.symbols("n_l n_{l-1}", integer=True, positive=True)
    rows = []
    for param, grad, shape in (("weight_matrix", "dW", (n_l, n_prev)), ("bias_vector", "db", (n_l, 1))):
        P, G = nt.matrix(param, "l", *shape), nt.matrix(grad, "l", *shape)
        rows.append(Row(P, (Link(r"\leftarrow", sp.MatAdd(P, -LEARNING_RATE * G, evaluate=False), "definition"),)))
    for l, j, k in filter(None, (ctx.output_weight, ctx.hidden_weight)):
        w = ctx.weight(l, j, k)
        rows.append(Row(w, (Link(r"\leftarrow", _update(w), "definition"),)))
    return [
        Heading("Gradient descent"),
        Text(("Each step moves every parameter against its gradient, scaled by the learning rate ",
              LEARNING_RATE, ":")),
        Display(tuple(rows)),
    ]


def _update(w: sp.Symbol) -> sp.Expr:
    return ordered_sum(w, ordered_product(-1, LEARNING_RATE, D(COST, w)))


# ----- Worked example -----
def rounded(value: sp.Expr, digits: int = DIGITS) -> tuple[str, sp.Number]:
    """``("=", exact decimal)`` when the decimal is exact, else ``("\\approx", digits significant digits)``.

    Examples
    --------
    >>> rounded(sp.Rational(29, 10)), rounded(1 / (1 + sp.exp(-sp.Rational(29, 10))))
    (('=', 2.90000000000000), ('\\\\approx', 0.9478))
    >>> rounded(sp.tanh(sp.Rational(11, 2)), 7)
    ('\\\\approx', 0.9999666)
    """
    value = sp.nsimplify(value) if isinstance(value, sp.Float) else value
    if value.is_Rational:
        q = int(value.q)
        while q % 2 == 0:
            q //= 2
        while q % 5 == 0:
            q //= 5
        if value.is_Integer:
            return "=", value
        if q == 1 and len(str(value.p)) <= 12:
            return "=", sp.Float(value, 15)
    number = sp.N(value, 30)
    if number == 0:
        return "=", sp.S.Zero
    return r"\approx", sp.Float(f"{float(number):.{digits}g}", digits)


#: Exact values are shown before their decimals when they print at most this wide (per entry).
EXACT_WIDTH = 16


def _exact(value, relation: str) -> list[Link]:
    """``[= exact value]`` when the decimal that follows is rounded and the exact value is short."""
    from .derivation import width

    entries = list(value) if isinstance(value, sp.MatrixBase) else [value]
    if relation == "=" or any(width(latex(e)) > EXACT_WIDTH for e in entries):
        return []
    return [Link("=", value, "exact value")]


def _number_tex(value: sp.Expr, digits: int = DIGITS) -> str:
    text = latex(rounded(value, digits)[1])
    return rf"\left({text}\right)" if text.startswith("-") else text


#: The most significant digits a number put in for a symbol is given (see :func:`_shown`).
MAX_DIGITS = 12


def _shown(expr: sp.Expr, values: dict, target: sp.Expr) -> dict:
    """Printer names for the numbers put in for the objects of ``values`` (object -> exact value) in ``expr``.

    :data:`DIGITS` significant digits, or more when ``expr`` at the numbers shown
    would be more than 1 % away from ``target`` (its exact value): with
    cancellation, 1 - 1.000^2 is 0, not the 6.68e-5 it is said to be.
    """
    target = sp.N(target, 30)
    for digits in range(DIGITS, MAX_DIGITS + 1):
        # the decimals as shown, exactly (a Float of 4 digits is only as precise as 17 bits)
        shown = {x: sp.Rational(str(rounded(v, digits)[1])) for x, v in values.items()}
        got = sp.N(plain(expr).xreplace(shown), 30)
        off = abs(got - target) / abs(target) if target != 0 else abs(got) * 10**digits
        if not got.is_Number or off <= sp.Rational(1, 100):
            break
    return {x: _number_tex(v, digits) for x, v in values.items()}


def worked_example(ctx) -> list:
    """Every factor and result of the chain-rule sections at the numbers of the network file.

    Empty when the network has no ``[example]`` with parameters, inputs and
    targets. Each value is computed exactly and shown as a decimal: ``=`` when
    the decimal is exact, ``\\approx`` when rounded to :data:`DIGITS` digits.

    Examples
    --------
    With ``W1 = [1/2, -1]``, ``b1 = 0``, ``x = (2, 1)`` and ``y = 1``: ``z = 0``,
    ``a = 1/2``, and for ``w_12`` the chain rule gives
    ``(a - y) a (1 - a) x_2 = -1/8``; a step of 1/10 moves it to ``-0.9875``.

    >>> from symbp.derivation import Display
    >>> from symbp.derivation_sections import _context
    >>> from symbp.notation import load_notation
    >>> from symbp.spec import Example, NetworkSpec
    >>> example = Example({"W1": sp.Matrix([[sp.Rational(1, 2), -1]]), "b1": sp.Matrix([[0]])},
    ...                   X=sp.Matrix([2, 1]), Y=sp.Matrix([1]), learning_rate=sp.Rational(1, 10))
    >>> spec = NetworkSpec((2, 1), ("sigmoid",), "half_sse", example=example)
    >>> blocks = worked_example(_context(spec, load_notation("ng"), None))
    >>> for row in (row for block in blocks if isinstance(block, Display) for row in block.rows):
    ...     print(row.lhs, row.links[-1].relation, row.links[-1].expr)
    z^{[1]} = Matrix([[0]])
    a^{[1]} = Matrix([[0.500000000000000]])
    Derivative(C, a^{[1]}_{1}) = -0.500000000000000
    Derivative(a^{[1]}_{1}, z^{[1]}_{1}) = 0.250000000000000
    Derivative(z^{[1]}_{1}, w^{[1]}_{12}) = 1
    Derivative(C, w^{[1]}_{12}) = -0.125000000000000
    w^{[1]}_{12} = -0.987500000000000
    >>> worked_example(_context(NetworkSpec((2, 1), ("sigmoid",), "half_sse"), load_notation("ng"), None))
    []
    """
    spec, ck = ctx.spec, ctx.checker
    example = ck.spec.example
    if example is None:
        return []
    missing = [name for name in ck.symbols.parameters() if name not in example.params]
    missing += [name for name, value in (("X", example.X), ("Y", example.Y)) if value is None]
    if missing:  # say why the numbers are left out, rather than leave them out silently
        return [Text((f"The network file's [example] table lacks {', '.join(missing)}, so the derivation is not "
                      "worked through at numbers; give every weight, every bias, X and Y for that.",))]
    point = ck.point(example.params, example.X, example.Y)
    s = ck.symbols
    blocks = [
        Heading("Worked example"),
        Text(("At the numbers of the network file" + (" (its first example)" if spec.batch > 1 else "") +
              f", computed exactly and shown to {DIGITS} significant digits. The forward pass:",)),
    ]
    rows = []
    for l in range(1, spec.depth + 1):
        Zs, Ws, Ps, bs, As = _vectors(ctx, l, 1)
        for symbol, matrix, expr in ((Zs, s.Z[l], sp.MatAdd(Ws * Ps, bs, evaluate=False)),
                                     (As, s.A[l], _activation(spec.activation_rule(l), Zs, spec.options))):
            values = [rounded(point[v]) for v in matrix]
            relation = "=" if all(r == "=" for r, _ in values) else r"\approx"
            exact = _exact(sp.Matrix([point[v] for v in matrix]), relation)
            rows.append(Row(symbol, (Link("=", expr, "as above"), *exact,
                                     Link(relation, sp.Matrix([v for _, v in values]), "exact value, rounded"))))
    blocks.append(Display(tuple(rows)))
    lr = example.learning_rate
    for weight in filter(None, (ctx.output_weight, ctx.hidden_weight)):
        blocks += _weight_numbers(ctx, weight, point, lr)
    return blocks


def _at_kink(u, v, hand, point, value) -> Text | None:
    """A note when the rule's form ``hand`` of du/dv is not ``value`` (the autodiff's) at ``point``: a kink; else None.

    The two were proved equal wherever no step's argument is 0; at such a point the function has no
    derivative, and each takes its own convention (SymPy's max(z, 0)' is 1/2 at 0, a rule step(z) 0).

    Examples
    --------
    >>> z, a = sp.symbols("z a", real=True)
    >>> print(_at_kink(a, z, sp.Heaviside(z, 0), {z: 0}, sp.S.Half).parts[-1])
    ; the numbers here use the latter.
    >>> _at_kink(a, z, sp.Heaviside(z, 0), {z: 2}, sp.S.One) is None
    True
    """
    from .proof import REFUTED, prove_zero

    at_point = hand.xreplace({x: point[x] for x in hand.free_symbols if x in point})
    if prove_zero(at_point - value).status != REFUTED:
        return None
    return Text(("At these numbers ", v, " is at a kink, where ", u, " has no derivative: the rule's form ", hand,
                 " gives ", at_point, " there, symbp's automatic differentiation (which the generated code "
                 "computes) gives ", value, "; the numbers here use the latter."))


def _weight_numbers(ctx, weight, point, lr) -> list:
    from .derivation_sections import factors_of

    ck, C = ctx.checker, ctx.loss
    l, j, k = weight
    w = ctx.weight(l, j, k)
    pairs, chain = factors_of(ctx, weight)
    rows, kinks = [], []
    for u, v in pairs:
        hand = ctx.hand_value(u, v)
        relation, number = rounded(ck.value(D(u, v), point))
        kink = _at_kink(u, v, hand, point, ck.value(D(u, v), point))
        if kink:  # the rule's form was proved equal away from kinks only, and takes another value here
            rows.append(Row(D(u, v), (Link(relation, number, "symbp's automatic derivative at a kink"),)))
            kinks.append(kink)
            continue
        links = [Link("=", hand, "proved above")]
        names = _shown(hand, {x: point[x] for x in hand.free_symbols}, ck.value(D(u, v), point))
        if names and not hand.is_Symbol:
            links.append(Link(relation, hand, "the same expression at the example's numbers (rounded)", names))
        if not names:
            links += _exact(ck.value(D(u, v), point), relation)
        links.append(Link(relation, number, "exact value, rounded"))
        rows.append(Row(D(u, v), tuple(links)))
    grad = ck.value(D(C, w), point)
    relation, number = rounded(grad)
    named = [d for d in chain.atoms(sp.Derivative)] + [d for d in ck.deltas if d in chain.free_symbols]
    names = _shown(chain, {d: ck.value(d, point) for d in named}, grad)
    rows.append(Row(D(C, w), (Link("=", chain, "proved above"),
                              Link(relation, chain, "the factors at the example's numbers (rounded)", names),
                              Link(relation, number, "exact value, rounded"))))
    blocks = [Text((f"The weight {ctx.code(l, j, k)}, ", w, ", factor by factor:",)), Display(tuple(rows)), *kinks]
    if lr is not None and ctx.spec.batch == 1:
        update = _update(w)
        names = _shown(update, {w: point[w], LEARNING_RATE: lr, D(COST, w): grad}, point[w] - lr * grad)
        r_new, n_new = rounded(point[w] - lr * grad)
        blocks += [Text(("and the update with learning rate ", LEARNING_RATE, f" = {lr}:")),
                   Display((Row(w, (Link(r"\leftarrow", update, "definition"),
                                    Link(r_new, update, "the numbers (rounded)", names),
                                    Link(r_new, n_new, "exact value, rounded"))),))]
    return blocks
