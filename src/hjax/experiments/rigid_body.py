"""Figure 1: the free rigid body on so(3)* by explicit Euler, RK4 and LPHJ.

Claim (§1, Figure 1 caption): explicit Euler and RK4 leave the coadjoint orbit
(the sphere ``|Pi| = |Pi_0|``), the Lie-Poisson Hamilton-Jacobi integrator of
§3.1 stays on it. Measured: for each solver the maximum relative drift of the
Casimir ``|Pi|^2`` and of the energy, ``I = diag(1, 2, 3)``, ``dt = 0.1``.

Run: ``hjax rigid-body [--json] [--out DIR] [--full]`` (quick: 2 000 steps;
full: 100 000 steps, the length the issue's conservation claims use).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from .. import liepoisson
from .._io import save_figure, write_json
from ..canonical import RK4, ExplicitEuler

NAME = "rigid-body"
DT = 0.1
QUICK_STEPS, FULL_STEPS = 2_000, 100_000
PLOTTED_POINTS = 1_500


def _solvers() -> dict:
    return {
        "explicit_euler": ExplicitEuler(),
        "rk4": RK4(),
        "lphj": liepoisson.LiePoissonHJ(order=1),
    }


def _log(message: str) -> None:
    print(f"[{NAME}] {message}", file=sys.stderr)


def _sphere_axes(figure, index, title):
    axes = figure.add_subplot(1, 3, index, projection="3d")
    u, v = np.mgrid[0 : 2 * np.pi : 40j, 0 : np.pi : 20j]
    x, y, z = np.cos(u) * np.sin(v), np.sin(u) * np.sin(v), np.cos(v)
    axes.plot_wireframe(x, y, z, color="0.8", linewidth=0.4)
    axes.set_title(title)
    axes.set_box_aspect((1, 1, 1))
    for setter in (axes.set_xlim, axes.set_ylim, axes.set_zlim):
        setter(-1.3, 1.3)
    return axes


def _figure(trajectories: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    titles = {
        "explicit_euler": "(a) explicit Euler",
        "rk4": "(b) RK4",
        "lphj": "(c) Lie-Poisson HJ",
    }
    figure = plt.figure(figsize=(13, 4.5))
    for index, (name, mu) in enumerate(trajectories.items(), start=1):
        axes = _sphere_axes(figure, index, titles[name])
        stride = max(1, mu.shape[0] // PLOTTED_POINTS)
        points = np.asarray(mu[::stride])
        with np.errstate(over="ignore", invalid="ignore"):  # Euler blows up
            inside = np.sum(points**2, axis=1) < 1.3**2
        axes.plot(*points[inside].T, color="C3", linewidth=0.8)
    save_figure(figure, path)


def run(out: Path, *, full: bool) -> dict:
    """Integrate, measure the drifts, write ``rigid-body.png`` / ``.json``."""
    steps = FULL_STEPS if full else QUICK_STEPS
    hamiltonian = liepoisson.rigid_body()
    algebra = liepoisson.SO3()
    mu0 = liepoisson.systems.rigid_body_initial()
    trajectories, casimir, energy = {}, {}, {}
    for name, solver in _solvers().items():
        start = time.perf_counter()
        trajectory = liepoisson.integrate(
            hamiltonian,
            mu0,
            algebra=algebra,
            solver=solver,
            dt=DT,
            steps=steps,
            throw=False,
        )
        jax.block_until_ready(trajectory.mu)
        casimir[name] = _finite(
            liepoisson.diagnostics.casimir_drift(algebra, trajectory)[0]
        )
        energy[name] = _finite(
            liepoisson.diagnostics.energy_drift(hamiltonian, trajectory)
        )
        trajectories[name] = np.asarray(trajectory.mu)
        _log(
            f"{name}: {steps} steps in {time.perf_counter() - start:.1f} s, "
            f"Casimir drift {casimir[name]:.3g}, energy drift {energy[name]:.3g}"
        )
    metrics = {
        "casimir_drift": casimir,
        "energy_drift": energy,
        "dt": DT,
        "steps": steps,
        "inertia": list(liepoisson.systems.FIGURE_1_INERTIA),
        "mu0": np.asarray(mu0).tolist(),
    }
    _figure(trajectories, Path(out) / f"{NAME}.png")
    write_json(Path(out) / f"{NAME}.json", metrics)
    return metrics


def _finite(value) -> float:
    """A float for JSON; overflow of explicit Euler is reported as ``inf``."""
    value = float(jnp.asarray(value))
    return value if np.isfinite(value) else float("inf")
