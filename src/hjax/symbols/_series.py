"""Powers, roots, inverses and the exponential map of formal symbols (§3.1.1).

Roots and inverses are solved order by order. For a monic ``L = ξ^m + ...`` with
``m = n p``, the unknown coefficient ``x_j`` of ``ξ^{p-j}`` in ``X = L^{1/n}``
enters ``X^n`` at ``ξ^{m-j}`` as ``n x_j`` plus already known terms, so each
power fixes one coefficient. The relative precision is preserved: if ``L`` is
known ``r`` powers below its leading one, so is ``X``.
"""

from __future__ import annotations

import numbers

import sympy as sp

from ._formal import Symbol


def _check_integer(value, name: str, minimum=None) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an int, got {value!r}.")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {name}={value}.")
    return int(value)


def power(A: Symbol, n) -> Symbol:
    """``A ** n`` by repeated (41); negative ``n`` uses ``A.inverse()``."""
    n = _check_integer(n, "the exponent n")
    if n < 0:
        return power(A.inverse(), -n)
    result = Symbol({0: 1}, A.x)
    for _ in range(n):
        result = result * A
    return result


def _check_monic(A: Symbol, operation: str) -> int:
    if not A.coefficients:
        raise ValueError(f"{operation} needs a monic symbol, got the zero symbol.")
    order = A.order
    leading = A.coefficients[order]
    if sp.simplify(leading - 1) != 0:
        raise ValueError(
            f"{operation} needs a monic symbol (leading coefficient 1), got "
            f"leading coefficient {leading} at ξ^{order}; divide by it first."
        )
    if not A.exact and A.order_bound() > order:
        raise ValueError(
            f"{operation}: the leading power is not known (the symbol is "
            f"truncated at ξ^{A.floor}, above or at its unknown tail)."
        )
    return order


def _result_truncation(A: Symbol, available, truncation, operation: str) -> int:
    if A.exact:
        if truncation is None:
            raise ValueError(
                f"{operation} of an exact symbol is an infinite series; pass "
                "truncation=K (keep powers down to ξ^-K)."
            )
        return truncation
    if truncation is None:
        return available
    if truncation > available:
        raise ValueError(
            f"truncation too low for {operation}: the symbol (truncation "
            f"{A.truncation}) determines the result only down to "
            f"ξ^{-available}, but truncation={truncation} was asked; raise the "
            f"symbol's truncation by {truncation - available}."
        )
    return truncation


def _power_down_to(X: Symbol, n: int, floor: int, p: int) -> Symbol:
    """``X^n`` known down to ``ξ^floor`` for an exact ``X`` of order ``p``."""
    result = X
    for i in range(2, n + 1):
        result = result.compose(X, truncation=-(floor - (n - i) * p))
    return result


def root(A: Symbol, n, truncation) -> Symbol:
    """``A^{1/n}`` for a monic ``A`` of order divisible by ``n``."""
    n = _check_integer(n, "the root degree n", minimum=1)
    m = _check_monic(A, "root")
    if m % n:
        raise ValueError(f"root({n}) needs an order divisible by {n}, got {m}.")
    p = m // n
    available = None if A.exact else A.truncation + m - p
    K = _result_truncation(A, available, truncation, f"root({n})")
    coefficients = {p: sp.Integer(1)}
    for j in range(1, p + K + 1):
        X = Symbol(coefficients, A.x)
        Y = _power_down_to(X, n, m - j, p) if n > 1 else X
        residual = A.coefficient(m - j) - Y.coefficient(m - j)
        coefficients[p - j] = sp.expand(residual / n)
    return Symbol(coefficients, A.x, truncation=K)


def inverse(A: Symbol, truncation) -> Symbol:
    """``A⁻¹ = ξ^{-m} + ...`` for a monic ``A`` of order ``m``: ``A ∘ A⁻¹ = 1``."""
    m = _check_monic(A, "inverse")
    available = None if A.exact else A.truncation + 2 * m
    K = _result_truncation(A, available, truncation, "inverse")
    coefficients = {-m: sp.Integer(1)}
    for j in range(1, K - m + 1):
        X = Symbol(coefficients, A.x)
        defect = A.compose(X, truncation=j).coefficient(-j)
        coefficients[-m - j] = sp.expand(-defect)
    return Symbol(coefficients, A.x, truncation=K)


def exponential(U: Symbol, s, truncation) -> Symbol:
    """``G(s)`` with ``dG/ds = U ∘ G``, ``G(0) = 1`` (44), by Picard iteration.

    For ``U ∈ g_INT`` (powers ``≤ -1``) each iteration
    ``G ← 1 + ∫_0^s U ∘ G ds'`` fixes one more power of ``ξ``, so ``K`` iterations
    give ``G`` exactly down to ``ξ^{-K}`` as a polynomial in ``s``.
    """
    positive = [k for k in U.coefficients if k >= 0]
    if positive or (not U.exact and U.floor > -1):
        raise ValueError(
            "the exponential map (44) needs U in g_INT (only powers ξ^k with "
            f"k <= -1 and a known ξ^-1 coefficient); got powers {sorted(positive)} "
            f"and truncation {U.truncation}."
        )
    K = _result_truncation(U, U.truncation, truncation, "the exponential map")
    sigma = sp.Dummy("s")
    G = Symbol({0: 1}, U.x)
    for _ in range(K):
        velocity = U.compose(G, truncation=K)
        integrated = {
            k: sp.integrate(v, (sigma, 0, sigma)) if v.has(sigma) else v * sigma
            for k, v in velocity.coefficients.items()
        }
        G = Symbol({0: 1}, U.x) + Symbol(integrated, U.x, truncation=K)
    return G.subs(sigma, sp.sympify(s))
