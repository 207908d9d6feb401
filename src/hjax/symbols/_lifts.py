"""Tangent and cotangent lifts of the left and right actions (49)-(54).

For a group element ``A`` (a symbol ``1 + ...`` of ``G_INT``), an algebra element
``X ∈ g_INT`` and a dual element ``α ∈ g*_INT``:

    TL_A X  = A ∘ X      (49)        TR_A X  = X ∘ A      (50)
    TL*_A α = α ∘ A      (53)        TR*_A α = A ∘ α      (54)

(53)-(54) follow from (51)-(52) by the cyclicity of the trace:
``Tr(α ∘ A ∘ X) = Tr((α ∘ A) ∘ X)`` and ``Tr(α ∘ X ∘ A) = Tr((A ∘ α) ∘ X)``.
Each function takes formal ``Symbol``s or ``GridSymbol``s alike; ``truncation``
is passed on to ``compose`` (needed when both operands are exact and the
product is an infinite series).
"""

from __future__ import annotations


def tangent_lift_left(A, X, *, truncation=None):
    """``TL_A X = A ∘ X`` (49)."""
    return A.compose(X, truncation=truncation)


def tangent_lift_right(A, X, *, truncation=None):
    """``TR_A X = X ∘ A`` (50)."""
    return X.compose(A, truncation=truncation)


def cotangent_lift_left(A, alpha, *, truncation=None):
    """``TL*_A α = α ∘ A`` (53)."""
    return alpha.compose(A, truncation=truncation)


def cotangent_lift_right(A, alpha, *, truncation=None):
    """``TR*_A α = A ∘ α`` (54)."""
    return A.compose(alpha, truncation=truncation)
