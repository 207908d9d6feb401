"""Accuracy and BVP residual of every trainer at the paper's settings, 3 seeds.

Claim (issue 4): at N_t = 50, dt = 0.075, 5000 iterations, d = 2, every scheme
(Euler + Adam, RK4 + Adam, Hamilton-Jacobi (86) by damped MSA + polish) reaches
test accuracy >= 0.99 on the two spirals and the two circles for seeds 0, 1, 2
(the seed fixes both the data and the initial parameters), and the
Hamilton-Jacobi solution has relative BVP residual <= 1e-6.

Measured: per data set and scheme, test accuracy (mean, min, max over seeds),
train accuracy, the Figure 2 residual, the BVP residual (hj) and seconds.
Each run's metrics are written to ``--out`` as soon as it ends, and runs
already there are not repeated (rerun the same command to resume).

Run: ``.venv/bin/python benchmarks/training_seeds.py [--iterations 5000]``
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import jax
import numpy as np

jax.config.update("jax_enable_x64", True)

from hjax._io import write_json  # noqa: E402
from hjax.control import train, two_circles, two_spirals  # noqa: E402

DATASETS = {"spirals": two_spirals, "circles": two_circles}
SCHEMES = ("euler", "rk4", "hj")


def _run(name: str, scheme: str, seed: int, iterations: int) -> dict:
    result = train(
        DATASETS[name](seed), scheme=scheme, seed=seed, iterations=iterations
    )
    keep = ("test_accuracy", "train_accuracy", "residual", "loss", "seconds")
    keep += ("bvp_residual", "bvp_residual_before_polish", "quasi_newton_iterations")
    return {key: result.metrics[key] for key in keep if key in result.metrics}


def _summary(runs: dict) -> dict:
    table = {}
    for name in DATASETS:
        for scheme in SCHEMES:
            rows = [v for k, v in runs.items() if k.startswith(f"{name}/{scheme}/")]
            if not rows:
                continue
            test = np.array([row["test_accuracy"] for row in rows])
            entry = {
                "seeds": len(rows),
                "test_mean": float(test.mean()),
                "test_min": float(test.min()),
                "test_max": float(test.max()),
                "seconds_mean": float(np.mean([row["seconds"] for row in rows])),
            }
            if scheme == "hj":
                entry["bvp_max"] = max(row["bvp_residual"] for row in rows)
            table[f"{name}/{scheme}"] = entry
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=5000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--out", type=Path, default=Path("hjax-results/seeds"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    runs_file = args.out / "runs.json"
    runs = json.loads(runs_file.read_text()) if runs_file.is_file() else {}
    for name in DATASETS:
        for scheme in SCHEMES:
            for seed in args.seeds:
                key = f"{name}/{scheme}/{seed}/{args.iterations}"
                if key not in runs:
                    runs[key] = _run(name, scheme, seed, args.iterations)
                    write_json(runs_file, runs)
                print(key, json.dumps(runs[key]), flush=True)
    summary = _summary(runs)
    write_json(args.out / "summary.json", summary)
    for key, entry in summary.items():
        print(key, json.dumps(entry))


if __name__ == "__main__":
    main()
