"""Successive approximations for Problem 4.2 (the Hamilton-Jacobi scheme).

One iteration of the damped method of successive approximations (MSA; Li,
Chen, Tai & E, 2018, "Maximum principle based algorithms for deep learning"):

1. forward state sweep ``q^{k+1} = q^k + dt sigma(u^k q^k + b^k)`` (86, first);
2. readout ``(w, c0)`` = argmin of the terminal cost ``Phi(q^N; w, c0)`` (a
   strictly convex problem, solved by Newton's method);
3. transversality ``p^N = -dPhi/dq^N`` and the backward costate sweep (86,
   second);
4. control update, layer by layer: ``theta^k`` solves the implicit condition
   ``dH/dtheta(q^k, p^{k+1}, theta) = rho (theta - theta^k_old)``, i.e.
   maximises ``H - rho/2 ||theta - theta_old||^2`` (``rho = 0`` is plain MSA,
   which diverges in general).

The step is accepted when ``J`` decreases (then ``rho`` shrinks by 0.7), and
rejected otherwise (``rho`` doubles): the damping is adapted so that the
iteration converges. After the sweeps, ``finish`` polishes the solution so that
all discrete equations of Problem 4.2 hold (``bvp_residual``).
"""

from __future__ import annotations

import equinox as eqx
import jax
import jax.numpy as jnp
import optimistix as optx

from ..canonical._implicit import default_tolerance
from ._model import (
    Controls,
    Params,
    Readout,
    ResNet,
    accuracy,
    objective_at,
    residual,
    terminal_cost,
)
from ._pontryagin import (
    bvp_residual,
    control_update,
    costate_sweep,
    solve_stationarity,
    terminal_costate,
)

# Relative accuracy of the proximal control update inside the sweeps: a sweep
# only has to propose a descent step (accepted or rejected on J), and the polish
# solves the optimality system to round-off, so Newton stops one iteration early.
INNER_TOLERANCE = 1e-6

# Shooting on p^0 has a small basin (the map p^0 -> p^N through the layers is
# badly conditioned): its L-BFGS warm start goes down to this relative BVP
# residual (at the paper's size re-shooting then starts at ~1e-4 and one
# Newton-GMRES step reaches ~1e-8).
SHOOTING_START = 1e-7


def optimal_readout(model: ResNet, readout: Readout, q_final, c):
    """``argmin_{w, c0} Phi(q^N; w, c0)`` by Newton from ``readout``; returns
    ``(readout*, failed)``."""
    gradient = jax.grad(terminal_cost, argnums=1)
    tol = default_tolerance(q_final.dtype)
    solution = optx.root_find(
        lambda r, _: gradient(model, r, q_final, c),
        optx.Newton(rtol=tol, atol=tol),
        readout,
        max_steps=32,
        throw=False,
    )
    return solution.value, solution.result != optx.RESULTS.successful


def pontryagin_sweeps(model: ResNet, params: Params, q0, c):
    """States ``q^0..q^N`` and costates ``p^0..p^N`` at fixed parameters."""
    qs = model.states(params.controls, q0)
    p_final = terminal_costate(model, params.readout, qs[-1], c)
    return qs, costate_sweep(model, params.controls, qs, p_final)


def msa_update(model: ResNet, params: Params, rho, q0, c, qs=None):
    """Steps 1-4 of the module docstring; returns ``(params_new, failed)``.
    ``qs``: the states of step 1 if already computed."""
    qs = model.states(params.controls, q0) if qs is None else qs
    readout, failed_readout = optimal_readout(model, params.readout, qs[-1], c)
    p_final = terminal_costate(model, readout, qs[-1], c)
    ps = costate_sweep(model, params.controls, qs, p_final)

    def update(q, p, u, b):
        if model.order > 1:
            return solve_stationarity(model, q, p, u, b, rho)
        return control_update(model, q, p, u, b, rho, tolerance=INNER_TOLERANCE)

    u, b, failed = jax.vmap(update)(
        qs[:-1], ps[1:], params.controls.u, params.controls.b
    )
    return Params(Controls(u, b), readout), failed_readout | jnp.any(failed)


