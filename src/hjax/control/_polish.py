"""Driving the BVP residual of Problem 4.2 to round-off from a good start.

Two routes named in §4 after Figure 3:

- ``newton_polish``: the "nonlinear programming" route. Eliminating the states
  and costates by the exact sweeps leaves the stationarity conditions
  ``dH/dtheta^k = 0`` and ``dPhi/d(w, c0) = 0``, which are ``-1/dt`` times the
  gradient of ``J`` (discrete adjoint identity). A quasi-Newton phase (optax
  L-BFGS) brings them into Newton's basin, then Newton's method with a
  Levenberg-Marquardt shift (while a step does not descend) converges
  quadratically.
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
import optax
import optimistix as optx
from jax.flatten_util import ravel_pytree

from ..canonical._implicit import default_tolerance
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


def _lbfgs_chunks(value_fn, length: int):
    """``length`` L-BFGS iterations (optax, zoom line search) in one scan."""
    optimizer = optax.lbfgs(memory_size=30)
    value_and_grad = optax.value_and_grad_from_state(value_fn)

    def body(carry, _):
        x, state = carry
        value, grad = value_and_grad(x, state=state)
        updates, state = optimizer.update(
            grad, state, x, value=value, grad=grad, value_fn=value_fn
        )
        return (optax.apply_updates(x, updates), state), None

    @jax.jit
    def chunk(x, state):
        return jax.lax.scan(body, (x, state), None, length=length)[0]

    return optimizer, chunk


def newton_polish(
    model: ResNet,
    params: Params,
    q0,
    c,
    tolerance,
    max_steps,
    quasi_newton_chunks: int = 40,
    switch: float = 1e-3,
):
    """Drive the relative BVP residual of ``params`` below ``tolerance``.

    Phase 1, quasi-Newton: L-BFGS on ``J`` over all controls and the readout, in
    chunks of 250 iterations, until the residual is below ``switch`` (at most
    ``quasi_newton_chunks`` chunks). Phase 2, Newton: at most ``max_steps``
    Levenberg-Marquardt-safeguarded Newton steps on ``grad J = 0`` with the
    dense Hessian. Returns ``(params, info)``.
    """
    from ._msa import _measure

    x, unravel = ravel_pytree(params)

    def value_fn(y):
        return objective(model, unravel(y), q0, c)

    def measured(y):
        return _measure(model, unravel(y), q0, c)["bvp_residual"]

    optimizer, chunk = _lbfgs_chunks(value_fn, 250)
    state, chunks = optimizer.init(x), 0
    while chunks < quasi_newton_chunks and measured(x) > max(switch, tolerance):
        x, state = chunk(x, state)
        chunks += 1
    hessian, gradient, value = _hessian_function(value_fn)
    shift, steps = 0.0, 0
    while steps < max_steps and measured(x) > tolerance:
        x, shift = _newton_step(x, hessian(x), gradient, value, shift)
        steps += 1
    info = {
        "polish": "newton",
        "quasi_newton_iterations": 250 * chunks,
        "polish_steps": steps,
    }
    return unravel(x), info


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

    _, (qs, ps, u, b, failed) = jax.lax.scan(body, (q0, p0), (controls.u, controls.b))
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


def shooting_polish(
    model: ResNet,
    params: Params,
    q0,
    c,
    tolerance,
    max_steps,
    perturbation: float = 0.0,
):
    """Shooting on ``p^0`` from the costate of ``params``; see module docstring.

    ``perturbation`` > 0 multiplies each entry of the starting ``p^0`` by
    ``1 + perturbation * N(0, 1)`` (seed 0), to test that shooting converges.
    The forward step is that of ``model.order`` (``hj_step``).
    """
    from ._msa import pontryagin_sweeps

    _, ps = pontryagin_sweeps(model, params, q0, c)
    noise = jax.random.normal(jax.random.key(0), ps[0].shape, ps.dtype)
    start = ps[0] * (1 + perturbation * noise)
    tol = default_tolerance(ps.dtype)
    solver = optx.Newton(
        rtol=tol,
        atol=tol * float(jnp.max(jnp.abs(ps[-1]))),
        linear_solver=lx.GMRES(rtol=1e-12, atol=1e-16, restart=50, max_steps=2000),
    )
    solution = optx.root_find(
        _shooting_equations(model, params.controls, q0, c),
        solver,
        (start, params.readout),
        max_steps=max_steps,
        throw=False,
    )
    p0, readout = solution.value
    qs, ps, controls, failed = shoot(model, params.controls, q0, p0)
    blocks = bvp_residual(model, controls, readout, qs, ps, q0, c)
    info = {
        "polish": "shooting",
        "polish_steps": int(solution.stats["num_steps"]),
        "shooting_converged": bool(
            (solution.result == optx.RESULTS.successful) & ~failed
        ),
        "bvp_residual_start": _start_residual(model, params, q0, c, start),
        "bvp_blocks": {name: float(v) for name, v in blocks.items()},
        "bvp_residual": float(blocks["bvp_residual"]),
        "p0": p0,
    }
    return Params(controls, readout), info


def _start_residual(model, params, q0, c, p0):
    qs, ps, controls, _ = shoot(model, params.controls, q0, p0)
    blocks = bvp_residual(model, controls, params.readout, qs, ps, q0, c)
    return float(blocks["bvp_residual"])
