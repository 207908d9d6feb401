"""Figures 2, 3 and 4 of §4: training the continuous ResNet three ways.

Claim (§4): Euler, RK4 and the Hamilton-Jacobi (symplectic Euler, (86)) scheme
all learn the two spirals and the two circles (N_t = 50, dt = 0.075, 5000
iterations), and carry the points so that the classes become linearly
separable at the last layer.

Measured: test accuracy and residual ``sum_i |pi(q_i^N) - c_i|^2`` against
iteration (Figure 2), the spirals at layers 20, 30 and N_t with the decision
boundary (Figure 3), the paths of the points through the layers (Figure 4), and
for the Hamilton-Jacobi scheme the relative BVP residual of Problem 4.2.

Run: ``hjax reproduce [--full]`` (quick: 1000 iterations and no polish of the
Hamilton-Jacobi solution, so its BVP residual is that of the MSA sweeps; the
accuracy and residual figures of the paper's 5000 iterations need ``--full``).
"""

from __future__ import annotations

from pathlib import Path

import jax.numpy as jnp
import numpy as np

from .._io import save_figure, write_json
from ..control import two_circles, two_spirals
from ..control._train import train

SCHEMES = ("euler", "rk4", "hj")
TITLES = {"euler": "Euler", "rk4": "RK4", "hj": "Hamilton-Jacobi (86)"}


def _settings(full: bool) -> dict:
    if full:
        return dict(iterations=5000, log_every=50, polish_steps=10)
    return dict(iterations=1000, log_every=50, polish_steps=0)


def _datasets():
    return two_spirals(0), two_circles(0)


def _train_all(full: bool) -> dict:
    results = {}
    settings = _settings(full)
    for data in _datasets():
        for scheme in SCHEMES:
            result = train(
                data,
                scheme=scheme,
                seed=0,
                gamma=1e-3,
                checkpoint_every=settings["log_every"],
                **settings,
            )
            results[data.name, scheme] = (data, result)
    return results


def _figure2(results, out: Path) -> dict:
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(2, 2, figsize=(10, 7))
    numbers = {}
    for column, name in enumerate(("spirals", "circles")):
        for scheme in SCHEMES:
            _, result = results[name, scheme]
            test = np.asarray(result.history.test_accuracy)
            every = len(result.history.loss) // len(test)
            steps = every * np.arange(1, len(test) + 1)
            res = np.asarray(result.history.residual)
            axes[0, column].plot(steps, test, label=TITLES[scheme])
            axes[1, column].semilogy(np.arange(len(res)), res, label=TITLES[scheme])
            numbers[f"{name}/{scheme}"] = {
                "final_test_accuracy": result.metrics["test_accuracy"],
                "iteration": steps,
                "test_accuracy": test,
                "residual": res,
            }
        axes[0, column].set(title=f"two {name}: test accuracy", xlabel="iteration")
        axes[1, column].set(title=f"two {name}: residual", xlabel="iteration")
        axes[0, column].legend()
    figure.tight_layout()
    save_figure(figure, out / "training_fig2.png")
    write_json(out / "training_fig2.json", numbers)
    return numbers


def _boundary(result, layer, grid):
    """The level 1/2 of ``pi`` pulled back to layer ``layer`` on a grid."""
    model, params = result.model, result.params
    tail = type(params.controls)(params.controls.u[layer:], params.controls.b[layer:])
    points = jnp.asarray(grid.reshape(-1, 2))
    final = model.terminal(tail, model.embed(points))
    logit = final @ params.readout.w + params.readout.c0
    return np.asarray(logit).reshape(grid.shape[:2])


def _figure3(results, out: Path) -> dict:
    import matplotlib.pyplot as plt

    layers = (0, 20, 30, 50)
    figure, axes = plt.subplots(3, 4, figsize=(14, 10))
    numbers = {}
    for row, scheme in enumerate(SCHEMES):
        data, result = results["spirals", scheme]
        states = np.asarray(
            result.model.states(
                result.params.controls, result.model.embed(data.x_train)
            )
        )
        for column, layer in enumerate(layers):
            axis, q = axes[row, column], states[min(layer, len(states) - 1)]
            axis.scatter(q[:, 0], q[:, 1], c=data.c_train, s=2, cmap="coolwarm")
            low, high = q.min(axis=0) - 0.2, q.max(axis=0) + 0.2
            xs, ys = (
                np.linspace(low[0], high[0], 120),
                np.linspace(low[1], high[1], 120),
            )
            grid = np.stack(np.meshgrid(xs, ys), axis=-1)
            axis.contour(
                xs, ys, _boundary(result, layer, grid), levels=[0.0], colors="black"
            )
            axis.set(title=f"{TITLES[scheme]}: layer {layer}")
        numbers[scheme] = {
            "layers": layers,
            "test_accuracy": result.metrics["test_accuracy"],
        }
    figure.tight_layout()
    save_figure(figure, out / "training_fig3.png")
    write_json(out / "training_fig3.json", numbers)
    return numbers


def _figure4(results, out: Path, shown: int = 200) -> dict:
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, 3, figsize=(15, 5))
    numbers = {}
    for axis, scheme in zip(axes, SCHEMES, strict=True):
        data, result = results["spirals", scheme]
        count = min(shown, len(data.c_train))
        pick = np.random.default_rng(0).choice(len(data.c_train), count, replace=False)
        states = np.asarray(
            result.model.states(
                result.params.controls, result.model.embed(data.x_train[pick])
            )
        )
        colours = np.where(data.c_train[pick] > 0.5, "tab:red", "tab:blue")
        for index in range(count):
            axis.plot(
                states[:, index, 0],
                states[:, index, 1],
                lw=0.4,
                alpha=0.3,
                color=colours[index],
            )
        axis.scatter(states[0, :, 0], states[0, :, 1], c=colours, s=8)
        axis.scatter(
            states[-1, :, 0],
            states[-1, :, 1],
            facecolors="none",
            edgecolors=colours,
            s=14,
        )
        axis.set(title=TITLES[scheme])
        numbers[scheme] = {"points": pick, "trajectories": states}
    save_figure(figure, out / "training_fig4.png")
    write_json(out / "training_fig4.json", numbers)
    return numbers


def run(out: Path, *, full: bool) -> dict:
    """Train the three schemes on both data sets, draw Figures 2-4, return
    the final metrics per data set and scheme."""
    out = Path(out)
    results = _train_all(full)
    _figure2(results, out)
    _figure3(results, out)
    _figure4(results, out)
    keys = ("test_accuracy", "train_accuracy", "residual", "seconds", "bvp_residual")
    metrics = {
        f"{name}/{scheme}": {k: result.metrics[k] for k in keys if k in result.metrics}
        for (name, scheme), (_, result) in results.items()
    }
    write_json(out / "training.json", metrics)
    return metrics
