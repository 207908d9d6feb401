"""``integrate`` on g*: run a solver on the Lie-Poisson equation (20)."""

from __future__ import annotations

from collections.abc import Callable

import equinox as eqx
import jax
import jax.numpy as jnp

from .._validation import check_dt, check_finite, check_scalar_function, check_steps
from ..canonical._integrate import report_failure, run_steps
from ..canonical._solvers import AbstractExplicitSolver
from ._algebra import AbstractLieAlgebra
from ._solvers import LiePoissonHJ, lie_poisson_vector_field


class Trajectory(eqx.Module):
    """Momenta along a run: ``mu[k]`` at time ``k * dt``.

    Attributes:
        mu: pytree like ``mu0`` with a leading time axis of length ``steps + 1``.
        dt: the step size.
        failed_step: index ``k`` of the first step ``k -> k+1`` that failed
            (root find not converged, or a non-finite state), ``-1`` if none.
    """

    mu: object
    dt: jax.Array
    failed_step: jax.Array

    @property
    def times(self) -> jax.Array:
        return self.dt * jnp.arange(jax.tree.leaves(self.mu)[0].shape[0])


def one_step(hamiltonian: Callable, algebra, solver) -> Callable:
    """``(mu, dt) -> (mu_new, failed)`` on flat ``mu`` for any supported solver."""
    if isinstance(solver, LiePoissonHJ):
        return lambda mu, dt: solver.step(hamiltonian, algebra, mu, dt)
    field = lie_poisson_vector_field(hamiltonian, algebra)
    return lambda mu, dt: (solver.ode_step(field, mu, dt), jnp.asarray(False))


def flat_hamiltonian(hamiltonian: Callable, algebra) -> Callable:
    """``H`` on the coordinate vector of ``mu``."""
    return lambda vector: hamiltonian(algebra.unflatten(vector))


@eqx.filter_jit
def _integrate_jit(hamiltonian, algebra, solver, mu0, dt, steps: int):
    step = one_step(flat_hamiltonian(hamiltonian, algebra), algebra, solver)
    flat = algebra.flatten(mu0).astype(dt.dtype)
    mus, failed_step = run_steps(lambda mu: step(mu, dt), flat, steps)
    return jax.vmap(algebra.unflatten)(mus), failed_step


def check_arguments(mu0, algebra, solver) -> None:
    """The ``ValueError`` checks of ``integrate`` (also used by diagnostics)."""
    if not isinstance(algebra, AbstractLieAlgebra):
        raise ValueError(
            f"algebra must be an hjax.liepoisson algebra such as SO3() or SE3(), "
            f"got {algebra!r}."
        )
    if not isinstance(solver, LiePoissonHJ | AbstractExplicitSolver):
        raise ValueError(
            "solver must be hjax.liepoisson.LiePoissonHJ(order=m), "
            f"hjax.ExplicitEuler() or hjax.RK4(), got {solver!r}."
        )
    algebra.check_momentum(mu0, "mu0")
    check_finite(mu0, "mu0")


def integrate(
    hamiltonian: Callable,
    mu0,
    *,
    algebra: AbstractLieAlgebra,
    solver,
    dt,
    steps: int,
    throw: bool = True,
) -> Trajectory:
    """Integrate the Lie-Poisson equation (20) ``mu' = ad*_{dH/dmu} mu``.

    Args:
        hamiltonian: ``H(mu) -> scalar`` with ``mu`` shaped like ``mu0``.
        mu0: initial momentum in g*, a pytree of the algebra's shape
            (``SO3``: a 3-vector ``Pi``; ``SE3``: a tuple ``(Pi, Gamma)``).
        algebra: ``SO3()``, ``SE3()`` or a user subclass of ``AbstractLieAlgebra``.
        solver: ``LiePoissonHJ(order=m)``, or ``hjax.ExplicitEuler()`` /
            ``hjax.RK4()`` applied to (20).
        dt: step size, ``> 0``.
        steps: number of steps (a Python int).
        throw: raise ``IntegrationError`` naming the first failing step
            (default), or return the trajectory with ``failed_step`` set.

    Returns:
        A ``Trajectory`` whose ``mu`` has a leading axis of length ``steps + 1``.
    """
    check_arguments(mu0, algebra, solver)
    steps = check_steps(steps)
    check_dt(dt)
    check_scalar_function(hamiltonian, (mu0,), "hamiltonian")

    dtype = jnp.result_type(*jax.tree.leaves(mu0), float)
    dt = jnp.asarray(dt, dtype)
    mus, failed_step = _integrate_jit(hamiltonian, algebra, solver, mu0, dt, steps)
    mus = report_failure(failed_step, throw, "hjax.liepoisson.integrate", mus)
    return Trajectory(mu=mus, dt=dt, failed_step=failed_step)
