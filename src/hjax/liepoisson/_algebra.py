"""Lie algebras as data: bracket, ad, ad*, exp, Ad, dexp and the shape of g*.

Conventions (stated once; see docs/notes/liepoisson.md):

- ``xi`` in g and ``mu`` in g* are flat coordinate vectors of length ``dimension``
  inside the solvers; ``flatten`` / ``unflatten`` translate to the user's pytree.
- ``ad(xi)`` is the matrix of ``eta -> [xi, eta]``, so ``ad*_xi mu = ad(xi)^T mu``.
- ``adjoint(g)`` is the matrix of ``Ad_g``; ``coadjoint(g, mu) = Ad_g^T mu`` is
  ``Ad*_g mu``. The left-reduced flow (20) is ``mu(t) = Ad*_{g(t)} mu(0)`` with
  ``g(0) = e``; coadjoint orbits, hence Casimirs, are preserved.
- ``dexp(xi)`` is the right-trivialised derivative of ``exp``:
  ``d/ds exp(xi + s eta) = dexp(xi) eta . exp(xi)``, i.e.
  ``dexp(xi) = (e^{ad xi} - 1) / ad xi``.
"""

from __future__ import annotations

import math

import equinox as eqx
import jax
import jax.numpy as jnp

# Bernoulli numbers B_n (B_1 = -1/2): z / (e^z - 1) = sum_n B_n z^n / n!.
_BERNOULLI = (
    1.0,
    -0.5,
    1 / 6,
    0.0,
    -1 / 30,
    0.0,
    1 / 42,
    0.0,
    -1 / 30,
    0.0,
    5 / 66,
    0.0,
    -691 / 2730,
    0.0,
    7 / 6,
)


def hat(x: jax.Array) -> jax.Array:
    """The skew matrix of ``x`` in R^3: ``hat(x) y = x cross y``."""
    zero = jnp.zeros((), x.dtype)
    return jnp.stack(
        [
            jnp.stack([zero, -x[2], x[1]]),
            jnp.stack([x[2], zero, -x[0]]),
            jnp.stack([-x[1], x[0], zero]),
        ]
    )


_MAX_SQUARINGS = 8  # covers |A|_1 <= 0.25 * 2^8
_TAYLOR_DEGREE = 12  # 0.25^13 / 13! < 3e-18


