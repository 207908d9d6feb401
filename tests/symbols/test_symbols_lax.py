"""The Lax form of AKNS / focusing NLS (§5 (114)-(115)), conserved densities,
functional derivatives (46)-(47) and the Lie–Poisson bracket (48)."""

import pytest
import sympy as sp

from hjax.symbols import (
    Symbol,
    dual_symbol,
    functional_derivative,
    lie_poisson_bracket,
    variational_derivative,
)

x = sp.Symbol("x", real=True)
q, r, a, b = (sp.Function(name)(x) for name in "qrab")
K = 5  # ∂⁻¹ known to ξ^-5: L² to ξ^-4, [(L²)₊, L] to ξ^-3


def lax_operator(q_field, r_field, truncation=K):
    """L = ∂ + q ∂⁻¹ r (115 with q = ψ, r = ψ*)."""
    inverse = Symbol({-1: 1}, x, truncation=truncation)
    return Symbol({1: 1}, x) + q_field * inverse * r_field


AKNS_Q = sp.diff(q, x, 2) + 2 * q**2 * r
AKNS_R = -sp.diff(r, x, 2) - 2 * q * r**2


def lax_defect(q_tau, r_tau):
    """L_τ − [(L²)₊, L], with L_τ = q_τ ∂⁻¹ r + q ∂⁻¹ r_τ."""
    L = lax_operator(q, r)
    inverse = Symbol({-1: 1}, x, truncation=K)
    L_tau = q_tau * inverse * r + q * inverse * r_tau
    return L_tau - (L * L).differential_part().bracket(L)


def is_total_derivative(expression, fields=(q, r)):
    """A density is a total x-derivative iff every Euler operator kills it."""
    return all(variational_derivative(expression, field, x) == 0 for field in fields)


def test_second_flow_has_the_expected_differential_part():
    L = lax_operator(q, r)
    assert ((L * L).differential_part() - Symbol({2: 1, 0: 2 * q * r}, x)).is_zero()


def test_akns_equations_satisfy_the_lax_equation_at_every_retained_order():
    defect = lax_defect(AKNS_Q, AKNS_R)
    assert defect.truncation == K - 2
    assert len(range(defect.floor, 0)) >= 3  # at least ξ^-1, ξ^-2, ξ^-3 checked
    assert defect.is_zero()


def test_lax_equation_forces_akns_up_to_the_gauge_symmetry():
    """If q_τ = AKNS_q + a, r_τ = AKNS_r + b, the retained orders vanish only
    when (a, b) = c (q, −r) with c constant: the scaling q → e^{cτ} q,
    r → e^{−cτ} r leaves q ∂⁻¹ r unchanged, so "only if" holds modulo it."""
    defect = lax_defect(AKNS_Q + a, AKNS_R + b)
    first, second = defect.coefficient(-1), defect.coefficient(-2)
    assert sp.expand(first - (a * r + q * b)) == 0
    b_from_first = sp.solve(first, b)[0]
    reduced = sp.simplify(second.subs(b, b_from_first).doit() * q / r)
    ratio_derivative = sp.diff(a / q, x)
    assert sp.simplify(reduced - q**2 * ratio_derivative) == 0  # forces a = c q
    c = sp.Symbol("c")
    assert lax_defect(AKNS_Q + c * q, AKNS_R - c * r).is_zero()
    assert not lax_defect(AKNS_Q + c * r, AKNS_R).is_zero()


def test_akns_with_r_conjugate_q_and_imaginary_time_is_focusing_nls():
    """q = ψ, r = ψ*, τ = i t: the r-equation is the conjugate of the q-equation
    and both read i ψ_t + ψ_xx + 2|ψ|² ψ = 0."""
    re, im = sp.Function("re")(x), sp.Function("im")(x)
    psi, psi_bar = re + sp.I * im, re - sp.I * im
    jets = sp.symbols("R0 R2 I0 I2", real=True)  # re, re_xx, im, im_xx are real
    real_jets = {
        sp.diff(re, x, 2): jets[1],
        sp.diff(im, x, 2): jets[3],
        re: jets[0],
        im: jets[2],
    }
    psi_t = sp.I * AKNS_Q.subs({q: psi, r: psi_bar}).doit()  # ∂_t = i ∂_τ
    psi_bar_t = sp.I * AKNS_R.subs({q: psi, r: psi_bar}).doit()
    difference = sp.conjugate(psi_t.subs(real_jets)) - psi_bar_t.subs(real_jets)
    assert sp.expand(difference) == 0
    nls = sp.I * psi_t + sp.diff(psi, x, 2) + 2 * psi * psi_bar * psi
    assert sp.simplify(nls) == 0


