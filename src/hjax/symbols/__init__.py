"""The algebra of pseudodifferential symbols (§3.1.1, §4.1, Definitions 4.3-4.7).

Two implementations of one algebra:

- ``Symbol``: formal symbols ``Σ a_k(x) ξ^k`` with exact SymPy coefficients; the
  product (41), bracket (42), splitting (43), residue and trace (45), powers,
  roots, inverses, the exponential map (44), functional derivatives (47) and the
  Lie–Poisson bracket (48).
- ``GridSymbol``: discrete symbols (88) on a periodic grid in JAX; product (89)
  with spectral or finite-difference ``D_x``, bracket (90), trace (91), pairing
  (92); jit-able and batched.

Convention: ``ξ`` stands for ``∂ = d/dx`` (formal calculus), so ``ξ ∘ f = f ξ + f'``.
This is *not* the Fourier convention, where ``∂`` has symbol ``iξ`` and (41)
carries factors ``(-i)^n``.

Truncation: ``truncation=K`` keeps the powers ``ξ^k`` with ``k >= -K``; ``None``
marks an exact finite sum. Results carry the truncation their operands
determine, and asking for more is an error (see ``Symbol``).

The lifts (49)-(54) act on either kind; ``compare_lifts`` regenerates
Definitions 4.6 and 4.7 and compares them with the printed formulas term by term.
"""

from ._compare import compare_lift, compare_lifts
from ._formal import Symbol, pairing
from ._functional import (
    dual_symbol,
    functional_derivative,
    lie_poisson_bracket,
    variational_derivative,
)
from ._grid import GridSymbol
from ._lifts import (
    cotangent_lift_left,
    cotangent_lift_right,
    tangent_lift_left,
    tangent_lift_right,
)
from ._sampling import grid_points

__all__ = [
    "GridSymbol",
    "Symbol",
    "compare_lift",
    "compare_lifts",
    "cotangent_lift_left",
    "cotangent_lift_right",
    "dual_symbol",
    "functional_derivative",
    "grid_points",
    "lie_poisson_bracket",
    "pairing",
    "tangent_lift_left",
    "tangent_lift_right",
    "variational_derivative",
]
