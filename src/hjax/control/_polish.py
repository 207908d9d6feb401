"""Driving the BVP residual of Problem 4.2 to round-off from a good start.

Two routes named in §4 after Figure 3:

- ``newton_polish``: the "nonlinear programming" route. Eliminating the states
  and costates by the exact sweeps leaves the stationarity conditions
  ``dH/dtheta^k = 0`` and ``dPhi/d(w, c0) = 0``, which are ``-1/dt`` times the
  gradient of ``J`` (discrete adjoint identity). Newton's method on them, with a
  Levenberg-Marquardt shift while the Hessian is not positive definite.
- ``shooting_polish``: shooting on ``p^0``. The forward step (86) (``hj_step``,
  ``theta`` eliminated) maps ``p^0`` to ``(q^N, p^N)``; Newton-Krylov (optimistix
  Newton with lineax GMRES) solves the transversality condition
  ``p^N = -dPhi/dq^N`` together with the readout's ``dPhi/d(w, c0) = 0``.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import lineax as lx
import numpy as np
import optimistix as optx
from jax.flatten_util import ravel_pytree

from ._model import Controls, Params, ResNet, objective, terminal_cost
from ._pontryagin import bvp_residual, hj_step, terminal_costate


def _hessian_function(value_fn):
    gradient = jax.grad(value_fn)

    def hessian(x):
        def hvp(v):
            return jax.jvp(gradient, (x,), (v,))[1]

        matrix = jax.lax.map(hvp, jnp.eye(x.size, dtype=x.dtype), batch_size=16)
        return (matrix + matrix.T) / 2

    return jax.jit(hessian), jax.jit(gradient), jax.jit(value_fn)


def newton_polish(model: ResNet, params: Params, q0, c, tolerance, max_steps):
    """Newton (Levenberg-Marquardt safeguarded) on ``grad J = 0`` over all
    controls and the readout, until the relative BVP residual is below
    ``tolerance`` or ``max_steps``. Returns ``(params, info)``."""
    from ._msa import _measure

    x, unravel = ravel_pytree(params)
    hessian, gradient, value = _hessian_function(
        lambda y: objective(model, unravel(y), q0, c)
    )
    shift, steps = 0.0, 0
    for steps in range(max_steps):  # noqa: B007 (steps is reported)
        if _measure(model, unravel(x), q0, c)["bvp_residual"] <= tolerance:
            break
        x, shift = _newton_step(x, hessian(x), gradient, value, shift)
    return unravel(x), {"polish": "newton", "polish_steps": steps}


def _newton_step(x, hessian, gradient, value, shift):
    g = gradient(x)
    eye = jnp.eye(x.size, dtype=x.dtype)
    scale = float(jnp.max(jnp.abs(jnp.diag(hessian))))
    for _ in range(30):
        step = jnp.linalg.solve(hessian + shift * scale * eye, -g)
        candidate = x + step
        better = float(value(candidate)) < float(value(x))
        flat = abs(float(value(candidate) - value(x))) <= 1e-13 * abs(float(value(x)))
        smaller = float(jnp.linalg.norm(gradient(candidate))) < float(
            jnp.linalg.norm(g)
        )
        if np.all(np.isfinite(np.asarray(candidate))) and (
            better or (flat and smaller)
        ):
            return candidate, shift / 10 if shift > 1e-12 else 0.0
        shift = max(10 * shift, 1e-8)
    return x, shift


def shoot(model: ResNet, controls: Controls, q0, p0):
    """Forward sweep of (86) from ``(q_0, p^0)`` with ``theta^k`` eliminated,
    Newton for ``theta^k`` started at ``controls``. Returns ``(qs, ps, controls,
    failed)``."""

    def body(carry, guess):
        q, p = carry
        q_next, p_next, u, b, failed = hj_step(model, q, p, *guess)
        return (q_next, p_next), (q_next, p_next, u, b, failed)

    _, (qs, ps, u, b, failed) = jax.lax.scan(
        body, (q0, p0), (controls.u, controls.b)
    )
    qs = jnp.concatenate([q0[None], qs])
    ps = jnp.concatenate([p0[None], ps])
    return qs, ps, Controls(u, b), jnp.any(failed)


def _shooting_equations(model: ResNet, controls: Controls, q0, c):
    gradient_readout = jax.grad(terminal_cost, argnums=1)

    def equations(unknowns, _):
        p0, readout = unknowns
        qs, ps, _, _ = shoot(model, controls, q0, p0)
        terminal = ps[-1] - terminal_costate(model, readout, qs[-1], c)
        return terminal, gradient_readout(model, readout, qs[-1], c)

    return equations


def shooting_polish(model: ResNet, params: Params, q0, c, order, tolerance,
                    max_steps):
    """Shooting on ``p^0`` from the costate of ``params``; see module docstring.

    Only ``order = 1`` (the scheme (86)) is implemented on the full batch.
    """
    from ._msa import pontryagin_sweeps

    if order != 1:
        raise NotImplementedError(
            "shooting with order m > 1 on the training batch is not implemented; "
            "use --order 1 (the paper's (86)), or hjax.control.shoot_order on a "
            "small problem."
        )
    _, ps = pontryagin_sweeps(model, params, q0, c)
    solver = optx.Newton(
        rtol=1e-12, atol=1e-12 * float(jnp.max(jnp.abs(ps[-1]))),
        linear_solver=lx.GMRES(rtol=1e-12, atol=1e-14, restart=50,
                               max_steps=2000),
    )
    solution = optx.root_find(
        _shooting_equations(model, params.controls, q0, c), solver,
        (ps[0], params.readout), max_steps=max_steps, throw=False,
    )
    p0, readout = solution.value
    qs, ps, controls, failed = shoot(model, params.controls, q0, p0)
    blocks = bvp_residual(model, controls, readout, qs, ps, q0, c)
    info = {
        "polish": "shooting",
        "polish_steps": int(solution.stats["num_steps"]),
        "shooting_converged": bool(solution.result == optx.RESULTS.successful),
        "bvp_blocks": {name: float(v) for name, v in blocks.items()},
        "bvp_residual": float(blocks["bvp_residual"]),
    }
    return Params(controls, readout), info
