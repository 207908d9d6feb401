"""Formal pseudodifferential symbols with exact SymPy coefficients (§3.1.1).

A symbol is a Laurent series in ``ξ`` with coefficients that are functions of ``x``,

    A = Σ_k a_k(x) ξ^k,    k ≤ order,

multiplied by (41). The convention is the formal one: ``ξ`` stands for ``∂ = d/dx``
itself, so ``ξ ∘ f = f ξ + f'`` with no factor ``i``. (In the Fourier convention
``∂`` has symbol ``iξ`` and the sum (41) carries ``(-i)^n``; the two are different
products of the same letters.)

Truncation: ``truncation=K`` means the coefficients of ``ξ^k`` are known for
``k ≥ -K`` and nothing is claimed about lower powers (the symbol is
``Σ_{k ≥ -K} a_k ξ^k + O(ξ^{-K-1})``). ``truncation=None`` means the given finite sum
is the whole symbol (exact), as for ``∂`` or a function. Every operation computes
the truncation of its result from those of its operands, like a power series
with an O-term; asking for more terms than the operands determine is an error.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping

import sympy as sp


def _check_variable(x) -> sp.Symbol:
    if not isinstance(x, sp.Symbol):
        raise ValueError(
            f"x must be a SymPy Symbol (the space variable), got {x!r} of type "
            f"{type(x).__name__}; create it with sympy.Symbol('x', real=True)."
        )
    return x


def _check_truncation(truncation) -> int | None:
    if truncation is None:
        return None
    if isinstance(truncation, bool) or not isinstance(truncation, numbers.Integral):
        raise ValueError(
            f"truncation must be an int K (powers ξ^k with k >= -K are kept) or "
            f"None (exact), got {truncation!r} of type {type(truncation).__name__}."
        )
    return int(truncation)


def _check_power(power) -> int:
    if isinstance(power, bool) or not isinstance(power, numbers.Integral):
        raise ValueError(
            f"coefficients must be keyed by integer powers of ξ, got key {power!r}."
        )
    return int(power)


def expand_products(expression):
    """Distribute products and integer powers of sums, nothing else.

    Coefficients are kept as expanded sums of monomials, so equal coefficients
    are equal expressions and zeros cancel without ``simplify``.
    """
    return sp.expand(expression, power_base=False, power_exp=False, log=False)


def _clean(coefficients: Mapping, floor: int | None) -> dict[int, sp.Expr]:
    """Expand each coefficient and drop zeros and powers below ``floor``."""
    cleaned = {}
    for power, value in coefficients.items():
        if floor is not None and power < floor:
            continue
        value = sp.expand(sp.sympify(value))
        if value != 0:
            cleaned[power] = value
    return cleaned


class Symbol:
    """A formal symbol ``Σ a_k(x) ξ^k`` (40), multiplied by (41).

    Arguments:
        coefficients: ``{power: SymPy expression in x}``; missing powers are zero.
        x: the SymPy symbol of the space variable.
        truncation: ``K`` keeps the powers ``k >= -K`` (lower ones are unknown);
            ``None`` (default) makes the finite sum exact.

    Example: ``Symbol({1: 1}, x)`` is ``∂``; ``Symbol({-1: 1}, x, truncation=6)``
    is ``∂⁻¹`` known to ``ξ⁻⁶``.
    """

    def __init__(self, coefficients: Mapping, x, *, truncation=None):
        self.x = _check_variable(x)
        self.truncation = _check_truncation(truncation)
        if not isinstance(coefficients, Mapping):
            raise ValueError(
                f"coefficients must be a dict {{power: expression}}, got "
                f"{type(coefficients).__name__}."
            )
        keys = {_check_power(power): value for power, value in coefficients.items()}
        floor = self.floor
        below = [power for power in keys if floor is not None and power < floor]
        if below:
            raise ValueError(
                f"coefficient of ξ^{min(below)} lies below the truncation "
                f"(lowest kept power ξ^{self.floor}); raise truncation to "
                f"{-min(below)} or drop the term."
            )
        self.coefficients = _clean(keys, self.floor)

    @classmethod
    def _expanded(cls, coefficients, x, truncation) -> Symbol:
        """Build from coefficients that are already expanded sums (no checks)."""
        symbol = object.__new__(cls)
        symbol.x, symbol.truncation = x, truncation
        symbol.coefficients = {k: v for k, v in coefficients.items() if v != 0}
        return symbol

    # -- basic properties -------------------------------------------------------

    @property
    def floor(self) -> int | None:
        """Lowest power of ξ whose coefficient is known (None when exact)."""
        return None if self.truncation is None else -self.truncation

    @property
    def exact(self) -> bool:
        return self.truncation is None

    @property
    def order(self):
        """Highest power with a nonzero coefficient (``-oo`` for zero)."""
        return max(self.coefficients, default=-sp.oo)

    def order_bound(self):
        """Highest power that may be nonzero, counting the unknown tail."""
        tail = -sp.oo if self.exact else self.floor - 1
        return max(self.order, tail)

    def coefficient(self, power: int) -> sp.Expr:
        """The coefficient of ``ξ^power``; an error if it is not known."""
        power = _check_power(power)
        if self.floor is not None and power < self.floor:
            raise ValueError(
                f"the coefficient of ξ^{power} is not known: this symbol is "
                f"truncated at ξ^{self.floor} (truncation={self.truncation}); "
                f"build it with truncation >= {-power}."
            )
        return self.coefficients.get(power, sp.Integer(0))

    def _like(self, coefficients, truncation) -> Symbol:
        floor = _floor(truncation)
        kept = {
            k: expand_products(v)
            for k, v in coefficients.items()
            if floor is None or k >= floor
        }
        return Symbol._expanded(kept, self.x, truncation)

    def _coerce(self, other) -> Symbol:
        if isinstance(other, Symbol):
            if other.x != self.x:
                raise ValueError(
                    f"symbols in different variables: {self.x} and {other.x}; "
                    "rebuild one of them in the other's variable."
                )
            return other
        return Symbol({0: sp.sympify(other)}, self.x)

    # -- linear structure -------------------------------------------------------

    def __add__(self, other) -> Symbol:
        other = self._coerce(other)
        truncation = _min_truncation(self.truncation, other.truncation)
        total = dict(self.coefficients)
        for power, value in other.coefficients.items():
            total[power] = total.get(power, 0) + value
        return self._like(total, truncation)

    __radd__ = __add__

    def __neg__(self) -> Symbol:
        negated = {power: -value for power, value in self.coefficients.items()}
        return self._like(negated, self.truncation)

    def __sub__(self, other) -> Symbol:
        return self + (-self._coerce(other))

    def __rsub__(self, other) -> Symbol:
        return self._coerce(other) - self

    def __rmul__(self, other) -> Symbol:
        """``f * A`` for a function ``f``: ``f ∘ A`` is coefficientwise (41)."""
        factor = sp.sympify(other)
        scaled = {power: factor * value for power, value in self.coefficients.items()}
        return self._like(scaled, self.truncation)

    # -- the product (41) and what it gives --------------------------------------

    def __mul__(self, other) -> Symbol:
        return self.compose(other)

    def compose(self, other, *, truncation=None) -> Symbol:
        """The product ``A ∘ B`` of (41), ``Σ_n (1/n!) ∂_ξ^n A ∂_x^n B``.

        The result is known down to ``ξ^{-K}`` with ``K`` fixed by the operands
        (see the module docstring). ``truncation`` asks for a given ``K``: lower
        is allowed (terms are dropped); higher than the operands determine is
        an error, as is an infinite product of two exact symbols without it.
        """
        from ._product import compose

        return compose(self, self._coerce(other), _check_truncation(truncation))

    def bracket(self, other, *, truncation=None) -> Symbol:
        """The commutator ``[A, B] = A ∘ B − B ∘ A`` (42)."""
        other = self._coerce(other)
        return self.compose(other, truncation=truncation) - other.compose(
            self, truncation=truncation
        )

    def __pow__(self, n) -> Symbol:
        from ._series import power

        return power(self, n)

    def differential_part(self) -> Symbol:
        """``A₊``: the powers ``k ≥ 0`` (43), an exact differential operator."""
        self._require_known(0, "differential_part")
        kept = {k: value for k, value in self.coefficients.items() if k >= 0}
        return Symbol(kept, self.x)

    def integral_part(self) -> Symbol:
        """``A₋``: the powers ``k < 0`` (43), with the same truncation."""
        self._require_known(-1, "integral_part")
        kept = {k: value for k, value in self.coefficients.items() if k < 0}
        return self._like(kept, self.truncation)

    def residue(self) -> sp.Expr:
        """``res A``: the coefficient of ``ξ⁻¹`` (45)."""
        self._require_known(-1, "residue")
        return self.coefficients.get(-1, sp.Integer(0))

    def trace(self, interval) -> sp.Expr:
        """``Tr A = ∫ res A dx`` over ``interval = (a, b)`` (45)."""
        lower, upper = _check_interval(interval)
        return sp.integrate(self.residue(), (self.x, lower, upper))

    def root(self, n: int, *, truncation=None) -> Symbol:
        """``A^{1/n}`` of a monic symbol of order divisible by ``n``."""
        from ._series import root

        return root(self, n, _check_truncation(truncation))

    def inverse(self, *, truncation=None) -> Symbol:
        """``A⁻¹`` of a monic symbol: ``A ∘ A⁻¹ = A⁻¹ ∘ A = 1``."""
        from ._series import inverse

        return inverse(self, _check_truncation(truncation))

    def exp(self, s=1, *, truncation=None) -> Symbol:
        """``G(s)`` solving ``dG/ds = A ∘ G``, ``G(0) = 1`` (44), for ``A ∈ g_INT``."""
        from ._series import exponential

        return exponential(self, s, _check_truncation(truncation))

    def _require_known(self, power: int, operation: str) -> None:
        if self.floor is not None and self.floor > power:
            raise ValueError(
                f"{operation} needs the coefficient of ξ^{power}, but the symbol "
                f"is truncated at ξ^{self.floor} (truncation={self.truncation}); "
                f"the truncation is lower than needed: raise it to >= {-power}."
            )

    # -- comparison and display -------------------------------------------------

    def is_zero(self) -> bool:
        """True when every known coefficient simplifies to zero."""
        return all(sp.simplify(value) == 0 for value in self.coefficients.values())

    def subs(self, *args, **kwargs) -> Symbol:
        """Apply ``sympy.subs`` to every coefficient."""
        replaced = {k: v.subs(*args, **kwargs) for k, v in self.coefficients.items()}
        return self._like(replaced, self.truncation)

    def doit(self) -> Symbol:
        """Evaluate unevaluated derivatives in every coefficient."""
        done = {k: v.doit() for k, v in self.coefficients.items()}
        return self._like(done, self.truncation)

    def as_expr(self, xi=None) -> sp.Expr:
        """The known part as one SymPy expression in ``xi`` (default ``ξ``)."""
        xi = sp.Symbol("xi") if xi is None else xi
        return sp.Add(*(value * xi**k for k, value in self.coefficients.items()))

    def __repr__(self) -> str:
        terms = " + ".join(
            f"({value})*ξ^{k}"
            for k, value in sorted(self.coefficients.items(), reverse=True)
        )
        tail = "" if self.exact else f" + O(ξ^{self.floor - 1})"
        return f"Symbol({terms or '0'}{tail})"


def _floor(truncation) -> int | None:
    return None if truncation is None else -truncation


def _min_truncation(first, second) -> int | None:
    known = [value for value in (first, second) if value is not None]
    return min(known) if known else None


def _check_interval(interval):
    try:
        lower, upper = interval
    except (TypeError, ValueError):
        raise ValueError(
            f"interval must be a pair (a, b) of the integration limits, got "
            f"{interval!r}."
        ) from None
    return sp.sympify(lower), sp.sympify(upper)


def pairing(M: Symbol, U: Symbol, interval) -> sp.Expr:
    """``⟨M, U⟩ = Tr(M ∘ U) = ∫ res(M ∘ U) dx`` (45)."""
    return M.compose(U).trace(interval)
