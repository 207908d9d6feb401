"""Binary classification data sets of §4: two spirals, two circles, a user's file.

A data set is the training set ``{(q_0^(i), c^(i))}`` of Problem 2.3 and a test
set: features ``x`` of shape ``(N, d)`` and labels ``c`` in ``{0, 1}``. The
generators are deterministic functions of their seed (numpy ``default_rng``).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import NamedTuple

import numpy as np


class Dataset(NamedTuple):
    """Training and test points. ``x_*``: ``(N, d)`` float64; ``c_*``: ``(N,)``
    float64 in ``{0, 1}``."""

    x_train: np.ndarray
    c_train: np.ndarray
    x_test: np.ndarray
    c_test: np.ndarray
    name: str = "data"


def _spiral_arms(rng: np.random.Generator, size: int, noise: float):
    """Points of two interleaved arms, ``size`` in total (half per label)."""
    half = size // 2
    t = 3 * np.pi * np.sqrt(rng.uniform(0.0, 1.0, size=half))
    arm = np.stack([t * np.cos(t), t * np.sin(t)], axis=1) / (3 * np.pi)
    arm_a = arm + rng.normal(0.0, noise, size=arm.shape)
    arm_b = -arm + rng.normal(0.0, noise, size=arm.shape)
    x = np.concatenate([arm_a, arm_b])
    c = np.concatenate([np.zeros(half), np.ones(half)])
    return x, c


def two_spirals(
    seed: int = 0, n_train: int = 2000, n_test: int = 2000, noise: float = 0.02
) -> Dataset:
    """Two spirals (§4): ``t = 3 pi sqrt(U)``, arm A ``= (t cos t, t sin t)/(3 pi)``
    plus ``N(0, noise^2)`` per coordinate, arm B ``= -(arm A)`` with its own noise;
    label 0 on arm A, 1 on arm B, equal counts."""
    rng = np.random.default_rng(seed)
    x_train, c_train = _spiral_arms(rng, n_train, noise)
    x_test, c_test = _spiral_arms(rng, n_test, noise)
    return Dataset(x_train, c_train, x_test, c_test, "spirals")


def _circle_points(rng: np.random.Generator, size: int, noise: float):
    half = size // 2
    radius = np.concatenate([np.ones(half), 0.5 * np.ones(half)])
    angle = rng.uniform(0.0, 2 * np.pi, size=2 * half)
    x = radius[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    x = x + rng.normal(0.0, noise, size=x.shape)
    c = np.concatenate([np.zeros(half), np.ones(half)])
    return x, c


def two_circles(
    seed: int = 0, n_train: int = 1000, n_test: int = 1000, noise: float = 0.05
) -> Dataset:
    """Two concentric circles (§4): radius 1 (label 0) and 0.5 (label 1), angles
    uniform, plus ``N(0, noise^2)`` per coordinate."""
    rng = np.random.default_rng(seed)
    x_train, c_train = _circle_points(rng, n_train, noise)
    x_test, c_test = _circle_points(rng, n_test, noise)
    return Dataset(x_train, c_train, x_test, c_test, "circles")


def _read_csv(path: Path):
    try:
        with path.open(newline="", encoding="utf-8") as file:
            rows = list(csv.reader(file))
    except (UnicodeDecodeError, csv.Error) as error:
        raise ValueError(
            f"{path}: not a text CSV file ({type(error).__name__}); write it as "
            "UTF-8 text with the header 'x1,...,xd,label'."
        ) from None
    if not rows or len(rows[0]) < 2 or rows[0][-1].strip() != "label":
        raise ValueError(
            f"{path}: the first line must be the header 'x1,...,xd,label'; "
            "add it, with the label column last."
        )
    width = len(rows[0])
    body = [row for row in rows[1:] if row]
    for number, row in enumerate(body, start=2):
        if len(row) != width:
            raise ValueError(
                f"{path}: line {number} has {len(row)} fields, the header has "
                f"{width}; give every row the same number of columns."
            )
    try:
        table = np.asarray(body, dtype=float).reshape(len(body), width)
    except ValueError as error:
        raise ValueError(
            f"{path}: a value is not a number ({error}); write plain decimal numbers."
        ) from None
    return table[:, :-1], table[:, -1]


def _read_npz(path: Path):
    fix = "save it with numpy.savez(path, X=X, y=y)"
    try:
        archive = np.load(path, allow_pickle=False)
    except (OSError, EOFError, ValueError) as error:
        raise ValueError(
            f"{path}: not a readable .npz archive ({error}); {fix}."
        ) from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise ValueError(f"{path}: holds a single array, not an .npz archive; {fix}.")
    with archive:
        if "X" not in archive or "y" not in archive:
            raise ValueError(
                f"{path}: the .npz must hold arrays 'X' (N, d) and 'y' (N,); "
                f"found {sorted(archive.files)}."
            )
        try:
            return np.asarray(archive["X"], float), np.asarray(archive["y"], float)
        except (TypeError, ValueError) as error:
            raise ValueError(
                f"{path}: 'X' and 'y' must be numeric arrays ({error}); {fix}."
            ) from None


def check_points(x: np.ndarray, c: np.ndarray, where: str) -> None:
    """Refuse data that Problem 2.3 cannot use, naming the fix."""
    if x.ndim != 2 or x.shape[0] != c.shape[0] or c.ndim != 1:
        raise ValueError(
            f"{where}: features must be (N, d) and labels (N,), got {x.shape} and "
            f"{c.shape}."
        )
    if not np.all(np.isfinite(x)):
        bad = int(np.size(x) - np.count_nonzero(np.isfinite(x)))
        raise ValueError(
            f"{where}: {bad} feature value(s) are not finite (nan or inf); "
            "remove or impute those rows."
        )
    labels = set(np.unique(c).tolist())
    if not labels <= {0.0, 1.0}:
        extra = sorted(labels - {0.0, 1.0})[:3]
        raise ValueError(
            f"{where}: labels must be 0 or 1, found {extra}; recode the classes as 0/1."
        )
    for label in (0, 1):
        count = int(np.sum(c == label))
        if count < 2:
            raise ValueError(
                f"{where}: class {label} has {count} point(s), at least 2 are "
                "needed; add points of that class."
            )


def read_points(path: Path | str) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels from a ``.csv`` (header ``x1,...,xd,label``) or a
    ``.npz`` (arrays ``X``, ``y``), checked by ``check_points``."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{path}: no such file; pass an existing .csv or .npz path.")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        x, c = _read_csv(path)
    elif suffix == ".npz":
        x, c = _read_npz(path)
    else:
        raise ValueError(
            f"{path}: unknown file type {suffix!r}; use a .csv or a .npz file."
        )
    check_points(x, c, str(path))
    return x, c


def load_dataset(
    path: Path | str, test_path: Path | str | None = None, seed: int = 0
) -> Dataset:
    """A user's data set. Without ``test_path`` the points are split 50/50 by a
    permutation drawn from ``seed``; both halves must hold 2 points per class."""
    x, c = read_points(path)
    if test_path is not None:
        x_test, c_test = read_points(test_path)
        if x_test.shape[1] != x.shape[1]:
            raise ValueError(
                f"{test_path}: {x_test.shape[1]} features, the training file has "
                f"{x.shape[1]}; use the same columns."
            )
        return Dataset(x, c, x_test, c_test, Path(path).stem)
    order = np.random.default_rng(seed).permutation(len(c))
    half = len(c) // 2
    train, test = order[:half], order[half:]
    check_points(x[train], c[train], f"{path} (training half)")
    check_points(x[test], c[test], f"{path} (test half)")
    return Dataset(x[train], c[train], x[test], c[test], Path(path).stem)
