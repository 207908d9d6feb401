"""The product (41) summed on SymPy expressions in ξ: an oracle for
``Symbol.compose`` that shares no code with it (used by two test modules)."""

import sympy as sp

from hjax.symbols import Symbol

x = sp.Symbol("x", real=True)
xi = sp.Symbol("xi")


def oracle_product(A: Symbol, B: Symbol, floor: int) -> Symbol:
    """(41) on SymPy expressions in ξ, summed as far as ξ^floor needs.

    Terms n > order(A) + order(B) - floor lie below ξ^floor and are not summed.
    """
    a, b = A.as_expr(xi), B.as_expr(xi)
    n_max = max(A.order + B.order - floor, 0)
    total = sp.expand(
        sum(
            sp.diff(a, xi, n) * sp.diff(b, x, n) / sp.factorial(n)
            for n in range(n_max + 1)
        )
    )
    out = {}
    for term in sp.Add.make_args(total):
        value, monomial = term.as_independent(xi)
        power = 0 if monomial == 1 else int(monomial.as_base_exp()[1])
        if power >= floor:
            out[power] = out.get(power, 0) + value
    return Symbol(out, x, truncation=-floor)
