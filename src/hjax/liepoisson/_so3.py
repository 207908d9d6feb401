"""so(3) and se(3) = so(3) x R^3 with closed-form exp, Ad and dexp.

so(3) is identified with R^3 by ``hat``: ``[xi, eta] = xi x eta``, so
``ad*_xi Pi = Pi x xi`` and (20) is Euler's ``Pi' = Pi x Omega``. A group element
of SO(3) is a rotation matrix ``R``; ``Ad_R = R`` and ``Ad*_R Pi = R^T Pi``.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from ._algebra import AbstractLieAlgebra, hat

_SMALL = 1e-2  # below this theta^2, Taylor series (next terms < 3e-18)


def _series(x, coefficients):
    """``sum_n coefficients[n] x^n`` by Horner's rule."""
    total = jnp.zeros_like(x) + coefficients[-1]
    for c in coefficients[-2::-1]:
        total = total * x + c
    return total


def _half_sinc_squared(theta2):
    """``(1 - cos theta) / theta^2``, free of cancellation."""
    theta = jnp.sqrt(jnp.where(theta2 > 0, theta2, 1.0))
    half = jnp.where(theta2 > 0, jnp.sin(theta / 2) / theta, 0.5)
    return 2 * half**2


def _sinc(theta2):
    """``sin theta / theta``."""
    safe = jnp.where(theta2 < _SMALL, 1.0, theta2)
    theta = jnp.sqrt(safe)
    series = _series(theta2, (1, -1 / 6, 1 / 120, -1 / 5040, 1 / 362880))
    return jnp.where(theta2 < _SMALL, series, jnp.sin(theta) / theta)


def _cubic(theta2):
    """``(theta - sin theta) / theta^3``."""
    safe = jnp.where(theta2 < _SMALL, 1.0, theta2)
    theta = jnp.sqrt(safe)
    series = _series(theta2, (1 / 6, -1 / 120, 1 / 5040, -1 / 362880, 1 / 39916800))
    return jnp.where(theta2 < _SMALL, series, (theta - jnp.sin(theta)) / theta**3)


def _coefficients(theta2):
    """``(sin t / t, (1 - cos t) / t^2)`` with the small-angle branch."""
    small = theta2 < _SMALL
    series_b = _series(theta2, (1 / 2, -1 / 24, 1 / 720, -1 / 40320, 1 / 3628800))
    return _sinc(theta2), jnp.where(small, series_b, _half_sinc_squared(theta2))


def rodrigues(xi: jax.Array) -> jax.Array:
    """``exp(hat xi) = I + sin t / t K + (1 - cos t) / t^2 K^2``, ``t = |xi|``."""
    K = hat(xi)
    a, b = _coefficients(jnp.dot(xi, xi))
    return jnp.eye(3, dtype=xi.dtype) + a * K + b * (K @ K)


def so3_dexp(xi: jax.Array) -> jax.Array:
    """``I + (1 - cos t) / t^2 K + (t - sin t) / t^3 K^2`` (= the SE(3) ``V``)."""
    K = hat(xi)
    theta2 = jnp.dot(xi, xi)
    _, b = _coefficients(theta2)
    return jnp.eye(3, dtype=xi.dtype) + b * K + _cubic(theta2) * (K @ K)


def rotate_back(xi: jax.Array, mu: jax.Array) -> jax.Array:
    """``exp(hat xi)^T mu`` by Rodrigues' formula, matrix-free."""
    a, b = _coefficients(jnp.dot(xi, xi))
    cross = jnp.cross(xi, mu)
    return mu - a * cross + b * jnp.cross(xi, cross)


def so3_dexp_transpose(xi: jax.Array, mu: jax.Array) -> jax.Array:
    """``dexp_so3(xi)^T mu``, matrix-free."""
    theta2 = jnp.dot(xi, xi)
    _, b = _coefficients(theta2)
    cross = jnp.cross(xi, mu)
    return mu - b * cross + _cubic(theta2) * jnp.cross(xi, cross)


def so3_dexp_apply(xi: jax.Array, u: jax.Array) -> jax.Array:
    """``dexp_so3(xi) u`` (the translation part of the SE(3) exponential)."""
    theta2 = jnp.dot(xi, xi)
    _, b = _coefficients(theta2)
    cross = jnp.cross(xi, u)
    return u + b * cross + _cubic(theta2) * jnp.cross(xi, cross)


