"""Functional derivatives (46)-(47) and the Lie–Poisson bracket (48) on g*_INT.

An element of ``g*_INT ≅ g_DO`` is written ``M = Σ_{i=1}^{k} m_i ξ^{i-1}``; a
functional is ``F(M) = ∫ f dx`` with ``f`` built from the ``m_i`` and their
x-derivatives. Its gradient is

    δF/δM = Σ_i ξ^{-i} ∘ δF/δm_i,                                    (47)

with ``ξ^{-i}`` composed on the *left* of the coefficient. With that order,
``res(M ∘ ξ^{-i} ∘ g) = m_i g`` exactly, so the trace pairing (45) reduces to the
coefficient pairing (46). (Read as the symbol ``(δF/δm_i) ξ^{-i}``, (47) misses
derivative terms whenever ``M`` has two or more coefficients; see the notes.)
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from ._formal import Symbol, _check_interval


def _derivatives_of(expression: sp.Expr, field: sp.Expr, x: sp.Symbol) -> int:
    """Highest order of an x-derivative of ``field`` inside ``expression``."""
    orders = [
        derivative.derivative_count
        for derivative in expression.atoms(sp.Derivative)
        if derivative.expr == field
    ]
    return max(orders, default=0)


def variational_derivative(density, field, x) -> sp.Expr:
    """``δF/δm = Σ_j (-d/dx)^j ∂f/∂m^{(j)}`` for ``F = ∫ f dx`` (the Euler operator)."""
    density = sp.sympify(density)
    top = _derivatives_of(density, field, x)
    jets = [field] + [sp.Derivative(field, (x, j)) for j in range(1, top + 1)]
    slots = [sp.Dummy(f"m{j}") for j in range(top + 1)]
    forward = dict(zip(reversed(jets), reversed(slots), strict=True))
    backward = dict(zip(slots, jets, strict=True))
    flat = density.subs(forward)
    total = sp.Integer(0)
    for j, slot in enumerate(slots):
        partial = sp.diff(flat, slot).subs(backward)
        total += (-1) ** j * sp.diff(partial, x, j)
    return sp.expand(total)


def dual_symbol(fields: Sequence, x) -> Symbol:
    """``M = Σ_{i=1}^{k} m_i ξ^{i-1}``, an element of ``g*_INT ≅ g_DO``."""
    return Symbol({i: field for i, field in enumerate(fields)}, x)


def functional_derivative(density, fields: Sequence, x, *, truncation=None) -> Symbol:
    """``δF/δM = Σ_i ξ^{-i} ∘ δF/δm_i`` (47), known down to ``ξ^{-truncation}``.

    The default truncation ``len(fields)`` is what the pairing with ``M`` needs.
    """
    truncation = len(fields) if truncation is None else truncation
    gradient = Symbol({}, x, truncation=truncation)
    for i, field in enumerate(fields, start=1):
        inverse_power = Symbol({-i: 1}, x, truncation=truncation)
        coefficient = variational_derivative(density, field, x)
        gradient = gradient + inverse_power.compose(coefficient)
    return gradient


def lie_poisson_bracket(f_density, h_density, fields, x, *, interval=None):
    """``{F, H}(M) = ∫ res(M ∘ [δF/δM, δH/δM]) dx`` (48).

    With ``interval=None`` the integrand (the residue) is returned; it is defined
    up to a total x-derivative. With ``interval=(a, b)`` the integral over it.
    """
    M = dual_symbol(fields, x)
    grad_f = functional_derivative(f_density, fields, x)
    grad_h = functional_derivative(h_density, fields, x)
    density = M.compose(grad_f.bracket(grad_h)).residue()
    if interval is None:
        return density
    lower, upper = _check_interval(interval)
    return sp.integrate(density, (x, lower, upper))
