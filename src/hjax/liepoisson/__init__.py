"""Lie-Poisson Hamilton-Jacobi integrators (§3.1, (19)-(38), Theorem 3.1).

Public API: ``integrate``, ``Trajectory``, the algebras ``SO3``, ``SE3`` and the
base class ``AbstractLieAlgebra`` (for your own algebra), the solver
``LiePoissonHJ(order=m)`` (``hjax.ExplicitEuler()`` and ``hjax.RK4()`` also act on
(20)), the systems ``rigid_body`` and ``heavy_top``, and ``diagnostics``.
Momenta ``mu`` are pytrees (``SO3``: a 3-vector; ``SE3``: ``(Pi, Gamma)``).
"""

from . import diagnostics, systems
from ._algebra import AbstractLieAlgebra, hat
from ._integrate import Trajectory, integrate
from ._so3 import SE3, SO3
from ._solvers import LiePoissonHJ, lie_poisson_vector_field
from .systems import heavy_top, rigid_body

__all__ = [
    "AbstractLieAlgebra",
    "LiePoissonHJ",
    "SE3",
    "SO3",
    "Trajectory",
    "diagnostics",
    "hat",
    "heavy_top",
    "integrate",
    "lie_poisson_vector_field",
    "rigid_body",
    "systems",
]
