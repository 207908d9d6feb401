"""Argument checks shared by every public entry point.

Each check raises ``ValueError`` naming the argument, the value it got and how to
fix it. Checks that need concrete values are skipped for traced values (inside a
user's ``jax.jit``); those callers get runtime checks through ``eqx.error_if``.
"""

from __future__ import annotations

import numbers

import jax
import jax.numpy as jnp
import numpy as np


def is_concrete(x) -> bool:
    """True when ``x`` holds a value now (not a tracer inside jit/vmap/grad)."""
    return not any(isinstance(leaf, jax.core.Tracer) for leaf in jax.tree.leaves(x))


def check_dt(dt) -> None:
    if not is_concrete(dt):
        return
    value = np.asarray(dt)
    if value.shape != ():
        raise ValueError(f"dt must be a scalar step size, got shape {value.shape}.")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(
            f"dt must be a finite positive step size, got dt={value.item()!r}; "
            "pass dt > 0 (integrate backwards by negating the Hamiltonian)."
        )


def check_steps(steps) -> int:
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral):
        raise ValueError(
            f"steps must be a Python int >= 0 (it fixes the trajectory length), "
            f"got {steps!r} of type {type(steps).__name__}."
        )
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got steps={steps}.")
    return int(steps)


def check_order(order) -> int:
    if isinstance(order, bool) or not isinstance(order, numbers.Integral):
        raise ValueError(
            f"order must be an int >= 1 (the number of Hamilton-Jacobi terms m), "
            f"got {order!r} of type {type(order).__name__}."
        )
    if order < 1:
        raise ValueError(
            f"order must be >= 1, got order={order}; use order=1 for symplectic Euler."
        )
    return int(order)


def check_finite(tree, name: str) -> None:
    if not is_concrete(tree):
        return
    for leaf in jax.tree.leaves(tree):
        array = np.asarray(leaf)
        if not np.issubdtype(array.dtype, np.inexact) and not np.issubdtype(
            array.dtype, np.integer
        ):
            raise ValueError(f"{name} must hold numbers, got dtype {array.dtype}.")
        if not np.all(np.isfinite(array)):
            bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
            raise ValueError(
                f"{name} contains {bad} non-finite value(s) (nan or inf); "
                f"pass finite initial data."
            )


def check_same_structure(a, b, name_a: str, name_b: str) -> None:
    struct_a, struct_b = jax.tree.structure(a), jax.tree.structure(b)
    if struct_a != struct_b:
        raise ValueError(
            f"{name_a} and {name_b} must be pytrees of the same structure, got "
            f"{struct_a} and {struct_b}."
        )
    for leaf_a, leaf_b in zip(jax.tree.leaves(a), jax.tree.leaves(b), strict=True):
        if jnp.shape(leaf_a) != jnp.shape(leaf_b):
            raise ValueError(
                f"{name_a} and {name_b} must have equal shapes leaf by leaf, got "
                f"{jnp.shape(leaf_a)} and {jnp.shape(leaf_b)}."
            )


def check_scalar_function(fn, args, name: str) -> None:
    """Trace ``fn(*args)`` abstractly and require a real scalar result."""
    try:
        out = jax.eval_shape(fn, *args)
    except Exception as error:  # the user's function failed to trace
        raise ValueError(
            f"{name} could not be evaluated on the initial data: "
            f"{type(error).__name__}: {error}"
        ) from error
    leaves = jax.tree.leaves(out)
    if len(leaves) != 1 or leaves[0].shape != ():
        shapes = [leaf.shape for leaf in leaves]
        raise ValueError(
            f"{name} must return a scalar, got output shape(s) {shapes}; "
            "sum or reduce your expression to a single number."
        )
    if not jnp.issubdtype(leaves[0].dtype, jnp.floating):
        raise ValueError(
            f"{name} must return a real floating-point scalar, got dtype "
            f"{leaves[0].dtype}."
        )
