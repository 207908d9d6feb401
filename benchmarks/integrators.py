"""Speed of the generating-function integrators, as ratios in one process.

1. Per-step cost of ``GeneratingFunction(order=1)`` against a hand-written
   jitted symplectic-Euler ``lax.scan`` on the separable 100-dof FPU chain
   (goal: ratio <= 3).
2. Cost to reach a long-time energy error on the Kepler problem (e = 0.6,
   t = 0..200): ``GeneratingFunction(order=2)`` and ``(order=4)`` against
   diffrax fixed-step solvers, each swept over step sizes.
3. Compile time of one integrate call for orders 1..6 on the 100-dof chain
   (goal: order 4 under 20 s).

Run: ``python benchmarks/integrators.py [--max-order 6] [--part 1 2 3]``.
Prints markdown tables.
"""

from __future__ import annotations

import argparse
import functools
import time

import diffrax
import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import optimistix as optx

jax.config.update("jax_enable_x64", True)

import hjax  # noqa: E402
from hjax.canonical import diagnostics, systems  # noqa: E402


def _best_time(fn, repeats=5):
    jax.block_until_ready(fn())
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        jax.block_until_ready(fn())
        times.append(time.perf_counter() - start)
    return min(times)


def per_step(steps=20_000):
    q0, p0 = systems.fpu_initial(100)
    dt = 0.01
    grad_v = jax.grad(systems.fpu_chain, argnums=0)

    @jax.jit
    def hand_written(q, p):
        def body(state, _):
            q, p = state
            p = p - dt * grad_v(q, p)
            q = q + dt * p
            return (q, p), (q, p)

        return jax.lax.scan(body, (q, p), None, length=steps)[1][0]

    solver = hjax.GeneratingFunction(order=1)

    def library():
        return hjax.integrate(
            systems.fpu_chain, q0, p0, solver=solver, dt=dt, steps=steps
        ).q

    reference = _best_time(lambda: hand_written(q0, p0))
    ours = _best_time(library)
    agree = float(jnp.max(jnp.abs(library()[1:] - hand_written(q0, p0))))
    print("\n## 1. per step, 100-dof FPU chain, dt = 0.01")
    print("| method | us/step | ratio |\n|---|---|---|")
    print(
        f"| hand-written jitted symplectic Euler | {1e6 * reference / steps:.2f} | 1 |"
    )
    print(
        f"| hjax GeneratingFunction(order=1) | {1e6 * ours / steps:.2f} "
        f"| {ours / reference:.2f} |"
    )
    print(f"(max |difference| of the trajectories: {agree:.1e})")


@eqx.filter_jit
def _hjax_energy_error(solver, dt, steps, q0, p0):
    """Max |H - H0| over ``steps`` steps of an hjax solver (traced step count)."""
    energy0 = systems.kepler(q0, p0)

    def body(_, carry):
        q, p, worst = carry
        q, p, _ = solver.step(systems.kepler, q, p, dt)
        return q, p, jnp.maximum(worst, jnp.abs(systems.kepler(q, p) - energy0))

    return jax.lax.fori_loop(0, steps, body, (q0, p0, jnp.zeros(())))[2]


@eqx.filter_jit
def _diffrax_energy_error(solver, dt, steps, q0, p0, max_steps):
    """Max |H - H0| of a diffrax fixed-step run (``max_steps`` fixed: one compile)."""
    field = diagnostics._HamiltonianField(systems.kepler)
    solution = diffrax.diffeqsolve(
        diffrax.ODETerm(field),
        solver,
        t0=0.0,
        t1=dt * steps,
        dt0=dt,
        y0=(q0, p0),
        saveat=diffrax.SaveAt(steps=True),
        max_steps=max_steps,
        stepsize_controller=diffrax.ConstantStepSize(),
        throw=False,
    )
    q, p = solution.ys
    valid = jnp.isfinite(solution.ts)
    energy = jax.vmap(systems.kepler)(
        jnp.where(valid[:, None], q, q0), jnp.where(valid[:, None], p, p0)
    )
    return jnp.max(jnp.abs(energy - systems.kepler(q0, p0)))


