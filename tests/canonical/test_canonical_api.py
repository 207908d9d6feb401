"""The public API of DESIGN.md: shapes, pytrees, jit, vmap, and bad input."""

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import hjax
from hjax.canonical import systems

H = systems.nonseparable
Q0, P0 = jnp.array([0.6, -0.3]), jnp.array([0.2, 0.5])


def test_trajectory_has_steps_plus_one_states_starting_at_the_initial_data():
    run = hjax.integrate(
        H, Q0, P0, solver=hjax.GeneratingFunction(order=2), dt=0.1, steps=7
    )
    assert run.q.shape == (8, 2) and run.p.shape == (8, 2)
    np.testing.assert_array_equal(run.q[0], Q0)
    np.testing.assert_allclose(run.times[-1], 0.7)
    assert int(run.failed_step) == -1


def test_pytree_state_matches_the_flat_state():
    def tree_hamiltonian(q, p):
        return H(jnp.stack([q["x"], q["y"]]), jnp.stack([p["x"], p["y"]]))

    q0 = {"x": Q0[0], "y": Q0[1]}
    p0 = {"x": P0[0], "y": P0[1]}
    solver = hjax.GeneratingFunction(order=2)
    tree = hjax.integrate(tree_hamiltonian, q0, p0, solver=solver, dt=0.1, steps=20)
    flat = hjax.integrate(H, Q0, P0, solver=solver, dt=0.1, steps=20)
    np.testing.assert_allclose(tree.q["x"], flat.q[:, 0], atol=1e-15)
    np.testing.assert_allclose(tree.p["y"], flat.p[:, 1], atol=1e-15)


def test_jit_and_vmap_over_initial_data_and_step_size():
    solver = hjax.GeneratingFunction(order=2)

    @jax.jit
    def final_q(q0, p0, dt):
        return hjax.integrate(H, q0, p0, solver=solver, dt=dt, steps=10).q[-1]

    batch_q = jnp.stack([Q0, 0.5 * Q0, -Q0])
    batch_p = jnp.stack([P0, P0, 0.1 * P0])
    dts = jnp.array([0.1, 0.05, 0.02])
    batched = jax.vmap(final_q)(batch_q, batch_p, dts)
    for i in range(3):
        single = hjax.integrate(
            H, batch_q[i], batch_p[i], solver=solver, dt=float(dts[i]), steps=10
        ).q[-1]
        np.testing.assert_allclose(batched[i], single, atol=1e-14)


def test_separable_order_one_needs_no_root_find():
    # For H = T(p) + V(q) the type-II relation is explicit at order 1: one step
    # must equal the hand-written symplectic Euler update exactly.
    q0, p0 = jnp.array([0.3, 0.1]), jnp.array([0.0, 0.4])
    run = hjax.integrate(
        systems.kepler,
        q0,
        p0,
        solver=hjax.GeneratingFunction(order=1),
        dt=0.01,
        steps=1,
    )
    p1 = p0 - 0.01 * jax.grad(systems.kepler, 0)(q0, p0)
    q1 = q0 + 0.01 * p1
    np.testing.assert_array_equal(run.p[1], p1)
    np.testing.assert_array_equal(run.q[1], q1)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"dt": 0.0}, "dt must be a finite positive step size, got dt=0.0"),
        ({"dt": -0.1}, "dt must be a finite positive step size"),
        ({"dt": float("nan")}, "dt must be a finite positive step size"),
        ({"steps": -1}, "steps must be >= 0, got steps=-1"),
        ({"steps": 2.5}, "steps must be a Python int >= 0"),
        ({"q0": jnp.array([jnp.nan, 0.0])}, "q0 contains 1 non-finite value"),
        ({"p0": jnp.array([0.0, jnp.inf])}, "p0 contains 1 non-finite value"),
        ({"p0": jnp.array([0.0, 1.0, 2.0])}, "q0 and p0 must have equal shapes"),
        ({"p0": {"a": P0}}, "q0 and p0 must be pytrees of the same structure"),
        ({"hamiltonian": lambda q, p: q * p}, "hamiltonian must return a scalar"),
        ({"solver": "rk4"}, "solver must be an hjax solver"),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_the_argument(kwargs, message):
    arguments = {
        "hamiltonian": H,
        "q0": Q0,
        "p0": P0,
        "dt": 0.1,
        "steps": 3,
        "solver": hjax.RK4(),
    }
    arguments.update(kwargs)
    hamiltonian = arguments.pop("hamiltonian")
    q0, p0 = arguments.pop("q0"), arguments.pop("p0")
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        hjax.integrate(hamiltonian, q0, p0, **arguments)


