"""Lie-Poisson test systems: the free rigid body and the heavy top.

Each function returns ``H(mu)`` for the momentum pytree of its algebra.
"""

from __future__ import annotations

from collections.abc import Callable

import jax.numpy as jnp

FIGURE_1_INERTIA = (1.0, 2.0, 3.0)


def rigid_body(inertia=FIGURE_1_INERTIA) -> Callable:
    """``H(Pi) = 1/2 sum_i Pi_i^2 / I_i`` on so(3)*; (20) is ``Pi' = Pi x Omega``."""
    moments = jnp.asarray(inertia, dtype=float)

    def hamiltonian(Pi):
        return 0.5 * jnp.sum(Pi**2 / moments)

    return hamiltonian


def heavy_top(
    inertia=FIGURE_1_INERTIA, weight: float = 1.0, centre_of_mass=(0.0, 0.0, 1.0)
) -> Callable:
    """``H(Pi, Gamma) = 1/2 sum Pi_i^2 / I_i + m g l chi . Gamma`` on se(3)*.

    ``weight`` is ``m g l`` and ``centre_of_mass`` the unit body vector ``chi``;
    (20) gives ``Pi' = Pi x Omega + m g l Gamma x chi``, ``Gamma' = Gamma x Omega``.
    """
    moments = jnp.asarray(inertia, dtype=float)
    chi = jnp.asarray(centre_of_mass, dtype=float)

    def hamiltonian(mu):
        Pi, Gamma = mu
        return 0.5 * jnp.sum(Pi**2 / moments) + weight * jnp.dot(chi, Gamma)

    return hamiltonian


def rigid_body_initial():
    """A generic start on the unit sphere, away from the separatrices."""
    Pi = jnp.array([1.0, 0.7, 0.4])
    return Pi / jnp.linalg.norm(Pi)


def heavy_top_initial():
    """``(Pi, Gamma)`` with ``|Gamma| = 1`` and ``Pi . Gamma != 0``."""
    Gamma = jnp.array([0.3, 0.4, jnp.sqrt(0.75)])
    return jnp.array([0.5, -0.3, 0.8]), Gamma
