"""Discrete symbols on a periodic grid, in JAX (§4.1, (87)-(92)).

A grid symbol ``p(x_j, ξ) = Σ_k a_{k,j} ξ^k`` (88) stores its coefficients as one
array ``values`` of shape ``(..., P, N)``: row ``i`` is the coefficient of
``ξ^{highest - i}`` sampled at ``x_j = j L / N``; leading axes are a batch. The
truncation rule is the one of the formal symbols (``hjax.symbols.Symbol``): an
inexact symbol is known down to ``ξ^{lowest}``, and products know as many powers
as their operands determine. All shapes are static, so every operation is
jit-able and vmap-able.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from .._validation import is_concrete
from ._differences import check_method, product_values
from ._formal import _check_power, _check_truncation


class GridSymbol(eqx.Module):
    """A discrete symbol (88) on ``N`` periodic points, product (89) with ``D_x``.

    Arguments:
        coefficients: ``{power: array of shape (..., N)}``, all of one shape.
        length: the period ``L`` of the grid (spacing ``Δx = L / N``).
        truncation: ``K`` keeps powers ``k >= -K``; ``None`` (default): exact.
        derivative: ``"spectral"`` or ``"fdP"`` (central differences of accuracy
            order ``P``, the paper's choice), see ``_differences``.

    Accuracy: on smooth periodic coefficients the spectral product agrees with
    the formal one to rounding, and ``"fdP"`` converges at order ``P``. Rounding in
    ``D_x^α`` grows like ``max|σ|^α ε`` (``σ`` the multiplier of ``D_x``, about
    ``N/2`` spectrally): keeping many powers on a fine grid (``α ≥ 6`` at
    ``N = 4096``) loses all digits of the deepest coefficients.
    """

    values: jax.Array
    highest: int = eqx.field(static=True)
    exact: bool = eqx.field(static=True)
    length: float = eqx.field(static=True)
    derivative: str = eqx.field(static=True)

    def __init__(
        self,
        coefficients: Mapping,
        *,
        length=2 * math.pi,
        truncation=None,
        derivative="spectral",
    ):
        truncation = _check_truncation(truncation)
        powers, arrays = _check_coefficients(coefficients, truncation)
        top, bottom = max(powers), min(powers)
        if truncation is not None:
            bottom = -truncation
        xp = np if is_concrete(arrays) else jnp  # NumPy: no compilation when eager
        zero = xp.zeros_like(arrays[0])
        rows = [
            arrays[powers.index(k)] if k in powers else zero
            for k in range(top, bottom - 1, -1)
        ]
        self.values = jnp.asarray(xp.stack(rows, axis=-2))
        self.highest = top
        self.exact = truncation is None
        self.length = _check_length(length)
        self.derivative = check_method(derivative)

    # -- shape and metadata -----------------------------------------------------

    @property
    def lowest(self) -> int:
        return self.highest - self.values.shape[-2] + 1

    @property
    def truncation(self) -> int | None:
        return None if self.exact else -self.lowest

    @property
    def n_points(self) -> int:
        return self.values.shape[-1]

    @property
    def dx(self) -> float:
        return self.length / self.n_points

    def coefficient(self, power: int):
        """The coefficient of ``ξ^power`` on the grid, shape ``(..., N)``."""
        power = _check_power(power)
        if power > self.highest:
            return jnp.zeros_like(self.values[..., 0, :])
        if power < self.lowest:
            if self.exact:
                return jnp.zeros_like(self.values[..., 0, :])
            raise ValueError(
                f"the coefficient of ξ^{power} is not known: this grid symbol is "
                f"truncated at ξ^{self.lowest}; build it with truncation >= {-power}."
            )
        return self.values[..., self.highest - power, :]

    def _rebuild(self, values, highest, exact) -> GridSymbol:
        return _assemble(values, highest, exact, self.length, self.derivative)

    def _check_compatible(self, other) -> GridSymbol:
        if not isinstance(other, GridSymbol):
            raise ValueError(
                f"expected a GridSymbol, got {type(other).__name__}; sample formal "
                "symbols with GridSymbol.from_formal."
            )
        if other.n_points != self.n_points:
            raise ValueError(
                f"grid coefficients of different lengths: {self.n_points} and "
                f"{other.n_points} points; sample both symbols on the same grid."
            )
        if (other.length, other.derivative) != (self.length, self.derivative):
            raise ValueError(
                f"grid symbols on different grids: (length, derivative) "
                f"{(self.length, self.derivative)} and "
                f"{(other.length, other.derivative)}."
            )
        return other

    # -- linear structure -------------------------------------------------------

    def __add__(self, other) -> GridSymbol:
        other = self._check_compatible(other)
        top = max(self.highest, other.highest)
        exact = self.exact and other.exact
        known = [s.lowest for s in (self, other) if not s.exact]
        bottom = max(known) if known else min(self.lowest, other.lowest)
        values = self._padded(top, bottom) + other._padded(top, bottom)
        return self._rebuild(values, top, exact)

    def _padded(self, top: int, bottom: int):
        """Rows ``ξ^top .. ξ^bottom`` (zeros outside, cut below ``bottom``)."""
        batch, dtype = self.values.shape[:-2], self.values.dtype
        above = jnp.zeros(batch + (top - self.highest, self.n_points), dtype)
        below = max(self.lowest - bottom, 0)
        under = jnp.zeros(batch + (below, self.n_points), dtype)
        stacked = jnp.concatenate([above, self.values, under], axis=-2)
        return stacked[..., : top - bottom + 1, :]

    def __neg__(self) -> GridSymbol:
        return self._rebuild(-self.values, self.highest, self.exact)

    def __sub__(self, other) -> GridSymbol:
        return self + (-other)

    def __rmul__(self, factor) -> GridSymbol:
        """``f * A``: multiply every coefficient by a scalar or a grid function."""
        factor = jnp.asarray(factor)
        scaled = self.values * (factor[..., None, :] if factor.ndim else factor)
        return self._rebuild(scaled, self.highest, self.exact)

    # -- the product (89) and what it gives ------------------------------------

    def __mul__(self, other) -> GridSymbol:
        return self.compose(other)

    def compose(self, other, *, truncation=None) -> GridSymbol:
        """``C = A ∘ B`` by (89): ``c_j = Σ_α (1/α!) ∂_ξ^α a_j D_x^α b_j``."""
        other = self._check_compatible(other)
        floor = _product_floor(self, other, _check_truncation(truncation))
        exact = floor is None
        floor = other.lowest if exact else floor
        top = self.highest + other.highest
        if floor > top:
            raise ValueError(
                f"no coefficient of A ∘ B is determined: its order is {top} but "
                f"the operands fix it only from ξ^{floor} down; raise their "
                "truncation."
            )
        shape_key = (
            self.highest,
            self.values.shape[-2],
            other.highest,
            other.values.shape[-2],
            floor,
        )
        values = _product_values(
            self.values, other.values, shape_key, self.length, self.derivative
        )
        return self._rebuild(values, top, exact)

    def bracket(self, other, *, truncation=None) -> GridSymbol:
        """``[A, B] = A ∘ B − B ∘ A`` (90)."""
        return self.compose(other, truncation=truncation) - other.compose(
            self, truncation=truncation
        )

    def pairing(self, other) -> jax.Array:
        """``⟨A, B⟩ = Tr(A ∘ B)`` (92)."""
        return self.compose(other).trace()

    def residue(self) -> jax.Array:
        """The coefficient ``a_{-1, j}`` of ``ξ⁻¹``, shape ``(..., N)``."""
        return self.coefficient(-1)

    def trace(self) -> jax.Array:
        """``Tr A = Δx Σ_j a_{-1,j}`` (91), the Riemann sum of ``∫ res A dx`` (45).

        The printed (91) omits ``Δx``; with it the trace converges to (45).
        """
        return self.dx * jnp.sum(self.residue(), axis=-1)

    def differential_part(self) -> GridSymbol:
        """``A₊``, the powers ``k ≥ 0`` (43); exact."""
        self.coefficient(0)
        rows = self.highest + 1
        if rows <= 0:
            return self._rebuild(jnp.zeros_like(self.values[..., :1, :]), 0, True)
        return self._rebuild(self.values[..., :rows, :], self.highest, True)

    def integral_part(self) -> GridSymbol:
        """``A₋``, the powers ``k < 0`` (43), with the same truncation."""
        self.coefficient(-1)
        start = max(self.highest + 1, 0)
        values = self.values[..., start:, :]
        if values.shape[-2] == 0:
            values = jnp.zeros_like(self.values[..., :1, :])
        return self._rebuild(values, min(self.highest, -1), self.exact)

    def to_dict(self) -> dict[int, jax.Array]:
        """``{power: coefficient array}`` for every stored power."""
        return {
            self.highest - i: self.values[..., i, :]
            for i in range(self.values.shape[-2])
        }

    @classmethod
    def from_formal(
        cls, symbol, n_points: int, *, length=2 * math.pi, derivative="spectral"
    ) -> GridSymbol:
        """Sample a formal ``Symbol`` at ``x_j = j L / N`` (88)."""
        from ._sampling import sample

        return sample(symbol, n_points, length=length, derivative=derivative)


def _assemble(values, highest, exact, length, derivative) -> GridSymbol:
    symbol = object.__new__(GridSymbol)
    object.__setattr__(symbol, "values", values)
    object.__setattr__(symbol, "highest", int(highest))
    object.__setattr__(symbol, "exact", bool(exact))
    object.__setattr__(symbol, "length", length)
    object.__setattr__(symbol, "derivative", derivative)
    return symbol


def _check_length(length) -> float:
    value = float(length)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"length must be a finite positive period, got {length!r}.")
    return value


def _check_coefficients(coefficients, truncation):
    if not isinstance(coefficients, Mapping) or not coefficients:
        raise ValueError(
            "coefficients must be a non-empty dict {power: array of shape (..., N)}."
        )
    powers = [_check_power(k) for k in coefficients]
    arrays = list(coefficients.values())
    if is_concrete(arrays):
        dtype = np.result_type(*(np.asarray(a) for a in arrays))
        arrays = [np.asarray(a, dtype=dtype) for a in arrays]
    else:
        arrays = [jnp.asarray(a) for a in arrays]
    shapes = {k: a.shape for k, a in zip(powers, arrays, strict=True)}
    if len(set(shapes.values())) > 1:
        listing = ", ".join(f"ξ^{k}: {shape}" for k, shape in shapes.items())
        raise ValueError(
            f"grid coefficients of different lengths (or batch shapes): {listing}; "
            "sample every coefficient on the same grid."
        )
    if arrays[0].ndim == 0:
        raise ValueError("grid coefficients must be arrays of shape (..., N).")
    if truncation is not None and min(powers) < -truncation:
        raise ValueError(
            f"coefficient of ξ^{min(powers)} lies below the truncation (lowest "
            f"kept power ξ^{-truncation}); raise truncation to {-min(powers)}."
        )
    return powers, arrays


def _product_floor(A: GridSymbol, B: GridSymbol, truncation):
    """Lowest power of ``A ∘ B`` to keep (``None``: exact), as for ``Symbol``."""
    candidates = [s.lowest + o.highest for s, o in ((A, B), (B, A)) if not s.exact]
    available = max(candidates) if candidates else None
    if truncation is None:
        if available is None and A.lowest < 0:
            raise ValueError(
                "the product of these two exact grid symbols is an infinite series "
                "(the left one has negative powers); pass truncation=K to compose."
            )
        return available
    if available is not None and -truncation < available:
        raise ValueError(
            f"truncation too low for this product: the operands determine A ∘ B "
            f"only down to ξ^{available}, but truncation={truncation} asks for "
            f"ξ^{-truncation}; raise the operands' truncation by "
            f"{available + truncation}."
        )
    return -truncation


_product_values = jax.jit(product_values, static_argnums=(2, 3, 4))
