"""The discrete derivatives ``D_x^n`` of (89) on a periodic grid.

Two choices, named by a string:

- ``"spectral"``: the Fourier multiplier ``(ik)^n`` (the Nyquist mode is dropped
  for odd ``n``, so ``D_x`` is real and skew-symmetric); exact on trigonometric
  polynomials the grid resolves.
- ``"fd2"``, ``"fd4"``, ...: ``D_x^n = (D_x)^n``, the n-th power of the central
  difference of accuracy order ``p`` for ``d/dx``; the paper's "discrete difference
  operator of order α" read literally as a power of ``D_x``. Error ``O(Δx^p)``.

Both are skew-symmetric, so ``Σ_j f_j (D_x^n g)_j = (-1)^n Σ_j (D_x^n f)_j g_j``:
the summation by parts behind ``Tr[A, B] = 0`` holds on the grid exactly.
"""

from __future__ import annotations

import functools

import jax.numpy as jnp
import numpy as np


def check_method(method) -> str:
    """Accept ``"spectral"`` or ``"fdP"`` with ``P`` even and positive."""
    if method == "spectral":
        return method
    accuracy = method[2:] if isinstance(method, str) else ""
    if (isinstance(method, str) and method.startswith("fd") and accuracy.isdigit()
            and int(accuracy) > 0 and int(accuracy) % 2 == 0):
        return method
    raise ValueError(
        f"derivative must be 'spectral' or 'fdP' with P an even accuracy order "
        f"('fd2', 'fd4', ...), got {method!r}."
    )


@functools.lru_cache(maxsize=None)
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


def _fd_once(values, weights, dx):
    total = jnp.zeros_like(values)
    for shift, weight in enumerate(weights, start=1):
        ahead = jnp.roll(values, -shift, axis=-1)
        behind = jnp.roll(values, shift, axis=-1)
        total = total + weight * (ahead - behind)
    return total / dx


def _spectral_multipliers(n_points: int, n_max: int, length: float) -> np.ndarray:
    wavenumbers = 2 * np.pi / length * np.arange(n_points // 2 + 1)
    powers = np.arange(n_max + 1)[:, None]
    multipliers = (1j * wavenumbers[None, :]) ** powers
    if n_points % 2 == 0:
        multipliers[1::2, -1] = 0.0
    return multipliers


def derivative_stack(values, n_max: int, length: float, method: str):
    """``[D^0 f, D^1 f, ..., D^{n_max} f]`` stacked on axis ``-3``.

    ``values`` has shape ``(..., P, N)``; the result ``(..., n_max + 1, P, N)``.
    """
    n_points = values.shape[-1]
    if method == "spectral":
        spectrum = jnp.fft.rfft(values, axis=-1)
        multipliers = _spectral_multipliers(n_points, n_max, length)
        stacked = spectrum[..., None, :, :] * multipliers[:, None, :]
        return jnp.fft.irfft(stacked, n=n_points, axis=-1)
    weights = central_weights(int(method[2:]))
    dx = length / n_points
    layers = [values]
    for _ in range(n_max):
        layers.append(_fd_once(layers[-1], weights, dx))
    return jnp.stack(layers, axis=-3)
