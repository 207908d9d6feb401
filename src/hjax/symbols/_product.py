"""The product (41) of formal symbols, with the truncation of its result.

If ``A`` is known down to ``ξ^{a}`` and ``B`` has order at most ``m_B``, the unknown
tail of ``A`` (powers ``< a``) reaches ``A ∘ B`` only at powers ``< a + m_B``, and
symmetrically for ``B``. The product is therefore known down to

    ξ^{max(a + m_B, b + m_A)},

the rule for Laurent series with an O-term. Exact operands impose no bound; two
exact operands give a finite product only when the left one is a differential
operator (``∂_ξ^n A = 0`` for large ``n``) or the right one has polynomial
coefficients (``∂_x^n B = 0``).
"""

from __future__ import annotations

import sympy as sp

from ._formal import expand_products

INFINITE = "infinite"


def _candidate(known, other):
    """Lowest determined power contributed by an inexact ``known``."""
    if known.exact:
        return None
    return known.floor + other.order_bound()


def available_floor(A, B):
    """Lowest power of ``A ∘ B`` the operands determine (``None``: exact)."""
    candidates = [c for c in (_candidate(A, B), _candidate(B, A)) if c is not None]
    if candidates:
        floor = max(candidates)
        return None if floor == -sp.oo else int(floor)
    if _terminates(A, B):
        return None
    return INFINITE


def _terminates(A, B) -> bool:
    if not A.coefficients or not B.coefficients:
        return True
    if min(A.coefficients) >= 0:
        return True
    return all(value.is_polynomial(A.x) for value in B.coefficients.values())


def _resolve_floor(A, B, truncation):
    available = available_floor(A, B)
    if truncation is None:
        if available == INFINITE:
            raise ValueError(
                "the product of these two exact symbols is an infinite series "
                "(the left one has negative powers and the right one "
                "non-polynomial coefficients); pass truncation=K to compose, or "
                "build an operand with truncation=K."
            )
        return available
    requested = -truncation
    if isinstance(available, int) and requested < available:
        raise ValueError(
            f"truncation too low for this product: the operands determine "
            f"A ∘ B only down to ξ^{available} (A truncated at ξ^{A.floor}, "
            f"order {A.order}; B truncated at ξ^{B.floor}, order {B.order}), "
            f"but truncation={truncation} asks for ξ^{requested}; raise the "
            f"operands' truncation by {available - requested}."
        )
    return requested


def compose(A, B, truncation):
    """``A ∘ B`` by (41), known down to the floor fixed by ``_resolve_floor``."""
    from ._formal import Symbol

    floor = _resolve_floor(A, B, truncation)
    product: dict[int, list[sp.Expr]] = {}
    derivatives = {power: [value] for power, value in B.coefficients.items()}
    for k, a_k in A.coefficients.items():
        for l, b_derivatives in derivatives.items():
            _add_terms(product, k, a_k, l, b_derivatives, A.x, floor)
    return Symbol._expanded(
        _trim(product, floor), A.x, None if floor is None else -floor
    )


def _add_terms(product, k, a_k, l, b_derivatives, x, floor) -> None:
    """Add ``Σ_n binom(k, n) a_k ∂_x^n b_l ξ^{k+l-n}`` down to ``floor``."""
    n = 0
    while floor is None or k + l - n >= floor:
        weight = sp.binomial(k, n)
        if weight == 0:
            return
        if n == len(b_derivatives):
            b_derivatives.append(sp.diff(b_derivatives[-1], x))
        derivative = b_derivatives[n]
        if derivative == 0:
            return
        power = k + l - n
        term = expand_products(weight * a_k * derivative)
        product.setdefault(power, []).append(term)
        n += 1


def _trim(product, floor):
    """Sum each power's terms once (one flattening) and drop zeros."""
    summed = {power: sp.Add(*terms) for power, terms in product.items()}
    return {
        power: value
        for power, value in summed.items()
        if value != 0 and (floor is None or power >= floor)
    }
