"""Bad input is refused with a message naming it; failures name the step."""

import json

import jax.numpy as jnp
import pytest

import hjax
from hjax import liepoisson as lp
from hjax.canonical import IntegrationError

H = lp.rigid_body()
PI0 = lp.systems.rigid_body_initial()


def _integrate(
    mu0=PI0, algebra=None, solver=None, dt=0.1, steps=3, hamiltonian=H, **kwargs
):
    return lp.integrate(
        hamiltonian,
        mu0,
        algebra=algebra or lp.SO3(),
        solver=solver or lp.LiePoissonHJ(1),
        dt=dt,
        steps=steps,
        **kwargs,
    )


def test_non_finite_mu0():
    with pytest.raises(ValueError, match=r"mu0 contains 1 non-finite value\(s\)"):
        _integrate(mu0=jnp.array([1.0, jnp.nan, 0.0]))


@pytest.mark.parametrize(
    "algebra, mu0, got",
    [
        (lp.SO3(), jnp.ones(4), r"\(4,\)"),
        (lp.SO3(), (jnp.ones(3), jnp.ones(3)), r"\(\(3,\), \(3,\)\)"),
        (lp.SE3(), jnp.ones(6), r"\(6,\)"),
    ],
)
def test_mu0_structure_must_match_algebra(algebra, mu0, got):
    message = f"mu0 does not match the algebra {type(algebra).__name__}: expected"
    with pytest.raises(ValueError, match=message + r".* got " + got):
        _integrate(mu0=mu0, algebra=algebra, hamiltonian=lambda mu: jnp.zeros(()))


@pytest.mark.parametrize("dt", [0.0, -0.1, float("inf")])
def test_dt_must_be_positive(dt):
    with pytest.raises(ValueError, match="dt must be a finite positive step size"):
        _integrate(dt=dt)


@pytest.mark.parametrize(
    "order, message",
    [
        (0, "order must be >= 1, got order=0"),
        (1.5, "order must be an int >= 1"),
    ],
)
def test_order_must_be_at_least_one(order, message):
    with pytest.raises(ValueError, match=message):
        lp.LiePoissonHJ(order)


def test_rejects_solvers_and_algebras_that_do_not_apply():
    with pytest.raises(ValueError, match="solver must be hjax.liepoisson.LiePoissonHJ"):
        _integrate(solver=hjax.SymplecticEuler())
    with pytest.raises(ValueError, match="algebra must be an hjax.liepoisson algebra"):
        _integrate(algebra="so3")


def test_root_find_failure_names_the_step():
    """max_steps=1 cannot converge: step 0 is reported; with throw=False the
    index is returned and states after it are frozen (no NaN)."""
    solver = lp.LiePoissonHJ(1, max_steps=1)
    with pytest.raises(IntegrationError, match=r"step 0 -> 1 failed"):
        _integrate(solver=solver)
    trajectory = _integrate(solver=solver, throw=False)
    assert int(trajectory.failed_step) == 0
    assert bool(jnp.all(jnp.isfinite(trajectory.mu)))


def test_non_finite_state_names_a_later_step():
    """H becomes NaN once Pi_1 < 0 (half a period in): that step is named."""

    def hamiltonian(Pi):
        return H(Pi) + jnp.where(Pi[1] < 0, jnp.nan, 0.0) * Pi[1]

    trajectory = _integrate(hamiltonian=hamiltonian, steps=200, throw=False)
    index = int(trajectory.failed_step)
    assert index > 0
    with pytest.raises(IntegrationError, match=rf"step {index} -> {index + 1} failed"):
        _integrate(hamiltonian=hamiltonian, steps=200)


def test_cli_rigid_body_json(tmp_path, monkeypatch):
    """`hjax rigid-body --json` prints one object with both drift tables."""
    from typer.testing import CliRunner

    from hjax.cli import app
    from hjax.experiments import rigid_body

    monkeypatch.setattr(rigid_body, "QUICK_STEPS", 200)
    result = CliRunner().invoke(app, ["rigid-body", "--json", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout.strip().splitlines()[-1])
    for key in ("casimir_drift", "energy_drift"):
        assert set(metrics[key]) == {"explicit_euler", "rk4", "lphj"}
    assert metrics["casimir_drift"]["lphj"] < 1e-13
    assert metrics["casimir_drift"]["explicit_euler"] > 1e-2
    assert (tmp_path / "rigid-body.png").stat().st_size > 0
    assert json.loads((tmp_path / "rigid-body.json").read_text())["steps"] == 200
