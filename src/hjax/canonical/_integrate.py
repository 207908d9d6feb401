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
            States after a failed step repeat the last good state.
    """

    q: object
    p: object
    dt: jax.Array
    failed_step: jax.Array

    @property
    def times(self) -> jax.Array:
        length = jax.tree.leaves(self.q)[0].shape[0]
        return self.dt * jnp.arange(length)


def run_steps(step: Callable, y0, steps: int):
    """Scan ``step(y) -> (y_new, failed)`` ``steps`` times.

    Returns the stacked states (leading axis ``steps + 1``) and the index of the
    first failing step (``-1`` if none): step ``k -> k+1`` fails when its
    ``failed`` flag is set or state ``k + 1`` is not finite. The scan emits each
    state before stepping it (so the output needs no concatenation; the one
    extra step at the end is discarded), and the finiteness check runs once,
    vectorised, after the scan: the loop body is only the step itself.
    """

    def body(y, _):
        y_new, failed = step(y)
        return y_new, (y, failed)

    _, (ys, failed) = jax.lax.scan(body, y0, None, length=steps + 1)
    failed = failed[:-1]
    for leaf in jax.tree.leaves(ys):
        finite = jnp.all(jnp.isfinite(leaf[1:].reshape(steps, -1)), axis=1)
        failed = failed | ~finite
    failed_step = jnp.where(jnp.any(failed), jnp.argmax(failed), -1).astype(jnp.int32)
    ys = jax.lax.cond(
        failed_step >= 0, _freeze_after, lambda ys, _: ys, ys, failed_step
    )
    return ys, failed_step


def _freeze_after(ys, failed_step):
    """Repeat the last good state after a failure, so no NaN reaches the user."""
    index = jnp.arange(jax.tree.leaves(ys)[0].shape[0])
    bad = index > failed_step

    def freeze(leaf):
        mask = bad.reshape((-1,) + (1,) * (leaf.ndim - 1))
        return jnp.where(mask, leaf[failed_step], leaf)

    return jax.tree.map(freeze, ys)


def report_failure(failed_step, throw: bool, what: str, outputs=None):
    """Raise ``IntegrationError`` naming the failing step, or pass ``outputs`` on.

    For concrete values the error names the step. Under a user's ``jit`` the
    check becomes an ``eqx.error_if`` attached to ``outputs`` (returned), so it
    runs whenever those outputs are used. Without ``outputs`` the status
    ``failed_step`` itself is what is returned (and guarded).
    """
    if outputs is None:
        outputs = failed_step
    if not throw:
        return outputs
    if is_concrete(failed_step):
        index = int(np.asarray(failed_step))
        if index >= 0:
            raise IntegrationError(
                f"{what}: step {index} -> {index + 1} failed (the implicit solve "
                "did not converge or the state became non-finite). Try a smaller "
                "dt, a larger max_steps, or pass throw=False and read "
                "Trajectory.failed_step."
            )
        return outputs
    return eqx.error_if(
        outputs,
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
    qs, ps = report_failure(failed_step, throw, "hjax.integrate", (qs, ps))
    return Trajectory(q=qs, p=ps, dt=dt, failed_step=failed_step)
