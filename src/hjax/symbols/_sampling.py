"""Sampling a formal symbol on a periodic grid (88): ``a_{k,j} = a_k(x_j)``."""

from __future__ import annotations

import functools
import math
import numbers

import numpy as np
import sympy as sp

from ._formal import Symbol
from ._grid import GridSymbol


def grid_points(n_points: int, length: float = 2 * math.pi) -> np.ndarray:
    """``x_j = j L / N`` for ``j = 0, ..., N - 1``."""
    if (
        isinstance(n_points, bool)
        or not isinstance(n_points, numbers.Integral)
        or n_points < 2
    ):
        raise ValueError(f"n_points must be an int >= 2, got {n_points!r}.")
    return np.arange(int(n_points)) * (float(length) / int(n_points))


def sample_expression(expression, x, points: np.ndarray) -> np.ndarray:
    """Evaluate a SymPy expression in ``x`` at ``points`` (float or complex)."""
    expression = sp.sympify(expression).doit()
    free = expression.free_symbols - {x}
    if free or expression.atoms(sp.core.function.AppliedUndef):
        raise ValueError(
            f"cannot sample {expression} on a grid: it depends on "
            f"{sorted(map(str, free)) or 'undefined functions'} besides {x}."
        )
    values = _compiled(expression, x)(points)
    return np.broadcast_to(np.asarray(values), points.shape).copy()


@functools.lru_cache(maxsize=256)
def _compiled(expression, x):
    """``lambdify`` once per expression (it dominates repeated sampling)."""
    return sp.lambdify(x, expression, "numpy")


def sample(
    symbol: Symbol, n_points: int, *, length=2 * math.pi, derivative="spectral"
) -> GridSymbol:
    """The grid symbol (88) with ``a_{k,j} = a_k(x_j)``, same truncation."""
    points = grid_points(n_points, length)
    coefficients = {
        k: sample_expression(v, symbol.x, points)
        for k, v in symbol.coefficients.items()
    }
    if not coefficients:
        top = 0 if symbol.exact else symbol.floor
        coefficients = {top: np.zeros(n_points)}
    return GridSymbol(
        coefficients, length=length, truncation=symbol.truncation, derivative=derivative
    )
