"""One step on g*: the Lie-Poisson Hamilton-Jacobi map and the field (20)."""

from __future__ import annotations

import numbers
from collections.abc import Callable

import equinox as eqx
import jax
import optimistix as optx

from ..canonical._implicit import default_tolerance
from ..canonical._series import Taylor
from ._algebra import AbstractLieAlgebra
from ._series import odd_gradients


def lie_poisson_vector_field(
    hamiltonian: Callable, algebra: AbstractLieAlgebra
) -> Callable:
    """``mu -> ad*_{dH/dmu} mu``, the Lie-Poisson equation (20) on flat ``mu``."""
    gradient = jax.grad(hamiltonian)

    def field(mu):
        return algebra.ad_star(gradient(mu), mu)

    return field


def check_series_order(order) -> int:
    if isinstance(order, bool) or not isinstance(order, numbers.Integral):
        raise ValueError(
            f"order must be an int >= 1 (the number of terms m of the generating "
            f"function series (38)), got {order!r} of type {type(order).__name__}."
        )
    if order < 1:
        raise ValueError(
            f"order must be >= 1, got order={order}; order=1 is the truncation "
            "(38) of the generating function."
        )
    return int(order)


class LiePoissonHJ(eqx.Module):
    """Lie-Poisson Hamilton-Jacobi integrator with ``m`` terms of (38).

    Properties: accuracy order ``m + 1`` for odd ``m`` and ``m`` for even ``m``
    (the generating function is odd in ``dt``, so ``G_2 = G_4 = ... = 0`` and
    ``m = 1, 2`` are the same second-order method); a Poisson map for the
    Lie-Poisson bracket (Ge-Marsden); every Casimir preserved to round-off, as
    ``mu_{k+1}`` is a coadjoint action on ``mu_k``; symmetric (time-reversible);
    implicit (an optimistix root find of dimension ``dim g`` per step).

    One step, with ``G = sum_{i<=m} dt^i G_i`` the Legendre-transformed
    solution of the reduced Hamilton-Jacobi equation (22) / (35):

        nu = dexp(xi)^T mu_k,  xi = dG/dnu (nu),   (the implicit relation (36))
        mu_{k+1} = Ad*_{exp xi} mu_k                 (the explicit relation (37))

    At ``m = 1``, ``xi = dt dH/dmu (nu)`` with ``nu`` a midpoint-like momentum.
    For a semidirect product (Theorem 3.1) the same step uses the algebra's
    semidirect bracket and group action. See ``hjax.liepoisson._series`` for the
    derivation and docs/notes/liepoisson.md for the sign conventions.

    Attributes:
        order: ``m >= 1``, the number of terms of the series.
        taylor: ``"jet"`` (Taylor mode) or ``"jvp"`` (nested forward mode).
        root_finder: an optimistix root finder, or ``None`` for Newton with
            tolerance ``eps**0.75`` of the working dtype.
        max_steps: iteration cap; a step that needs more is reported as failed.

    Reference: the paper's §3.1, (22), (35)-(38); Ge & Marsden (1988);
    Hairer, Lubich, Wanner, Geometric Numerical Integration, §VII.5.
    """

    order: int = eqx.field(static=True, default=1)
    taylor: Taylor = eqx.field(static=True, default="jet")
    root_finder: optx.AbstractRootFinder | None = None
    max_steps: int = eqx.field(static=True, default=64)

    def __check_init__(self):
        check_series_order(self.order)
        if self.taylor not in ("jet", "jvp"):
            raise ValueError(f"taylor must be 'jet' or 'jvp', got {self.taylor!r}.")

    def group_coordinates(self, hamiltonian, algebra, dt) -> Callable:
        """``nu -> xi = sum_i dt^i dG_i/dnu (nu)``."""
        gradients = odd_gradients(hamiltonian, algebra, self.order, self.taylor)

        def xi_of(nu):
            terms = gradients(nu)
            return sum(dt**i * g for i, g in enumerate(terms, start=1))

        return xi_of

    def step(self, hamiltonian, algebra: AbstractLieAlgebra, mu, dt):
        """``(mu_k, dt) -> (mu_{k+1}, failed)`` on the flat coordinates ``mu``."""
        xi_of = self.group_coordinates(hamiltonian, algebra, dt)
        guess = algebra.dexp_transpose(dt * jax.grad(hamiltonian)(mu), mu)
        finder = self.root_finder
        if finder is None:
            tolerance = default_tolerance(mu.dtype)
            finder = optx.Newton(rtol=tolerance, atol=tolerance)
        solution = optx.root_find(
            lambda nu, _: nu - algebra.dexp_transpose(xi_of(nu), mu),
            finder,
            guess,
            max_steps=self.max_steps,
            throw=False,
        )
        failed = solution.result != optx.RESULTS.successful
        return algebra.coadjoint_exp(xi_of(solution.value), mu), failed
