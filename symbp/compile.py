"""Fast NumPy gradients from the derivation: ``symbp.lambdify`` and the code behind ``symbp codegen``.

:func:`lambdify` compiles the matrix-form derivation of a network
(:mod:`symbp.matrixcalc`, lowered by :mod:`symbp.lowering`, printed by
:mod:`symbp.emit`) into ``grad(params, X, Y) -> {"W1": dC/dW1, "b1": ..., ...}``
for any batch size m: matrix products, in-place elementwise kernels and the
stable functions of :mod:`symbp.numerics`. :func:`module_source` is the same
code as a standalone module (NumPy only) with ``forward``, ``cost`` and
``gradients``. :func:`lambdify_elements` is the other path: the per-element
autodiff gradients, lambdified with common subexpressions shared
(:func:`symbp.program.compile_program`), for small networks and custom rules.

Like :func:`sympy.lambdify`, the generated source is compiled with
:func:`compile` (it is printed by symbp from SymPy expressions, never read from
user text) and registered with :mod:`linecache`, so tracebacks show it.

Non-goals: training loops, other array libraries.
"""

from __future__ import annotations

import dataclasses
import inspect
import linecache
from functools import lru_cache

import numpy as np

from . import numerics
from .emit import Emitter
from .errors import ShapeError
from .lowering import lower
from .spec import NetworkSpec

__all__ = ["lambdify", "lambdify_elements", "module_source", "check_arrays"]

DTYPES = ("float64", "float32")
_PURPOSES = {
    "forward": ("forward", "params, X", "The network's output A^[L] (n_L x m) for inputs X (n_0 x m)."),
    "cost": ("cost", "params, X, Y", "The cost C: the mean over the m columns of the per-example loss."),
    "gradients": ("gradients", "params, X, Y", 'dC/dW and dC/db for every layer: {"W1": ..., "b1": ..., ...}.'),
}


def check_arrays(params, X, Y, shapes: dict, dtype: str, need_y: bool = True) -> None:
    """Raise ``ShapeError`` naming the first bad argument and what was expected.

    Examples
    --------
    >>> check_arrays({}, np.zeros((2, 3)), None, {"W1": (1, 2), "b1": (1, 1)}, "float64", need_y=False)
    Traceback (most recent call last):
    ...
    symbp.errors.ShapeError: params: missing W1, b1 (expected keys W1, b1)
    """
    if not hasattr(params, "keys"):
        raise ShapeError(f"params: expected a dict of arrays with keys {', '.join(shapes)}, got {type(params).__name__}")
    missing = [k for k in shapes if k not in params]
    if missing:
        raise ShapeError(f"params: missing {', '.join(missing)} (expected keys {', '.join(shapes)})")
    n0 = next(iter(shapes.values()))[1]
    nL = list(shapes.values())[-1][0]
    _check_one("X", X, (n0, None), dtype)
    m = X.shape[1]
    if need_y:
        _check_one("Y", Y, (nL, m), dtype)
    for name, shape in shapes.items():
        _check_one(name, params[name], shape, dtype)


def _check_one(name, value, shape, dtype) -> None:
    expected = "(" + ", ".join("m" if s is None else str(s) for s in shape) + ")"
    if type(value) is not np.ndarray:  # a subclass such as np.matrix multiplies differently
        raise ShapeError(f"{name}: expected a NumPy array (np.ndarray) of shape {expected} and dtype {dtype}, got "
                         f"{type(value).__name__}")
    if value.ndim != 2 or any(s is not None and s != v for s, v in zip(shape, value.shape)) or value.shape[1] < 1:
        batch = " (m >= 1 examples as columns)" if None in shape else ""
        raise ShapeError(f"{name}: expected shape {expected}{batch}, got {value.shape}")
    if value.dtype != np.dtype(dtype):
        raise ShapeError(f"{name}: expected dtype {dtype} (the dtype this function was compiled for), got {value.dtype}")


def _spec(net) -> NetworkSpec:
    spec = getattr(net, "spec", net)
    if not isinstance(spec, NetworkSpec):
        raise TypeError(f"expected a symbp.Network or NetworkSpec, got {type(net).__name__}")
    return spec


def _batch_free(spec: NetworkSpec) -> NetworkSpec:
    """``spec`` without its batch size, example and title (the compiled code is the same for every m).

    The copy keeps the rules ``spec`` was checked with (a spec pins them), even if a
    name was registered anew since.
    """
    return dataclasses.replace(spec, batch=1, example=None, title="")


def _shapes(spec: NetworkSpec) -> dict:
    return {f"{p}{l}": (spec.widths[l], spec.widths[l - 1] if p == "W" else 1) for l in range(1, spec.depth + 1) for p in "Wb"}


