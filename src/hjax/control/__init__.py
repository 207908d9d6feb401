"""Training deep residual networks as optimal control (§2.2-2.3, §4 (84)-(86)).

Data sets, the continuous ResNet (16)-(18), its Euler / RK4 discretisations
trained by backpropagation and Adam, and the Hamilton-Jacobi (symplectic)
scheme: the Pontryagin system of the control Hamiltonian (84) with the control
eliminated through its stationarity condition, solved as the two-point boundary
value problem of Problem 4.2.
"""

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
from ._train import History, TrainResult, save_result, train

__all__ = [
    "Controls",
    "Dataset",
    "History",
    "Params",
    "Readout",
    "ResNet",
    "TrainResult",
    "accuracy",
    "init_params",
    "load_dataset",
    "objective",
    "projection",
    "read_points",
    "residual",
    "save_result",
    "train",
    "two_circles",
    "two_spirals",
]
