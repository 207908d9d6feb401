"""Test problems on T*Q, each with the initial data the experiments use.

Hamiltonians take flat arrays ``q``, ``p`` and return a scalar.
"""

from __future__ import annotations

import jax.numpy as jnp


def pendulum(q, p):
    """``H = p^2/2 - cos q``, the mathematical pendulum (separable)."""
    return 0.5 * jnp.sum(p**2) - jnp.sum(jnp.cos(q))


def kepler(q, p):
    """``H = |p|^2/2 - 1/|q|``, the Kepler problem in the plane (separable)."""
    return 0.5 * jnp.sum(p**2) - 1.0 / jnp.sqrt(jnp.sum(q**2))


def kepler_initial(eccentricity: float = 0.6):
    """Pericentre start of an orbit of eccentricity ``e`` with period ``2 pi``."""
    e = eccentricity
    q0 = jnp.array([1.0 - e, 0.0])
    p0 = jnp.array([0.0, jnp.sqrt((1.0 + e) / (1.0 - e))])
    return q0, p0


def nonseparable(q, p):
    """``H = |q|^2/2 + |p|^2/2 + (q . p)^2 / 2``: non-separable in any dimension.

    Its ``H_q`` depends on ``p`` (and couples the degrees of freedom), so every
    implicit step really iterates. Level sets are bounded, so runs stay bounded.
    """
    return 0.5 * (jnp.sum(q**2) + jnp.sum(p**2)) + 0.5 * jnp.dot(q, p) ** 2


def fpu_chain(q, p):
    """Separable chain with fixed ends: ``sum p^2/2 + sum V(q_{i+1} - q_i)``,
    ``V(r) = r^2/2 + r^4/4`` (Fermi-Pasta-Ulam-Tsingou beta)."""
    padded = jnp.concatenate([jnp.zeros(1, q.dtype), q, jnp.zeros(1, q.dtype)])
    stretch = jnp.diff(padded)
    return 0.5 * jnp.sum(p**2) + jnp.sum(0.5 * stretch**2 + 0.25 * stretch**4)


def fpu_initial(dof: int = 100):
    """A smooth low-mode start for ``fpu_chain`` with ``dof`` moving masses."""
    x = jnp.arange(1, dof + 1) / (dof + 1)
    return jnp.sin(jnp.pi * x), jnp.zeros(dof)
