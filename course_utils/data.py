"""Seeded synthetic data sets and the bundled 8x8 digits (nothing is downloaded)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "make_linear_regression",
    "make_two_blobs",
    "make_line",
    "make_scaled_regression",
    "load_digits",
    "train_test_split",
]

DIGITS_PATH = Path(__file__).resolve().parent / "datasets" / "digits.csv.gz"


def make_linear_regression(
    n: int,
    w_true: ArrayLike,
    noise: float = 0.5,
    rng: np.random.Generator | None = None,
    x_scale: ArrayLike | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return (X, y) with X ~ N(0, diag(x_scale^2)) of shape (n, d) and y = X w_true + noise * N(0, 1)."""
    if rng is None:
        raise ValueError("make_linear_regression needs an explicit rng, e.g. np.random.default_rng(0)")
    w = np.asarray(w_true, dtype=float)
    scale = np.ones_like(w) if x_scale is None else np.asarray(x_scale, dtype=float)
    X = rng.standard_normal((n, w.size)) * scale
    y = X @ w + noise * rng.standard_normal(n)
    return X, y


def make_two_blobs(
    n_per_class: int,
    separation: float = 2.5,
    rng: np.random.Generator | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return (X, y): two Gaussian clouds in 2-D, labels 0 and 1, centres `separation` apart."""
    if rng is None:
        raise ValueError("make_two_blobs needs an explicit rng, e.g. np.random.default_rng(0)")
    centre = np.array([separation / 2, separation / 2]) / np.sqrt(2)
    X0 = rng.standard_normal((n_per_class, 2)) - centre
    X1 = rng.standard_normal((n_per_class, 2)) + centre
    X = np.vstack([X0, X1])
    y = np.concatenate([np.zeros(n_per_class), np.ones(n_per_class)])
    order = rng.permutation(2 * n_per_class)
    return X[order], y[order]


def make_line(
    n: int,
    intercept: float,
    slope: float,
    noise: float = 1.0,
    x_range: tuple[float, float] = (0.0, 10.0),
    rng: np.random.Generator | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return (x, y), both shape (n,): x uniform on x_range, y = intercept + slope * x + noise * N(0, 1)."""
    if rng is None:
        raise ValueError("make_line needs an explicit rng, e.g. np.random.default_rng(0)")
    x = rng.uniform(*x_range, size=n)
    y = intercept + slope * x + noise * rng.standard_normal(n)
    return x, y


def make_scaled_regression(
    n: int,
    intercept: float,
    w_true: ArrayLike,
    scales: ArrayLike,
    offsets: ArrayLike | None = None,
    noise: float = 0.5,
    rng: np.random.Generator | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return (X, y): column j of X is offsets_j + scales_j * N(0, 1); y = intercept + X w_true + noise * N(0, 1)."""
    if rng is None:
        raise ValueError("make_scaled_regression needs an explicit rng, e.g. np.random.default_rng(0)")
    w = np.asarray(w_true, dtype=float)
    scale = np.asarray(scales, dtype=float)
    shift = np.zeros_like(w) if offsets is None else np.asarray(offsets, dtype=float)
    if scale.shape != w.shape or shift.shape != w.shape:
        raise ValueError(f"w_true, scales and offsets need the same length; got {w.shape}, {scale.shape}, {shift.shape}")
    X = shift + rng.standard_normal((n, w.size)) * scale
    y = intercept + X @ w + noise * rng.standard_normal(n)
    return X, y


def load_digits() -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Return (X, y): the 1797 UCI 8x8 digits, X (1797, 64) scaled to [0, 1], y the digit 0..9 (CC BY 4.0)."""
    if not DIGITS_PATH.exists():
        raise FileNotFoundError(
            f"the digits data should ship with course_utils at {DIGITS_PATH}; reinstall the course (`make install`)"
        )
    table = np.loadtxt(DIGITS_PATH, delimiter=",")
    return table[:, :64] / 16.0, table[:, 64].astype(np.int64)


def train_test_split(
    X: ArrayLike, y: ArrayLike, test_fraction: float = 0.25, rng: np.random.Generator | None = None
) -> tuple[NDArray, NDArray, NDArray, NDArray]:
    """Return (X_train, X_test, y_train, y_test): a seeded random split with round(test_fraction * n) test rows."""
    if rng is None:
        raise ValueError("train_test_split needs an explicit rng, e.g. np.random.default_rng(0)")
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X and y need the same number of rows; got {len(X)} and {len(y)}")
    n_test = round(test_fraction * len(y))
    if not 0 < n_test < len(y):
        raise ValueError(f"test_fraction = {test_fraction} leaves {n_test} of {len(y)} rows for testing; "
                         "choose a fraction that keeps both parts non-empty")
    order = rng.permutation(len(y))
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]
