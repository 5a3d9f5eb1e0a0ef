"""The one NumPy rule for ``np.sum`` (:meth:`symbp.documents.pieces.NpSum.along_axis`), against NumPy itself."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from symbp.documents.pieces import Node, NpSum

X = np.array([[1, 2, 3], [4, 5, 6]])


@pytest.mark.parametrize("axis", [0, 1])
@pytest.mark.parametrize("keepdims", [False, True])
def test_along_axis_is_what_numpy_gives_as_broadcast(axis, keepdims):
    """NumPy's result, a 1-D array taken as the row it broadcasts as, is the independent oracle."""
    piece = NpSum(Node("x", (0, 1)), axis, keepdims)
    expected = np.atleast_2d(np.sum(X, axis=axis, keepdims=keepdims))
    assert piece.along_axis(sp.Matrix(X), sp.ones).tolist() == expected.tolist()
    assert piece.flattens is (axis == 1 and not keepdims)


@pytest.mark.parametrize("axis, keepdims, shape", [(0, False, (1, "n")), (1, False, (1, "m")), (1, True, ("m", 1))])
def test_along_axis_of_a_symbolic_shape(axis, keepdims, shape):
    m, n = sp.symbols("m n", integer=True, positive=True)
    summed = NpSum(Node("x", (0, 1)), axis, keepdims).along_axis(sp.MatrixSymbol("X", m, n), sp.OneMatrix)
    assert summed.shape == tuple({"m": m, "n": n}.get(s, s) for s in shape)


@pytest.mark.parametrize("axis", [None, 2, -1])
def test_along_axis_leaves_other_axes_to_the_caller(axis):
    assert NpSum(Node("x", (0, 1)), axis, False).along_axis(sp.Matrix(X), sp.ones) is None
