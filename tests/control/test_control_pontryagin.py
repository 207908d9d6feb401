"""The Pontryagin system of Problem 4.2: stationarity (85), costate sweep, the
Hamilton-Jacobi step (86), against independent computations."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import hjax
from hjax.control import ResNet, init_params, objective, two_circles, two_spirals
from hjax.control._msa import pontryagin_sweeps
from hjax.control._pontryagin import (
    bvp_residual,
    control_update,
    costate_sweep,
    hj_step,
    new_costate,
    reduced_hamiltonian,
    solve_stationarity,
    stationarity,
)

# eps^0.75 ~ 2e-12 is the Newton stopping tolerance; 1e-10 leaves room for
# the conditioning of the d^2 + d systems.
ROUND_OFF = 1e-10


def _small_problem(activation="tanh", points=12, layers=4, seed=0, order=1):
    model = ResNet(
        layers=layers,
        dt=0.2,
        activation=activation,
        scheme="hj",
        gamma=0.05,
        order=order,
    )
    data = two_spirals(seed, n_train=points, n_test=2)
    q0, c = model.embed(data.x_train), jnp.asarray(data.c_train)
    params = init_params(model, jax.random.key(seed))
    return model, params, q0, c


def _costate(model, q, seed=1, size=1.0):
    """A random costate of the size of a transversality costate (1/N per point);
    ``size`` < 1 keeps the stationarity system in Newton's basin."""
    return size * jax.random.normal(jax.random.key(seed), q.shape) / q.shape[0]


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_stationarity_holds_at_theta_star(activation):
    model, params, q0, _ = _small_problem(activation)
    p = _costate(model, q0)
    u, b = params.controls.u[0], params.controls.b[0]
    u_star, b_star, failed = solve_stationarity(model, q0, p, u, b)
    gu, gb = stationarity(model, q0, p, u_star, b_star)
    scale = model.gamma * jnp.linalg.norm(jnp.append(u_star, b_star))
    assert not failed
    assert jnp.linalg.norm(jnp.append(gu, gb)) / scale < ROUND_OFF
    # the structured Newton of the MSA sweep finds the same theta*
    u_fast, b_fast, failed_fast = control_update(model, q0, p, u, b, 0.0)
    assert not failed_fast
    np.testing.assert_allclose(u_fast, u_star, rtol=0, atol=1e-10)
    np.testing.assert_allclose(b_fast, b_star, rtol=0, atol=1e-10)


def test_proximal_update_is_stationary_for_the_shifted_hamiltonian():
    model, params, q0, _ = _small_problem()
    p, rho = _costate(model, q0), 0.3
    u0, b0 = params.controls.u[1], params.controls.b[1]
    u, b, failed = control_update(model, q0, p, u0, b0, rho)
    gu, gb = stationarity(model, q0, p, u, b)
    assert not failed
    np.testing.assert_allclose(gu, rho * (u - u0), atol=1e-12)
    np.testing.assert_allclose(gb, rho * (b - b0), atol=1e-12)


def test_paper_explicit_theta_of_85_is_not_stationary():
    """(85) writes theta = (1/gamma) sum p sigma'(z) q^T as if sigma'(z) did not
    depend on theta; evaluated at any theta0 != theta* it misses (85)."""
    model, params, q0, _ = _small_problem()
    p = 5 * _costate(model, q0)
    u0, b0 = params.controls.u[0], params.controls.b[0]
    slope = 1 - jnp.tanh(q0 @ u0.T + b0) ** 2
    u_paper = (slope * p).T @ q0 / model.gamma
    b_paper = jnp.sum(slope * p, axis=0) / model.gamma
    gu, gb = stationarity(model, q0, p, u_paper, b_paper)
    relative = jnp.linalg.norm(jnp.append(gu, gb)) / (
        model.gamma * jnp.linalg.norm(jnp.append(u_paper, b_paper))
    )
    assert relative > 1e-2


