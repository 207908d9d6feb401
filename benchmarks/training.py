"""Training speed of ``hjax.control`` against two anchors, as ratios.

Claim (issue 4): at the paper's settings (two spirals, 2000 points, N_t = 50,
dt = 0.075, d = 2) the Euler and RK4 trainers take at most 1.3x the wall time
of a minimal hand-written jitted JAX ResNet + Adam loop of the same
discretisation, the Hamilton-Jacobi trainer at most 4x the Euler loop; and
the hjax Euler / RK4 trainers are at least 3x faster per iteration than
torchdiffeq's fixed-step Euler / RK4 on the same model and data (torch CPU,
float64 like hjax).

Measured: wall time including compilation for ``--iterations`` iterations
(hjax and the minimal loops), the Hamilton-Jacobi time split into the MSA
sweeps and the polish, and per-iteration time of torchdiffeq over
``--torch-iterations`` iterations. One run each, in one process.

Run: ``.venv/bin/python benchmarks/training.py [--iterations 5000] [--json]``
"""

from __future__ import annotations

import argparse
import json
import time

import jax
import jax.numpy as jnp
import numpy as np
import optax

jax.config.update("jax_enable_x64", True)

from hjax.control import train, two_spirals  # noqa: E402

LAYERS, DT, GAMMA, RATE = 50, 0.075, 1e-3, 1e-2


def minimal_jax_loop(data, iterations: int, method: str = "euler", seed=0) -> float:
    """A hand-written Euler (or RK4) ResNet + Adam loop, one jitted step per
    iteration, same initialisation, objective and data as hjax."""
    key_u, key_w = jax.random.split(jax.random.key(seed))
    params = {
        "u": jax.random.normal(key_u, (LAYERS, 2, 2)) / np.sqrt(2),
        "b": jnp.zeros((LAYERS, 2)),
        "w": jax.random.normal(key_w, (2,)) / np.sqrt(2),
        "c0": jnp.zeros(()),
    }
    x, c = jnp.asarray(data.x_train), jnp.asarray(data.c_train)
    optimizer = optax.adam(RATE)

    def layer(q, theta):
        def field(y):
            return jnp.tanh(y @ theta[0].T + theta[1])

        if method == "euler":
            return q + DT * field(q), None
        k1 = field(q)
        k2 = field(q + DT / 2 * k1)
        k3 = field(q + DT / 2 * k2)
        k4 = field(q + DT * k3)
        return q + DT / 6 * (k1 + 2 * k2 + 2 * k3 + k4), None

    def loss(p):
        q, _ = jax.lax.scan(layer, x, (p["u"], p["b"]))
        logit = q @ p["w"] + p["c0"]
        data_term = jnp.mean(jax.nn.softplus(logit) - c * logit)
        ridge = DT * (jnp.sum(p["u"] ** 2) + jnp.sum(p["b"] ** 2))
        ridge += jnp.sum(p["w"] ** 2) + p["c0"] ** 2
        return data_term + GAMMA / 2 * ridge

    @jax.jit
    def step(p, state):
        grads = jax.grad(loss)(p)
        updates, state = optimizer.update(grads, state, p)
        return optax.apply_updates(p, updates), state

    start = time.perf_counter()
    state = optimizer.init(params)
    for _ in range(iterations):
        params, state = step(params, state)
    jax.block_until_ready(params)
    return time.perf_counter() - start


def hjax_time(data, scheme: str, iterations: int) -> tuple[float, dict]:
    start = time.perf_counter()
    result = train(
        data,
        scheme=scheme,
        gamma=GAMMA,
        iterations=iterations,
        log_every=50,
        checkpoint_every=iterations,
    )
    return time.perf_counter() - start, result.metrics


def torchdiffeq_per_iteration(data, method: str, iterations: int) -> float:
    """Seconds per Adam iteration of the same model with torchdiffeq.odeint
    (fixed step, backpropagation through the solver)."""
    import torch
    from torchdiffeq import odeint

    torch.manual_seed(0)
    x = torch.tensor(data.x_train)
    c = torch.tensor(data.c_train)
    stages = {"euler": 1, "rk4": 4}[method]

    class Field(torch.nn.Module):
        """``sigma(u^k q + b^k)``; the layer ``k`` is counted from the calls
        (``stages`` per step), since RK4's last stage at ``t + dt`` must still
        use ``theta^k``."""

        def __init__(self):
            super().__init__()
            self.u = torch.nn.Parameter(
                torch.randn(LAYERS, 2, 2, dtype=x.dtype) / np.sqrt(2)
            )
            self.b = torch.nn.Parameter(torch.zeros(LAYERS, 2, dtype=x.dtype))
            self.calls = 0

        def forward(self, t, q):
            k = min(self.calls // stages, LAYERS - 1)
            self.calls += 1
            return torch.tanh(q @ self.u[k].T + self.b[k])

    field = Field()
    w = torch.nn.Parameter(torch.randn(2, dtype=x.dtype) / np.sqrt(2))
    c0 = torch.nn.Parameter(torch.zeros((), dtype=x.dtype))
    optimizer = torch.optim.Adam([*field.parameters(), w, c0], lr=RATE)
    times = torch.tensor([0.0, LAYERS * DT], dtype=x.dtype)

    start = time.perf_counter()
    for _ in range(iterations):
        field.calls = 0
        q = odeint(field, x, times, method=method, options={"step_size": DT})[-1]
        logit = q @ w + c0
        loss = torch.nn.functional.softplus(logit).mean() - (c * logit).mean()
        ridge = DT * (field.u.square().sum() + field.b.square().sum())
        loss = loss + GAMMA / 2 * (ridge + w.square().sum() + c0.square())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return (time.perf_counter() - start) / iterations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=5000)
    parser.add_argument("--torch-iterations", type=int, default=100)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    data = two_spirals(0)

    results = {"iterations": args.iterations}
    for method in ("euler", "rk4"):
        results[f"minimal_{method}_seconds"] = minimal_jax_loop(
            data, args.iterations, method
        )
    for scheme in ("euler", "rk4", "hj"):
        seconds, metrics = hjax_time(data, scheme, args.iterations)
        anchor = "rk4" if scheme == "rk4" else "euler"
        results[f"{scheme}_seconds"] = seconds
        results[f"{scheme}_vs_minimal_{anchor}"] = (
            seconds / results[f"minimal_{anchor}_seconds"]
        )
        if scheme == "hj":
            results["hj_polish_seconds"] = metrics["polish_seconds"]
            results["hj_sweeps_vs_minimal_euler"] = (
                seconds - metrics["polish_seconds"]
            ) / results["minimal_euler_seconds"]
    for method in ("euler", "rk4"):
        per = torchdiffeq_per_iteration(data, method, args.torch_iterations)
        results[f"torchdiffeq_{method}_per_iteration"] = per
        ours = results[f"{method}_seconds"] / args.iterations
        results[f"torchdiffeq_{method}_vs_hjax"] = per / ours
    if args.json:
        print(json.dumps(results, sort_keys=True))
    else:
        for key, value in results.items():
            print(
                f"{key}: {value:.4g}" if isinstance(value, float) else f"{key}: {value}"
            )


if __name__ == "__main__":
    main()
