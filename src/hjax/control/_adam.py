"""Backpropagation + Adam for the Euler and RK4 networks (the paper's baselines).

One iteration differentiates the objective ``J`` of (17) through the discretised
network by reverse-mode AD and applies an optax Adam update to all of
``theta = (u, b)`` and the readout ``(w, c0)``.
"""

from __future__ import annotations

import equinox as eqx
import jax
import optax

from ._model import Params, ResNet, accuracy, objective_at, residual


def _value_and_terminal(params: Params, model: ResNet, q0, c):
    q_final = model.terminal(params.controls, q0)
    return objective_at(model, params, q_final, c), q_final


class AdamMethod(eqx.Module):
    """Adam on ``J`` with gradients by backpropagation.

    Attributes:
        learning_rate: Adam's step size.
    """

    learning_rate: float = eqx.field(static=True, default=1e-2)

    def optimizer(self):
        return optax.adam(self.learning_rate)

    def init(self, model: ResNet, params: Params, q0):
        return self.optimizer().init(params)

    def iteration(self, model: ResNet, params: Params, state, q0, c):
        """One Adam step; returns ``(params, state, (J, residual, accuracy))`` with
        the record taken at the parameters before the step."""
        gradient_fn = jax.value_and_grad(_value_and_terminal, has_aux=True)
        (value, q_final), grads = gradient_fn(params, model, q0, c)
        updates, state = self.optimizer().update(grads, state, params)
        record = (
            value,
            residual(params.readout, q_final, c),
            accuracy(params.readout, q_final, c),
        )
        return optax.apply_updates(params, updates), state, record

    def finish(self, model: ResNet, params: Params, state, q0, c):
        return params, {}
