"""Term-by-term comparison of derived and printed symbols (Definitions 4.6-4.7).

Each coefficient of ``ξ^k`` is expanded into monomials (products of the fields
and their x-derivatives); a term matches when the monomial appears on both sides
with the same numerical coefficient.
"""

from __future__ import annotations

import sympy as sp

from ._formal import Symbol
from ._paper_lifts import (
    PRINTED,
    PRODUCTS,
    LiftComparison,
    Term,
    algebra_element,
    derive,
    dual_element,
    group_element,
    u1,
    u2,
    u3,
    x,
)


def monomials(expression) -> dict[sp.Expr, sp.Expr]:
    """``{monomial: numerical coefficient}`` of an expanded expression."""
    table: dict[sp.Expr, sp.Expr] = {}
    for term in sp.Add.make_args(sp.expand(expression)):
        if term == 0:
            continue
        number, monomial = term.as_coeff_Mul()
        table[monomial] = table.get(monomial, 0) + number
    return table


def paper_notation(expression) -> str:
    """Print with ``Dx^n(f)`` for x-derivatives and bare field names."""
    expression = sp.sympify(expression)
    names = {}
    for derivative in expression.atoms(sp.Derivative):
        order = derivative.derivative_count
        label = "Dx" if order == 1 else f"Dx^{order}"
        names[derivative] = sp.Symbol(f"{label}({derivative.expr.func.__name__})")
    for function in expression.atoms(sp.core.function.AppliedUndef):
        names[function] = sp.Symbol(function.func.__name__)
    return str(expression.xreplace(names))


def _number(value) -> str:
    return str(float(value)) if isinstance(value, sp.Float) else str(value)


def _status(derived, printed) -> str:
    if derived is None:
        return "extra in paper"
    if printed is None:
        return "missing in paper"
    if float(derived) != float(printed):
        return "wrong coefficient"
    if isinstance(printed, sp.Float):
        return "match (printed as a float)"
    return "match"


def compare_power(power: int, derived, printed) -> list[Term]:
    """The terms of one coefficient, derived against printed."""
    ours, theirs = monomials(derived), monomials(printed)
    keys = sorted(set(ours) | set(theirs), key=sp.default_sort_key)
    return [
        Term(
            power,
            paper_notation(key),
            _number(ours.get(key, 0)),
            _number(theirs.get(key, 0)),
            _status(ours.get(key), theirs.get(key)),
        )
        for key in keys
    ]


def compare_symbol(derived, printed: dict) -> list[Term]:
    """All terms of all powers that the printed formula shows."""
    powers = sorted(
        set(printed) | {k for k in derived.coefficients if k >= min(printed)},
        reverse=True,
    )
    terms = []
    for power in powers:
        terms += compare_power(
            power, derived.coefficient(power), printed.get(power, sp.Integer(0))
        )
    return terms


def _mismatches(terms) -> int:
    return sum(not term.status.startswith("match") for term in terms)


def compare_lift(definition: str, lift: str, *, shift: int = 0) -> LiftComparison:
    """Derive one lift, compare it with the paper, and with the swapped product."""
    printed = PRINTED[(definition, lift)]
    derived = derive(definition, lift, shift=shift)
    terms = compare_symbol(derived, printed)
    swapped = {"TL": "TR", "TR": "TL", "TL*": "TR*", "TR*": "TL*"}[lift]
    swapped_terms = compare_symbol(derive(definition, swapped, shift=shift), printed)
    product, equation = PRODUCTS[lift]
    matches = _mismatches(terms) == 0
    return LiftComparison(
        definition=definition,
        lift=lift,
        product=product,
        equation=equation,
        derived={
            k: paper_notation(v)
            for k, v in sorted(derived.coefficients.items(), reverse=True)
            if k >= min(printed)
        },
        printed={k: paper_notation(v) for k, v in printed.items()},
        terms=terms,
        matches=matches,
        swapped_product_mismatches=_mismatches(swapped_terms),
        explanation="" if matches or shift else explain(definition, lift),
    )


def partial_sum_product(A: Symbol, B: Symbol, n_max: int, floor: int) -> Symbol:
    """``Σ_{n ≤ n_max} (1/n!) ∂_ξ^n A ∂_x^n B`` (41) cut after ``n_max`` terms.

    Computed on SymPy expressions in a symbol ``ξ``, independently of ``compose``.
    """
    xi = sp.Symbol("xi")
    a, b = A.as_expr(xi), B.as_expr(xi)
    total = sp.expand(
        sum(
            sp.diff(a, xi, n) * sp.diff(b, x, n) / sp.factorial(n)
            for n in range(n_max + 1)
        )
    )
    collected: dict[int, sp.Expr] = {}
    for term in sp.Add.make_args(total):
        value, monomial = term.as_independent(xi)
        power = 0 if monomial == 1 else int(monomial.as_base_exp()[1])
        if power >= floor:
            collected[power] = collected.get(power, 0) + value
    return Symbol(collected, x, truncation=-floor)


def _operands(definition: str, lift: str):
    if definition == "4.6":
        g, other = group_element(u1, u2, u3), algebra_element()
    else:
        g, other = group_element(u1, u2), dual_element()
    left_g = lift in ("TL", "TR*")
    return (g, other) if left_g else (other, g)


def explain(definition: str, lift: str) -> str:
    """Name a simple slip that turns the derivation into the printed formula."""
    printed = PRINTED[(definition, lift)]
    if _mismatches(compare_lift(definition, lift, shift=1).terms) == 0:
        return (
            "the printed formula is the derivation with g = 1 + u1 ξ^-2 + "
            "u2 ξ^-3 + ... (every u_i one power lower than stated)"
        )
    left, right = _operands(definition, lift)
    for n_max in range(1, 4):
        cut = partial_sum_product(left, right, n_max, min(printed))
        if _mismatches(compare_symbol(cut, printed)) == 0:
            return (
                f"the printed formula is (41) summed only up to n = {n_max}; "
                f"the n = {n_max + 1} term is missing"
            )
    return "no single slip found"


def compare_lifts(definitions=("4.6", "4.7")) -> list[LiftComparison]:
    """Every lift of the requested definitions, in the paper's order."""
    return [
        compare_lift(definition, lift)
        for (definition, lift) in PRINTED
        if definition in definitions
    ]


__all__ = ["compare_lift", "compare_lifts", "monomials", "paper_notation", "x"]
