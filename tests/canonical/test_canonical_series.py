"""The generating function (83) from the Hamilton-Jacobi equation, order by order.

Oracles: the closed forms printed after (83) for S_1 and S_2, and an independent
SymPy solution of the type-II Hamilton-Jacobi equation for S_3 and S_4.
"""

import functools

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import sympy as sp

from hjax.canonical import generating_function_terms, systems


def _points(seed, count=5, dim=2):
    key_q, key_p = jax.random.split(jax.random.key(seed))
    q = jax.random.normal(key_q, (count, dim))
    p = jax.random.normal(key_p, (count, dim))
    return q, p


@pytest.mark.parametrize("taylor", ["jet", "jvp"])
def test_first_two_terms_match_the_printed_formulas(taylor):
    H = systems.nonseparable
    S1, S2 = map(jax.jit, generating_function_terms(H, 2, taylor))
    grad_q, grad_p = jax.grad(H, 0), jax.grad(H, 1)
    for q, p in zip(*_points(0), strict=True):
        np.testing.assert_allclose(S1(q, p), H(q, p), rtol=1e-15)
        expected = 0.5 * jnp.dot(grad_q(q, p), grad_p(q, p))
        np.testing.assert_allclose(S2(q, p), expected, rtol=1e-14)


@functools.cache
def _sympy_terms(order):
    """Solve dS/dh = H(q + dS/dP, P) in powers of h with SymPy (1 dof)."""
    q, P, h = sp.symbols("q P h")
    hamiltonian = lambda x, y: (x**2 + y**2) / 2 + (x * y) ** 2 / 2  # noqa: E731
    unknowns = [sp.Function(f"S{i}")(q, P) for i in range(1, order + 1)]
    solved = {}
    for i in range(1, order + 1):
        S = sum(h**j * unknowns[j - 1] for j in range(1, i + 1)).subs(solved)
        equation = sp.diff(S, h) - hamiltonian(q + sp.diff(S, P), P)
        coefficient = sp.expand(sp.series(equation, h, 0, i).removeO()).coeff(h, i - 1)
        solved[unknowns[i - 1]] = sp.solve(coefficient, unknowns[i - 1])[0]
        solved = {k: sp.expand(v.doit()) for k, v in solved.items()}
    return [sp.lambdify((q, P), solved[u], "numpy") for u in unknowns]


@pytest.mark.parametrize("taylor", ["jet", "jvp"])
def test_third_and_fourth_terms_equal_an_independent_sympy_solution(taylor):
    exact = _sympy_terms(4)
    terms = [
        jax.jit(t) for t in generating_function_terms(systems.nonseparable, 4, taylor)
    ]
    rng = np.random.default_rng(1)
    for q, p in rng.normal(size=(6, 2)):
        qa, pa = jnp.array([q]), jnp.array([p])
        for i in (2, 3):
            np.testing.assert_allclose(
                terms[i](qa, pa), exact[i](q, p), rtol=1e-12, atol=1e-14
            )