def exp_and_phi(A: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``(e^A, (e^A - I) / A)`` by scaling and squaring a Taylor polynomial.

    ``A`` is scaled by ``2^-s`` with the least ``s`` giving ``|A / 2^s|_1 <= 1/4``
    (so a step's ``A = ad xi = O(dt)`` is not squared at all and ``e^A`` stays
    in the group to round-off); doubling uses ``phi(2A) = phi(A)(e^A + I) / 2``.
    The graph is fixed and unrolled (cheap to trace, forward-differentiable);
    accurate to round-off for ``|A|_1 <= 64`` (a larger ``A`` loses accuracy:
    override ``exp`` / ``dexp`` with closed forms for large group elements).
    """
    eye = jnp.eye(A.shape[0], dtype=A.dtype)
    norm = jnp.max(jnp.sum(jnp.abs(A), axis=0))
    squarings = jnp.clip(
        jnp.ceil(jnp.log2(jnp.maximum(norm, 1e-300) / 0.25)), 0, _MAX_SQUARINGS
    )
    B = A * jnp.exp2(-squarings)
    exp_B, phi_B, term = eye, eye, eye
    for k in range(1, _TAYLOR_DEGREE + 1):
        term = term @ B / k
        exp_B = exp_B + term
        phi_B = phi_B + term / (k + 1)
    for i in range(_MAX_SQUARINGS):
        active = i < squarings
        phi_B = jnp.where(active, phi_B @ (exp_B + eye) / 2, phi_B)
        exp_B = jnp.where(active, exp_B @ exp_B, exp_B)
    return exp_B, phi_B


class AbstractLieAlgebra(eqx.Module):
    """A finite-dimensional Lie algebra g and its group, given as data.

    A new algebra needs ``dimension`` and ``bracket``; everything else has a
    generic default (group elements are then represented by their adjoint
    matrices ``Ad_g = expm(ad xi)``). Override ``exp``, ``adjoint``, ``dexp``
    with closed forms where they exist, ``casimirs`` to name the invariants,
    and ``flatten`` / ``unflatten`` / ``momentum_shapes`` for a pytree ``mu``.
    """

    @property
    def dimension(self) -> int:
        raise NotImplementedError

    def bracket(self, xi: jax.Array, eta: jax.Array) -> jax.Array:
        """``[xi, eta]`` in coordinates (bilinear, antisymmetric)."""
        raise NotImplementedError

    def ad(self, xi: jax.Array) -> jax.Array:
        """Matrix of ``ad_xi = [xi, .]`` (the Jacobian of a linear map)."""
        zero = jnp.zeros(self.dimension, xi.dtype)
        return jax.jacfwd(lambda eta: self.bracket(xi, eta))(zero)

    def ad_star(self, xi: jax.Array, mu: jax.Array) -> jax.Array:
        """``ad*_xi mu``, defined by ``<ad*_xi mu, eta> = <mu, [xi, eta]>``."""
        return self.ad(xi).T @ mu

    def exp(self, xi: jax.Array):
        """The group element ``exp(xi)`` (here: its adjoint matrix ``e^{ad xi}``)."""
        return exp_and_phi(self.ad(xi))[0]

    def adjoint(self, g) -> jax.Array:
        """Matrix of ``Ad_g`` for a group element made by ``exp``."""
        return g

    def coadjoint(self, g, mu: jax.Array) -> jax.Array:
        """``Ad*_g mu = Ad_g^T mu``; ``mu(t) = Ad*_{g(t)} mu(0)`` solves (20)."""
        return self.adjoint(g).T @ mu

    def dexp(self, xi: jax.Array) -> jax.Array:
        """``(e^{ad xi} - 1) / ad xi``."""
        return exp_and_phi(self.ad(xi))[1]

    def coadjoint_exp(self, xi: jax.Array, mu: jax.Array) -> jax.Array:
        """``Ad*_{exp xi} mu`` (override with a matrix-free closed form for speed)."""
        return self.coadjoint(self.exp(xi), mu)

    def dexp_transpose(self, xi: jax.Array, mu: jax.Array) -> jax.Array:
        """``dexp(xi)^T mu`` (override with a matrix-free closed form for speed)."""
        return self.dexp(xi).T @ mu

    def dexp_inverse_series(self, xi: jax.Array, terms: int) -> jax.Array:
        """``sum_{n < terms} B_n / n! ad_xi^n``: ``dexp(xi)^{-1}`` to ``O(xi^terms)``.

        Exact for the Taylor coefficients of order ``< terms`` of a curve
        ``xi(t) = O(t)``, which is all the generating-function series needs.
        """
        if terms > len(_BERNOULLI):
            raise NotImplementedError(
                f"dexp_inverse_series has Bernoulli numbers for up to "
                f"{len(_BERNOULLI)} terms, got terms={terms}; order <= "
                f"{len(_BERNOULLI)} is supported."
            )
        ad = self.ad(xi)
        total = power = jnp.eye(self.dimension, dtype=xi.dtype)
        for n in range(1, terms):
            power = power @ ad
            total = total + (_BERNOULLI[n] / math.factorial(n)) * power
        return total

    def poisson_tensor(self, mu: jax.Array) -> jax.Array:
        """``B(mu)_ij = -<mu, [e_i, e_j]>``, so that (20) reads ``mu' = B dH``."""
        basis = jnp.eye(self.dimension, dtype=mu.dtype)
        structure = jax.vmap(lambda e: jax.vmap(lambda f: self.bracket(e, f))(basis))(
            basis
        )
        return -structure @ mu

    def casimirs(self, mu: jax.Array) -> jax.Array:
        """Known Casimir functions at ``mu`` (none by default)."""
        return jnp.zeros((0,), mu.dtype)

    def momentum_shapes(self):
        """The pytree of shapes a momentum ``mu`` must have."""
        return (self.dimension,)

    def flatten(self, mu) -> jax.Array:
        """The coordinate vector of ``mu`` (a pytree shaped as ``momentum_shapes``)."""
        return jnp.concatenate([jnp.ravel(leaf) for leaf in jax.tree.leaves(mu)])

    def unflatten(self, vector: jax.Array):
        """The pytree ``mu`` of a coordinate vector."""
        return vector

    def check_momentum(self, mu, name: str) -> None:
        """Raise ``ValueError`` unless ``mu`` is shaped as ``momentum_shapes``."""
        expected = self.momentum_shapes()
        shapes = jax.tree.map(jnp.shape, mu)
        if _shape_leaves(shapes) != _shape_leaves(expected):
            raise ValueError(
                f"{name} does not match the algebra {type(self).__name__}: expected "
                f"a momentum of shape(s) {expected}, got {shapes}."
            )


def _is_shape(x) -> bool:
    return isinstance(x, tuple) and all(isinstance(d, int) for d in x)


def _shape_leaves(shapes):
    """Tree structure and leaf shapes of a pytree of shapes."""
    leaves, structure = jax.tree.flatten(shapes, is_leaf=_is_shape)
    return structure, leaves
