"""Order of accuracy against a Dopri8 reference, the Poisson-map identity, the
series (even terms vanish), and the paper's sign inconsistency in (36)-(37)."""

import jax
import jax.numpy as jnp
import pytest

import hjax
from hjax import liepoisson as lp
from hjax.canonical._series import series_terms
from hjax.liepoisson._series import chart_hamiltonian, odd_gradients

STEP_COUNTS = (10, 20, 40, 80)
T_FINAL = 2.0


def _order(hamiltonian, mu0, algebra, solver, reference):
    dts, errors = lp.diagnostics.global_errors(
        hamiltonian, mu0, algebra, solver, T_FINAL, STEP_COUNTS, reference
    )
    return lp.diagnostics.empirical_order(dts, errors, floor=1e-13)


@pytest.fixture(scope="module")
def rigid_body():
    hamiltonian, mu0 = lp.rigid_body(), lp.systems.rigid_body_initial()
    reference = lp.diagnostics.reference_solution(hamiltonian, mu0, lp.SO3(), T_FINAL)
    return hamiltonian, mu0, reference


@pytest.mark.parametrize(
    "solver, expected",
    [
        (lp.LiePoissonHJ(1), 2.0),  # symmetric: G_2 = 0, so m = 1 is order 2
        (lp.LiePoissonHJ(2), 2.0),
        (lp.LiePoissonHJ(3), 4.0),
        (hjax.ExplicitEuler(), 1.0),
        (hjax.RK4(), 4.0),
    ],
    ids=["lphj1", "lphj2", "lphj3", "euler", "rk4"],
)
def test_rigid_body_order(rigid_body, solver, expected):
    hamiltonian, mu0, reference = rigid_body
    slope = _order(hamiltonian, mu0, lp.SO3(), solver, reference)
    assert abs(slope - expected) < 0.2


@pytest.mark.parametrize("order, expected", [(1, 2.0), (3, 4.0)])
def test_heavy_top_order(order, expected):
    hamiltonian, mu0 = lp.heavy_top(), lp.systems.heavy_top_initial()
    reference = lp.diagnostics.reference_solution(hamiltonian, mu0, lp.SE3(), T_FINAL)
    slope = _order(hamiltonian, mu0, lp.SE3(), lp.LiePoissonHJ(order), reference)
    assert abs(slope - expected) < 0.2


def test_orders_one_and_two_are_the_same_map(rigid_body):
    hamiltonian, mu0, _ = rigid_body
    runs = [
        lp.integrate(
            hamiltonian,
            mu0,
            algebra=lp.SO3(),
            solver=lp.LiePoissonHJ(m),
            dt=0.1,
            steps=50,
        ).mu
        for m in (1, 2)
    ]
    assert jnp.max(jnp.abs(runs[0] - runs[1])) == 0.0


CASES = [
    (lp.SO3(), lp.rigid_body(), lp.systems.rigid_body_initial()),
    (lp.SE3(), lp.heavy_top(), lp.systems.heavy_top_initial()),
]


@pytest.mark.parametrize(
    "algebra, hamiltonian, mu0, order",
    [case + (1,) for case in CASES] + [CASES[0] + (3,)],
    ids=["SO3-1", "SE3-1", "SO3-3"],
)
def test_lphj_is_a_poisson_map(algebra, hamiltonian, mu0, order):
    """D phi B(mu) D phi^T = B(phi(mu)) to <= 1e-10 at a large step dt = 0.3."""
    solver = lp.LiePoissonHJ(order)
    defect = lp.diagnostics.poisson_defect(hamiltonian, algebra, solver, mu0, 0.3)
    assert defect <= 1e-10


def test_rk4_is_not_a_poisson_map():
    """The identity is not automatic: RK4 misses it by O(dt^5) (here ~1e-7)."""
    defect = lp.diagnostics.poisson_defect(
        lp.rigid_body(), lp.SO3(), hjax.RK4(), lp.systems.rigid_body_initial(), 0.3
    )
    assert defect > 1e-9


@pytest.mark.parametrize(
    "algebra, hamiltonian, mu0, order",
    [CASES[0] + (3,), CASES[1] + (3,)],
    ids=["SO3", "SE3"],
)
def test_series_even_terms_vanish_and_odd_terms_match(algebra, hamiltonian, mu0, order):
    """The canonical type-II series of K(x, nu) at x = 0 (computed independently,
    all terms) has G_1 = H, G_2 = 0, and the same dG_3/dnu as ours."""
    flat_h = lp._integrate.flat_hamiltonian(hamiltonian, algebra)
    nu = algebra.flatten(mu0) + 0.1
    origin = jnp.zeros_like(nu)
    K = chart_hamiltonian(flat_h, algebra, order)
    terms = jax.jit(series_terms(K, order))(origin, nu)
    assert abs(terms.values[0] - flat_h(nu)) < 1e-15
    for even in range(1, order, 2):
        assert jnp.max(jnp.abs(terms.grad_P[even])) < 1e-14
    ours = jax.jit(odd_gradients(flat_h, algebra, 3, "jet"))(nu)
    assert jnp.max(jnp.abs(ours[2] - terms.grad_P[2])) < 1e-14
    assert jnp.max(jnp.abs(terms.grad_P[2])) > 1e-3  # G_3 is not trivial
    by_jvp = jax.jit(odd_gradients(flat_h, algebra, 3, "jvp"))(nu)
    assert jnp.max(jnp.abs(ours[2] - by_jvp[2])) < 1e-14


def _cotangent_lifts(S, xi):
    """``(T_e L_g^* dS(g), T_e R_g^* dS(g))`` at ``g = exp(xi)`` in SO(3)."""
    algebra = lp.SO3()
    g = algebra.exp(xi)
    left = jax.grad(lambda eta: S(g @ algebra.exp(eta)))(jnp.zeros(3))
    right = jax.grad(lambda eta: S(algebra.exp(eta) @ g))(jnp.zeros(3))
    return g, left, right


def test_paper_signs_of_36_37_are_inconsistent():
    """(36) mu_0 = -T L_g^* dS and (37) mu = +T R_g^* dS give mu = -Ad*_{g^-1} mu_0
    (at g = e: mu = -mu_0, not the identity). With the same sign in both (as
    derived, docs/notes/liepoisson.md), mu = Ad*_{g^-1} mu_0 = g mu_0."""
    A = jax.random.normal(jax.random.PRNGKey(7), (3, 3))
    S = lambda R: jnp.trace(A @ R) + jnp.sum(R**3)  # noqa: E731
    g, left, right = _cotangent_lifts(S, jnp.array([0.3, -0.2, 0.5]))
    paper_mu0, paper_mu = -left, right
    assert jnp.max(jnp.abs(paper_mu + g @ paper_mu0)) < 1e-13
    assert jnp.max(jnp.abs(paper_mu - g @ paper_mu0)) > 1e-2
    ours_mu0, ours_mu = -left, -right
    assert jnp.max(jnp.abs(ours_mu - g @ ours_mu0)) < 1e-13