@pytest.mark.parametrize(
    ("order", "message"),
    [
        (0, "order must be >= 1, got order=0"),
        (2.0, "order must be an int >= 1"),
        (-3, "order must be >= 1"),
    ],
)
def test_bad_order_is_refused(order, message):
    with pytest.raises(ValueError, match=message):
        hjax.GeneratingFunction(order=order)


def test_unconverged_root_find_names_the_step_and_leaves_no_nan():
    # One Newton iteration cannot meet the tolerance on a non-separable step.
    solver = hjax.GeneratingFunction(order=2, max_steps=1)
    with pytest.raises(hjax.IntegrationError, match=r"step 0 -> 1 failed"):
        hjax.integrate(H, Q0, P0, solver=solver, dt=0.1, steps=5)
    run = hjax.integrate(H, Q0, P0, solver=solver, dt=0.1, steps=5, throw=False)
    assert int(run.failed_step) == 0
    assert bool(jnp.all(jnp.isfinite(run.q))) and bool(jnp.all(jnp.isfinite(run.p)))


def test_unconverged_root_find_under_jit_is_a_runtime_error_not_a_nan():
    solver = hjax.GeneratingFunction(order=2, max_steps=1)
    run = jax.jit(
        lambda q0: hjax.integrate(H, q0, P0, solver=solver, dt=0.1, steps=5).q
    )
    # Under jax.jit the message arrives inside JAX's runtime error.
    errors = (eqx.EquinoxRuntimeError, jax.errors.JaxRuntimeError)
    with pytest.raises(errors, match="a step failed"):
        run(Q0)


def test_a_state_that_blows_up_is_reported_with_its_step():
    # q'' = 4 q^3 escapes to infinity in finite time; explicit Euler overflows.
    def unbounded(q, p):
        return 0.5 * jnp.sum(p**2) - jnp.sum(q**4)

    q0, p0 = jnp.array([2.0]), jnp.array([0.0])
    with pytest.raises(hjax.IntegrationError, match=r"step \d+ -> \d+ failed"):
        hjax.integrate(unbounded, q0, p0, solver=hjax.ExplicitEuler(), dt=0.5, steps=50)
    run = hjax.integrate(
        unbounded, q0, p0, solver=hjax.ExplicitEuler(), dt=0.5, steps=50, throw=False
    )
    assert 0 <= int(run.failed_step) < 50
    assert bool(jnp.all(jnp.isfinite(run.q)))


def test_fixed_point_and_newton_solve_the_same_relation():
    # Two independent solves of (82): Newton (default) and the Jacobian-free
    # fixed-point iteration must give the same trajectory to round-off.
    import optimistix as optx

    newton = hjax.GeneratingFunction(order=3)
    fixed = hjax.GeneratingFunction(
        order=3, root_finder=optx.FixedPointIteration(rtol=1e-15, atol=1e-15)
    )
    a = hjax.integrate(H, Q0, P0, solver=newton, dt=0.1, steps=100)
    b = hjax.integrate(H, Q0, P0, solver=fixed, dt=0.1, steps=100)
    np.testing.assert_allclose(a.q, b.q, rtol=0, atol=1e-13)
    np.testing.assert_allclose(a.p, b.p, rtol=0, atol=1e-13)
