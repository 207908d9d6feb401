"""``hjax train``: train the continuous ResNet on a data set (§4, Problem 4.2).

Registered on the ``hjax`` command in ``hjax/cli.py``. Bad input exits with code
2 and one line on stderr before anything is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def _dataset(name, data, test_data, seed):
    from ._datasets import load_dataset, two_circles, two_spirals

    if (name is None) == (data is None):
        raise ValueError(
            "give exactly one of --dataset {spirals,circles} or --data PATH."
        )
    if test_data is not None and data is None:
        raise ValueError("--test-data needs --data PATH (the training file).")
    if data is not None:
        return load_dataset(data, test_data, seed)
    makers = {"spirals": two_spirals, "circles": two_circles}
    if name not in makers:
        raise ValueError(
            f"unknown dataset {name!r}; use --dataset spirals or --dataset circles."
        )
    return makers[name](seed)


def train(
    dataset: Annotated[
        str | None, typer.Option("--dataset", help="spirals or circles.")
    ] = None,
    data: Annotated[
        Path | None, typer.Option("--data", help=".csv (x1,...,xd,label) or .npz.")
    ] = None,
    test_data: Annotated[
        Path | None, typer.Option("--test-data", help="Test file.")
    ] = None,
    scheme: Annotated[
        str, typer.Option("--scheme", help="euler, rk4 or hj.")
    ] = "euler",
    order: Annotated[
        int, typer.Option("--order", help="Generating-function order m (hj).")
    ] = 1,
    method: Annotated[
        str, typer.Option("--method", help="msa or shooting (hj).")
    ] = "msa",
    layers: Annotated[
        int, typer.Option("--layers", help="N_t, the number of layers.")
    ] = 50,
    dt: Annotated[float, typer.Option("--dt", help="Step Delta t.")] = 0.075,
    iterations: Annotated[
        int, typer.Option("--iterations", help="Training iterations.")
    ] = 5000,
    seed: Annotated[
        int, typer.Option("--seed", help="Seed of data and initialisation.")
    ] = 0,
    dim: Annotated[
        int, typer.Option("--dim", help="State dimension (zero padding).")
    ] = 2,
    activation: Annotated[
        str, typer.Option("--activation", help="tanh|relu|sigmoid")
    ] = "tanh",
    loss: Annotated[
        str, typer.Option("--loss", help="cross_entropy|squared")
    ] = "cross_entropy",
    gamma: Annotated[
        float, typer.Option("--gamma", help="Regularisation gamma (84).")
    ] = 1e-3,
    learning_rate: Annotated[
        float, typer.Option("--learning-rate", help="Adam step.")
    ] = 1e-2,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object.")
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder for checkpoint/results.")
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue from --out.")
    ] = False,
) -> None:
    """Train a continuous ResNet: Euler/RK4 + Adam, or the Hamilton-Jacobi
    scheme (86) solved as a Pontryagin boundary value problem."""
    from ..cli import _setup, emit, fail
    from ._train import save_result
    from ._train import train as run_training

    _setup()
    if resume and out is None:
        fail("--resume needs --out DIR (the folder holding checkpoint.eqx).")
    log_every = 50 if iterations % 50 == 0 else 1
    try:
        points = _dataset(dataset, data, test_data, seed)
        result = run_training(
            points,
            scheme=scheme,
            order=order,
            method=method,
            layers=layers,
            dt=dt,
            dim=dim,
            activation=activation,
            loss=loss,
            gamma=gamma,
            iterations=iterations,
            seed=seed,
            learning_rate=learning_rate,
            log_every=log_every,
            checkpoint_every=log_every * 10,
            out=out,
            resume=resume,
            progress=True,
        )
    except (ValueError, NotImplementedError) as error:
        fail(str(error).splitlines()[0])
    if out is not None:
        save_result(result, out)
    emit(_public_metrics(result.metrics), as_json)


def _public_metrics(metrics: dict) -> dict:
    keys = (
        "train_accuracy",
        "test_accuracy",
        "residual",
        "loss",
        "bvp_residual",
        "iterations",
        "seconds",
        "quasi_newton_iterations",
        "bvp_blocks",
        "polish",
        "polish_steps",
        "polish_seconds",
        "bvp_residual_before_polish",
        "shooting_converged",
    )
    return {key: metrics[key] for key in keys if key in metrics}
