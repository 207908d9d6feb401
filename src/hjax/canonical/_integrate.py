"""``integrate``: run a one-step method over a fixed number of steps."""

from __future__ import annotations

from collections.abc import Callable

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
from jax.flatten_util import ravel_pytree

from .._validation import (
    check_dt,
    check_finite,
    check_same_structure,
    check_scalar_function,
    check_steps,
    is_concrete,
)
from ._solvers import AbstractSolver


class IntegrationError(RuntimeError):
    """A step failed: its implicit solve did not converge or its state is not
    finite. The message names the first failing step."""


class Trajectory(eqx.Module):
    """States along a run: ``q[k]``, ``p[k]`` at time ``k * dt``.

    Attributes:
        q, p: pytrees like ``q0``, ``p0`` with a leading time axis ``steps + 1``.
        dt: the step size.
        failed_step: index ``k`` of the first step ``k -> k+1`` that failed
            (root find not converged, or a non-finite state), ``-1`` if none.
            States after a failed step are not meaningful.
    """

    q: object
    p: object
    dt: jax.Array
    failed_step: jax.Array

    @property
    def times(self) -> jax.Array:
        length = jax.tree.leaves(self.q)[0].shape[0]
        return self.dt * jnp.arange(length)


def _all_finite(*arrays) -> jax.Array:
    return jnp.all(jnp.stack([jnp.all(jnp.isfinite(a)) for a in arrays]))


def run_steps(step: Callable, y0, steps: int):
    """Scan ``step(y) -> (y_new, failed)`` ``steps`` times.

    Returns the stacked states (leading axis ``steps + 1``) and the index of the
    first failing step (``-1`` if none). After a failure the state is frozen, so
    no NaN spreads through the rest of the run.
    """

    def body(carry, index):
        y, failed_step = carry
        y_new, failed = step(y)
        failed = failed | ~_all_finite(*jax.tree.leaves(y_new))
        first_failure = (failed_step < 0) & failed
        failed_step = jnp.where(first_failure, index, failed_step)
        y_new = jax.tree.map(
            lambda new, old: jnp.where(failed_step >= 0, old, new), y_new, y
        )
        return (y_new, failed_step), y_new

    init = (y0, jnp.asarray(-1, dtype=jnp.int32))
    (_, failed_step), ys = jax.lax.scan(body, init, jnp.arange(steps, dtype=jnp.int32))
    ys = jax.tree.map(lambda a, b: jnp.concatenate([a[None], b]), y0, ys)
    return ys, failed_step


def report_failure(failed_step, throw: bool, what: str):
    """Raise ``IntegrationError`` naming the failing step, or pass the status on."""
    if not throw:
        return failed_step
    if is_concrete(failed_step):
        index = int(np.asarray(failed_step))
        if index >= 0:
            raise IntegrationError(
                f"{what}: step {index} -> {index + 1} failed (the implicit solve "
                "did not converge or the state became non-finite). Try a smaller "
                "dt, a larger max_steps, or pass throw=False and read "
                "Trajectory.failed_step."
            )
        return failed_step
    return eqx.error_if(
        failed_step,
        failed_step >= 0,
        f"{what}: a step failed (implicit solve not converged or non-finite "
        "state). Pass throw=False and read Trajectory.failed_step for its index.",
    )


@eqx.filter_jit
def _integrate_jit(hamiltonian, solver, q0, p0, dt, steps: int):
    q_flat, unravel_q = ravel_pytree(q0)
    p_flat, unravel_p = ravel_pytree(p0)
    dtype = jnp.result_type(q_flat, p_flat, float)

    def flat_hamiltonian(q, p):
        return hamiltonian(unravel_q(q), unravel_p(p))

    def step(state):
        q, p = state
        q_new, p_new, failed = solver.step(flat_hamiltonian, q, p, dt)
        return (q_new, p_new), failed

    initial = (q_flat.astype(dtype), p_flat.astype(dtype))
    (qs, ps), failed_step = run_steps(step, initial, steps)
    return jax.vmap(unravel_q)(qs), jax.vmap(unravel_p)(ps), failed_step


def integrate(
    hamiltonian: Callable,
    q0,
    p0,
    *,
    solver: AbstractSolver,
    dt,
    steps: int,
    throw: bool = True,
) -> Trajectory:
    """Integrate Hamilton's equations (2) of ``hamiltonian`` from ``(q0, p0)``.

    Args:
        hamiltonian: ``H(q, p) -> scalar``; ``q``, ``p`` pytrees like ``q0``, ``p0``.
        q0, p0: initial position and momentum, arrays or pytrees of equal
            structure and shapes.
        solver: ``GeneratingFunction(order=m)``, ``SymplecticEuler()``,
            ``ExplicitEuler()`` or ``RK4()``.
        dt: step size, ``> 0``.
        steps: number of steps (a Python int).
        throw: raise ``IntegrationError`` naming the first failing step (default),
            or return the trajectory with ``failed_step`` set.

    Returns:
        A ``Trajectory`` whose ``q``, ``p`` have leading axis ``steps + 1``.

    Jit- and vmap-able in ``q0``, ``p0`` and ``dt``; the loop is a ``lax.scan``.
    """
    if not isinstance(solver, AbstractSolver):
        raise ValueError(
            f"solver must be an hjax solver such as hjax.GeneratingFunction(order=2)"
            f", got {solver!r}."
        )
    steps = check_steps(steps)
    check_dt(dt)
    check_same_structure(q0, p0, "q0", "p0")
    check_finite(q0, "q0")
    check_finite(p0, "p0")
    check_scalar_function(hamiltonian, (q0, p0), "hamiltonian")

    dtype = jnp.result_type(*jax.tree.leaves((q0, p0)), float)
    dt = jnp.asarray(dt, dtype)
    qs, ps, failed_step = _integrate_jit(hamiltonian, solver, q0, p0, dt, steps)
    failed_step = report_failure(failed_step, throw, "hjax.integrate")
    return Trajectory(q=qs, p=ps, dt=dt,
failed_step=failed_step)
