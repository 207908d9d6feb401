"""Definitions 4.6 and 4.7 regenerated from (49)-(54) and checked term by term.

The printed formulas are transcribed below as SymPy data, exactly as printed
(including the float coefficients ``1.0`` and ``3.0``, a computer-algebra
artefact), with ``D_x`` written as an x-derivative. The derivation uses the
formal product (41): the discrete ``D_x`` of §4.1 only replaces ``d/dx`` in the
same formulas, so the algebra is the same.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import sympy as sp

from ._formal import Symbol
from ._lifts import (
    cotangent_lift_left,
    cotangent_lift_right,
    tangent_lift_left,
    tangent_lift_right,
)

x = sp.Symbol("x", real=True)
u1, u2, u3, p1, p2, p3, a1, a2 = (
    sp.Function(name)(x) for name in ("u1", "u2", "u3", "p1", "p2", "p3", "a1", "a2")
)


def D(function, n: int = 1):
    """``D_x^n`` of the paper, as the n-th x-derivative."""
    return sp.Derivative(function, (x, n))


F1, F3 = sp.Float(1.0), sp.Float(3.0)

PRINTED = {
    ("4.6", "TL"): {
        -1: p1,
        -2: p2,
        -3: u1 * p1 + p3,
        -4: u1 * p2 - 2 * u1 * D(p1) + u2 * p1,
    },
    ("4.6", "TR"): {
        -1: p1,
        -2: p2,
        -3: u1 * p1 + p3,
        -4: u1 * p2 + u2 * p1 - p1 * D(u1),
    },
    ("4.7", "TL*"): {
        2: a2,
        1: u1 * a2 + a1,
        0: u1 * a1 + u2 * a2 + 2 * a2 * D(u1),
        -1: u2 * a1 + a1 * D(u1) + F1 * a2 * D(u1, 2) + 2 * a2 * D(u2),
        -2: a1 * D(u2) + F1 * a2 * D(u2, 2),
    },
    ("4.7", "TR*"): {
        2: a2,
        1: u1 * a2 + a1,
        0: u1 * a1 - u1 * D(a2) + u2 * a2,
        -1: -u1 * D(a1) + F1 * u1 * D(a2, 2) + u2 * a1 - 2 * u2 * D(a2),
        -2: u1 * D(a1, 2) - 2 * u2 * D(a1) + F3 * u2 * D(a2, 2),
    },
}
"""The printed formulas: ``{(definition, lift): {power of ξ: coefficient}}``."""


def group_element(*coefficients, shift: int = 0) -> Symbol:
    """``g = 1 + Σ_i u_i ξ^{-i-shift}`` (exact); the paper states ``shift = 0``."""
    terms = {0: 1}
    terms.update({-i - shift: u for i, u in enumerate(coefficients, start=1)})
    return Symbol(terms, x)


def algebra_element() -> Symbol:
    """``P = p₁ξ⁻¹ + p₂ξ⁻² + p₃ξ⁻³`` of Definition 4.6."""
    return Symbol({-1: p1, -2: p2, -3: p3}, x)


def dual_element() -> Symbol:
    """``α = α₁ξ + α₂ξ²`` of Definition 4.7."""
    return Symbol({1: a1, 2: a2}, x)


def derive(definition: str, lift: str, *, shift: int = 0) -> Symbol:
    """The lift of Definition 4.6 or 4.7 computed from (49)-(50) or (53)-(54)."""
    if definition == "4.6":
        g, P = group_element(u1, u2, u3, shift=shift), algebra_element()
        operation = {"TL": tangent_lift_left, "TR": tangent_lift_right}[lift]
        return operation(g, P, truncation=4)
    g, alpha = group_element(u1, u2, shift=shift), dual_element()
    operation = {"TL*": cotangent_lift_left, "TR*": cotangent_lift_right}[lift]
    return operation(g, alpha, truncation=2)


PRODUCTS = {
    "TL": ("g∘P", "(49)"),
    "TR": ("P∘g", "(50)"),
    "TL*": ("α∘g", "(53)"),
    "TR*": ("g∘α", "(54)"),
}


@dataclass(frozen=True)
class Term:
    """One monomial of one power of ξ, in the derivation and in the paper."""

    power: int
    monomial: str
    derived: str
    printed: str
    status: str


@dataclass(frozen=True)
class LiftComparison:
    definition: str
    lift: str
    product: str
    equation: str
    derived: dict[int, str]
    printed: dict[int, str]
    terms: list[Term] = field(default_factory=list)
    matches: bool = False
    swapped_product_mismatches: int = 0
    explanation: str = ""

    def as_dict(self) -> dict:
        return asdict(self)