def _select(condition, new, old):
    return jax.tree.map(lambda a, b: jnp.where(condition, a, b), new, old)


class MSAMethod(eqx.Module):
    """Damped MSA iterations, then a polish of the optimality system.

    Attributes:
        rho: initial damping ``rho`` of the control update.
        polish: ``"newton"`` (quasi-Newton then Newton on the stationarity
            conditions of the reduced problem, the "nonlinear programming"
            route) or ``"shooting"`` (the same quasi-Newton phase, then
            Newton-GMRES on ``p^0`` through the forward step (86)).
        tolerance: target of the relative BVP residual of the polish.
    """

    rho: float = eqx.field(static=True, default=1.0)
    polish: str = eqx.field(static=True, default="newton")
    tolerance: float = eqx.field(static=True, default=1e-9)
    polish_steps: int = eqx.field(static=True, default=10)

    def init(self, model: ResNet, params: Params, q0):
        """``(rho, q^0..q^N)``: the damping and the states of ``params``, carried
        so that the acceptance test's forward pass serves the next sweep."""
        return jnp.asarray(self.rho, params.readout.w.dtype), model.states(
            params.controls, q0
        )

    def iteration(self, model: ResNet, params: Params, state, q0, c):
        """One damped MSA sweep; record ``(J, residual, accuracy)`` before it."""
        rho, qs = state
        value = objective_at(model, params, qs[-1], c)
        record = (
            value,
            residual(params.readout, qs[-1], c),
            accuracy(params.readout, qs[-1], c),
        )
        candidate, failed = msa_update(model, params, rho, q0, c, qs)
        new_qs = model.states(candidate.controls, q0)
        new_value = objective_at(model, candidate, new_qs[-1], c)
        accept = (new_value <= value) & ~failed & jnp.isfinite(new_value)
        params, qs = _select(accept, (candidate, new_qs), (params, qs))
        rho = jnp.where(accept, 0.7 * rho, 2.0 * rho)
        return params, (rho, qs), record

    def finish(self, model: ResNet, params: Params, state, q0, c):
        """Polish, then measure the BVP residual (``bvp_residual``)."""
        rho = state[0]
        from ._polish import newton_polish, shooting_polish

        before = _measure(model, params, q0, c)
        if self.polish_steps == 0:
            info = {
                "polish": "none",
                "bvp_blocks": before,
                "bvp_residual": before["bvp_residual"],
            }
        elif self.polish == "shooting":
            params, warm = newton_polish(
                model, params, q0, c, self.tolerance, 0, switch=SHOOTING_START
            )
            params, info = shooting_polish(
                model, params, q0, c, self.tolerance, self.polish_steps
            )
            info.pop("p0")
            info["quasi_newton_iterations"] = warm["quasi_newton_iterations"]
        else:
            params, info = newton_polish(
                model, params, q0, c, self.tolerance, self.polish_steps
            )
            info["bvp_blocks"] = _measure(model, params, q0, c)
            info["bvp_residual"] = info["bvp_blocks"]["bvp_residual"]
        info["bvp_residual_before_polish"] = before["bvp_residual"]
        info["final_rho"] = float(rho)
        return params, info


@eqx.filter_jit
def _blocks(model: ResNet, params: Params, q0, c):
    qs, ps = pontryagin_sweeps(model, params, q0, c)
    return bvp_residual(model, params.controls, params.readout, qs, ps, q0, c)


def _measure(model: ResNet, params: Params, q0, c) -> dict:
    """The BVP residual blocks at ``params`` with exact sweeps, as floats."""
    blocks = _blocks(model, params, q0, c)
    return {name: float(value) for name, value in blocks.items()}


def hj_method(method: str = "msa", polish_steps: int = 10):
    """The trainer (an ``MSAMethod``) of the ``"hj"`` scheme for ``--method``
    (the order is the model's)."""
    polish = "shooting" if method == "shooting" else "newton"
    return MSAMethod(polish=polish, polish_steps=polish_steps)
