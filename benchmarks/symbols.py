"""Grid symbol product (89): jit-compiled JAX against NumPy, and the formal product.

Goal (issue 5): the jit-compiled grid product of two symbols of g_INT_3 (powers
ξ^-1..ξ^-3, (43)) on 4096 points is at least 5x faster than NumPy running the same
formula. Measured: best-of-repeats wall time per product (compilation excluded and
reported separately) against two NumPy versions (the same FFT algorithm, and the
direct stencil translation of (89)); the grid-vs-formal error table; and the time
of one formal (SymPy) product at truncation 8. The results and their reading are
in docs/notes/symbols.md (the 5x goal was not met on the shared 2-core machine).

Run: ``.venv/bin/python benchmarks/symbols.py``
"""

from __future__ import annotations

import math
import os
import time
import timeit

import jax
import numpy as np
import sympy as sp

jax.config.update("jax_enable_x64", True)

from hjax.symbols import GridSymbol, Symbol  # noqa: E402
from hjax.symbols._differences import (  # noqa: E402
    _binomial,
    central_weights,
    product_weights,
)

N_POINTS = 4096


def numpy_product(a_values, b_values, shape_key, length, method):
    """(89) in NumPy, the same algorithm as ``product_values``:
    ``c_p = Σ_k a_k ⊙ F⁻¹[Σ_l W[p, k, l] F[b_l]]``."""
    n_points = b_values.shape[-1]
    weights = product_weights(shape_key, n_points, length, method, True)
    spectrum = np.fft.rfft(b_values, axis=-1)
    mixed = (weights * spectrum[..., None, None, :, :]).sum(axis=-2)
    derivatives = np.fft.irfft(mixed, n=n_points, axis=-1)
    return (a_values[..., None, :, :] * derivatives).sum(axis=-2)


def numpy_stencil_product(a_values, b_values, shape_key, length, method):
    """(89) in NumPy, written directly: D_x^α by repeated stencils (fd only)."""
    high_a, rows_a, high_b, rows_b, floor = shape_key
    weights, dx = central_weights(int(method[2:])), length / b_values.shape[-1]
    n_max = high_a + high_b - floor
    derivatives = [b_values]
    for _ in range(n_max):
        current, total = derivatives[-1], 0.0
        for shift, weight in enumerate(weights, start=1):
            ahead = np.roll(current, -shift, -1)
            total = total + weight * (ahead - np.roll(current, shift, -1))
        derivatives.append(total / dx)
    top = high_a + high_b
    out = np.zeros(a_values.shape[:-2] + (top - floor + 1, a_values.shape[-1]))
    for i, k in enumerate(range(high_a, high_a - rows_a, -1)):
        for j, l in enumerate(range(high_b, high_b - rows_b, -1)):
            for p in range(floor, k + l + 1):
                alpha = k + l - p
                term = a_values[..., i, :] * derivatives[alpha][..., j, :]
                out[..., top - p, :] += _binomial(k, alpha) * term
    return out


def random_int3(rng, batch=()):
    """A symbol of g_INT_3: smooth random periodic coefficients of ξ^-1..ξ^-3."""
    points = np.arange(N_POINTS) * 2 * np.pi / N_POINTS
    modes = np.arange(1, 6)
    coefficients = {}
    for power in (-1, -2, -3):
        amplitudes = rng.normal(size=batch + (len(modes), 1))
        waves = np.sin(modes[:, None] * points + rng.uniform(0, 6, (len(modes), 1)))
        coefficients[power] = (amplitudes * waves).sum(axis=-2)
    return coefficients


def best_time(function, repeats=7):
    function()
    number = max(1, int(0.2 / max(timeit.timeit(function, number=1), 1e-6)))
    return min(timeit.repeat(function, number=number, repeat=repeats)) / number


def grid_case(method, truncation, batch, rng):
    """Times (s) of the jit JAX product and its NumPy twins, and their agreement."""
    exact = truncation is not None
    coefficients = random_int3(rng, batch), random_int3(rng, batch)
    build = {"derivative": method, "truncation": None if exact else 3}
    A, B = (GridSymbol(c, **build) for c in coefficients)
    product = jax.jit(lambda a, b: a.compose(b, truncation=truncation).values)
    start = time.perf_counter()
    jax_values = np.asarray(product(A, B).block_until_ready())
    row = {"compile": time.perf_counter() - start}
    key = (A.highest, 3, B.highest, 3, -truncation if exact else -4)
    args = (np.asarray(A.values), np.asarray(B.values), key, A.length, method)
    scale = np.max(np.abs(jax_values))
    row["jax"] = best_time(lambda: product(A, B).block_until_ready())
    row["numpy"] = best_time(lambda: numpy_product(*args))
    row["agree"] = np.max(np.abs(numpy_product(*args) - jax_values)) / scale
    if method != "spectral":
        row["stencil"] = best_time(lambda: numpy_stencil_product(*args))
        stencil = numpy_stencil_product(*args)
        row["stencil_agree"] = np.max(np.abs(stencil - jax_values)) / scale
    return row


