"""Grid symbols (§4.1 (87)-(92)): agreement with the formal algebra (spectral to
rounding, finite differences at their order), Tr[A, B] = 0 on the grid,
jit/vmap, and bad input."""

import functools

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from hjax.symbols import GridSymbol, Symbol, grid_points

x = sp.Symbol("x", real=True)

# Smooth periodic coefficients (trigonometric polynomials of degree <= 3).
A = Symbol(
    {1: 1, 0: sp.sin(x), -1: sp.cos(2 * x), -2: 1 + sp.sin(x) ** 2}, x, truncation=4
)
B = Symbol(
    {0: sp.cos(x) ** 2, -1: sp.sin(3 * x), -2: 1 + sp.sin(x), -3: sp.cos(x)},
    x,
    truncation=4,
)


@functools.cache
def formal(operation):
    """The formal A ∘ B or [A, B], computed once (SymPy is the slow part)."""
    return A * B if operation == "product" else A.bracket(B)


@functools.cache
def sampled_formal(operation, n_points, method):
    return GridSymbol.from_formal(formal(operation), n_points, derivative=method)


def rows(symbol, low, high):
    """Coefficients of ξ^high .. ξ^low as a NumPy array (zeros above highest)."""
    values = np.asarray(symbol.values)
    return np.stack(
        [
            values[symbol.highest - k]
            if k <= symbol.highest
            else np.zeros(values.shape[-1])
            for k in range(high, low - 1, -1)
        ]
    )


def grid_error(operation, grid_result, n_points, method):
    expected = sampled_formal(operation, n_points, method)
    assert grid_result.truncation == expected.truncation
    top = max(grid_result.highest, expected.highest)
    low = grid_result.lowest
    return float(np.max(np.abs(rows(grid_result, low, top) - rows(expected, low, top))))


@functools.cache
def sampled(symbol, n_points, method="spectral"):
    return GridSymbol.from_formal(symbol, n_points, derivative=method)


@pytest.mark.parametrize("n_points", [32, 128])
def test_spectral_product_and_bracket_match_formal(n_points):
    Ag, Bg = sampled(A, n_points), sampled(B, n_points)
    # Rounding grows like N^α ε for the α-th spectral derivative (α <= 4 here).
    assert grid_error("product", Ag * Bg, n_points, "spectral") < 1e-12
    assert grid_error("bracket", Ag.bracket(Bg), n_points, "spectral") < 1e-12


@pytest.mark.parametrize("accuracy", [2, 4, 6])
def test_finite_difference_product_converges_at_its_order(accuracy):
    method = f"fd{accuracy}"
    sizes = np.array([32, 64, 128])
    errors = [
        grid_error("product", sampled(A, n, method) * sampled(B, n, method), n, method)
        for n in sizes
    ]
    slope = -np.polyfit(np.log(sizes), np.log(errors), 1)[0]
    assert abs(slope - accuracy) < 0.15, (errors, slope)


@pytest.mark.parametrize("method", ["spectral", "fd2", "fd4"])
def test_trace_of_commutator_vanishes_on_the_grid(method):
    """Σ_j res[A, B]_j = 0 to rounding: D_x is skew-symmetric (summation by parts)."""
    Ag, Bg = sampled(A, 48, method), sampled(B, 48, method)
    scale = float(jnp.abs((Ag * Bg).trace()))
    assert scale > 1e-3  # the traces themselves are not zero
    assert abs(float(Ag.bracket(Bg).trace())) < 1e-13 * max(scale, 1.0)


def test_trace_and_pairing_converge_to_the_formal_ones():
    exact = float(formal("product").trace((0, 2 * sp.pi)))
    Ag, Bg = sampled(A, 64), sampled(B, 64)
    assert abs(float(Ag.pairing(Bg)) - exact) < 1e-12 * max(abs(exact), 1.0)
    assert abs(float((Ag * Bg).trace()) - exact) < 1e-12 * max(abs(exact), 1.0)


def test_d_composed_with_inverse_on_the_grid():
    n = 16
    d = GridSymbol({1: jnp.ones(n)}, derivative="fd2")
    d_inverse = GridSymbol({-1: jnp.ones(n)}, truncation=5, derivative="fd2")
    one = d * d_inverse
    assert one.truncation == 4
    expected = np.zeros((one.values.shape[-2], n))
    expected[one.highest] = 1.0
    np.testing.assert_allclose(one.values, expected, atol=1e-14)
    f = jnp.sin(jnp.asarray(grid_points(n)))
    bracket = d.bracket(GridSymbol({0: f}, derivative="fd2"))
    derivative = (jnp.roll(f, -1) - jnp.roll(f, 1)) / (2 * (2 * np.pi / n))
    np.testing.assert_allclose(bracket.coefficient(0), derivative, atol=1e-14)


