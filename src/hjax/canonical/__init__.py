"""Integrators on the cotangent bundle T*Q (§2.1, §4 (82)-(83), Remark 4.1)."""

from . import diagnostics, systems
from ._implicit import MomentumSolver
from ._integrate import IntegrationError, Trajectory, integrate, run_steps
from ._series import generating_function, generating_function_terms
from ._solvers import (
    RK4,
    AbstractExplicitSolver,
    AbstractSolver,
    ExplicitEuler,
    GeneratingFunction,
    SymplecticEuler,
    hamiltonian_vector_field,
)

__all__ = [
    "AbstractExplicitSolver",
    "AbstractSolver",
    "ExplicitEuler",
    "GeneratingFunction",
    "IntegrationError",
    "MomentumSolver",
    "RK4",
    "SymplecticEuler",
    "Trajectory",
    "diagnostics",
    "generating_function",
    "generating_function_terms",
    "hamiltonian_vector_field",
    "integrate",
    "run_steps",
    "systems",
]
