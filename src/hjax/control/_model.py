"""The continuous ResNet (16), (18) and its objective (17), discretised.

Conventions: the state of all points at layer ``k`` is ``q^k`` of shape
``(N, d)``; the controls ``theta^k = (u^k, b^k)`` are shared by all points, with
``u`` of shape ``(N_t, d, d)`` and ``b`` of shape ``(N_t, d)``; the vector field
is ``f(q, theta) = sigma(u q + b)`` row by row (18). The terminal projection is
``pi(q) = logistic(<w, q> + c0)`` with readout ``(w, c0)``.

The discrete objective (17) is

    J = (1/N) sum_i L(pi(q_i^N), c_i) + (gamma/2) dt sum_k ||theta^k||^2
        + (gamma/2) ||(w, c0)||^2,

the mean loss (the paper's sum with ``gamma`` scaled by ``N``), the running cost
``l = gamma/2 ||theta||^2`` integrated by the rectangle rule, and a ridge on the
readout so that the terminal problem has a minimiser on separable data.
"""

from __future__ import annotations

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

ACTIVATIONS = {"tanh": jnp.tanh, "relu": jax.nn.relu, "sigmoid": jax.nn.sigmoid}
LOSSES = ("cross_entropy", "squared")
SCHEMES = ("euler", "rk4", "hj")


class Controls(eqx.Module):
    """``theta^k = (u^k, b^k)`` for ``k = 0..N_t-1``: ``u`` (N_t, d, d), ``b``
    (N_t, d)."""

    u: jax.Array
    b: jax.Array


class Readout(eqx.Module):
    """The affine readout of the projection ``pi``: ``w`` (d,), ``c0`` ()."""

    w: jax.Array
    c0: jax.Array


class Params(eqx.Module):
    controls: Controls
    readout: Readout


class ResNet(eqx.Module):
    """Static description of the discretised continuous ResNet (15)-(18).

    Attributes:
        layers: ``N_t``, the number of steps (layers).
        dt: ``Delta t``, the step (``alpha`` of (15)).
        dim: ``d``, the state dimension; inputs are zero-padded up to it.
        activation: ``"tanh"``, ``"relu"`` or ``"sigmoid"``.
        scheme: ``"euler"``, ``"rk4"`` or ``"hj"`` (the state equation of (86)
            is the Euler step, so ``"hj"`` predicts like ``"euler"``).
        loss: ``"cross_entropy"`` or ``"squared"`` (``L = |pi - c|^2``).
        gamma: the regularisation weight ``gamma`` of (84).
        order: ``m`` of the generating function of the ``"hj"`` scheme. A layer
            is the type-II map (82)-(83) of the control Hamiltonian (84) with
            ``theta^k`` frozen over the layer; since (84) is linear in ``p``,
            its state part is explicit (``m = 1``: the Euler step (86); ``m``:
            the Taylor step of order ``m``) and its costate part is the exact
            discrete adjoint. ``1`` for ``"euler"`` and ``"rk4"``.
    """

    layers: int = eqx.field(static=True, default=50)
    dt: float = eqx.field(static=True, default=0.075)
    dim: int = eqx.field(static=True, default=2)
    activation: str = eqx.field(static=True, default="tanh")
    scheme: str = eqx.field(static=True, default="euler")
    loss: str = eqx.field(static=True, default="cross_entropy")
    gamma: float = eqx.field(static=True, default=1e-3)
    order: int = eqx.field(static=True, default=1)

    def __check_init__(self):
        check_resnet(self)

    def sigma(self, z):
        return ACTIVATIONS[self.activation](z)

    def field(self, q, u, b):
        """``f(q, theta) = sigma(u q + b)`` for every row of ``q`` (18)."""
        return self.sigma(q @ u.T + b)

    def step(self, q, u, b):
        """One layer: Euler (15), RK4 with the control frozen over the step, or
        the state part ``q + dS/dP`` of the order-``m`` generating function."""
        if self.scheme == "hj" and self.order > 1:
            return q + layer_gradients(self, q, jnp.zeros_like(q), u, b)[1]
        if self.scheme != "rk4":
            return q + self.dt * self.field(q, u, b)
        k1 = self.field(q, u, b)
        k2 = self.field(q + self.dt / 2 * k1, u, b)
        k3 = self.field(q + self.dt / 2 * k2, u, b)
        k4 = self.field(q + self.dt * k3, u, b)
        return q + self.dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)

    def embed(self, x):
        """Zero-pad features ``(N, d0)`` to the state dimension ``d``."""
        x = jnp.asarray(x)
        return jnp.pad(x, ((0, 0), (0, self.dim - x.shape[1])))

    def states(self, controls: Controls, q0):
        """All layers ``q^0..q^{N_t}``, shape ``(N_t + 1, N, d)``."""

        def body(q, theta):
            q_next = self.step(q, *theta)
            return q_next, q_next

        _, qs = jax.lax.scan(body, q0, (controls.u, controls.b))
        return jnp.concatenate([q0[None], qs])

    def terminal(self, controls: Controls, q0):
        """``q^{N_t}`` only (no stored trajectory)."""
        q, _ = jax.lax.scan(
            lambda q, theta: (self.step(q, *theta), None), q0, (controls.u, controls.b)
        )
        return q


def layer_hamiltonian(model: ResNet, u, b):
    """``(q, p) -> H(q, p, theta)`` of (84) for one layer, ``theta = (u, b)``."""

    def hamiltonian(q, p):
        squares = jnp.sum(u**2) + jnp.sum(b**2)
        return jnp.sum(p * model.field(q, u, b)) - model.gamma / 2 * squares

    return hamiltonian


