"""``train``: run a trainer in jitted chunks, with history, checkpoints, resume.

Iterations run in chunks of ``log_every`` inside one ``lax.scan``; after each
chunk the test accuracy is measured, and every ``checkpoint_every`` iterations
the whole state (parameters, optimiser state, history, iteration) is saved with
equinox's tree serialisation, atomically, into ``out/checkpoint.eqx``. A resumed
run restarts from the last checkpoint at a chunk boundary and replays the same
jitted chunks, so it ends bit for bit where an uninterrupted run ends.
"""

from __future__ import annotations

import io
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from .._io import write_atomic, write_json
from ._adam import AdamMethod
from ._datasets import Dataset, check_points
from ._model import Params, ResNet, accuracy, init_params, residual

CHECKPOINT = "checkpoint.eqx"


class History(eqx.Module):
    """Per-iteration ``loss`` (J), ``residual`` and ``train_accuracy`` (taken
    before the update), and ``test_accuracy`` after each chunk."""

    loss: jax.Array
    residual: jax.Array
    train_accuracy: jax.Array
    test_accuracy: jax.Array


class TrainState(eqx.Module):
    params: Params
    method_state: object
    history: History
    iteration: jax.Array


def _empty_history(iterations: int, chunks: int) -> History:
    zeros = jnp.zeros(iterations)
    return History(zeros, zeros, zeros, jnp.zeros(chunks))


@eqx.filter_jit
def _run_chunk(method, model, state: TrainState, q0, c, x_test, c_test, size: int):
    """``size`` iterations of ``method`` in one scan, then the test accuracy."""

    def body(carry, _):
        params, method_state = carry
        params, method_state, record = method.iteration(
            model, params, method_state, q0, c
        )
        return (params, method_state), record

    (params, method_state), records = jax.lax.scan(
        body, (state.params, state.method_state), None, length=size
    )
    start = state.iteration
    history = state.history
    loss, res, acc = (
        jax.lax.dynamic_update_slice(old, new, (start,))
        for old, new in zip(
            (history.loss, history.residual, history.train_accuracy),
            records,
            strict=True,
        )
    )
    q_test = model.terminal(params.controls, x_test)
    test = accuracy(params.readout, q_test, c_test)
    chunk = start // size
    test_history = history.test_accuracy.at[chunk].set(test)
    history = History(loss, res, acc, test_history)
    return TrainState(params, method_state, history, start + size)


def _save(path: Path, state: TrainState, fingerprint: str) -> None:
    buffer = io.BytesIO()
    eqx.tree_serialise_leaves(buffer, state)
    write_atomic(path / CHECKPOINT, buffer.getvalue())
    write_atomic(path / "checkpoint.json", fingerprint.encode())


def _load(path: Path, like: TrainState, fingerprint: str) -> TrainState | None:
    if not (path / CHECKPOINT).is_file():
        return None
    saved = (
        (path / "checkpoint.json").read_text()
        if (path / "checkpoint.json").is_file()
        else ""
    )
    if saved != fingerprint:
        raise ValueError(
            f"{path / CHECKPOINT} was written by a run with other settings; rerun "
            "with the same arguments, or drop --resume / use another --out."
        )
    with (path / CHECKPOINT).open("rb") as file:
        return eqx.tree_deserialise_leaves(file, like)


def _fingerprint(settings: dict, data: Dataset) -> str:
    digest = [float(np.sum(a)) for a in (data.x_train, data.c_train, data.x_test)]
    return json.dumps({**settings, "data": digest}, sort_keys=True)


def _method(scheme, method, learning_rate, polish_steps):
    if scheme in ("euler", "rk4"):
        return AdamMethod(learning_rate)
    from ._msa import hj_method

    return hj_method(method=method, polish_steps=polish_steps)


class TrainResult(eqx.Module):
    """What ``train`` returns: the model, the trained parameters, the per-
    iteration history and the final metrics dict (the CLI's ``--json``)."""

    model: ResNet
    params: Params
    history: History
    metrics: dict = eqx.field(static=True)


def _final_metrics(model, params, data, iterations, seconds, extra) -> dict:
    x_train, x_test = model.embed(data.x_train), model.embed(data.x_test)
    q_train = model.terminal(params.controls, x_train)
    q_test = model.terminal(params.controls, x_test)
    from ._model import objective

    metrics = {
        "train_accuracy": float(accuracy(params.readout, q_train, data.c_train)),
        "test_accuracy": float(accuracy(params.readout, q_test, data.c_test)),
        "residual": float(residual(params.readout, q_train, data.c_train)),
        "loss": float(objective(model, params, x_train, data.c_train)),
        "iterations": int(iterations),
        "seconds": float(seconds),
    }
    metrics.update(extra)
    return metrics


