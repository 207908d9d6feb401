"""The Hamilton-Jacobi scheme of order m > 1: each layer is the type-II map
(82)-(83) of the control Hamiltonian (84) with theta frozen over the layer.

Oracles: the canonical ``hjax.GeneratingFunction(order=m)`` step on the same
Hamiltonian (a Newton solve for p^{k+1} on flat arrays), the order of accuracy
of the layer map against a fine RK4 solution of the frozen-control ODE, and
reverse-mode AD of the objective for the discrete adjoint identity (in
``test_control_pontryagin.py``, over m = 1, 2, 3). The step equations and a
training to BVP residual 1e-6 at order 2 are tested with their order-1 twins
(``test_control_pontryagin.py``, ``test_control_train.py``).
"""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import hjax
from hjax.control import ResNet, init_params, two_spirals
from hjax.control._model import layer_hamiltonian
from hjax.control._pontryagin import new_costate, stationarity


def _problem(order, points=8, layers=3, seed=0, dt=0.2):
    model = ResNet(layers=layers, dt=dt, scheme="hj", gamma=0.05, order=order)
    data = two_spirals(seed, n_train=points, n_test=2)
    q0, c = model.embed(data.x_train), jnp.asarray(data.c_train)
    return model, init_params(model, jax.random.key(seed)), q0, c


@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_layer_is_the_canonical_generating_function_step(order):
    """(q^k, p^k) -> (q^{k+1}, p^{k+1}) of the layer equals hjax's type-II step
    (82) of order m on H(q, p; theta^k), solved there by Newton on p^{k+1}."""
    model, params, q0, _ = _problem(order)
    u, b = params.controls.u[0], params.controls.b[0]
    p = jax.random.normal(jax.random.key(1), q0.shape) / q0.shape[0]
    q1, p1 = model.step(q0, u, b), new_costate(model, q0, p, u, b)
    hamiltonian = layer_hamiltonian(model, u, b)

    def flat(q, p):
        return hamiltonian(q.reshape(q0.shape), p.reshape(q0.shape))

    q_ref, p_ref, failed = hjax.GeneratingFunction(order=order).step(
        flat, q0.ravel(), p.ravel(), model.dt
    )
    assert not failed
    np.testing.assert_allclose(q1.ravel(), q_ref, rtol=0, atol=1e-13)
    np.testing.assert_allclose(p1.ravel(), p_ref, rtol=0, atol=1e-13)


@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_layer_map_has_order_m(order):
    """Global error at t = 1 of N layers of step 1/N with theta frozen, against
    RK4 with 2000 steps: the slope of log error vs log step is m (within 0.2)."""
    model0, params, q0, _ = _problem(order)
    u, b = 2.0 * params.controls.u[0], params.controls.b[0] + 0.3

    def field(q):
        return model0.field(q, u, b)

    reference = jax.lax.fori_loop(
        0, 2000, lambda _, q: hjax.RK4().ode_step(field, q, 1 / 2000), q0
    )
    steps, errors = [16, 32, 64, 128], []
    for n in steps:
        model = ResNet(layers=n, dt=1.0 / n, scheme="hj", order=order)
        q = jax.lax.fori_loop(0, n, lambda _, q, m=model: m.step(q, u, b), q0)
        errors.append(float(jnp.max(jnp.abs(q - reference))))
    slope = -np.polyfit(np.log(steps), np.log(errors), 1)[0]
    assert abs(slope - order) < 0.2, (slope, errors)


def test_order_one_stationarity_is_85_and_order_two_differs():
    """For m = 1, (1/dt) dS/dtheta is dH/dtheta of (85); for m = 2 it gains the
    dt S_2 term, so the two conditions differ at O(dt)."""
    model1, params, q0, _ = _problem(1)
    model2 = ResNet(layers=3, dt=0.2, scheme="hj", gamma=0.05, order=2)
    p = jax.random.normal(jax.random.key(2), q0.shape) / q0.shape[0]
    u, b = params.controls.u[0], params.controls.b[0]
    one = jnp.append(*stationarity(model1, q0, p, u, b))
    two = jnp.append(*stationarity(model2, q0, p, u, b))
    exact = jax.grad(lambda u, b: layer_hamiltonian(model1, u, b)(q0, p), (0, 1))(u, b)
    np.testing.assert_allclose(one, jnp.append(*exact), atol=1e-15)
    assert float(jnp.linalg.norm(two - one)) > 1e-3 * float(jnp.linalg.norm(one))
