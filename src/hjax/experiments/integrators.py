"""Generating-function integrators against the paper's baselines (§2.1, §4).

Claim: the type-II generating-function scheme (82) with ``m`` terms of (83) has
order ``m``, is symplectic to round-off, and keeps the energy error bounded over
long runs, while explicit Euler and RK4 drift.

Measured: empirical order on the pendulum (slope of log error against log step,
error at ``t = 5`` against a diffrax Dopri8 reference); maximum energy error over
a long run of the Kepler problem (``e = 0.6``) and of the pendulum; the
symplecticity defect ``max |J^T Omega J - Omega|`` of one step of the Kepler
problem.

Run: ``hjax integrators --json`` (quick) or ``hjax integrators --full``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import jax.numpy as jnp
import numpy as np
from tqdm import tqdm

from .. import _io
from ..canonical import (
    RK4,
    ExplicitEuler,
    GeneratingFunction,
    SymplecticEuler,
    diagnostics,
    integrate,
    systems,
)

NAME = "integrators"


def solvers(full: bool) -> dict:
    """The solvers compared: the paper's baselines and orders 1..4 (1..6 full)."""
    orders = range(1, 7 if full else 5)
    table = {"explicit_euler": ExplicitEuler(), "rk4": RK4()}
    table["symplectic_euler"] = SymplecticEuler()
    table.update({f"hj{m}": GeneratingFunction(order=m) for m in orders})
    return table


def _energy_run(hamiltonian, q0, p0, solver, dt, steps):
    trajectory = integrate(hamiltonian, q0, p0, solver=solver, dt=dt, steps=steps)
    error = np.asarray(diagnostics.energy_error(hamiltonian, trajectory))
    return np.asarray(trajectory.times), error


def run(out: Path, *, full: bool = False) -> dict:
    """Run the comparison; write ``integrators.png`` and ``integrators.json``."""
    out = Path(out)
    table = solvers(full)
    kepler_q0, kepler_p0 = systems.kepler_initial(0.6)
    pendulum_q0, pendulum_p0 = jnp.array([1.5]), jnp.array([0.0])
    kepler_steps = 100_000 if full else 20_000
    pendulum_steps = 100_000 if full else 20_000
    step_counts = [40, 80, 160, 320, 640, 1280]
    reference = diagnostics.reference_solution(
        systems.pendulum, pendulum_q0, pendulum_p0, 5.0
    )

    metrics = {"orders": {}, "energy_drift": {}, "symplecticity_defect": {}}
    metrics["pendulum_energy_drift"] = {}
    curves, convergence, seconds = {}, {}, {}
    for name, solver in tqdm(table.items(), desc=NAME, file=sys.stderr):
        start = time.perf_counter()
        t_k, e_k = _energy_run(
            systems.kepler, kepler_q0, kepler_p0, solver, 0.01, kepler_steps
        )
        t_p, e_p = _energy_run(
            systems.pendulum, pendulum_q0, pendulum_p0, solver, 0.1, pendulum_steps
        )
        dts, errors = diagnostics.global_errors(
            systems.pendulum,
            solver,
            pendulum_q0,
            pendulum_p0,
            5.0,
            step_counts,
            reference,
        )
        metrics["orders"][name] = diagnostics.empirical_order(dts, errors)
        metrics["energy_drift"][name] = float(e_k.max())
        metrics["pendulum_energy_drift"][name] = float(e_p.max())
        metrics["symplecticity_defect"][name] = diagnostics.symplecticity_defect(
            systems.kepler, solver, kepler_q0, kepler_p0, 0.01
        )
        curves[name] = (t_k, e_k, t_p, e_p)
        convergence[name] = (dts, errors)
        seconds[name] = time.perf_counter() - start

    metrics["settings"] = {
        "kepler": {"eccentricity": 0.6, "dt": 0.01, "steps": kepler_steps},
        "pendulum": {"q0": 1.5, "p0": 0.0, "dt": 0.1, "steps": pendulum_steps},
        "order_study": {"t_final": 5.0, "step_counts": step_counts},
    }
    metrics["seconds"] = seconds
    _plot(curves, convergence, out / f"{NAME}.png")
    payload = dict(metrics)
    payload["convergence"] = {
        k: {"dt": v[0], "error": v[1]} for k, v in convergence.items()
    }
    _io.write_json(out / f"{NAME}.json", payload)
    return metrics


def _plot(curves, convergence, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, 3, figsize=(16, 4.5))
    # Structure-preserving runs first, the drifting baselines on top.
    for name, (t_k, e_k, t_p, e_p) in reversed(curves.items()):
        stride = max(1, len(t_k) // 2000)
        axes[0].semilogy(t_k[1::stride], e_k[1::stride] + 1e-17, label=name, lw=0.8)
        axes[1].semilogy(t_p[1::stride], e_p[1::stride] + 1e-17, label=name, lw=0.8)
        dts, errors = convergence[name]
        axes[2].loglog(dts, errors, "o-", label=name, ms=3)
    axes[0].set(title="Kepler e = 0.6, dt = 0.01", xlabel="t", ylabel="|H - H0|")
    axes[1].set(title="Pendulum, dt = 0.1", xlabel="t", ylabel="|H - H0|")
    axes[2].set(title="Pendulum: error at t = 5", xlabel="dt", ylabel="max error")
    axes[2].legend(fontsize=7, ncol=2)
    _io.save_figure(figure, path)