class SO3(AbstractLieAlgebra):
    """so(3) ~ R^3, the rigid body's algebra: ``mu = Pi`` a 3-vector.

    Closed forms: ``exp`` by Rodrigues' formula (a rotation matrix to round-off,
    so ``|Pi|^2`` is kept to round-off), ``dexp``, and the Cayley map.
    Casimir: ``|Pi|^2``.
    """

    @property
    def dimension(self) -> int:
        return 3

    def bracket(self, xi, eta):
        return jnp.cross(xi, eta)

    def ad(self, xi):
        return hat(xi)

    def ad_star(self, xi, mu):
        return jnp.cross(mu, xi)

    def exp(self, xi):
        return rodrigues(xi)

    def coadjoint_exp(self, xi, mu):
        return rotate_back(xi, mu)

    def dexp(self, xi):
        return so3_dexp(xi)

    def dexp_transpose(self, xi, mu):
        return so3_dexp_transpose(xi, mu)

    def cayley(self, xi):
        """``cay(xi) = (I - K/2)^{-1} (I + K/2)``, a rotation to second order."""
        K = hat(xi)
        eye = jnp.eye(3, dtype=xi.dtype)
        return jnp.linalg.solve(eye - K / 2, eye + K / 2)

    def casimirs(self, mu):
        return jnp.stack([jnp.dot(mu, mu)])


class SE3(AbstractLieAlgebra):
    """se(3) = so(3) x R^3 (semidirect), the heavy top's algebra (Theorem 3.1).

    ``mu = (Pi, Gamma)``, a tuple of 3-vectors. Bracket
    ``[(xi, u), (eta, w)] = (xi x eta, xi x w - eta x u)`` (matrix commutator of
    ``[[hat xi, u], [0, 0]]``), so (20) reads ``Pi' = Pi x Omega + Gamma x dH/dGamma``,
    ``Gamma' = Gamma x Omega``. A group element is ``(R, v)``; its coadjoint action
    is ``Ad*_{(R, v)} (Pi, Gamma) = (R^T (Pi + Gamma x v), R^T Gamma)``.
    Casimirs: ``|Gamma|^2`` and ``Pi . Gamma``.
    """

    @property
    def dimension(self) -> int:
        return 6

    def bracket(self, xi, eta):
        rotation, translation = xi[:3], xi[3:]
        rotation2, translation2 = eta[:3], eta[3:]
        return jnp.concatenate(
            [
                jnp.cross(rotation, rotation2),
                jnp.cross(rotation, translation2) - jnp.cross(rotation2, translation),
            ]
        )

    def ad(self, xi):
        K, U = hat(xi[:3]), hat(xi[3:])
        return jnp.block([[K, jnp.zeros_like(K)], [U, K]])

    def ad_star(self, xi, mu):
        rotation, translation = xi[:3], xi[3:]
        Pi, Gamma = mu[:3], mu[3:]
        return jnp.concatenate(
            [
                jnp.cross(Pi, rotation) + jnp.cross(Gamma, translation),
                jnp.cross(Gamma, rotation),
            ]
        )

    def dexp(self, xi):
        """``[[J, 0], [Q, J]]``: ``J = dexp_so3(xi)`` and ``Q`` its derivative along
        ``u`` (the lower block of ``phi(ad)`` is the Frechet derivative of ``phi``)."""
        rotation, translation = xi[:3], xi[3:]
        J, Q = jax.jvp(so3_dexp, (rotation,), (translation,))
        return jnp.block([[J, jnp.zeros_like(J)], [Q, J]])

    def dexp_transpose(self, xi, mu):
        rotation, translation = xi[:3], xi[3:]
        Pi, Gamma = mu[:3], mu[3:]
        _, Q_transpose_Gamma = jax.jvp(
            lambda r: so3_dexp_transpose(r, Gamma), (rotation,), (translation,)
        )
        return jnp.concatenate(
            [
                so3_dexp_transpose(rotation, Pi) + Q_transpose_Gamma,
                so3_dexp_transpose(rotation, Gamma),
            ]
        )

    def exp(self, xi):
        """``(R, v) = (exp hat xi, dexp_so3(xi) u)``."""
        return rodrigues(xi[:3]), so3_dexp_apply(xi[:3], xi[3:])

    def coadjoint_exp(self, xi, mu):
        rotation, translation = xi[:3], xi[3:]
        Pi, Gamma = mu[:3], mu[3:]
        v = so3_dexp_apply(rotation, translation)
        return jnp.concatenate(
            [
                rotate_back(rotation, Pi + jnp.cross(Gamma, v)),
                rotate_back(rotation, Gamma),
            ]
        )

    def adjoint(self, g):
        R, v = g
        return jnp.block([[R, jnp.zeros_like(R)], [hat(v) @ R, R]])

    def coadjoint(self, g, mu):
        R, v = g
        Pi, Gamma = mu[:3], mu[3:]
        return jnp.concatenate([R.T @ (Pi + jnp.cross(Gamma, v)), R.T @ Gamma])

    def casimirs(self, mu):
        Pi, Gamma = mu[:3], mu[3:]
        return jnp.stack([jnp.dot(Gamma, Gamma), jnp.dot(Pi, Gamma)])

    def momentum_shapes(self):
        return ((3,), (3,))

    def unflatten(self, vector):
        return vector[:3], vector[3:]
