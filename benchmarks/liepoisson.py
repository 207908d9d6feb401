"""Speed of the Lie-Poisson Hamilton-Jacobi integrators, as ratios in one process.

Free rigid body, ``I = diag(1, 2, 3)``, ``dt = 0.1``, one jitted ``fori_loop``
per method (the same harness for all; no trajectory stored):

1. Cost per step of ``LiePoissonHJ(1)``, ``(2)`` (default Newton root find, and
   optimistix's fixed-point iteration) against RK4 on (20) and McLachlan's
   explicit splitting (symmetric composition of the three exact axis
   rotations; order 2, Poisson, Casimir-exact), for one body and per body in
   a vmapped batch. Goal of the issue: LPHJ(2) <= 4x RK4.
2. Casimir ``|Pi|^2`` error (max relative) over 10^5 steps for each method,
   and RK4 at equal cost (its step divided by the cost ratio, same time span).
   Goal: LPHJ at least 10^6 times smaller than RK4 at equal cost.
3. ``--accuracy``: measured order (Dopri8 reference, t = 2, 10..80 steps) and
   Poisson defect (dt = 0.3) of every solver, rigid body and heavy top.

Run: ``python benchmarks/liepoisson.py [--steps 100000] [--batch 256]
[--accuracy]``.
Prints markdown tables.
"""

from __future__ import annotations

import argparse
import math
import time

import jax
import jax.numpy as jnp
import optimistix as optx

jax.config.update("jax_enable_x64", True)

import hjax  # noqa: E402
from hjax import liepoisson as lp  # noqa: E402
from hjax.canonical._implicit import default_tolerance  # noqa: E402
from hjax.liepoisson._integrate import flat_hamiltonian, one_step  # noqa: E402

INERTIA = jnp.array([1.0, 2.0, 3.0])
DT = 0.1


def _axis_rotation(Pi, axis, h):
    """Exact flow of ``Pi_i^2 / (2 I_i)`` for time ``h``: rotate about ``e_i``."""
    j, k = (axis + 1) % 3, (axis + 2) % 3
    angle = h * Pi[axis] / INERTIA[axis]
    c, s = jnp.cos(angle), jnp.sin(angle)
    return Pi.at[j].set(c * Pi[j] + s * Pi[k]).at[k].set(c * Pi[k] - s * Pi[j])


def mclachlan_step(Pi, h):
    """``R1(h/2) R2(h/2) R3(h) R2(h/2) R1(h/2)`` (McLachlan 1993)."""
    for axis, fraction in ((0, 0.5), (1, 0.5), (2, 1.0), (1, 0.5), (0, 0.5)):
        Pi = _axis_rotation(Pi, axis, fraction * h)
    return Pi


def _methods() -> dict:
    hamiltonian = flat_hamiltonian(lp.rigid_body(), lp.SO3())
    tolerance = default_tolerance(jnp.float64)
    fixed_point = optx.FixedPointIteration(rtol=tolerance, atol=tolerance)
    solvers = {
        "RK4": hjax.RK4(),
        "LPHJ(1)": lp.LiePoissonHJ(1),
        "LPHJ(2)": lp.LiePoissonHJ(2),
        "LPHJ(2), fixed point": lp.LiePoissonHJ(2, root_finder=fixed_point),
    }
    methods = {"McLachlan splitting": mclachlan_step}
    for name, solver in solvers.items():
        step = one_step(hamiltonian, lp.SO3(), solver)
        methods[name] = lambda Pi, h, step=step: step(Pi, h)[0]
    return dict(sorted(methods.items(), key=lambda item: item[0] != "RK4"))


def _run(step, steps: int, h: float):
    """Final state and max relative Casimir error after ``steps`` steps."""

    def body(_, carry):
        Pi, worst, initial = carry
        Pi = step(Pi, h)
        error = jnp.abs(jnp.dot(Pi, Pi) - initial) / initial
        return Pi, jnp.maximum(worst, error), initial

    def run(Pi0):
        start = (Pi0, jnp.zeros(()), jnp.dot(Pi0, Pi0))
        Pi, worst, _ = jax.lax.fori_loop(0, steps, body, start)
        return Pi, worst

    return jax.jit(run)


