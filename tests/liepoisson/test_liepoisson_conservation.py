"""Casimirs to round-off and bounded energy over 10^5 steps (dt = 0.1)."""

import jax.numpy as jnp
import numpy as np
import pytest

import hjax
from hjax import liepoisson as lp

STEPS, DT = 100_000, 0.1


def _run(hamiltonian, mu0, algebra, solver):
    return lp.integrate(
        hamiltonian, mu0, algebra=algebra, solver=solver, dt=DT, steps=STEPS
    )


@pytest.fixture(scope="module")
def rigid_body_runs():
    hamiltonian = lp.rigid_body()
    mu0 = lp.systems.rigid_body_initial()
    return hamiltonian, {
        "lphj": _run(hamiltonian, mu0, lp.SO3(), lp.LiePoissonHJ(1)),
        "rk4": _run(hamiltonian, mu0, lp.SO3(), hjax.RK4()),
    }


def test_rigid_body_casimir_to_round_off(rigid_body_runs):
    """|Pi|^2: LPHJ <= 1e-13 relative (a coadjoint action per step: only
    round-off accumulates); RK4 drifts by orders of magnitude more."""
    _, runs = rigid_body_runs
    lphj = lp.diagnostics.casimir_drift(lp.SO3(), runs["lphj"])[0]
    rk4 = lp.diagnostics.casimir_drift(lp.SO3(), runs["rk4"])[0]
    assert lphj <= 1e-13
    assert rk4 > 1e-7  # measured 4.9e-6: secular, O(dt^4) per unit time
    assert rk4 > 1e4 * lphj


def _window_maxima(errors, windows=10):
    return np.asarray([jnp.max(w) for w in jnp.array_split(errors, windows)])


def test_rigid_body_energy_bounded_without_secular_drift(rigid_body_runs):
    """A Poisson, symmetric map: the energy error oscillates at O(dt^2) and its
    maximum over the last tenth of the run is no larger than over the first
    tenth; RK4's error grows linearly (last tenth >> first tenth)."""
    hamiltonian, runs = rigid_body_runs
    lphj = _window_maxima(lp.diagnostics.energy_error(hamiltonian, runs["lphj"]))
    rk4 = _window_maxima(lp.diagnostics.energy_error(hamiltonian, runs["rk4"]))
    assert lphj.max() < 1e-3  # O(dt^2) with dt = 0.1 (measured 2.1e-5)
    assert lphj[-1] <= 1.01 * lphj[0]
    assert rk4[-1] > 5 * rk4[0]


def test_heavy_top_casimirs_to_round_off():
    """|Gamma|^2 and Pi . Gamma kept to <= 1e-12 by the semidirect-product step
    (Theorem 3.1)."""
    hamiltonian = lp.heavy_top()
    mu0 = lp.systems.heavy_top_initial()
    trajectory = _run(hamiltonian, mu0, lp.SE3(), lp.LiePoissonHJ(1))
    drift = lp.diagnostics.casimir_drift(lp.SE3(), trajectory)
    assert np.all(drift <= 1e-12)
    energy = _window_maxima(lp.diagnostics.energy_error(hamiltonian, trajectory))
    # no secular drift: measured first tenth 8.7e-4, last tenth 8.4e-4
    assert energy[-1] <= 1.5 * energy[0] and energy.max() < 1e-2