def test_jit_and_vmap_agree_with_eager_and_loops():
    n, batch = 32, 3
    points = grid_points(n)
    shifts = np.arange(batch)[:, None] * 0.3

    def build(shift):
        ones = np.ones_like(points + shift)
        first = GridSymbol(
            {0: np.cos(points + shift), -1: np.sin(points) * ones}, truncation=3
        )
        second = GridSymbol({1: ones, -1: np.cos(2 * points - shift)}, truncation=3)
        return first, second

    batched = build(shifts)
    product = jax.jit(lambda a, b: (a * b).values)(*batched)
    for i in range(batch):
        first, second = build(shifts[i])
        np.testing.assert_allclose(product[i], (first * second).values, atol=1e-14)
    traces = jax.vmap(lambda a, b: a.bracket(b).trace())(*batched)
    assert traces.shape == (batch,)
    np.testing.assert_allclose(traces, 0.0, atol=1e-13)


def test_complex_coefficients_are_supported():
    n = 16
    psi = jnp.exp(1j * jnp.asarray(grid_points(n)))
    L = GridSymbol({1: jnp.ones(n), -1: psi * jnp.conj(psi)}, truncation=3)
    assert jnp.iscomplexobj((L * L).values)
    np.testing.assert_allclose((L * L).coefficient(0), 2.0, atol=1e-14)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: GridSymbol({0: jnp.ones(8), -1: jnp.ones(9)}), "different lengths"),
        (
            lambda: GridSymbol({0: jnp.ones(8)}) * GridSymbol({0: jnp.ones(9)}),
            "different lengths",
        ),
        (
            lambda: GridSymbol({0: jnp.ones(8), -1: jnp.ones(8)}, truncation=1).compose(
                GridSymbol({1: jnp.ones(8)}), truncation=1
            ),
            "truncation too low",
        ),
        (
            lambda: GridSymbol({-1: jnp.ones(8)}) * GridSymbol({0: jnp.ones(8)}),
            "infinite series",
        ),
        (lambda: GridSymbol({0: jnp.ones(8)}, derivative="fd3"), "derivative"),
        (
            lambda: GridSymbol({0: jnp.ones(8)}, truncation=2).coefficient(-3),
            "not known",
        ),
        (lambda: GridSymbol({0: jnp.ones(8)}, length=-1.0), "length"),
    ],
)
def test_bad_grid_input_names_the_problem(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def _random_grid_symbol(data, n, powers, method, band=None):
    """A grid symbol with random coefficients: band-limited if ``band`` is set."""
    points = grid_points(n)
    coefficients = {}
    for power in powers:
        if band is None:
            values = data.draw(arrays(np.float64, n, elements=unit))
        else:
            amplitudes = data.draw(arrays(np.float64, (2, band + 1), elements=unit))
            k = np.arange(band + 1)[:, None]
            values = (
                amplitudes[0][:, None] * np.cos(k * points)
                + amplitudes[1][:, None] * np.sin(k * points)
            ).sum(axis=0)
        coefficients[power] = values
    return GridSymbol(coefficients, truncation=4, derivative=method)


unit = st.floats(-1, 1, allow_nan=False)


@settings(max_examples=15, deadline=None, derandomize=True)
@given(st.data(), st.sampled_from(["spectral", "fd2", "fd4"]))
def test_trace_of_commutator_vanishes_for_arbitrary_grid_data(data, method):
    """Σ_j res[A, B]_j = 0 needs only skew-symmetric D_x, not smooth data."""
    A = _random_grid_symbol(data, 16, (1, 0, -1, -2), method)
    B = _random_grid_symbol(data, 16, (0, -1, -2, -3), method)
    scale = float(np.max(np.abs(np.asarray((A * B).values)))) + 1.0
    assert abs(float(A.bracket(B).trace())) < 1e-12 * scale


@settings(max_examples=10, deadline=None, derandomize=True)
@given(st.data())
def test_spectral_grid_product_is_associative_on_resolved_data(data):
    """With degree <= 2 coefficients, every product is resolved on 32 points,
    so the discrete Leibniz rule holds and (A∘B)∘C = A∘(B∘C) to rounding."""
    A, B, C = (
        _random_grid_symbol(data, 32, powers, "spectral", band=2)
        for powers in ((1, 0, -1), (0, -1, -2), (1, -1, -2))
    )
    left, right = (A * B) * C, A * (B * C)
    assert (left.highest, left.lowest) == (right.highest, right.lowest)
    np.testing.assert_allclose(left.values, right.values, atol=1e-11)