def layer_gradients(model: ResNet, q, p, u, b):
    """``(dS/dq, dS/dP)`` at ``(q^k, P = p^{k+1})`` of the truncated series (83),
    ``S = sum_{i <= m} dt^i S_i``, for the Hamiltonian (84) of one layer."""
    from ..canonical._series import generating_function_gradients

    hamiltonian = layer_hamiltonian(model, u, b)
    return generating_function_gradients(hamiltonian, model.order)(q, p, model.dt)


def layer_generating_function(model: ResNet, q, p, u, b):
    """``S(q^k, p^{k+1}; theta)`` of (83) for one layer, ``h = dt``."""
    from ..canonical._series import generating_function

    total = generating_function(layer_hamiltonian(model, u, b), model.order)
    return total(q, p, model.dt)


def check_resnet(model: ResNet) -> None:
    """Refuse settings with no meaning, naming the fix."""
    if isinstance(model.layers, bool) or not isinstance(model.layers, int):
        raise ValueError(f"layers must be an int >= 1, got {model.layers!r}.")
    if model.layers < 1:
        raise ValueError(f"layers must be >= 1, got {model.layers}; use e.g. 50.")
    if not np.isfinite(model.dt) or model.dt <= 0:
        raise ValueError(
            f"dt must be a finite step > 0, got {model.dt}; use e.g. 0.075."
        )
    if model.activation not in ACTIVATIONS:
        raise ValueError(
            f"unknown activation {model.activation!r}; use one of "
            f"{', '.join(ACTIVATIONS)}."
        )
    if model.scheme not in SCHEMES:
        raise ValueError(
            f"unknown scheme {model.scheme!r}; use one of {', '.join(SCHEMES)}."
        )
    if model.loss not in LOSSES:
        raise ValueError(
            f"unknown loss {model.loss!r}; use one of {', '.join(LOSSES)}."
        )
    if isinstance(model.order, bool) or not isinstance(model.order, int):
        raise ValueError(f"order must be an int >= 1, got {model.order!r}.")
    if model.order < 1:
        raise ValueError(f"order must be >= 1, got {model.order}; use e.g. 1 or 2.")
    if model.order > 1 and model.scheme != "hj":
        raise ValueError(
            f"order={model.order} applies to scheme 'hj' only; use --scheme hj or "
            "--order 1."
        )
    if not np.isfinite(model.gamma) or model.gamma <= 0:
        raise ValueError(f"gamma must be > 0, got {model.gamma}; use e.g. 1e-3.")


def projection(readout: Readout, q):
    """``pi(q) = logistic(<w, q> + c0)`` per row (the terminal projection)."""
    return jax.nn.sigmoid(q @ readout.w + readout.c0)


def pointwise_loss(model: ResNet, readout: Readout, q, c):
    """``L(pi(q_i), c_i)`` per point: cross entropy (from the logit, stably) or
    the squared residual ``(pi - c)^2``."""
    logit = q @ readout.w + readout.c0
    if model.loss == "squared":
        return (jax.nn.sigmoid(logit) - c) ** 2
    return jax.nn.softplus(logit) - c * logit


def terminal_cost(model: ResNet, readout: Readout, q, c):
    """``Phi(q^N; w, c0) = mean_i L + gamma/2 ||(w, c0)||^2``."""
    ridge = jnp.sum(readout.w**2) + readout.c0**2
    return jnp.mean(pointwise_loss(model, readout, q, c)) + model.gamma / 2 * ridge


def running_cost(model: ResNet, controls: Controls):
    """``dt sum_k gamma/2 ||theta^k||^2``, the integral term of (17)."""
    squares = jnp.sum(controls.u**2) + jnp.sum(controls.b**2)
    return model.dt * model.gamma / 2 * squares


def objective_at(model: ResNet, params: Params, q_final, c):
    """``J`` of (17) from the last layer ``q^N`` already computed."""
    return terminal_cost(model, params.readout, q_final, c) + running_cost(
        model, params.controls
    )


def objective(model: ResNet, params: Params, q0, c):
    """The discrete objective ``J`` of (17) (module docstring)."""
    return objective_at(model, params, model.terminal(params.controls, q0), c)


def residual(readout: Readout, q, c):
    """The paper's residual ``sum_i |pi(q_i^N) - c_i|^2`` (Figure 2)."""
    return jnp.sum((projection(readout, q) - c) ** 2)


def accuracy(readout: Readout, q, c):
    """Fraction of points with ``pi(q^N) > 1/2`` exactly when ``c = 1``."""
    correct = (projection(readout, q) > 0.5) == (c > 0.5)
    return jnp.mean(correct.astype(q.dtype))


def init_params(model: ResNet, key: jax.Array, dtype=jnp.float64) -> Params:
    """Random controls ``u ~ N(0, 1/d)``, ``b = 0``; readout ``w ~ N(0, 1/d)``."""
    key_u, key_w = jax.random.split(key)
    scale = 1.0 / np.sqrt(model.dim)
    u = scale * jax.random.normal(key_u, (model.layers, model.dim, model.dim), dtype)
    b = jnp.zeros((model.layers, model.dim), dtype)
    w = scale * jax.random.normal(key_w, (model.dim,), dtype)
    return Params(Controls(u, b), Readout(w, jnp.zeros((), dtype)))
