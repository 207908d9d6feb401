"""Data sets of §4: deterministic, the stated shapes and geometry, bad files."""

import numpy as np
import pytest

from hjax.control import load_dataset, read_points, two_circles, two_spirals


def test_spirals_are_seeded_balanced_and_on_the_arms():
    first, again, other = two_spirals(0), two_spirals(0), two_spirals(1)
    np.testing.assert_array_equal(first.x_train, again.x_train)
    assert not np.array_equal(first.x_train, other.x_train)
    assert first.x_train.shape == first.x_test.shape == (2000, 2)
    assert np.sum(first.c_train == 0) == np.sum(first.c_train == 1) == 1000
    # noise sd 0.02: every point lies within 6 sd of the unit disc
    assert np.max(np.linalg.norm(first.x_train, axis=1)) < 1 + 6 * 0.02


def test_spiral_radius_follows_the_angle():
    data = two_spirals(3, noise=0.0)
    arm_a = data.x_train[data.c_train == 0]
    radius = np.linalg.norm(arm_a, axis=1)
    t = 3 * np.pi * radius  # noiseless: |arm| = t / (3 pi)
    unit = np.stack([np.cos(t), np.sin(t)], 1)
    np.testing.assert_allclose(arm_a, unit * radius[:, None], atol=1e-12)
    mirrored = -data.x_train[data.c_train == 1]  # arm B = -(arm A)
    t_b = 3 * np.pi * np.linalg.norm(mirrored, axis=1)
    unit = np.stack([np.cos(t_b), np.sin(t_b)], 1)
    np.testing.assert_allclose(mirrored, unit * t_b[:, None] / (3 * np.pi), atol=1e-12)


def test_circles_have_the_two_radii():
    data = two_circles(0)
    assert data.x_train.shape == (1000, 2)
    radius = np.linalg.norm(data.x_train, axis=1)
    # mean radius within 3 standard errors of the noise (0.05 / sqrt(500))
    assert abs(radius[data.c_train == 0].mean() - 1.0) < 0.01
    assert abs(radius[data.c_train == 1].mean() - 0.5) < 0.01


def _write_csv(path, rows, header="x1,x2,label"):
    path.write_text(header + "\n" + "\n".join(",".join(map(str, r)) for r in rows))
    return path


def test_csv_and_npz_round_trip_and_split(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 3))
    c = np.repeat([0.0, 1.0], 20)
    rows = [[*xi, int(ci)] for xi, ci in zip(x, c, strict=True)]
    csv_path = _write_csv(tmp_path / "d.csv", rows, "x1,x2,x3,label")
    np.savez(tmp_path / "d.npz", X=x, y=c)
    x_csv, c_csv = read_points(csv_path)
    np.testing.assert_allclose(x_csv, x)
    np.testing.assert_array_equal(c_csv, c)
    split = load_dataset(tmp_path / "d.npz", seed=5)
    assert split.x_train.shape == split.x_test.shape == (20, 3)
    together = np.concatenate([split.x_train, split.x_test])
    np.testing.assert_allclose(np.sort(together, axis=0), np.sort(x, axis=0))
    np.testing.assert_array_equal(
        load_dataset(tmp_path / "d.npz", seed=5).x_train, split.x_train
    )


@pytest.mark.parametrize(
    "rows, header, message",
    [
        ([[0, 0, 0], [1, 1, 2]], "x1,x2,label", "labels must be 0 or 1"),
        ([[0, "nan", 0], [1, 1, 1]], "x1,x2,label", "not finite"),
        ([[0, 0, 0], [1, 1, 0], [2, 2, 1]], "x1,x2,label", "class 1 has 1 point"),
        ([[0, 0, 0]], "a,b,c", "header"),
        ([[0, 0], [1, 1, 1]], "x1,x2,label", "has 2 fields"),
        ([[0, "x", 0]], "x1,x2,label", "not a number"),
    ],
)
def test_bad_csv_is_refused_with_the_fix(tmp_path, rows, header, message):
    path = _write_csv(tmp_path / "bad.csv", rows, header)
    with pytest.raises(ValueError, match=message):
        read_points(path)


def test_missing_and_unknown_files(tmp_path):
    with pytest.raises(ValueError, match="no such file"):
        read_points(tmp_path / "none.csv")
    (tmp_path / "d.txt").write_text("1")
    with pytest.raises(ValueError, match="unknown file type"):
        read_points(tmp_path / "d.txt")
    np.savez(tmp_path / "d.npz", A=np.zeros(3))
    with pytest.raises(ValueError, match="must hold arrays 'X'"):
        read_points(tmp_path / "d.npz")


def test_files_that_are_not_what_they_claim(tmp_path):
    """A binary file named .csv, a text file named .npz, a bare .npy saved as
    .npz and an archive with other names: each a ValueError naming the fix."""
    binary = tmp_path / "x.csv"
    binary.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(ValueError, match="not a text CSV file"):
        read_points(binary)
    text = tmp_path / "x.npz"
    text.write_text("x1,x2,label\n0,0,0\n")
    with pytest.raises(ValueError, match="not a readable .npz archive"):
        read_points(text)
    single = tmp_path / "single.npy"
    np.save(single, np.zeros((4, 2)))
    renamed = single.rename(tmp_path / "single.npz")
    with pytest.raises(ValueError, match="holds a single array"):
        read_points(renamed)
    other = tmp_path / "other.npz"
    np.savez(other, features=np.zeros((4, 2)), labels=np.zeros(4))
    with pytest.raises(ValueError, match="must hold arrays 'X'"):
        read_points(other)
