"""What the theory promises, measured on g*: Casimirs, energy, Poisson map, order.

Every function takes the user's ``hamiltonian(mu)`` and pytree momenta; results
are plain floats or NumPy arrays.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import diffrax
import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from ..canonical._integrate import IntegrationError
from ..canonical.diagnostics import empirical_order
from ._algebra import AbstractLieAlgebra
from ._integrate import Trajectory, check_arguments, flat_hamiltonian, one_step
from ._solvers import lie_poisson_vector_field

__all__ = [
    "casimir_drift",
    "empirical_order",
    "energy_drift",
    "energy_error",
    "global_errors",
    "poisson_defect",
    "reference_solution",
]


def _flat_states(algebra, trajectory: Trajectory) -> jax.Array:
    return jax.vmap(algebra.flatten)(trajectory.mu)


def casimir_drift(algebra: AbstractLieAlgebra, trajectory: Trajectory) -> np.ndarray:
    """``max_k |C(mu_k) - C(mu_0)| / |C(mu_0)|`` for each of the algebra's Casimirs.

    A Casimir with ``C(mu_0) = 0`` is measured in absolute terms.
    """
    values = jax.vmap(algebra.casimirs)(_flat_states(algebra, trajectory))
    initial = jnp.abs(values[0])
    scale = jnp.where(initial > 0, initial, 1.0)
    return np.asarray(jnp.max(jnp.abs(values - values[0]), axis=0) / scale)


def energy_error(hamiltonian: Callable, trajectory: Trajectory) -> jax.Array:
    """``|H(mu_k) - H(mu_0)| / |H(mu_0)|`` for every ``k``."""
    energies = jax.vmap(hamiltonian)(trajectory.mu)
    return jnp.abs(energies - energies[0]) / jnp.abs(energies[0])


def energy_drift(hamiltonian: Callable, trajectory: Trajectory) -> float:
    """The maximum relative energy error over the trajectory."""
    return float(jnp.max(energy_error(hamiltonian, trajectory)))


def poisson_defect(hamiltonian: Callable, algebra, solver, mu, dt) -> float:
    """``max |D phi(mu) B(mu) D phi(mu)^T - B(phi(mu))|`` of one step ``phi``.

    ``B`` is the Lie-Poisson tensor (``algebra.poisson_tensor``); ``D phi`` is
    computed by forward-mode AD, through the root find by the implicit function
    theorem. Zero (to round-off) exactly when ``phi`` is a Poisson map.
    """
    check_arguments(mu, algebra, solver)
    flat = algebra.flatten(mu)
    return float(_poisson_defect(hamiltonian, algebra, solver, flat, jnp.asarray(dt)))


@eqx.filter_jit
def _poisson_defect(hamiltonian, algebra, solver, flat, dt):
    step = one_step(flat_hamiltonian(hamiltonian, algebra), algebra, solver)
    phi = lambda z: step(z, dt)[0]  # noqa: E731
    jacobian = jax.jacfwd(phi)(flat)
    pushed = jacobian @ algebra.poisson_tensor(flat) @ jacobian.T
    return jnp.max(jnp.abs(pushed - algebra.poisson_tensor(phi(flat))))


def reference_solution(
    hamiltonian: Callable, mu0, algebra, t_final: float, rtol: float = 1e-14
):
    """``mu(t_final)`` of (20) by diffrax's adaptive Dopri8 at tight tolerance.

    An oracle that shares no code with the Lie-Poisson solvers.
    """
    field = lie_poisson_vector_field(flat_hamiltonian(hamiltonian, algebra), algebra)
    solution = diffrax.diffeqsolve(
        diffrax.ODETerm(lambda t, y, args: field(y)),
        diffrax.Dopri8(),
        t0=0.0,
        t1=t_final,
        dt0=t_final / 1000,
        y0=algebra.flatten(mu0),
        stepsize_controller=diffrax.PIDController(rtol=rtol, atol=rtol),
        max_steps=1_000_000,
    )
    return algebra.unflatten(solution.ys[-1])


def global_errors(
    hamiltonian: Callable,
    mu0,
    algebra,
    solver,
    t_final: float,
    step_counts: Sequence[int],
    reference=None,
) -> tuple[np.ndarray, np.ndarray]:
    """Max-norm error at ``t_final`` for each number of steps: ``(dts, errors)``."""
    check_arguments(mu0, algebra, solver)
    if reference is None:
        reference = reference_solution(hamiltonian, mu0, algebra, t_final)
    exact = algebra.flatten(reference)
    step = one_step(flat_hamiltonian(hamiltonian, algebra), algebra, solver)
    dts, errors = [], []
    for n in step_counts:
        dt = t_final / n
        mu, failed = _final_state(
            step, algebra.flatten(mu0), jnp.asarray(dt), jnp.asarray(n)
        )
        if bool(failed):
            raise IntegrationError(f"global_errors: a step with dt={dt:g} failed.")
        errors.append(float(jnp.max(jnp.abs(mu - exact))))
        dts.append(dt)
    return np.asarray(dts), np.asarray(errors)


@eqx.filter_jit
def _final_state(step, mu, dt, steps):
    """State after ``steps`` steps; ``dt`` and ``steps`` traced (one compile)."""

    def body(_, carry):
        mu, failed = carry
        mu, step_failed = step(mu, dt)
        return mu, failed | step_failed

    return jax.lax.fori_loop(0, steps, body, (mu, jnp.asarray(False)))
