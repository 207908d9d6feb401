"""The Figures 2-4 experiment: registered, writes its PNGs and JSON."""

import json

from hjax.control import two_circles, two_spirals
from hjax.experiments import REGISTRY, load


def test_training_experiment_writes_figures_and_numbers(tmp_path, monkeypatch):
    module = load("training")
    assert REGISTRY["training"] == "hjax.experiments.training"
    monkeypatch.setattr(
        module,
        "_settings",
        lambda full: dict(iterations=4, log_every=2, polish_steps=0),
    )
    monkeypatch.setattr(
        module,
        "_datasets",
        lambda: (
            two_spirals(0, n_train=20, n_test=20),
            two_circles(0, n_train=20, n_test=20),
        ),
    )
    metrics = module.run(tmp_path, full=False)
    for figure in (2, 3, 4):
        assert (tmp_path / f"training_fig{figure}.png").stat().st_size > 0
        assert json.loads((tmp_path / f"training_fig{figure}.json").read_text())
    assert set(metrics) == {
        f"{d}/{s}" for d in ("spirals", "circles") for s in ("euler", "rk4", "hj")
    }
    assert "bvp_residual" in metrics["spirals/hj"]
    figure4 = json.loads((tmp_path / "training_fig4.json").read_text())
    assert len(figure4["euler"]["trajectories"]) == 51  # q^0 .. q^{N_t}
