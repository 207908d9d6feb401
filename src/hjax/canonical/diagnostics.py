"""What the theory promises, measured: energy error, symplecticity defect, order.

All functions work on flat one-dimensional ``q``, ``p`` (or pytrees, which are
flattened) and return plain floats or arrays; none of them changes a trajectory.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import diffrax
import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
from jax.flatten_util import ravel_pytree

from ._integrate import IntegrationError, Trajectory
from ._solvers import AbstractSolver, hamiltonian_vector_field


def energy_error(hamiltonian: Callable, trajectory: Trajectory) -> jax.Array:
    """``|H(q_k, p_k) - H(q_0, p_0)|`` for every ``k`` of the trajectory."""
    energies = jax.vmap(hamiltonian)(trajectory.q, trajectory.p)
    return jnp.abs(energies - energies[0])


def one_step_map(hamiltonian: Callable, solver: AbstractSolver, dt) -> Callable:
    """The map ``z = (q, p) -> (q', p')`` of one step, on the flat vector ``z``."""

    def step(z):
        q, p = jnp.split(z, 2)
        q_new, p_new, _ = solver.step(hamiltonian, q, p, dt)
        return jnp.concatenate([q_new, p_new])

    return step


def symplecticity_defect(
    hamiltonian: Callable, solver: AbstractSolver, q, p, dt
) -> float:
    """``max |J^T Omega J - Omega|`` of the one-step map at ``(q, p)``, (3).

    ``J`` is the Jacobian of the step by forward-mode AD (through the implicit
    solve by the implicit function theorem); ``Omega = [[0, I], [-I, 0]]``.
    ``hamiltonian`` takes flat ``q``, ``p`` of equal length.
    """
    z = jnp.concatenate([jnp.ravel(q), jnp.ravel(p)])
    return float(_symplecticity_defect(hamiltonian, solver, z, jnp.asarray(dt)))


@eqx.filter_jit
def _symplecticity_defect(hamiltonian, solver, z, dt):
    n = z.shape[0] // 2
    jacobian = jax.jacfwd(one_step_map(hamiltonian, solver, dt))(z)
    eye, zero = jnp.eye(n), jnp.zeros((n, n))
    omega = jnp.block([[zero, eye], [-eye, zero]])
    return jnp.max(jnp.abs(jacobian.T @ omega @ jacobian - omega))


class _HamiltonianField(eqx.Module):
    """Hamilton's equations as a diffrax vector field; equal for equal ``H``,
    so repeated reference solves reuse one compilation."""

    hamiltonian: Callable = eqx.field(static=True)

    def __call__(self, t, y, args):
        return hamiltonian_vector_field(self.hamiltonian)(y)


def reference_solution(
    hamiltonian: Callable, q0, p0, t_final: float, rtol: float = 1e-13
):
    """``(q, p)`` at ``t_final`` by diffrax's adaptive Dopri8 at tight tolerance.

    An independent oracle for order studies: it shares no code with the
    generating-function solvers.
    """
    solution = diffrax.diffeqsolve(
        diffrax.ODETerm(_HamiltonianField(hamiltonian)),
        diffrax.Dopri8(),
        t0=0.0,
        t1=t_final,
        dt0=t_final / 1000,
        y0=(jnp.asarray(q0, float), jnp.asarray(p0, float)),
        stepsize_controller=diffrax.PIDController(rtol=rtol, atol=rtol),
        max_steps=1_000_000,
    )
    return jax.tree.map(lambda a: a[-1], solution.ys)


def global_errors(
    hamiltonian: Callable,
    solver: AbstractSolver,
    q0,
    p0,
    t_final: float,
    step_counts: Sequence[int],
    reference=None,
) -> tuple[np.ndarray, np.ndarray]:
    """Max-norm error at ``t_final`` for each number of steps.

    Returns ``(dts, errors)`` as NumPy arrays.
    """
    if reference is None:
        reference = reference_solution(hamiltonian, q0, p0, t_final)
    exact, _ = ravel_pytree(reference)
    q0 = jnp.ravel(jnp.asarray(q0, exact.dtype))
    p0 = jnp.ravel(jnp.asarray(p0, exact.dtype))
    dts, errors = [], []
    for n in step_counts:
        dt = t_final / n
        q, p, failed = _final_state(hamiltonian, solver, q0, p0, dt, n)
        if bool(failed):
            raise IntegrationError(f"global_errors: a step with dt={dt:g} failed.")
        errors.append(float(jnp.max(jnp.abs(jnp.concatenate([q, p]) - exact))))
        dts.append(dt)
    return np.asarray(dts), np.asarray(errors)


@eqx.filter_jit
def _final_state(hamiltonian, solver, q, p, dt, steps):
    """State after ``steps`` steps (a traced count: one compilation for all)."""

    def body(_, carry):
        q, p, failed = carry
        q, p, step_failed = solver.step(hamiltonian, q, p, dt)
        return q, p, failed | step_failed

    return jax.lax.fori_loop(0, steps, body, (q, p, jnp.asarray(False)))


def empirical_order(dts, errors, floor: float = 1e-12) -> float:
    """Slope of ``log(error)`` against ``log(dt)`` by least squares.

    Points at or below ``floor`` (the round-off plateau) are ignored, and so is
    any point whose error does not fall when ``dt`` falls (the plateau's edge).
    At least two points must remain.
    """
    dts, errors = np.asarray(dts, float), np.asarray(errors, float)
    order = np.argsort(dts)[::-1]
    dts, errors = dts[order], errors[order]
    keep = [0]
    for i in range(1, len(dts)):
        if errors[i] > floor and errors[i] < errors[keep[-1]]:
            keep.append(i)
    keep = [i for i in keep if errors[i] > floor]
    if len(keep) < 2:
        raise ValueError(
            "empirical_order needs two errors above the round-off floor "
            f"{floor:g}; got errors {errors.tolist()}. Use larger step sizes."
        )
    slope, _ = np.polyfit(np.log(dts[keep]), np.log(errors[keep]), 1)
    return float(slope)
