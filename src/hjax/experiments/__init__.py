"""One module per figure of the paper, each with ``run(out, *, full) -> dict``.

An experiment writes its figure(s) as PNG and its numbers as JSON into ``out``
and returns the numbers. ``REGISTRY`` maps the ``hjax`` sub-command name to the
module; ``hjax reproduce`` runs every entry in order.
"""

from __future__ import annotations

import importlib
from types import ModuleType

REGISTRY: dict[str, str] = {
    "integrators": "hjax.experiments.integrators",
    "rigid-body": "hjax.experiments.rigid_body",
    "training": "hjax.experiments.training",
}


def load(name: str) -> ModuleType:
    """Import the experiment module registered as ``name``."""
    if name not in REGISTRY:
        known = ", ".join(sorted(REGISTRY))
        raise ValueError(f"unknown experiment {name!r}; known: {known}.")
    return importlib.import_module(REGISTRY[name])
