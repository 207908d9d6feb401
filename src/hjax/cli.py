"""The ``hjax`` command: one sub-command per experiment, plus ``reproduce``.

Every sub-command takes ``--json`` and then prints exactly one JSON object on
stdout; progress and logs go to stderr. Bad arguments exit with code 2 and a
one-line message.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import typer

from . import __version__

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Hamilton-Jacobi integrators and deep learning as optimal control "
    "(reproduces the figures of Ganaba, 2021).",
)

OUT_OPTION = typer.Option(Path("hjax-results"), "--out", help="Output folder.")
JSON_OPTION = typer.Option(False, "--json", help="Print one JSON object on stdout.")
FULL_OPTION = typer.Option(False, "--full", help="The paper's full sizes (slow).")


def _setup() -> None:
    import jax

    jax.config.update("jax_enable_x64", True)


def fail(message: str) -> None:
    """Exit with code 2 and a one-line message on stderr."""
    typer.echo(f"hjax: error: {message}", err=True)
    raise typer.Exit(code=2)


def emit(metrics: dict, as_json: bool) -> None:
    """Print the metrics: one JSON object, or ``key: value`` lines."""
    from ._io import _jsonable

    if as_json:
        typer.echo(json.dumps(_jsonable(metrics), sort_keys=True))
        return
    for key, value in metrics.items():
        typer.echo(f"{key}: {json.dumps(_jsonable(value))}")


def run_experiment(name: str, out: Path, full: bool) -> dict:
    """Run one registered experiment, turning bad input into exit code 2."""
    from .experiments import load

    _setup()
    try:
        return load(name).run(out, full=full)
    except ValueError as error:
        fail(str(error).splitlines()[0])


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"hjax {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False,
        "--version",
        callback=_version_callback,
        is_eager=True,
        help="Print the version and exit.",
    ),
) -> None:
    """Structure-preserving integrators from Hamilton-Jacobi theory, on JAX."""


@app.command()
def integrators(
    out: Path = OUT_OPTION, as_json: bool = JSON_OPTION, full: bool = FULL_OPTION
) -> None:
    """Kepler (e = 0.6) and pendulum with every solver: order, energy, symplecticity."""
    emit(run_experiment("integrators", out, full), as_json)


@app.command()
def reproduce(
    out: Path = OUT_OPTION, as_json: bool = JSON_OPTION, full: bool = FULL_OPTION
) -> None:
    """Run every registered experiment; write figures, JSON and report.md."""
    from tqdm import tqdm

    from ._io import write_atomic
    from .experiments import REGISTRY

    results, lines = {}, ["# hjax reproduce", ""]
    for name in tqdm(REGISTRY, desc="experiments", file=sys.stderr):
        start = time.perf_counter()
        metrics = run_experiment(name, out, full)
        seconds = time.perf_counter() - start
        results[name] = metrics
        lines += [f"## {name}", "", f"- wall time: {seconds:.1f} s"]
        figures = sorted(path.name for path in out.glob(f"{name}*.png"))
        lines += [f"- figure(s): {', '.join(figures)}"]
        lines += [
            f"- `{key}`: `{json.dumps(_compact(value))}`"
            for key, value in metrics.items()
        ]
        lines.append("")
    write_atomic(out / "report.md", "\n".join(lines).encode())
    typer.echo(f"wrote {out / 'report.md'}", err=True)
    emit(results if as_json else {"report": str(out / "report.md")}, as_json)


def _compact(value):
    from ._io import _jsonable

    return _jsonable(value)


# Sub-commands owned by subpackages (one line each):
@app.command("rigid-body")
def rigid_body(
    out: Path = OUT_OPTION, as_json: bool = JSON_OPTION, full: bool = FULL_OPTION
) -> None:
    """Figure 1: free rigid body, I = diag(1, 2, 3); Casimir and energy drift."""
    emit(run_experiment("rigid-body", out, full), as_json)


from .control.cli import train as _control_train  # noqa: E402

app.command("train")(_control_train)
from .symbols.cli import app as symbols_app  # noqa: E402

app.add_typer(symbols_app, name="symbols")


def main() -> None:
    """Entry point: usage errors become one line on stderr and exit code 2."""
    try:
        code = app(standalone_mode=False)
    except typer.Abort:
        code = 1
    except Exception as error:
        # Typer's usage errors (unknown option, bad value) carry exit code 2.
        if getattr(error, "exit_code", None) != 2:
            raise
        if hasattr(error, "show") and "NoArgsIsHelp" in type(error).__name__:
            error.show()
        else:
            message = error.format_message().replace("\n", " ")
            typer.echo(f"hjax: error: {message}", err=True)
        code = 2
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
