"""Trainers: the discretisations, resume equality, the BVP residual of a
solved small problem."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import hjax
from hjax.control import ResNet, init_params, train, two_circles
from hjax.control._msa import _measure
from hjax.control._polish import shoot, shooting_polish

SMALL = dict(layers=4, dt=0.25, gamma=0.02, log_every=5, checkpoint_every=5)


def _data():
    return two_circles(0, n_train=16, n_test=16)


def test_rk4_layer_is_the_classical_rk4_step():
    model = ResNet(layers=3, scheme="rk4")
    params = init_params(model, jax.random.key(0))
    q = jnp.asarray(_data().x_train)
    u, b = params.controls.u[0], params.controls.b[0]

    def field(state):
        return model.field(state, u, b)

    expected = hjax.RK4().ode_step(field, q, model.dt)
    np.testing.assert_allclose(model.step(q, u, b), expected, atol=1e-15)
    euler = ResNet(layers=3, scheme="euler")
    np.testing.assert_allclose(euler.step(q, u, b), q + euler.dt * field(q))


class _Killed(Exception):
    pass


def _kill_at(iteration):
    def callback(done):
        if done == iteration:
            raise _Killed

    return callback


@pytest.mark.parametrize("scheme", ["euler", "hj"])
def test_killed_and_resumed_run_equals_uninterrupted(tmp_path, scheme):
    data = _data()
    settings = dict(SMALL, scheme=scheme, iterations=15, seed=3)
    if scheme == "hj":
        settings["polish_steps"] = 0  # the polish is tested below
    whole = train(data, **settings)
    with pytest.raises(_Killed):
        train(data, **settings, out=tmp_path, on_checkpoint=_kill_at(10))
    resumed = train(data, **settings, out=tmp_path, resume=True)
    for a, b in zip(
        jax.tree.leaves(whole.params), jax.tree.leaves(resumed.params), strict=True
    ):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(whole.history.loss, resumed.history.loss)
    assert whole.metrics["test_accuracy"] == resumed.metrics["test_accuracy"]


def test_resume_refuses_other_settings(tmp_path):
    data = _data()
    train(data, **SMALL, iterations=5, out=tmp_path)
    with pytest.raises(ValueError, match="other settings"):
        train(data, **SMALL, iterations=5, seed=1, out=tmp_path, resume=True)


@pytest.mark.parametrize("order", [1, 2])
def test_msa_decreases_the_objective_and_solves_the_bvp(order):
    """Damped MSA accepts only descent steps; the Newton polish then drives
    the relative BVP residual of this small problem (of the order-m discrete
    Pontryagin system) below 1e-6, also when measured afresh."""
    data = _data()
    result = train(data, **SMALL, scheme="hj", order=order, iterations=40)
    loss = np.asarray(result.history.loss)
    assert np.all(np.diff(loss) <= 1e-15)
    assert result.metrics["bvp_residual_before_polish"] > 1e-3
    assert result.metrics["bvp_residual"] <= 1e-6
    assert result.metrics["train_accuracy"] >= 0.9
    model = result.model
    assert model.order == order
    q0, c = model.embed(data.x_train), jnp.asarray(data.c_train)
    assert _measure(model, result.params, q0, c)["bvp_residual"] <= 1e-6


def test_shooting_on_p0_recovers_a_perturbed_solution():
    """From the polished solution, perturb p^0 by 1e-4 (relative) and shoot (its
    basin is small: 1e-2 already fails); Newton-GMRES on
    the transversality condition brings the BVP residual back below 1e-6."""
    data = _data()
    result = train(data, **SMALL, scheme="hj", iterations=20)
    model = result.model
    q0, c = model.embed(data.x_train), jnp.asarray(data.c_train)
    assert _measure(model, result.params, q0, c)["bvp_residual"] <= 1e-6
    params, info = shooting_polish(
        model, result.params, q0, c, 1e-9, 30, perturbation=1e-4
    )
    assert info["shooting_converged"]
    assert info["bvp_residual_start"] > 1e-4
    assert info["bvp_residual"] <= 1e-6
    qs, _, _, failed = shoot(model, params.controls, q0, info["p0"])
    assert not failed


def test_euler_adam_learns_circles():
    data = two_circles(1, n_train=100, n_test=100)
    result = train(
        data,
        scheme="euler",
        layers=10,
        dt=0.3,
        gamma=1e-3,
        iterations=300,
        log_every=50,
        checkpoint_every=300,
    )
    assert result.metrics["test_accuracy"] >= 0.95
    assert result.metrics["loss"] < np.asarray(result.history.loss)[0]


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="layers must be >= 1"):
        train(_data(), layers=0)
    with pytest.raises(ValueError, match="dt must be a finite step > 0"):
        train(_data(), dt=0.0)
    with pytest.raises(ValueError, match="unknown scheme 'leapfrog'"):
        train(_data(), scheme="leapfrog")
    with pytest.raises(ValueError, match="order=2 applies to scheme 'hj' only"):
        train(_data(), scheme="euler", order=2)
    with pytest.raises(ValueError, match="order must be an int >= 1"):
        train(_data(), scheme="hj", order=0)


def test_augmentation_pads_zeros_and_refuses_too_small_a_state():
    model = ResNet(layers=2, dim=4)
    x = np.arange(6.0).reshape(3, 2)
    np.testing.assert_array_equal(model.embed(x)[:, :2], x)
    np.testing.assert_array_equal(model.embed(x)[:, 2:], 0.0)
    wide = two_circles(0, n_train=8, n_test=8)
    wide = wide._replace(
        x_train=np.tile(wide.x_train, 2), x_test=np.tile(wide.x_test, 2)
    )
    with pytest.raises(ValueError, match="dim=2 is smaller than the 4 features"):
        train(wide, iterations=5, log_every=5, checkpoint_every=5)