def _function_source(spec: NetworkSpec, purpose: str, dtype: str) -> str:
    """One function of the module: argument checks, then the lowered statements."""
    name, args, doc = _PURPOSES[purpose]
    plan = lower(spec, purpose, dtype)
    emitter = Emitter(plan)
    for index, stmt in enumerate(plan.statements):
        emitter.statement(index, stmt)
    shapes = _shapes(spec)
    need_y = purpose != "forward"
    fast = [f"{k} = params[{k!r}]" for k in shapes if k in plan.inputs]
    y = "Y, True" if need_y else "None, False"
    conditions = [f"type({k}) is not np.ndarray or {k}.shape != {shapes[k]} or {k}.dtype != DTYPE" for k in shapes if k in plan.inputs]
    conditions.append(f"type(X) is not np.ndarray or X.ndim != 2 or X.shape[0] != {spec.widths[0]} or X.dtype != DTYPE")
    y_check = [f"if type(Y) is not np.ndarray or Y.shape != ({spec.widths[-1]}, m) or Y.dtype != DTYPE:", f"    _bad(params, X, {y})"]
    outputs = {"gradients": "{" + ", ".join(f'"{k}": d{k}' for k in shapes) + "}", "forward": plan.outputs[0], "cost": "C"}[purpose]
    body = [
        f'"""{doc}"""',
        "try:",
        *[f"    {line}" for line in fast],
        "except (KeyError, TypeError):",
        f"    _bad(params, X, {y})",
        "if (",
        f"    {conditions[0]}",
        *[f"    or {c}" for c in conditions[1:]],
        "):",
        f"    _bad(params, X, {y})",
        "m = X.shape[1]",
        "if m < 1:",
        f"    _bad(params, X, {y})",
        *(y_check if need_y else []),
        *emitter.lines,
        f"return {outputs}",
    ]
    return f"def {name}({args}):\n" + "\n".join(f"    {line}" for line in body) + "\n"


def _kernels_used(sources: list[str]) -> list:
    return [f for name, f in numerics.KERNELS.items() if any(f"{name}(" in s for s in sources)]


def module_source(net, dtype: str = "float64", *, standalone: bool = True) -> str:
    """The Python source of a module with ``forward``, ``cost`` and ``gradients`` for ``net``.

    ``standalone`` copies the kernels it uses from :mod:`symbp.numerics` and a
    small error class into the module, so it needs only NumPy.

    Examples
    --------
    >>> from symbp import Network
    >>> src = module_source(Network([2, 1], ["sigmoid"], "binary_cross_entropy"))
    >>> "def gradients(params, X, Y):" in src and "import sympy" not in src
    True
    """
    spec = _spec(net)
    if dtype not in DTYPES:
        raise ShapeError(f"dtype must be one of {', '.join(DTYPES)}, got {dtype!r}")
    functions = [_function_source(spec, purpose, dtype) for purpose in ("forward", "cost", "gradients")]
    shapes = _shapes(spec)
    header = [
        f'"""Gradients of a {list(spec.widths)} network ({", ".join(spec.activations)}; cost {spec.cost}), generated by symbp.',
        "",
        "Examples are columns: X is (n_0, m), Y is (n_L, m); params maps W1, b1, ... to arrays of",
        "shape (n_l, n_(l-1)) and (n_l, 1). dZ2 etc. are named as in the equations (symbp derive --matrix).",
        '"""',
        "",
        "import numpy as np",
        "",
        f"DTYPE = np.dtype({dtype!r})",
        f"SHAPES = {shapes!r}",
        "",
    ]
    support = []
    if standalone:
        support.append("class ShapeError(ValueError):\n    \"\"\"An argument has the wrong shape or dtype.\"\"\"\n")
        kernels = _kernels_used(functions)
        if kernels:
            support.append(_without_examples(numerics.exp_limit))
            support.append("_LIMITS = {np.dtype(t): exp_limit(t) for t in (np.float16, np.float32, np.float64, np.longdouble)}\n")
        if numerics.erf in kernels:
            support.append("import math\n\n_ERF = np.frompyfunc(math.erf, 1, 1)\n")
        support += [_without_examples(f) for f in (*kernels, check_arrays, _check_one)]
    support.append(inspect.getsource(_bad))
    return "\n".join(header) + "\n\n" + "\n\n".join([*support, *functions])


def _without_examples(function) -> str:
    """The source of ``function`` with the examples of its docstring left out (they test symbp, not the module)."""
    lines, skipping = [], False
    for line in inspect.getsource(function).splitlines():
        stripped = line.strip()
        if stripped in ("Examples", ">>>") or stripped.startswith(">>>"):
            skipping = True
        if skipping and stripped.endswith('"""'):
            skipping = False
            while lines and not lines[-1].strip():  # the blank line that led to the examples
                lines.pop()
            if lines[-1].lstrip().startswith('"""'):  # only the summary is left: one line
                lines[-1] += '"""'
                continue
        if not skipping:
            lines.append(line)
    return "\n".join(lines) + "\n"


