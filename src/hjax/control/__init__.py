"""Training deep residual networks as optimal control (§2.2-2.3, §4 (84)-(86)).

Data sets, the continuous ResNet (16)-(18), its Euler / RK4 discretisations
trained by backpropagation and Adam, and the Hamilton-Jacobi (symplectic)
scheme: the Pontryagin system of the control Hamiltonian (84) with the control
eliminated through its stationarity condition, solved as the two-point boundary
value problem of Problem 4.2.
"""

from ._adam import AdamMethod
from ._datasets import Dataset, load_dataset, read_points, two_circles, two_spirals
from ._model import (
    Controls,
    Params,
    Readout,
    ResNet,
    accuracy,
    init_params,
    objective,
    projection,
    residual,
)
from ._msa import MSAMethod, msa_update, optimal_readout, pontryagin_sweeps
from ._polish import newton_polish, shoot, shooting_polish
from ._pontryagin import (
    bvp_residual,
    control_hamiltonian,
    control_update,
    costate_sweep,
    hj_step,
    new_costate,
    reduced_hamiltonian,
    solve_stationarity,
    stationarity,
    terminal_costate,
)
from ._train import History, TrainResult, save_result, train

__all__ = [
    "AdamMethod",
    "Controls",
    "Dataset",
    "History",
    "MSAMethod",
    "Params",
    "Readout",
    "ResNet",
    "TrainResult",
    "accuracy",
    "bvp_residual",
    "control_hamiltonian",
    "control_update",
    "costate_sweep",
    "hj_step",
    "init_params",
    "load_dataset",
    "msa_update",
    "new_costate",
    "newton_polish",
    "objective",
    "optimal_readout",
    "pontryagin_sweeps",
    "projection",
    "read_points",
    "reduced_hamiltonian",
    "residual",
    "save_result",
    "shoot",
    "shooting_polish",
    "solve_stationarity",
    "stationarity",
    "terminal_costate",
    "train",
    "two_circles",
    "two_spirals",
]
