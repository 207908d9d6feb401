"""``hjax symbols``: commands about the algebra of pseudodifferential symbols."""

from __future__ import annotations

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Pseudodifferential symbols (§3.1.1, §4.1): checks against the paper.",
)

DEFINITIONS = {"all": ("4.6", "4.7"), "4.6": ("4.6",), "4.7": ("4.7",)}


def _print_comparison(comparison) -> None:
    verdict = "matches the paper" if comparison.matches else "DIFFERS from the paper"
    typer.echo(
        f"Definition {comparison.definition}  {comparison.lift} = "
        f"{comparison.product} {comparison.equation}: {verdict}"
    )
    for power, coefficient in comparison.derived.items():
        typer.echo(f"  ξ^{power}: {coefficient}")
    for term in comparison.terms:
        typer.echo(
            f"    [{term.status}] ξ^{term.power}  {term.monomial}: derived "
            f"{term.derived}, printed {term.printed}"
        )
    if comparison.explanation:
        typer.echo(f"  likely cause: {comparison.explanation}")


@app.command()
def lifts(
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    definition: str = typer.Option(
        "all", "--definition", help="Which definition: 4.6, 4.7 or all."
    ),
) -> None:
    """Derive the lifts of Definitions 4.6-4.7 from (49)-(54); compare to the paper."""
    from ..cli import emit, fail
    from ._compare import compare_lifts

    if definition not in DEFINITIONS:
        fail(
            f"--definition must be one of {', '.join(DEFINITIONS)}, got {definition!r}."
        )
    comparisons = compare_lifts(DEFINITIONS[definition])
    mismatching = sum(
        not t.status.startswith("match") for c in comparisons for t in c.terms
    )
    typer.echo(
        f"derived {len(comparisons)} lifts; {mismatching} term(s) differ "
        "from the paper",
        err=True,
    )
    if as_json:
        emit(
            {
                "lifts": [c.as_dict() for c in comparisons],
                "all_match": mismatching == 0,
                "mismatching_terms": mismatching,
            },
            True,
        )
        return
    for comparison in comparisons:
        _print_comparison(comparison)
