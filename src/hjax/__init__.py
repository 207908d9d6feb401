"""hjax: structure-preserving integrators from Hamilton-Jacobi theory, on JAX.

Public API (stable): ``integrate``, ``Trajectory``, the solvers
``GeneratingFunction``, ``SymplecticEuler``, ``ExplicitEuler``, ``RK4``, and the
subpackages ``canonical``, ``diagnostics``, ``systems``.

Conservation and order tests need float64: call
``jax.config.update("jax_enable_x64", True)`` before creating arrays (the ``hjax``
command does this for you).
"""

from importlib.metadata import PackageNotFoundError, version

from . import canonical
from .canonical import (
    RK4,
    ExplicitEuler,
    GeneratingFunction,
    IntegrationError,
    SymplecticEuler,
    Trajectory,
    diagnostics,
    integrate,
    systems,
)

try:
    __version__ = version("hjax")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"

__all__ = [
    "ExplicitEuler",
    "GeneratingFunction",
    "IntegrationError",
    "RK4",
    "SymplecticEuler",
    "Trajectory",
    "canonical",
    "diagnostics",
    "integrate",
    "systems",
    "__version__",
]
