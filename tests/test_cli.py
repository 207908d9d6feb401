"""The ``hjax`` command: version, help, JSON contract, report, exit code 2."""

import json
import sys
import types

import pytest
from typer.testing import CliRunner

from hjax import __version__, experiments
from hjax.cli import app

runner = CliRunner()


@pytest.fixture
def fake_experiment(monkeypatch):
    """A registered experiment that writes a figure and returns numbers."""
    module = types.ModuleType("hjax_fake_experiment")

    def run(out, *, full=False):
        out.mkdir(parents=True, exist_ok=True)
        (out / "fake.png").write_bytes(b"png")
        if full:
            raise ValueError("full is not supported by the fake experiment")
        return {"orders": {"a": 1.0}, "value": 2}

    module.run = run
    monkeypatch.setitem(sys.modules, "hjax_fake_experiment", module)
    monkeypatch.setattr(experiments, "REGISTRY", {"fake": "hjax_fake_experiment"})
    return module


def test_version_and_help():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"hjax {__version__}"
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0 and "reproduce" in result.stdout


def test_reproduce_writes_report_and_prints_one_json_object(tmp_path, fake_experiment):
    result = runner.invoke(app, ["reproduce", "--json", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload == {"fake": {"orders": {"a": 1.0}, "value": 2}}
    report = (tmp_path / "report.md").read_text()
    assert "## fake" in report and "fake.png" in report


def test_bad_input_inside_an_experiment_exits_2_with_one_line(
    tmp_path, fake_experiment
):
    result = runner.invoke(app, ["reproduce", "--full", "--out", str(tmp_path)])
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if "hjax: error:" in line]
    assert len(errors) == 1
    assert errors[0].endswith(
        "hjax: error: full is not supported by the fake experiment"
    )
    assert "Traceback" not in result.stderr
    assert (tmp_path / "fake.png").exists()  # nothing already written is lost


def test_unknown_option_exits_2():
    result = runner.invoke(app, ["integrators", "--no-such-option"])
    assert result.exit_code == 2


def test_usage_errors_of_the_entry_point_are_one_line_with_exit_code_2(
    monkeypatch, capsys
):
    from hjax.cli import main

    monkeypatch.setattr(sys, "argv", ["hjax", "integrators", "--bogus"])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    stderr = capsys.readouterr().err
    assert stderr.startswith("hjax: error: No such option: --bogus")
    assert len(stderr.strip().splitlines()) == 1


def test_integrators_json_has_the_documented_keys_and_values(tmp_path, monkeypatch):
    """The real experiment, cut to two solvers: ``--json`` is one object with
    ``orders``, ``energy_drift``, ``symplecticity_defect`` per solver; the order
    of symplectic Euler is 1, its defect round-off, RK4's order 4."""
    from hjax.canonical import RK4, SymplecticEuler
    from hjax.experiments import integrators

    monkeypatch.setattr(
        integrators,
        "solvers",
        lambda full: {"rk4": RK4(), "symplectic_euler": SymplecticEuler()},
    )
    result = runner.invoke(app, ["integrators", "--json", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    for key in ("orders", "energy_drift", "symplecticity_defect"):
        assert set(metrics[key]) == {"rk4", "symplectic_euler"}, key
    assert abs(metrics["orders"]["symplectic_euler"] - 1) < 0.2
    assert abs(metrics["orders"]["rk4"] - 4) < 0.2
    assert metrics["symplecticity_defect"]["symplectic_euler"] < 1e-12
    assert metrics["symplecticity_defect"]["rk4"] > 1e-10
    assert (tmp_path / "integrators.png").stat().st_size > 0
