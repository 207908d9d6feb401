"""Test configuration: float64 everywhere (order and conservation need it)."""

import jax

jax.config.update("jax_enable_x64", True)
