"""The discrete derivatives ``D_x^n`` of (89) on a periodic grid, and (89) itself.

Two choices of ``D_x``, named by a string:

- ``"spectral"``: the Fourier multiplier ``ik`` (the Nyquist mode is dropped for
  odd powers, so ``D_x`` is real and skew-symmetric); exact on trigonometric
  polynomials the grid resolves.
- ``"fd2"``, ``"fd4"``, ...: the central difference of accuracy order ``p`` for
  ``d/dx``, ``(D_x f)_j = Σ_s w_s (f_{j+s} − f_{j−s}) / Δx``, and ``D_x^n = (D_x)^n``:
  the paper's "discrete difference operator of order α" read as a power of
  ``D_x``. Error ``O(Δx^p)``.

Both are circulant, so the discrete Fourier transform diagonalises them: the
central difference has the multiplier ``i Σ_s 2 w_s sin(s k Δx) / Δx``. The
product (89) is evaluated through these multipliers (one forward transform of
``B``, one inverse transform per pair of powers of ``C`` and ``A``); for finite
differences this is the same linear operator as applying the stencil ``n``
times, computed with fewer operations.

Both operators are skew-symmetric, so ``Σ_j f_j (D_x^n g)_j = (-1)^n Σ_j
(D_x^n f)_j g_j``: the summation by parts behind ``Tr[A, B] = 0`` holds on the
grid exactly.
"""

from __future__ import annotations

import functools
import math

import jax.numpy as jnp
import numpy as np


def check_method(method) -> str:
    """Accept ``"spectral"`` or ``"fdP"`` with ``P`` even and positive."""
    if method == "spectral":
        return method
    accuracy = method[2:] if isinstance(method, str) else ""
    if (
        isinstance(method, str)
        and method.startswith("fd")
        and accuracy.isdigit()
        and int(accuracy) > 0
        and int(accuracy) % 2 == 0
    ):
        return method
    raise ValueError(
        f"derivative must be 'spectral' or 'fdP' with P an even accuracy order "
        f"('fd2', 'fd4', ...), got {method!r}."
    )


@functools.cache
def central_weights(accuracy: int) -> tuple[float, ...]:
    """Weights ``w_s`` with ``f' ≈ Σ_s w_s (f(x+sh) - f(x-sh)) / h``, ``s = 1..p/2``.

    They solve ``Σ_s 2 s^{2q+1} w_s = δ_{q0}`` for ``q < p/2`` (Taylor matching).
    """
    half = accuracy // 2
    offsets = np.arange(1, half + 1, dtype=float)
    system = np.array([2 * offsets ** (2 * q + 1) for q in range(half)])
    rhs = np.zeros(half)
    rhs[0] = 1.0
    return tuple(float(w) for w in np.linalg.solve(system, rhs))


def _modes(n_points: int, one_sided: bool) -> np.ndarray:
    if one_sided:
        return np.arange(n_points // 2 + 1, dtype=float)
    return np.fft.fftfreq(n_points, 1.0 / n_points)


def derivative_multiplier(n_points, length, method, one_sided=True) -> np.ndarray:
    """The Fourier multiplier of ``D_x`` on each mode (real transform if one-sided)."""
    wavenumbers = 2 * np.pi / length * _modes(n_points, one_sided)
    if method == "spectral":
        multiplier = 1j * wavenumbers
        if n_points % 2 == 0:
            multiplier[np.abs(_modes(n_points, one_sided)) == n_points // 2] = 0.0
        return multiplier
    dx = length / n_points
    weights = central_weights(int(method[2:]))
    sines = sum(
        2 * w * np.sin(s * wavenumbers * dx) for s, w in enumerate(weights, start=1)
    )
    return 1j * sines / dx


@functools.cache
def product_weights(shape_key, n_points, length, method, one_sided) -> np.ndarray:
    """``W[p, k, l, m] = binom(k, α) σ_m^α`` with ``α = k + l − p`` (89).

    ``σ_m`` is the multiplier of ``D_x`` on mode ``m``; ``shape_key`` is
    ``(highest_a, rows_a, highest_b, rows_b, floor)`` of the two operands.
    """
    high_a, rows_a, high_b, rows_b, floor = shape_key
    top = high_a + high_b
    sigma = derivative_multiplier(n_points, length, method, one_sided)
    weights = np.zeros((top - floor + 1, rows_a, rows_b, sigma.size), complex)
    for i, k in enumerate(range(high_a, high_a - rows_a, -1)):
        for j, l in enumerate(range(high_b, high_b - rows_b, -1)):
            for p in range(floor, k + l + 1):
                alpha = k + l - p
                weights[top - p, i, j] = _binomial(k, alpha) * sigma**alpha
    return weights


def _binomial(k: int, alpha: int) -> float:
    """``binom(k, α) = k (k-1) ... (k-α+1) / α!``, also for negative ``k``."""
    if k >= 0:
        return float(math.comb(k, alpha))
    return float((-1) ** alpha * math.comb(alpha - k - 1, alpha))


def product_values(a_values, b_values, shape_key, length, method):
    """The coefficients of ``C = A ∘ B`` by (89), shape ``(..., rows_c, N)``.

    ``c_p = Σ_k a_k ⊙ F⁻¹[Σ_l W[p, k, l] F[b_l]]``: the derivatives of ``B`` are
    taken in Fourier space, then multiplied by the coefficients of ``A``.
    """
    n_points = b_values.shape[-1]
    real = not (jnp.iscomplexobj(a_values) or jnp.iscomplexobj(b_values))
    weights = product_weights(shape_key, n_points, length, method, real)
    if real:
        spectrum = jnp.fft.rfft(b_values, axis=-1)
    else:
        spectrum = jnp.fft.fft(b_values, axis=-1)
    # Broadcast-and-sum rather than einsum: XLA's CPU complex dot is far slower.
    mixed = (weights * spectrum[..., None, None, :, :]).sum(axis=-2)
    if real:
        derivatives = jnp.fft.irfft(mixed, n=n_points, axis=-1)
    else:
        derivatives = jnp.fft.ifft(mixed, axis=-1)
    return (a_values[..., None, :, :] * derivatives).sum(axis=-2)
