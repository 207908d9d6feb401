"""One-step methods on T*Q for ``H(q, p)`` given on flat arrays.

Every solver has ``step(hamiltonian, q, p, dt) -> (q_new, p_new, failed)``;
``failed`` is a boolean scalar that is true when an implicit solve did not
converge. Explicit solvers also provide ``ode_step(vector_field, y, dt)`` for any
vector field on a pytree, which the Lie-Poisson module reuses for (20).
"""

from __future__ import annotations

from collections.abc import Callable

import equinox as eqx
import jax
import jax.numpy as jnp
import optimistix as optx

from .._validation import check_order
from ._implicit import MomentumSolver
from ._series import Taylor, generating_function_gradients


def hamiltonian_vector_field(hamiltonian: Callable) -> Callable:
    """``X_H(q, p) = (dH/dp, -dH/dq)``, Hamilton's equations (2)."""
    gradient = jax.grad(hamiltonian, argnums=(0, 1))

    def field(state):
        dq, dp = gradient(*state)
        return dp, jax.tree.map(jnp.negative, dq)

    return field


def _axpy(a, x, y):
    return jax.tree.map(lambda xi, yi: yi + a * xi, x, y)


class AbstractSolver(eqx.Module):
    def step(self, hamiltonian, q, p, dt):
        raise NotImplementedError


class AbstractExplicitSolver(AbstractSolver):
    def ode_step(self, vector_field: Callable, y, dt):
        raise NotImplementedError

    def step(self, hamiltonian, q, p, dt):
        field = hamiltonian_vector_field(hamiltonian)
        q_new, p_new = self.ode_step(field, (q, p), dt)
        return q_new, p_new, jnp.asarray(False)


class ExplicitEuler(AbstractExplicitSolver):
    """Explicit Euler: order 1, explicit, not symplectic. A baseline of the paper.

    ``y_{k+1} = y_k + dt f(y_k)``.
    """

    def ode_step(self, vector_field, y, dt):
        return _axpy(dt, vector_field(y), y)


class RK4(AbstractExplicitSolver):
    """The classical fourth-order Runge-Kutta method: order 4, explicit, not
    symplectic (energy drifts secularly over long runs). A baseline of the paper.
    """

    def ode_step(self, vector_field, y, dt):
        k1 = vector_field(y)
        k2 = vector_field(_axpy(dt / 2, k1, y))
        k3 = vector_field(_axpy(dt / 2, k2, y))
        k4 = vector_field(_axpy(dt, k3, y))
        increment = jax.tree.map(
            lambda a, b, c, d: (a + 2 * b + 2 * c + d) / 6, k1, k2, k3, k4
        )
        return _axpy(dt, increment, y)


class SymplecticEuler(AbstractSolver):
    """Symplectic Euler (Remark 4.1): order 1, symplectic, implicit in ``p`` for
    a non-separable ``H`` (explicit, with no root find, for a separable one).

    ``p_{k+1} = p_k - dt H_q(q_k, p_{k+1})``, ``q_{k+1} = q_k + dt H_p(q_k, p_{k+1})``.

    Attributes:
        root_finder, max_steps: see ``MomentumSolver``.
    """

    root_finder: optx.AbstractRootFinder | None = None
    max_steps: int = eqx.field(static=True, default=64)

    def step(self, hamiltonian, q, p, dt):
        grad_q = jax.grad(hamiltonian, argnums=0)
        grad_p = jax.grad(hamiltonian, argnums=1)
        solver = MomentumSolver(self.root_finder, self.max_steps)
        p_new, failed = solver.solve(lambda P: dt * grad_q(q, P), p)
        return q + dt * grad_p(q, p_new), p_new, failed


class GeneratingFunction(AbstractSolver):
    """Type-II generating-function integrator of order ``m`` ((82)-(83)).

    Properties: order ``m`` (any ``m >= 1``), symplectic, implicit in the new
    momentum. The generating function ``S = sum_{i<=m} dt^i S_i`` is derived
    from the Hamiltonian by solving the Hamilton-Jacobi equation order by order
    with Taylor-mode AD (see ``hjax.canonical.generating_function_terms``). One
    step solves ``p_{k+1} = p_k - dS/dq(q_k, p_{k+1})`` with an optimistix root
    finder, then sets ``q_{k+1} = q_k + dS/dP(q_k, p_{k+1})``. ``m = 1`` is
    symplectic Euler (Remark 4.1).

    Attributes:
        order: ``m``, the number of terms of (83).
        taylor: ``"jet"`` (Taylor mode, default) or ``"jvp"`` (nested forward
            mode; use it if ``jet`` has no rule for a primitive you use).
        root_finder, max_steps: see ``MomentumSolver``.

    Reference: the paper's (82)-(83); Channell & Scovel (1990); Hairer, Lubich,
    Wanner, Geometric Numerical Integration, Thm. VI.5.7.
    """

    order: int = eqx.field(static=True, default=1)
    taylor: Taylor = eqx.field(static=True, default="jet")
    root_finder: optx.AbstractRootFinder | None = None
    max_steps: int = eqx.field(static=True, default=64)

    def __check_init__(self):
        check_order(self.order)
        if self.taylor not in ("jet", "jvp"):
            raise ValueError(f"taylor must be 'jet' or 'jvp', got {self.taylor!r}.")

    def step(self, hamiltonian, q, p, dt):
        gradients = generating_function_gradients(hamiltonian, self.order, self.taylor)
        solver = MomentumSolver(self.root_finder, self.max_steps)
        p_new, failed = solver.solve(lambda P: gradients(q, P, dt)[0], p)
        return q + gradients(q, p_new, dt)[1], p_new, failed