def cost_to_accuracy(t_final=200.0, target=1e-6):
    q0, p0 = systems.kepler_initial(0.6)
    dts = [0.04, 0.02, 0.01, 0.005, 0.0025, 0.00125]
    max_steps = int(round(t_final / dts[-1])) + 10
    rows = []
    ours = [
        ("hjax hj2", hjax.GeneratingFunction(order=2)),
        ("hjax hj4", hjax.GeneratingFunction(order=4)),
    ]
    theirs = [
        ("diffrax Midpoint (2)", diffrax.Midpoint()),
        ("diffrax Ralston (2)", diffrax.Ralston()),
        ("diffrax Bosh3 (3)", diffrax.Bosh3()),
        ("diffrax Tsit5 (5)", diffrax.Tsit5()),
        ("diffrax Dopri8 (8)", diffrax.Dopri8()),
    ]
    for name, solver in ours + theirs:
        for dt in dts:
            steps = int(round(t_final / dt))
            if name.startswith("hjax"):
                run = functools.partial(
                    _hjax_energy_error, solver, jnp.asarray(dt), steps, q0, p0
                )
            else:
                run = functools.partial(
                    _diffrax_energy_error, solver, dt, steps, q0, p0, max_steps
                )
            rows.append((name, dt, float(run()), _best_time(run, 2)))
    print(f"\n## 2. Kepler e = 0.6 over t = 0..{t_final:g}: max energy error, time")
    print("| solver | dt | max abs energy error | seconds |\n|---|---|---|---|")
    for name, dt, error, seconds in rows:
        print(f"| {name} | {dt:g} | {error:.2e} | {seconds:.3f} |")
    print(f"\ncheapest run reaching max energy error <= {target:g}:")
    print("| solver | dt | seconds | ratio to hj4 |\n|---|---|---|---|")
    best = {}
    for name, dt, error, seconds in rows:
        if error <= target and (name not in best or seconds < best[name][1]):
            best[name] = (dt, seconds)
    base = best.get("hjax hj4", (None, np.nan))[1]
    for name, (dt, seconds) in best.items():
        print(f"| {name} | {dt:g} | {seconds:.3f} | {seconds / base:.2f} |")
    missing = sorted({r[0] for r in rows} - set(best))
    if missing:
        print(f"(not reaching {target:g} at any dt tried: {', '.join(missing)})")


def compile_times(max_order):
    q0, p0 = systems.fpu_initial(100)
    fixed_point = optx.FixedPointIteration(rtol=1e-14, atol=1e-14)
    print("\n## 3. compile time of one integrate call, 100-dof FPU chain, dt = 0.01")
    print("| order | root finder | trace + compile (s) | run 100 steps (ms) |")
    print("|---|---|---|---|")
    for order in range(1, max_order + 1):
        for name, finder in [("Newton (default)", None), ("fixed point", fixed_point)]:
            solver = hjax.GeneratingFunction(order=order, root_finder=finder)

            def run(solver=solver):
                return hjax.integrate(
                    systems.fpu_chain, q0, p0, solver=solver, dt=0.01, steps=100
                ).q

            start = time.perf_counter()
            jax.block_until_ready(run())
            first = time.perf_counter() - start
            second = _best_time(run, 2)
            print(
                f"| {order} | {name} | {first - second:.1f} | {1e3 * second:.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-order", type=int, default=6)
    parser.add_argument("--part", type=int, choices=(1, 2, 3), nargs="*")
    arguments = parser.parse_args()
    parts = arguments.part or (1, 2, 3)
    if 1 in parts:
        per_step()
    if 2 in parts:
        cost_to_accuracy()
    if 3 in parts:
        compile_times(arguments.max_order)