@pytest.mark.parametrize("order", [1, 2, 3])
def test_costate_sweep_is_the_gradient_of_the_objective(order):
    """dJ/dtheta^k = -dt dH/dtheta(q^k, p^{k+1}, theta^k), dJ/dq_0 = -p^0: the
    sweep against reverse-mode AD of J. For order m the same identity holds
    with (1/dt) dS/dtheta: the order-m sweeps are the discrete adjoint of the
    order-m network."""
    model, params, q0, c = _small_problem(order=order)
    qs, ps = pontryagin_sweeps(model, params, q0, c)
    gu, gb = jax.vmap(lambda q, p, u, b: stationarity(model, q, p, u, b))(
        qs[:-1], ps[1:], params.controls.u, params.controls.b
    )
    grads = jax.grad(objective, argnums=1)(model, params, q0, c)
    np.testing.assert_allclose(grads.controls.u, -model.dt * gu, atol=1e-14)
    np.testing.assert_allclose(grads.controls.b, -model.dt * gb, atol=1e-14)
    grad_q0 = jax.grad(objective, argnums=2)(model, params, q0, c)
    np.testing.assert_allclose(grad_q0, -ps[0], atol=1e-14)


def test_new_costate_inverts_the_costate_equation():
    model, params, q0, _ = _small_problem()
    p = _costate(model, q0)
    u, b = params.controls.u[0], params.controls.b[0]
    big_p = new_costate(model, q0, p, u, b)
    qs = jnp.stack([q0, q0])
    one_layer = costate_sweep(model, type(params.controls)(u[None], b[None]), qs, big_p)
    np.testing.assert_allclose(one_layer[0], p, atol=1e-15)


@pytest.mark.parametrize(
    "solver", [hjax.SymplecticEuler(), hjax.GeneratingFunction(order=1)]
)
def test_hj_step_is_a_direct_solve_of_86(solver):
    """The structured step (Newton on theta) against hjax's symplectic Euler /
    order-1 generating function on the reduced Hamiltonian (85), which solves
    for p^{k+1} (N d unknowns) with theta* inside H by an implicit root find."""
    model, params, q0, _ = _small_problem(points=6)
    p = _costate(model, q0, size=0.3)
    u, b = params.controls.u[0], params.controls.b[0]
    q1, p1, u1, b1, failed = hj_step(model, q0, p, u, b)
    assert not failed
    hamiltonian = reduced_hamiltonian(model, q0.shape, u, b)
    q_direct, p_direct, failed_direct = solver.step(
        hamiltonian, q0.ravel(), p.ravel(), model.dt
    )
    assert not failed_direct
    np.testing.assert_allclose(q1.ravel(), q_direct, atol=1e-13)
    np.testing.assert_allclose(p1.ravel(), p_direct, atol=1e-13)


@pytest.mark.parametrize("order", [1, 2])
def test_hj_step_satisfies_the_discrete_equations(order):
    """The forward step with theta eliminated (86), and its order-m version,
    leave round-off in every discrete equation of the step."""
    model, params, q0, c = _small_problem(order=order)
    p = _costate(model, q0)
    q1, p1, u, b, failed = hj_step(
        model, q0, p, params.controls.u[0], params.controls.b[0]
    )
    one = type(params.controls)(u[None], b[None])
    blocks = bvp_residual(
        model, one, params.readout, jnp.stack([q0, q1]), jnp.stack([p, p1]), q0, c
    )
    assert not failed
    for name in ("state", "costate", "stationarity", "initial"):
        assert blocks[name] < ROUND_OFF, name


def test_bvp_residual_detects_an_unsolved_problem():
    model, params, q0, c = _small_problem()
    qs, ps = pontryagin_sweeps(model, params, q0, c)
    blocks = bvp_residual(model, params.controls, params.readout, qs, ps, q0, c)
    assert blocks["state"] < 1e-14 and blocks["costate"] < 1e-14
    assert blocks["stationarity"] > 1e-2  # random controls are not optimal
    shifted = bvp_residual(
        model, params.controls, params.readout, qs, ps.at[-1].add(1.0), q0, c
    )
    assert shifted["terminal"] > 0.5


def test_circles_make_a_valid_small_problem():
    data = two_circles(0, n_train=10, n_test=10)
    assert data.x_train.shape == (10, 2)
