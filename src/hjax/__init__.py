"""hjax: structure-preserving integrators from Hamilton-Jacobi theory, on JAX.

Public API (stable): ``integrate``, ``Trajectory``, the solvers
``GeneratingFunction``, ``SymplecticEuler``, ``ExplicitEuler``, ``RK4``, and the
subpackages ``canonical``, ``diagnostics``, ``systems``; ``liepoisson``
(Lie-Poisson Hamilton-Jacobi integrators), ``control`` (ResNet training as
optimal control) and ``symbols`` (pseudodifferential symbols) load on first use.

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

_SUBPACKAGES = ("liepoisson", "control", "symbols")


def __getattr__(name):
    """Import the heavier subpackages (SymPy, optax, ...) on first use."""
    if name in _SUBPACKAGES:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    "control",
    "diagnostics",
    "integrate",
    "liepoisson",
    "symbols",
    "systems",
    "__version__",
]