def test_residues_are_mass_momentum_and_energy_densities():
    L = lax_operator(q, r)
    mass, momentum, energy = ((L**n).residue() for n in (1, 2, 3))
    qx, rx = sp.diff(q, x), sp.diff(r, x)
    assert sp.expand(mass - q * r) == 0
    assert sp.expand(momentum - (qx * r - q * rx)) == 0
    # res L³ ≡ -3 (q_x r_x − q² r²): with r = ψ*, −3 (|ψ_x|² − |ψ|⁴), NLS energy.
    assert is_total_derivative(energy + 3 * (qx * rx - q**2 * r**2))


@pytest.mark.parametrize("n", [1, 2, 3])
def test_residue_densities_are_conserved_by_akns(n):
    L = lax_operator(q, r)
    density = (L**n).residue()
    rate = sum(
        sp.diff(density, sp.diff(field, x, k)) * sp.diff(flow, x, k)
        for field, flow in ((q, AKNS_Q), (r, AKNS_R))
        for k in range(4)
    )
    assert is_total_derivative(sp.expand(rate))


def test_variational_derivative_matches_hand_computation():
    density = q**2 * sp.diff(q, x) ** 2 + r * sp.diff(q, x, 2)
    qx, qxx = sp.diff(q, x), sp.diff(q, x, 2)
    expected = 2 * q * qx**2 - sp.diff(2 * q**2 * qx, x) + sp.diff(r, x, 2)
    assert sp.expand(variational_derivative(density, q, x) - expected) == 0
    assert sp.expand(variational_derivative(density, r, x) - qxx) == 0


def test_functional_derivative_pairs_by_coefficients():
    """d/dε F(M + ε N)|₀ = ∫ res(N ∘ δF/δM) (45)-(47), for N = Σ n_i ξ^{i-1}."""
    m1, m2, m3 = (sp.Function(f"m{i}")(x) for i in (1, 2, 3))
    n1, n2, n3 = (sp.Function(f"n{i}")(x) for i in (1, 2, 3))
    density = m1 * m2**2 + sp.diff(m3, x) ** 2 + m2 * sp.diff(m1, x)
    gradient = functional_derivative(density, [m1, m2, m3], x)
    eps = sp.Symbol("epsilon")
    shifted = density.subs({m1: m1 + eps * n1, m2: m2 + eps * n2, m3: m3 + eps * n3})
    first_variation = sp.diff(shifted, eps).subs(eps, 0).doit()
    paired = dual_symbol([n1, n2, n3], x).compose(gradient).residue()
    assert is_total_derivative(
        sp.expand(first_variation - paired), fields=(m1, m2, m3, n1, n2, n3)
    )


def test_coefficient_on_the_left_reading_of_47_breaks_the_pairing():
    """(δF/δm_i) ξ^{-i} as a symbol (coefficient left) is not the gradient."""
    m1, m2 = sp.Function("m1")(x), sp.Function("m2")(x)
    n2 = sp.Function("n2")(x)
    density = m1 * m2
    left = Symbol(
        {
            -1: variational_derivative(density, m1, x),
            -2: variational_derivative(density, m2, x),
        },
        x,
        truncation=2,
    )
    paired = dual_symbol([0, n2], x).compose(left).residue()  # N = n2 ξ
    first_variation = m1 * n2
    assert not is_total_derivative(
        sp.expand(first_variation - paired), fields=(m1, m2, n2)
    )


def test_lie_poisson_bracket_closed_form_and_antisymmetry():
    """For M = m1 + m2 ξ + m3 ξ² only [ξ⁻¹∘f₁, ξ⁻¹∘h₁] reaches ξ⁻³, so
    {F, H} = ∫ m3 (f₁' h₁ − f₁ h₁') with f₁ = δF/δm1."""
    m1, m2, m3 = (sp.Function(f"m{i}")(x) for i in (1, 2, 3))
    fields = [m1, m2, m3]
    f_density, h_density = m1**2 * m2, m1 * m3 + sp.diff(m1, x) ** 2
    density = lie_poisson_bracket(f_density, h_density, fields, x)
    f1 = variational_derivative(f_density, m1, x)
    h1 = variational_derivative(h_density, m1, x)
    expected = m3 * (sp.diff(f1, x) * h1 - f1 * sp.diff(h1, x))
    assert is_total_derivative(sp.expand(density - expected), fields=fields)
    swapped = lie_poisson_bracket(h_density, f_density, fields, x)
    assert is_total_derivative(sp.expand(density + swapped), fields=fields)
    assert not is_total_derivative(sp.expand(density), fields=fields)
