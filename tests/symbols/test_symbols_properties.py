"""Property-based checks of the identities of ΨDS (§3.1.1) over random
polynomial and trigonometric coefficients: associativity of (41) up to
truncation, the Jacobi identity of (42), Tr[A, B] = 0 for periodic
coefficients (45), [∂, f] = f', and roots/inverses round trips."""

import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from series_oracle import oracle_product

from hjax.symbols import Symbol

x = sp.Symbol("x", real=True)
SETTINGS = settings(max_examples=6, deadline=None, derandomize=True)
small = st.integers(-3, 3)


@st.composite
def polynomials(draw):
    return sum(draw(small) * x**i for i in range(3))


@st.composite
def trigonometric(draw):
    return sum(
        draw(small) * sp.cos(k * x) + draw(small) * sp.sin(k * x) for k in range(3)
    )


def symbols(coefficient, truncation=4, top=(-1, 1)):
    @st.composite
    def build(draw):
        order = draw(st.integers(*top))
        powers = range(order, order - 3, -1)
        terms = {k: draw(coefficient) for k in powers if k >= -truncation}
        terms[order] = terms[order] + 1  # a nonzero leading term most of the time
        return Symbol(terms, x, truncation=truncation)

    return build()


any_coefficient = st.one_of(polynomials(), trigonometric())


def period_integral(expression):
    """∫_0^{2π} of a trigonometric polynomial: 2π times its constant term."""
    constant = 0
    for term in sp.Add.make_args(sp.expand(expression.rewrite(sp.exp))):
        if term.has(x):
            assert isinstance(term.as_independent(x)[1], sp.exp), term
        else:
            constant += term
    return 2 * sp.pi * sp.nsimplify(constant)


@SETTINGS
@given(symbols(any_coefficient), symbols(any_coefficient))
def test_product_agrees_with_independent_series(A, B):
    product = A * B
    assert (product - oracle_product(A, B, product.floor)).is_zero()


@SETTINGS
@given(symbols(polynomials()), symbols(trigonometric()), symbols(polynomials()))
def test_associativity_up_to_truncation(A, B, C):
    left, right = (A * B) * C, A * (B * C)
    assert left.truncation == right.truncation
    assert (left - right).is_zero()


@settings(max_examples=5, deadline=None, derandomize=True)  # the slowest identity
@given(
    symbols(any_coefficient, truncation=3),
    symbols(polynomials(), truncation=3),
    symbols(any_coefficient, truncation=3),
)
def test_jacobi_identity(A, B, C):
    jacobi = A.bracket(B.bracket(C)) + B.bracket(C.bracket(A)) + C.bracket(A.bracket(B))
    assert jacobi.floor is not None and jacobi.floor <= -1
    assert jacobi.is_zero()


@SETTINGS
@given(symbols(trigonometric()), symbols(trigonometric()))
def test_trace_of_commutator_vanishes_for_periodic_coefficients(A, B):
    residue = A.bracket(B).residue()
    assert period_integral(residue) == 0


@SETTINGS
@given(symbols(trigonometric()), symbols(trigonometric()))
def test_trace_is_symmetric(A, B):
    """Tr(A∘B) = Tr(B∘A): res(A∘B) − res(B∘A) is a total derivative."""
    difference = (A * B).residue() - (B * A).residue()
    assert period_integral(difference) == 0


@SETTINGS
@given(any_coefficient)
def test_commutator_of_d_with_a_function_is_its_derivative(f):
    bracket = Symbol({1: 1}, x).bracket(f)
    assert (bracket - Symbol({0: sp.diff(f, x)}, x)).is_zero()


@SETTINGS
@given(polynomials(), polynomials(), st.integers(1, 3))
def test_root_and_inverse_round_trip(a, b, n):
    L = Symbol({n: 1, n - 2: a, n - 3: b}, x, truncation=3)
    root = L.root(n)
    assert (root**n - L).is_zero()
    assert (L * L.inverse() - Symbol({0: 1}, x)).is_zero()
