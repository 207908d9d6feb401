"""The algebras as data: bracket axioms, closed forms against the generic
matrix-exponential defaults, and a user-defined algebra (so(4))."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax.scipy.linalg import expm

import hjax
from hjax import liepoisson as lp
from hjax.liepoisson import AbstractLieAlgebra

ROUND_OFF = 1e-13  # a few ulps of O(1) matrices after O(10) flops


class SO4(AbstractLieAlgebra):
    """so(4) as a user would add it: only the dimension and the bracket."""

    @property
    def dimension(self):
        return 6

    def bracket(self, xi, eta):
        return unskew(skew(xi) @ skew(eta) - skew(eta) @ skew(xi))


_PAIRS = [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]
_BASIS = np.zeros((6, 4, 4))
for _k, (_i, _j) in enumerate(_PAIRS):
    _BASIS[_k, _i, _j], _BASIS[_k, _j, _i] = 1.0, -1.0


def skew(v):
    return jnp.tensordot(v, _BASIS, axes=1)


def unskew(matrix):
    return jnp.stack([matrix[i, j] for i, j in _PAIRS])


ALGEBRAS = [lp.SO3(), lp.SE3(), SO4()]


def _random(key, algebra, scale=1.0):
    return scale * jax.random.normal(key, (algebra.dimension,))


@pytest.mark.parametrize("algebra", ALGEBRAS, ids=lambda a: type(a).__name__)
def test_bracket_is_antisymmetric_and_satisfies_jacobi(algebra):
    a, b, c = (_random(k, algebra) for k in jax.random.split(jax.random.PRNGKey(0), 3))
    br = algebra.bracket
    assert jnp.max(jnp.abs(br(a, b) + br(b, a))) < ROUND_OFF
    jacobi = br(a, br(b, c)) + br(b, br(c, a)) + br(c, br(a, b))
    assert jnp.max(jnp.abs(jacobi)) < ROUND_OFF


@pytest.mark.parametrize("algebra", ALGEBRAS, ids=lambda a: type(a).__name__)
def test_ad_star_is_dual_of_ad(algebra):
    xi, mu, eta = (
        _random(k, algebra) for k in jax.random.split(jax.random.PRNGKey(1), 3)
    )
    lhs = jnp.dot(algebra.ad_star(xi, mu), eta)
    assert abs(lhs - jnp.dot(mu, algebra.bracket(xi, eta))) < ROUND_OFF


@pytest.mark.parametrize("algebra", [lp.SO3(), lp.SE3()], ids=["SO3", "SE3"])
@pytest.mark.parametrize("scale", [1e-3, 0.2, 2.5])
def test_closed_forms_match_matrix_exponential(algebra, scale):
    """Rodrigues / SE(3) exp, Ad*, dexp against expm of ad (the generic defaults)."""
    xi = _random(jax.random.PRNGKey(2), algebra, scale)
    mu = _random(jax.random.PRNGKey(3), algebra)
    generic_dexp = AbstractLieAlgebra.dexp(algebra, xi)
    assert (
        jnp.max(jnp.abs(algebra.adjoint(algebra.exp(xi)) - expm(algebra.ad(xi))))
        < ROUND_OFF
    )
    assert jnp.max(jnp.abs(algebra.dexp(xi) - generic_dexp)) < ROUND_OFF
    assert (
        jnp.max(jnp.abs(algebra.dexp_transpose(xi, mu) - generic_dexp.T @ mu))
        < ROUND_OFF
    )
    exact = expm(algebra.ad(xi)).T @ mu
    assert jnp.max(jnp.abs(algebra.coadjoint_exp(xi, mu) - exact)) < ROUND_OFF


def test_dexp_is_the_derivative_of_exp():
    """d/ds exp(xi + s eta) = dexp(xi) eta . exp(xi) (right trivialisation)."""
    algebra = lp.SO3()
    xi, eta = jnp.array([0.3, -1.1, 0.7]), jnp.array([0.2, 0.5, -0.4])
    _, derivative = jax.jvp(algebra.exp, (xi,), (eta,))
    right = derivative @ algebra.exp(xi).T
    assert jnp.max(jnp.abs(right - lp.hat(algebra.dexp(xi) @ eta))) < ROUND_OFF


def test_rotations_and_cayley():
    algebra = lp.SO3()
    xi = jnp.array([0.03, -0.02, 0.01])
    R, C = algebra.exp(xi), algebra.cayley(xi)
    for matrix in (R, C):
        assert jnp.max(jnp.abs(matrix.T @ matrix - jnp.eye(3))) < ROUND_OFF
        assert abs(jnp.linalg.det(matrix) - 1) < ROUND_OFF
    # cay(xi) = exp(xi) + O(|xi|^3): the gap shrinks by 8 when xi halves.
    gap = [
        float(jnp.max(jnp.abs(algebra.cayley(s * xi) - algebra.exp(s * xi))))
        for s in (1.0, 0.5)
    ]
    assert 7 < gap[0] / gap[1] < 9


@pytest.mark.parametrize("algebra", ALGEBRAS, ids=lambda a: type(a).__name__)
def test_poisson_tensor_generates_equation_20(algebra):
    mu, dH = (_random(k, algebra) for k in jax.random.split(jax.random.PRNGKey(4), 2))
    tensor = algebra.poisson_tensor(mu)
    assert jnp.max(jnp.abs(tensor + tensor.T)) < ROUND_OFF
    assert jnp.max(jnp.abs(tensor @ dH - algebra.ad_star(dH, mu))) < ROUND_OFF


def _so4_casimirs(mu):
    M = skew(mu)
    pfaffian = M[0, 1] * M[2, 3] - M[0, 2] * M[1, 3] + M[0, 3] * M[1, 2]
    return jnp.array([jnp.sum(M * M), pfaffian])


def test_user_algebra_so4_manakov_top():
    """A user algebra (generic exp / dexp): LPHJ keeps both Casimirs of so(4)*
    to round-off over 300 steps, RK4 does not."""
    algebra = SO4()
    inertia = jnp.array([1.0, 1.3, 1.7, 2.1, 2.6, 3.2])
    hamiltonian = lambda mu: 0.5 * jnp.sum(mu**2 / inertia)  # noqa: E731
    mu0 = jnp.array([0.4, -0.3, 0.5, 0.2, -0.6, 0.3])
    drift = {}
    for name, solver in (("lphj", lp.LiePoissonHJ(1)), ("rk4", hjax.RK4())):
        trajectory = lp.integrate(
            hamiltonian, mu0, algebra=algebra, solver=solver, dt=0.1, steps=300
        )
        casimirs = jax.vmap(_so4_casimirs)(trajectory.mu)
        change = jnp.max(jnp.abs(casimirs - casimirs[0]), axis=0)
        drift[name] = np.asarray(change / jnp.abs(casimirs[0]))
    assert np.all(drift["lphj"] < 1e-13)
    assert np.all(drift["rk4"] > 1e-9)