def _seconds(fn, *args, repeats=3):
    jax.block_until_ready(fn(*args))
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        jax.block_until_ready(fn(*args))
        best = min(best, time.perf_counter() - start)
    return best


def cost_table(methods, batch: int, timing_steps: int) -> dict:
    Pi0 = lp.systems.rigid_body_initial()
    batch0 = Pi0 * (1 + 0.1 * jax.random.uniform(jax.random.PRNGKey(0), (batch, 1)))
    costs = {}
    print(
        f"| method | us/step (1 body) | vs RK4 | us/body-step (batch {batch}) "
        "| vs RK4 |\n|---|---|---|---|---|"
    )
    for name, step in methods.items():
        single = _seconds(_run(step, timing_steps, DT), Pi0) / timing_steps
        batched = jax.vmap(_run(step, timing_steps // 10, DT))
        per_body = _seconds(jax.jit(batched), batch0) / (timing_steps // 10) / batch
        costs[name] = (single, per_body)
        base = costs["RK4"]
        print(
            f"| {name} | {single * 1e6:.3f} | {single / base[0]:.1f} | "
            f"{per_body * 1e6:.4f} | {per_body / base[1]:.1f} |"
        )
    return costs


def casimir_table(methods, costs, steps: int) -> None:
    Pi0 = lp.systems.rigid_body_initial()
    print(f"\n| method | max rel. Casimir error, {steps} steps, dt = {DT} |\n|---|---|")
    errors = {}
    for name, step in methods.items():
        _, worst = _run(step, steps, DT)(Pi0)
        errors[name] = float(worst)
        print(f"| {name} | {errors[name]:.2e} |")
    for name in ("LPHJ(2)", "LPHJ(2), fixed point"):
        ratio = max(1, round(costs[name][0] / costs["RK4"][0]))
        _, worst = _run(methods["RK4"], steps * ratio, DT / ratio)(Pi0)
        print(
            f"| RK4 at the cost of {name} (dt = {DT}/{ratio}) | {float(worst):.2e} "
            f"(/ LPHJ(2): {float(worst) / max(errors['LPHJ(2)'], 1e-300):.1e}) |"
        )


def accuracy_table() -> None:
    diagnostics = lp.diagnostics
    rigid = [
        lp.LiePoissonHJ(1),
        lp.LiePoissonHJ(2),
        lp.LiePoissonHJ(3),
        hjax.ExplicitEuler(),
        hjax.RK4(),
    ]
    cases = [
        (
            "rigid body",
            lp.SO3(),
            lp.rigid_body(),
            lp.systems.rigid_body_initial(),
            rigid,
        ),
        (
            "heavy top",
            lp.SE3(),
            lp.heavy_top(),
            lp.systems.heavy_top_initial(),
            [lp.LiePoissonHJ(1), lp.LiePoissonHJ(3)],
        ),
    ]
    print("\n| system | solver | measured order | Poisson defect |\n|---|---|---|---|")
    for system, algebra, hamiltonian, mu0, solvers in cases:
        reference = diagnostics.reference_solution(hamiltonian, mu0, algebra, 2.0)
        for solver in solvers:
            dts, errors = diagnostics.global_errors(
                hamiltonian, mu0, algebra, solver, 2.0, [10, 20, 40, 80], reference
            )
            order = diagnostics.empirical_order(dts, errors, floor=1e-13)
            defect = diagnostics.poisson_defect(hamiltonian, algebra, solver, mu0, 0.3)
            print(f"| {system} | {solver} | {order:.3f} | {defect:.2e} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--timing-steps", type=int, default=20_000)
    parser.add_argument("--accuracy", action="store_true")
    args = parser.parse_args()
    if args.accuracy:
        accuracy_table()
    methods = _methods()
    costs = cost_table(methods, args.batch, args.timing_steps)
    casimir_table(methods, costs, args.steps)


if __name__ == "__main__":
    main()