def formal_product_time(truncation=8):
    x = sp.Symbol("x", real=True)
    p = [sp.Function(f"p{i}")(x) for i in (1, 2, 3)]
    u = [sp.Function(f"u{i}")(x) for i in (1, 2, 3)]
    P = Symbol({-1: p[0], -2: p[1], -3: p[2]}, x)
    U = Symbol({-1: u[0], -2: u[1], -3: u[2]}, x)
    start = time.perf_counter()
    product = P.compose(U, truncation=truncation)
    return time.perf_counter() - start, len(product.coefficients)


def accuracy_table() -> None:
    """Grid (89) against the formal (41) on smooth periodic coefficients."""
    x = sp.Symbol("x", real=True)
    A = Symbol(
        {1: 1, 0: sp.sin(x), -1: sp.cos(2 * x), -2: 1 + sp.sin(x) ** 2}, x, truncation=4
    )
    B = Symbol(
        {0: sp.cos(x) ** 2, -1: sp.sin(3 * x), -2: 1 + sp.sin(x), -3: sp.cos(x)},
        x,
        truncation=4,
    )
    exact = A * B
    sizes = [32, 64, 128, 256]
    print(
        "max |grid A∘B − formal A∘B| over all retained coefficients "
        "(A, B of orders 1 and 0, truncation 4)"
    )
    print("D_x | " + " | ".join(f"N={n}" for n in sizes) + " | fitted order")
    for method in ("spectral", "fd2", "fd4", "fd6"):
        errors = []
        for n in sizes:
            grid = GridSymbol.from_formal(A, n, derivative=method).compose(
                GridSymbol.from_formal(B, n, derivative=method)
            )
            expected = GridSymbol.from_formal(exact, n, derivative=method)
            assert (grid.highest, grid.lowest) == (expected.highest, expected.lowest)
            errors.append(
                np.max(np.abs(np.asarray(grid.values) - np.asarray(expected.values)))
            )
        slope = -np.polyfit(np.log(sizes), np.log(errors), 1)[0]
        order = "-" if method == "spectral" else f"{slope:.2f}"
        print(f"{method} | " + " | ".join(f"{e:.1e}" for e in errors) + f" | {order}")


def main() -> None:
    rng = np.random.default_rng(0)
    cases = [
        ("spectral", None, ()),
        ("spectral", 8, ()),
        ("fd4", None, ()),
        ("fd4", 8, ()),
        ("spectral", 8, (16,)),
    ]
    print(
        f"grid product (89) of two g_INT_3 symbols on {N_POINTS} points "
        f"(jax {jax.__version__}, {jax.devices()[0].platform}, "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    print(
        "D_x | product to | batch | jax jit [us] | numpy [us] | numpy/jax | "
        "numpy stencils [us] | stencils/jax | compile [s] | rel. diff"
    )
    for method, truncation, batch in cases:
        row = grid_case(method, truncation, batch, rng)
        floor = "xi^-4 (K=3 operands)" if truncation is None else f"xi^-{truncation}"
        stencil = (
            f"{row['stencil'] * 1e6:.0f} | {row['stencil'] / row['jax']:.1f}x"
            if "stencil" in row
            else "- | -"
        )
        agree = max(row["agree"], row.get("stencil_agree", 0.0))
        print(
            f"{method} | {floor} | {math.prod(batch)} | {row['jax'] * 1e6:.0f} | "
            f"{row['numpy'] * 1e6:.0f} | {row['numpy'] / row['jax']:.1f}x | "
            f"{stencil} | {row['compile']:.2f} | {agree:.1e}"
        )
    accuracy_table()
    seconds, terms = formal_product_time()
    print(
        f"formal (SymPy) product of two g_INT_3 symbols with undefined-function "
        f"coefficients, truncation 8: {seconds:.3f} s ({terms} powers)"
    )


if __name__ == "__main__":
    main()
