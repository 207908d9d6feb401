"""The implicit half of every type-II step: solve P = p - g(P) for P.

A type-II generating-function step (82) and symplectic Euler both need the new
momentum ``P`` from the implicit relation ``P = p - g(P)`` with ``g`` the
``q``-gradient of the generating function at fixed old position. When ``g`` does
not depend on ``P`` at all (a separable Hamiltonian at order 1) the relation is
explicit and no root find is done: the dependency is read off the traced jaxpr.
"""

from __future__ import annotations

from collections.abc import Callable

import equinox as eqx
import jax
import jax.extend.core as jex
import jax.numpy as jnp
import optimistix as optx


def depends_on_input(fn: Callable, x) -> bool:
    """Whether the output of ``fn(x)`` depends on ``x`` through the data flow.

    Conservative: a nested call (pjit, custom_jvp, ...) that receives anything
    derived from ``x`` is taken to make all its outputs depend on ``x``.
    """
    closed = jax.make_jaxpr(fn)(x)
    tainted = set(closed.jaxpr.invars)
    for eqn in closed.jaxpr.eqns:
        if any(
            not isinstance(var, jex.Literal) and var in tainted for var in eqn.invars
        ):
            tainted.update(eqn.outvars)
    return any(
        not isinstance(var, jex.Literal) and var in tainted
        for var in closed.jaxpr.outvars
    )


def default_tolerance(dtype) -> float:
    """eps**0.75: one Newton step past it lands at round-off (quadratic rate)."""
    return float(jnp.finfo(dtype).eps) ** 0.75


class MomentumSolver(eqx.Module):
    """How the implicit relation P = p - g(P) is solved.

    Attributes:
        root_finder: an optimistix root finder, or ``None`` for Newton with
            tolerance ``eps**0.75`` of the working dtype (dense LU Jacobian).
            For large states pass e.g.
            ``optx.Newton(rtol, atol, linear_solver=lineax.GMRES(...))``, or a
            fixed-point solver such as ``optx.FixedPointIteration(rtol, atol)``:
            it iterates ``P <- p - g(P)`` with no Jacobian (cheaper per step and
            to compile) and converges when ``dt`` times the Lipschitz constant
            of ``g`` is below one; use tolerances near round-off, as its rate
            is linear.
        max_steps: iteration cap of the root find; a step that needs more is
            reported as not converged (never a silent NaN).
    """

    root_finder: optx.AbstractRootFinder | None = None
    max_steps: int = eqx.field(static=True, default=64)

    def solve(self, g: Callable, p: jax.Array):
        """Return ``(P, failed)`` with ``P = p - g(P)`` to solver tolerance.

        The iteration starts from ``p`` (its first Newton step is the explicit
        predictor ``p - g(p)`` corrected to second order), so the graph of
        ``g`` is not traced once more just for a starting guess.
        """
        if not depends_on_input(g, p):
            return p - g(p), jnp.asarray(False)
        finder = self.root_finder
        if finder is None:
            tol = default_tolerance(p.dtype)
            finder = optx.Newton(rtol=tol, atol=tol)
        if isinstance(finder, optx.AbstractFixedPointSolver):
            solve, residual = optx.fixed_point, lambda P, _: p - g(P)
        else:
            solve, residual = optx.root_find, lambda P, _: P - p + g(P)
        solution = solve(residual, finder, p, max_steps=self.max_steps, throw=False)
        failed = solution.result != optx.RESULTS.successful
        return solution.value, failed