def _check_train_args(iterations, log_every, checkpoint_every, order, method):
    for name, value in (
        ("iterations", iterations),
        ("log_every", log_every),
        ("checkpoint_every", checkpoint_every),
        ("order", order),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be an int >= 1, got {value!r}.")
    if iterations % log_every or checkpoint_every % log_every:
        raise ValueError(
            f"iterations ({iterations}) and checkpoint_every ({checkpoint_every}) "
            f"must be multiples of log_every ({log_every})."
        )
    if method not in ("msa", "shooting"):
        raise ValueError(f"unknown method {method!r}; use msa or shooting.")


def train(
    data: Dataset,
    *,
    scheme: str = "euler",
    order: int = 1,
    method: str = "msa",
    layers: int = 50,
    dt: float = 0.075,
    dim: int = 2,
    activation: str = "tanh",
    loss: str = "cross_entropy",
    gamma: float = 1e-3,
    iterations: int = 5000,
    seed: int = 0,
    learning_rate: float = 1e-2,
    polish_steps: int = 10,
    log_every: int = 50,
    checkpoint_every: int = 500,
    out: Path | str | None = None,
    resume: bool = False,
    progress: bool = False,
    on_checkpoint: Callable[[int], None] | None = None,
) -> TrainResult:
    """Train the continuous ResNet (16) on ``data`` (Problem 2.3 / 4.2).

    Args:
        data: a ``Dataset`` (``two_spirals``, ``two_circles``, ``load_dataset``).
        scheme: ``"euler"`` or ``"rk4"`` (backpropagation + Adam), or ``"hj"``
            (the Pontryagin system (84)-(86) solved by ``method``).
        order: ``m`` of the generating function for ``"hj"`` (``m = 1`` is (86)).
        method: ``"msa"`` (successive approximations then a Newton polish of
            the optimality system) or ``"shooting"`` (successive approximations
            then shooting on ``p^0``); ``"hj"`` only.
        layers, dt, dim, activation, loss, gamma: see ``ResNet``.
        iterations: training iterations (Adam steps or MSA sweeps).
        seed: fixes the initial parameters.
        learning_rate: Adam's step (Euler, RK4).
        polish_steps: cap on the Newton / shooting steps after the MSA sweeps
            (``"hj"``); 0 skips the polish and only measures the BVP residual.
        log_every: test accuracy is measured every ``log_every`` iterations.
        checkpoint_every: checkpoint period (iterations) when ``out`` is given.
        out: folder for ``checkpoint.eqx``; ``None`` writes nothing.
        resume: continue from ``out/checkpoint.eqx`` if it exists.
        progress: show a tqdm bar on stderr.
        on_checkpoint: called with the iteration after each checkpoint.

    Returns:
        A ``TrainResult``; ``metrics`` has ``train_accuracy``, ``test_accuracy``,
        ``residual`` (Figure 2's sum), ``loss`` (J), ``iterations``, ``seconds``
        and, for ``"hj"``, ``bvp_residual`` (see ``bvp_residual``).
    """
    _check_train_args(iterations, log_every, checkpoint_every, order, method)
    check_points(data.x_train, data.c_train, "training data")
    check_points(data.x_test, data.c_test, "test data")
    if data.x_train.shape[1] > dim:
        raise ValueError(
            f"dim={dim} is smaller than the {data.x_train.shape[1]} features; "
            f"pass dim >= {data.x_train.shape[1]}."
        )
    model = ResNet(
        layers, float(dt), dim, activation, scheme, loss, float(gamma), order
    )
    trainer = _method(scheme, method, learning_rate, polish_steps)
    settings = dict(
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
        checkpoint_every=checkpoint_every,
    )
    fingerprint = _fingerprint(settings, data)
    q0, c = model.embed(data.x_train), jnp.asarray(data.c_train)
    x_test, c_test = model.embed(data.x_test), jnp.asarray(data.c_test)

    params = init_params(model, jax.random.key(seed))
    state = TrainState(
        params,
        trainer.init(model, params, q0),
        _empty_history(iterations, iterations // log_every),
        jnp.asarray(0),
    )
    out = None if out is None else Path(out)
    if resume and out is not None:
        state = _load(out, state, fingerprint) or state
    start = time.perf_counter()
    state = _loop(
        trainer,
        model,
        state,
        (q0, c, x_test, c_test),
        iterations,
        log_every,
        checkpoint_every,
        out,
        fingerprint,
        progress,
        on_checkpoint,
    )
    finish = time.perf_counter()
    params, extra = trainer.finish(model, state.params, state.method_state, q0, c)
    seconds = time.perf_counter() - start
    if extra:
        extra["polish_seconds"] = time.perf_counter() - finish
    metrics = _final_metrics(model, params, data, iterations, seconds, extra)
    return TrainResult(model, params, state.history, metrics)


def _loop(
    trainer,
    model,
    state,
    arrays,
    iterations,
    log_every,
    checkpoint_every,
    out,
    fingerprint,
    progress,
    on_checkpoint,
):
    from tqdm import tqdm

    done = int(state.iteration)
    bar = tqdm(
        total=iterations,
        initial=done,
        disable=not progress,
        file=sys.stderr,
        desc=f"train {model.scheme}",
    )
    while done < iterations:
        state = _run_chunk(trainer, model, state, *arrays, log_every)
        done += log_every
        bar.update(log_every)
        bar.set_postfix(test=float(state.history.test_accuracy[done // log_every - 1]))
        if out is not None and (done % checkpoint_every == 0 or done == iterations):
            _save(out, state, fingerprint)
            if on_checkpoint is not None:
                on_checkpoint(done)
    bar.close()
    return state


def save_result(result: TrainResult, out: Path | str) -> None:
    """Write ``train.json`` (metrics and history) and ``params.eqx`` into ``out``."""
    out = Path(out)
    buffer = io.BytesIO()
    eqx.tree_serialise_leaves(buffer, result.params)
    write_atomic(out / "params.eqx", buffer.getvalue())
    history = {
        name: np.asarray(getattr(result.history, name)).tolist()
        for name in ("loss", "residual", "train_accuracy", "test_accuracy")
    }
    write_json(out / "train.json", {"metrics": result.metrics, "history": history})
