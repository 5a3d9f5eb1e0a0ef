"""Numerically stable NumPy kernels for the compiled gradients.

Each kernel stays finite and accurate for pre-activations up to |z| = 1000 (and
beyond) in float64 and float32, without overflow warnings:

* :func:`sigmoid` computes ``1 / (1 + exp(-z))`` with ``-z`` clipped where
  ``exp`` would overflow (there the true value is below the smallest normal
  number anyway), so it keeps full relative accuracy wherever the result is a
  normal number, in five in-place passes;
* :func:`log_sigmoid` and :func:`softplus` use ``logaddexp``; :func:`softmax`
  and :func:`log_softmax` subtract the column maximum first;
* :func:`cross_entropy` and :func:`binary_cross_entropy` take logits, never the
  probabilities, so ``log(0)`` cannot happen.

Kernels take an optional ``out`` (which may be ``z`` itself) so the generated
code can work in place. They are plain NumPy with no SymPy import, so
``symbp codegen`` can copy them into a standalone module
(:data:`KERNELS` lists them). One kernel is about speed, not accuracy:
:func:`pad_rows`, with which the generated code pads the left factor of some
matrix products with zero rows (see :func:`symbp.lowering.padding`).
Non-goals: other backends, autodiff.
"""

import math

import numpy as np

__all__ = [
    "sigmoid",
    "log_sigmoid",
    "softplus",
    "softmax",
    "log_softmax",
    "cross_entropy",
    "binary_cross_entropy",
    "exp_limit",
    "pad_rows",
    "KERNELS",
]


def exp_limit(dtype) -> float:
    """The largest whole x with ``exp(x)`` finite in ``dtype`` (709 in float64, 88 in float32).

    >>> exp_limit(np.float64), exp_limit(np.float32)
    (709.0, 88.0)
    """
    return float(np.floor(np.log(np.finfo(dtype).max)))


_LIMITS = {np.dtype(t): exp_limit(t) for t in (np.float16, np.float32, np.float64, np.longdouble)}


def sigmoid(z, out=None):
    """The logistic function ``1 / (1 + exp(-z))``, elementwise, without overflow.

    Relative error of a few ulp wherever the result is a normal number (z > -708
    in float64, z > -87 in float32); below that, an absolute error under the
    smallest normal number (the true value underflows anyway).

    >>> sigmoid(np.array([-1000.0, -30.0, 0.0, 1000.0]))
    array([1.21678075e-308, 9.35762297e-014, 5.00000000e-001, 1.00000000e+000])
    """
    z = np.asarray(z)
    limit = _LIMITS.get(z.dtype, 709.0)
    out = np.negative(z, out=out)
    np.minimum(out, limit, out=out)  # exp(-z) overflows past here; sigmoid(z) < 1e-308 there
    np.exp(out, out=out)
    out += 1.0
    return np.divide(1.0, out, out=out)  # the correctly rounded 1/x, as np.reciprocal, but its loop is twice as fast


def softplus(z, out=None):
    """``log(1 + exp(z))``, elementwise, exact to rounding for every z.

    >>> softplus(np.array([-1000.0, 0.0, 1000.0]))
    array([0.00000000e+00, 6.93147181e-01, 1.00000000e+03])
    """
    return np.logaddexp(0.0, z, out=out)


def log_sigmoid(z, out=None):
    """``log(sigmoid(z)) = -softplus(-z)``, elementwise.

    >>> log_sigmoid(np.array([-1000.0, 1000.0]))
    array([-1000.,    -0.])
    """
    out = np.negative(z, out=out)
    np.logaddexp(0.0, out, out=out)
    return np.negative(out, out=out)


def softmax(z, axis=0):
    """Softmax along ``axis`` (columns by default: examples are columns).

    >>> softmax(np.array([[1000.0], [0.0]])).ravel()
    array([1., 0.])
    """
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    e /= np.sum(e, axis=axis, keepdims=True)
    return e


def log_softmax(z, axis=0):
    """``log(softmax(z))`` along ``axis``, finite wherever z is.

    >>> log_softmax(np.array([[1000.0], [0.0]])).ravel()
    array([    0., -1000.])
    """
    u = z - np.max(z, axis=axis, keepdims=True)
    return u - np.log(np.sum(np.exp(u), axis=axis, keepdims=True))


def cross_entropy(z, y):
    """Mean over the columns of ``-sum_j y_j log softmax(z)_j``, from the logits ``z``.

    >>> cross_entropy(np.array([[1000.0], [0.0]]), np.array([[0.0], [1.0]]))
    1000.0
    """
    return float(-np.sum(y * log_softmax(z)) / z.shape[1])


def binary_cross_entropy(z, y):
    """Mean over the columns of ``-sum_j [y log sigmoid(z) + (1 - y) log(1 - sigmoid(z))]``, from logits.

    >>> binary_cross_entropy(np.array([[-1000.0]]), np.array([[1.0]]))
    1000.0
    """
    return float(-np.sum(y * log_sigmoid(z) + (1 - y) * log_sigmoid(-z)) / z.shape[1])


def erf(z, out=None):
    """The error function, elementwise, in ``z``'s dtype (GELU uses it).

    NumPy has no vectorized erf: this calls :func:`math.erf` value by value (correctly rounded to a
    few ulp, but a Python call per entry: about 0.1 µs each).

    Examples
    --------
    >>> erf(np.array([0.0, 1.0, -3.0]))
    array([ 0.        ,  0.84270079, -0.99997791])
    """
    z = np.asarray(z)
    values = _ERF(z).astype(z.dtype if z.dtype.kind == "f" else np.float64)
    if out is None:
        return values
    out[...] = values
    return out


_ERF = np.frompyfunc(math.erf, 1, 1)


def pad_rows(a, rows):
    """A new C-contiguous copy of ``a`` with zero rows appended up to ``rows`` rows.

    >>> pad_rows(np.array([[1.0, 2.0]]), 3)
    array([[1., 2.],
           [0., 0.],
           [0., 0.]])
    """
    out = np.empty((rows, a.shape[1]), a.dtype)
    out[: a.shape[0]] = a
    out[a.shape[0] :] = 0
    return out


#: Kernels the generated code may call, by name (copied into standalone modules by ``symbp codegen``).
KERNELS = {f.__name__: f for f in (sigmoid, softplus, log_sigmoid, erf, pad_rows)}
