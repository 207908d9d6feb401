"""The Pontryagin system of Problem 4.2: control Hamiltonian (84), its
stationarity condition (85), the costate sweep and the Hamilton-Jacobi step (86).

Over the whole batch, with state ``q`` (N, d), costate ``p`` (N, d) and the
control ``theta = (u, b)`` shared by all points of a layer,

    H(q, p, theta) = sum_i <p_i, sigma(u q_i + b)> - gamma/2 ||theta||^2.   (84)

Stationarity ``dH/dtheta = 0`` reads ``gamma u = sum_i (sigma'(z_i) * p_i) q_i^T``,
``gamma b = sum_i sigma'(z_i) * p_i`` with ``z_i = u q_i + b``: it is implicit in
``theta`` (through ``z``), and is solved here by Newton's method on the
``d^2 + d`` unknowns of one layer (optimistix). The discrete Pontryagin system
of the Euler network is symplectic Euler (86) for ``H`` with ``p^{k+1}`` in it:

    q^{k+1} = q^k + dt dH/dp(q^k, p^{k+1}, theta^k),
    p^k     = p^{k+1} + dt dH/dq(q^k, p^{k+1}, theta^k),
    0       = dH/dtheta(q^k, p^{k+1}, theta^k),
    q^0 = q_0,  p^N = -dPhi/dq(q^N).

With ``ResNet.order = m > 1`` the same functions use the order-``m`` type-II
generating function ``S`` of (83) of the layer's Hamiltonian (``theta^k`` frozen
over the layer) in place of ``dt H``: ``q^{k+1} = q^k + dS/dP``, ``p^k = p^{k+1}
+ dS/dq``, ``dS/dtheta = 0``, all at ``(q^k, p^{k+1}, theta^k)``.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import optimistix as optx

from ..canonical._implicit import default_tolerance
from ._model import (
    Controls,
    Readout,
    ResNet,
    layer_generating_function,
    layer_gradients,
    layer_hamiltonian,
    terminal_cost,
)


def control_hamiltonian(model: ResNet, q, p, u, b):
    """``H(q, p, theta)`` of (84) for one layer, summed over the batch."""
    return layer_hamiltonian(model, u, b)(q, p)


def stationarity(model: ResNet, q, p, u, b):
    """``dH/dtheta = (dH/du, dH/db)`` (85), exact (the ``theta`` in ``sigma'``
    kept), at ``(q^k, p^{k+1})``.

    For ``model.order = m > 1`` it is ``(1/dt) dS/dtheta`` of the layer's
    generating function (83), the stationarity of the discrete action in
    ``theta^k``; for ``m = 1``, ``S = dt H`` and the two agree.
    """
    if model.order > 1:
        return jax.grad(
            lambda u, b: layer_generating_function(model, q, p, u, b) / model.dt,
            argnums=(0, 1),
        )(u, b)
    return jax.grad(control_hamiltonian, argnums=(3, 4))(model, q, p, u, b)


def _flatten(u, b):
    return jnp.concatenate([u.ravel(), b])


def _unflatten(theta, d):
    return theta[: d * d].reshape(d, d), theta[d * d :]


def solve_stationarity(model: ResNet, q, p, u, b, rho=0.0, max_steps: int = 32):
    """``theta*`` with ``dH/dtheta(q, p, theta*) = rho (theta* - (u, b))``.

    ``rho = 0`` is the stationarity condition (85) itself; ``rho > 0`` is the
    proximal control update of the damped successive approximations. Newton's
    method from ``(u, b)``. Returns ``(u*, b*, failed)``.
    """
    d = u.shape[0]
    reference = _flatten(u, b)

    def equation(theta, _):
        gu, gb = stationarity(model, q, p, *_unflatten(theta, d))
        return _flatten(gu, gb) - rho * (theta - reference)

    tol = default_tolerance(q.dtype)
    solution = optx.root_find(
        equation,
        optx.Newton(rtol=tol, atol=tol),
        reference,
        max_steps=max_steps,
        throw=False,
    )
    failed = solution.result != optx.RESULTS.successful
    return *_unflatten(solution.value, d), failed


def costate_field(model: ResNet, q, p, u, b):
    """``dH/dq(q, p, theta) = (sigma'(z) * p) u`` row by row; for order
    ``m > 1``, ``(1/dt) dS/dq(q^k, p^{k+1})`` of (82)-(83)."""
    if model.order > 1:
        return layer_gradients(model, q, p, u, b)[0] / model.dt
    return jax.vjp(lambda x: model.field(x, u, b), q)[1](p)[0]


def terminal_costate(model: ResNet, readout: Readout, q_final, c):
    """Transversality: ``p^N = -dPhi/dq^N``."""
    return -jax.grad(terminal_cost, argnums=2)(model, readout, q_final, c)


def costate_sweep(model: ResNet, controls: Controls, qs, p_final):
    """Backward sweep ``p^k = p^{k+1} + dt dH/dq(q^k, p^{k+1}, theta^k)`` from
    ``p^N``; returns ``p^0..p^N`` (N_t + 1, N, d)."""

    def body(p_next, inputs):
        q, u, b = inputs
        p = p_next + model.dt * costate_field(model, q, p_next, u, b)
        return p, p

    _, ps = jax.lax.scan(body, p_final, (qs[:-1], controls.u, controls.b), reverse=True)
    return jnp.concatenate([ps, p_final[None]])


def _sigma_prime(model: ResNet, z):
    return jax.jvp(model.sigma, (z,), (jnp.ones_like(z),))[1]


def new_costate(model: ResNet, q, p, u, b):
    """``P`` solving ``p = P + dt dH/dq(q, P, theta)`` at fixed ``theta``: per
    point the ``d x d`` linear system ``(I + dt u^T diag(sigma'(z_i))) P_i = p_i``.
    """
    if model.order > 1:
        matrices = jnp.swapaxes(_layer_jacobians(model, q, u, b), 1, 2)
    else:
        s = _sigma_prime(model, q @ u.T + b)
        eye = jnp.eye(u.shape[0], dtype=q.dtype)
        matrices = eye + model.dt * u.T[None] * s[:, None, :]
    return jnp.linalg.solve(matrices, p[..., None])[..., 0]


def _layer_jacobians(model: ResNet, q, u, b):
    """``d q_i^{k+1} / d q_i^k`` per point, ``(N, d, d)``: the layer acts on each
    point alone, and since (84) is linear in ``p`` the costate relation of (82)
    is ``p^k = J^T p^{k+1}`` with this ``J``."""

    def point(x):
        return model.step(x[None], u, b)[0]

    return jax.vmap(jax.jacfwd(point))(q)


def hj_step(model: ResNet, q, p, u_guess, b_guess, max_steps: int = 32):
    """One step of (86) forward in time, with ``theta`` eliminated exactly.

    ``p^{k+1}`` enters (86) through ``theta*`` and elementwise ``sigma'`` only,
    so instead of Newton on the ``N d`` unknowns of ``p^{k+1}`` we solve for the
    ``d^2 + d`` unknowns of ``theta``: ``R(theta) = dH/dtheta(q, P(theta),
    theta) = 0`` with ``P(theta)`` from ``new_costate``. Returns
    ``(q^{k+1}, p^{k+1}, u*, b*, failed)``.
    """
    d = u_guess.shape[0]

    def equation(theta, _):
        u, b = _unflatten(theta, d)
        gu, gb = stationarity(model, q, new_costate(model, q, p, u, b), u, b)
        return _flatten(gu, gb)

    tol = default_tolerance(q.dtype)
    solution = optx.root_find(
        equation,
        optx.Newton(rtol=tol, atol=tol),
        _flatten(u_guess, b_guess),
        max_steps=max_steps,
        throw=False,
    )
    u, b = _unflatten(solution.value, d)
    p_next = new_costate(model, q, p, u, b)
    q_next = model.step(q, u, b)
    return q_next, p_next, u, b, solution.result != optx.RESULTS.successful


def reduced_hamiltonian(model: ResNet, shape, u_guess, b_guess):
    """``H~(q, p) = H(q, p, theta*(q, p))`` on flat arrays, the Hamiltonian of
    (85) on T*Q. ``theta*`` is found by a differentiable root find (implicit
    function theorem), so ``H~`` can be fed to ``hjax.GeneratingFunction``; by
    the envelope theorem its gradients equal those of ``H`` at ``theta*``."""

    def hamiltonian(q_flat, p_flat):
        q, p = q_flat.reshape(shape), p_flat.reshape(shape)
        d = shape[1]

        def equation(theta, _):
            gu, gb = stationarity(model, q, p, *_unflatten(theta, d))
            return _flatten(gu, gb)

        tol = default_tolerance(q.dtype)
        theta = optx.root_find(
            equation,
            optx.Newton(rtol=tol, atol=tol),
            _flatten(u_guess, b_guess),
            max_steps=64,
        ).value
        return control_hamiltonian(model, q, p, *_unflatten(theta, d))

    return hamiltonian


def _relative(difference, scale):
    norm = jnp.sqrt(jnp.sum(difference**2))
    return norm / jnp.maximum(scale, jnp.finfo(difference.dtype).tiny)


def _norm(*arrays):
    return jnp.sqrt(sum(jnp.sum(a**2) for a in arrays))


def bvp_residual(model: ResNet, controls: Controls, readout: Readout, qs, ps, q0, c):
    """How far ``(q^k, p^k, theta^k, w, c0)`` is from solving Problem 4.2.

    Six blocks, each a relative 2-norm over all layers and points:

    - ``state``: ``q^{k+1} - q^k - dt sigma(u^k q^k + b^k)`` (order ``m``:
      ``q^{k+1} - q^k - dS/dP``), over ``||q||``;
    - ``costate``: ``p^k - p^{k+1} - dt dH/dq(q^k, p^{k+1}, theta^k)`` (order
      ``m``: ``p^k - p^{k+1} - dS/dq``), over ``||p||``;
    - ``stationarity``: ``dH/dtheta(q^k, p^{k+1}, theta^k)`` (85), over
      ``gamma ||theta||`` (the size of either of its two terms);
    - ``initial``: ``q^0 - q_0``, over ``||q_0||``;
    - ``terminal``: ``p^N + dPhi/dq^N``, over ``||p^N||``;
    - ``readout``: ``dPhi/d(w, c0)``, over ``gamma ||(w, c0)||``.

    Returns a dict of the six and ``"bvp_residual"``, their maximum.
    """
    step = jax.vmap(model.step)(qs[:-1], controls.u, controls.b)
    force = jax.vmap(lambda q, p, u, b: costate_field(model, q, p, u, b))(
        qs[:-1], ps[1:], controls.u, controls.b
    )
    grad_u, grad_b = jax.vmap(lambda q, p, u, b: stationarity(model, q, p, u, b))(
        qs[:-1], ps[1:], controls.u, controls.b
    )
    grad_readout = jax.grad(terminal_cost, argnums=1)(model, readout, qs[-1], c)
    gamma = model.gamma
    blocks = {
        "state": _relative(qs[1:] - step, _norm(qs)),
        "costate": _relative(ps[:-1] - ps[1:] - model.dt * force, _norm(ps)),
        "stationarity": _relative(
            jnp.concatenate([grad_u.ravel(), grad_b.ravel()]),
            gamma * _norm(controls.u, controls.b),
        ),
        "initial": _relative(qs[0] - q0, _norm(q0)),
        "terminal": _relative(
            ps[-1] - terminal_costate(model, readout, qs[-1], c), _norm(ps[-1])
        ),
        "readout": _relative(
            jnp.append(grad_readout.w, grad_readout.c0),
            gamma * _norm(readout.w, readout.c0),
        ),
    }
    blocks["bvp_residual"] = jnp.max(jnp.stack(list(blocks.values())))
    return blocks


def _sigma_derivatives(model: ResNet, z):
    """``sigma'(z)``, ``sigma''(z)`` elementwise by nested forward mode."""
    ones = jnp.ones_like(z)

    def first(x):
        return jax.jvp(model.sigma, (x,), (ones,))[1]

    return jax.jvp(first, (z,), (ones,))


def control_update(model: ResNet, q, p, u, b, rho, max_steps: int = 30, tolerance=None):
    """``solve_stationarity`` by a Newton iteration that uses the structure.

    With ``x_i = (q_i, 1)`` and row ``j`` of ``theta = [u | b]``, ``z_ij`` depends
    on row ``j`` only, so the ``d^2 + d`` equations split into ``d`` systems of
    size ``d + 1``:

        F_j = sum_i sigma'(z_ij) p_ij x_i - (gamma + rho) theta_j + rho theta0_j,
        dF_j/dtheta_j = sum_i sigma''(z_ij) p_ij x_i x_i^T - (gamma + rho) I.

    Same solution as ``solve_stationarity``; stops when ``max |F|`` is below
    ``tolerance`` (default ``eps^0.75``) times the size of its terms. Returns
    ``(u*, b*, failed)``.
    """
    # Points on the last axis: the sums over i are then contiguous reductions,
    # which XLA's CPU backend runs faster than the equivalent small dot_generals.
    x = jnp.concatenate([q.T, jnp.ones_like(q[:, 0])[None]], axis=0)  # (d+1, N)
    p = p.T
    outer = x[:, None, :] * x[None, :, :]  # x_i x_i^T, fixed during the iteration
    theta0 = jnp.concatenate([u, b[:, None]], axis=1)
    shift = model.gamma + rho
    eye = jnp.eye(x.shape[0], dtype=q.dtype)
    tol = default_tolerance(q.dtype) if tolerance is None else tolerance

    def equations(theta):
        z = jnp.sum(theta[:, :, None] * x[None], axis=1)
        first, second = _sigma_derivatives(model, z)
        force = jnp.sum((first * p)[:, None, :] * x[None], axis=-1)
        value = force - shift * theta + rho * theta0
        curvature = (second * p)[:, None, None, :] * outer[None]
        jacobian = jnp.sum(curvature, axis=-1) - shift * eye
        scale = jnp.max(jnp.abs(force)) + shift * jnp.max(jnp.abs(theta))
        return value, jacobian, scale

    def not_done(carry):
        theta, count, error = carry
        return (count < max_steps) & (error > 0)

    def body(carry):
        theta, count, _ = carry
        value, jacobian, scale = equations(theta)
        step = jnp.linalg.solve(jacobian, -value[..., None])[..., 0]
        error = jnp.max(jnp.abs(value)) - tol * scale
        return theta + jnp.where(error > 0, step, 0.0), count + 1, error

    init = (theta0, jnp.asarray(0), jnp.asarray(1.0, q.dtype))
    theta, _, error = jax.lax.while_loop(not_done, body, init)
    failed = (error > 0) | ~jnp.all(jnp.isfinite(theta))
    return theta[:, :-1], theta[:, -1], failed
