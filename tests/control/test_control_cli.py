"""``hjax train``: the JSON keys, and bad input refused with exit code 2, one
line naming the fix, and nothing already written lost."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from hjax.cli import app

TINY = ["--layers", "3", "--iterations", "10", "--dt", "0.2"]


def _run(*arguments):
    return CliRunner().invoke(app, ["train", *arguments])


def _csv(path, rows):
    path.write_text("x1,x2,label\n" + "\n".join(",".join(map(str, r)) for r in rows))
    return path


def _good_rows():
    rng = np.random.default_rng(0)
    return [[*rng.normal(size=2), label] for label in (0, 1) for _ in range(8)]


def test_json_output_has_the_documented_keys(tmp_path):
    data = _csv(tmp_path / "d.csv", _good_rows())
    result = _run(
        "--data",
        str(data),
        "--scheme",
        "rk4",
        "--json",
        *TINY,
        "--out",
        str(tmp_path / "run"),
    )
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout.strip().splitlines()[-1])
    for key in (
        "train_accuracy",
        "test_accuracy",
        "residual",
        "loss",
        "iterations",
        "seconds",
    ):
        assert key in metrics
    assert metrics["iterations"] == 10
    saved = json.loads((tmp_path / "run" / "train.json").read_text())
    assert saved["metrics"]["test_accuracy"] == metrics["test_accuracy"]


@pytest.mark.parametrize("method", ["msa", "shooting"])
def test_hj_json_reports_the_bvp_residual(tmp_path, method):
    """Both routes end on a solution of Problem 4.2 (relative residual 1e-6)."""
    data = _csv(tmp_path / "d.csv", _good_rows())
    result = _run(
        "--data",
        str(data),
        "--scheme",
        "hj",
        "--method",
        method,
        "--gamma",
        "0.1",
        "--json",
        *TINY,
    )
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout.strip().splitlines()[-1])
    assert metrics["bvp_residual"] <= 1e-6
    assert metrics["bvp_residual_before_polish"] > 1e-4
    assert metrics["polish"] == {"msa": "newton", "shooting": "shooting"}[method]


@pytest.mark.parametrize(
    "rows, extra, message",
    [
        (None, ["--data", "missing.csv"], "no such file"),
        ([[0, 0, 0], [1, 1, 3]] * 2, [], "labels must be 0 or 1"),
        ([[0, "inf", 0], [1, 1, 1]] * 2, [], "not finite"),
        ([[0, 0, 0], [1, 1, 0], [2, 1, 0], [3, 0, 1]], [], "class 1 has 1 point"),
        ("good", ["--layers", "0"], "layers must be >= 1"),
        ("good", ["--dt", "0"], "dt must be a finite step > 0"),
        ("good", ["--scheme", "midpoint"], "unknown scheme 'midpoint'"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_keeps_files(
    tmp_path, rows, extra, message
):
    out = tmp_path / "run"
    out.mkdir()
    (out / "train.json").write_text("previous")
    arguments = ["--out", str(out), *TINY]
    if rows is not None:
        rows = _good_rows() if rows == "good" else rows
        arguments = ["--data", str(_csv(tmp_path / "d.csv", rows)), *arguments]
    result = CliRunner().invoke(
        app, ["train", *arguments, *extra], catch_exceptions=False
    )
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert (out / "train.json").read_text() == "previous"
    assert not (out / "checkpoint.eqx").exists()


def test_dataset_and_data_are_exclusive(tmp_path):
    data = _csv(tmp_path / "d.csv", _good_rows())
    result = _run("--dataset", "spirals", "--data", str(data), *TINY)
    assert result.exit_code == 2
    assert "exactly one of --dataset" in result.stderr