def _bad(params, X, Y, need_y):
    """Raise ShapeError naming the first argument that is not what this function expects."""
    check_arrays(params, X, Y, SHAPES, str(DTYPE), need_y=need_y)  # noqa: F821 (module globals)
    raise ShapeError("arguments rejected: each must be a NumPy array (np.ndarray) of the shape and dtype "  # noqa: F821
                     "above")


@lru_cache(maxsize=32)
def _compiled(spec: NetworkSpec, dtype: str) -> dict:
    source = module_source(spec, dtype, standalone=False)
    filename = f"<symbp-lambdify-{spec.widths}-{dtype}-{abs(hash(source))}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {"np": np, "ShapeError": ShapeError, "check_arrays": check_arrays, **numerics.KERNELS}
    # The source is printed by symbp.emit from SymPy objects (user rules arrive parsed node by node by
    # symbp.exprparse, names checked as identifiers); no document or file text reaches it.
    exec(compile(source, filename, "exec"), namespace)  # safe: symbp's own printed code, as sympy.lambdify does
    namespace["__source__"] = source
    return namespace


def lambdify(net, dtype: str = "float64"):
    """``grad(params, X, Y) -> dict`` of dC/dW^[l], dC/db^[l], compiled from the matrix-form derivation.

    Parameters
    ----------
    net
        A :class:`symbp.Network` (or :class:`~symbp.spec.NetworkSpec`); its batch size is ignored.
    dtype
        ``"float64"`` or ``"float32"``: the dtype every array must have.

    Returns
    -------
    A function ``grad(params, X, Y)``: ``params`` maps ``"W1"``, ``"b1"``, ... to
    arrays of shape (n_l, n_(l-1)) and (n_l, 1), ``X`` is (n_0, m) and ``Y`` is
    (n_L, m) for any m; it returns the gradients under the same keys and shapes.
    ``grad.forward(params, X)`` and ``grad.cost(params, X, Y)`` come along, and
    ``grad.source`` is the generated code.

    Examples
    --------
    >>> from symbp import Network
    >>> grad = lambdify(Network([1, 1], ["linear"], "half_sse"))
    >>> g = grad({"W1": np.array([[2.0]]), "b1": np.array([[0.5]])}, np.array([[3.0, 1.0]]), np.array([[1.0, 0.0]]))
    >>> g["W1"], g["b1"]
    (array([[9.5]]), array([[4.]]))
    """
    spec = _spec(net)
    if dtype not in DTYPES:
        raise ShapeError(f"dtype must be one of {', '.join(DTYPES)}, got {dtype!r}")
    namespace = _compiled(_batch_free(spec), dtype)
    grad = namespace["gradients"]
    grad.forward, grad.cost, grad.source = namespace["forward"], namespace["cost"], namespace["__source__"]
    return grad


def lambdify_elements(net, dtype: str = "float64"):
    """The per-element autodiff gradients, lambdified with shared subexpressions, vectorized over the batch.

    For small networks and custom rules: the gradient of one example is compiled
    from the core's per-element expressions (:meth:`symbp.Network.gradient_program`),
    evaluated with every input entry a row of m values, and averaged. Same
    contract as :func:`lambdify`. Networks too large for the per-element path
    raise :class:`~symbp.errors.SymbpError` pointing to :func:`lambdify`.
    The derived formulas are evaluated as they are (no stable rewrites): for
    |z| beyond about 700 use :func:`lambdify`.

    Examples
    --------
    >>> from symbp import Network
    >>> grad = lambdify_elements(Network([1, 1], ["linear"], "half_sse"))
    >>> grad({"W1": np.array([[2.0]]), "b1": np.array([[0.5]])}, np.array([[3.0, 1.0]]), np.array([[1.0, 0.0]]))["W1"]
    array([[9.5]])
    """
    from .network import Network
    from .program import compile_program

    spec = _batch_free(_spec(net))
    element_net = Network.from_spec(spec)
    g = element_net.gradient_program()
    s = element_net.symbols
    inputs = [*s.parameter_symbols(), *s.X, *s.Y]
    fn = compile_program(g.program, inputs, [g.gradients[w] for w in s.parameter_symbols()], modules="numpy")
    shapes = _shapes(spec)
    kind = np.dtype(dtype)

    def grad(params, X, Y):
        check_arrays(params, X, Y, shapes, dtype)
        values = [v for k in shapes for v in params[k].ravel()] + list(X) + list(Y)
        m = X.shape[1]
        flat = [np.broadcast_to(np.asarray(v, dtype=kind), (m,)).mean(dtype=kind) for v in fn(*values)]
        out, start = {}, 0
        for k, shape in shapes.items():
            size = shape[0] * shape[1]
            out[k] = np.array(flat[start : start + size], dtype=kind).reshape(shape)
            start += size
        return out

    return grad
