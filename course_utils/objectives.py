"""Test objectives for optimisation demos, each with its gradient (none of them is an exercise)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "Quadratic",
    "rosenbrock",
    "rosenbrock_grad",
    "himmelblau",
    "himmelblau_grad",
    "double_well",
    "double_well_grad",
    "wavy",
    "wavy_grad",
]


class Quadratic:
    """f(x) = 1/2 x^T H x + g^T x + c with symmetric H; callable, with `.grad` and `.hessian`."""

    def __init__(self, H: ArrayLike, g: ArrayLike, c: float = 0.0) -> None:
        self.H = np.array(H, dtype=float)
        self.g = np.array(g, dtype=float)
        self.c = float(c)
        if self.H.ndim != 2 or self.H.shape[0] != self.H.shape[1] or self.H.shape[0] != self.g.shape[0]:
            raise ValueError(f"Quadratic needs a square H matching g; got H {self.H.shape} and g {self.g.shape}")
        if not np.allclose(self.H, self.H.T):
            raise ValueError("Quadratic needs a symmetric H")

    def __call__(self, x: ArrayLike) -> NDArray[np.float64] | float:
        """Value at x; x may carry extra leading axes (a grid of points stacked on the last axis)."""
        x = np.asarray(x, dtype=float)
        return 0.5 * np.einsum("...i,ij,...j->...", x, self.H, x) + x @ self.g + self.c

    def grad(self, x: ArrayLike) -> NDArray[np.float64]:
        """Gradient H x + g."""
        return np.asarray(x, dtype=float) @ self.H + self.g

    def hessian(self, x: ArrayLike | None = None) -> NDArray[np.float64]:
        """The constant Hessian H."""
        return self.H.copy()


def rosenbrock(x: ArrayLike, a: float = 1.0, b: float = 100.0) -> NDArray[np.float64] | float:
    """Rosenbrock's banana (a - x1)^2 + b (x2 - x1^2)^2; minimum 0 at (a, a^2). Works on stacked points."""
    x = np.asarray(x, dtype=float)
    return (a - x[..., 0]) ** 2 + b * (x[..., 1] - x[..., 0] ** 2) ** 2


def rosenbrock_grad(x: ArrayLike, a: float = 1.0, b: float = 100.0) -> NDArray[np.float64]:
    """Gradient of `rosenbrock`."""
    x = np.asarray(x, dtype=float)
    x1, x2 = x[..., 0], x[..., 1]
    return np.stack([-2 * (a - x1) - 4 * b * x1 * (x2 - x1**2), 2 * b * (x2 - x1**2)], axis=-1)


def himmelblau(x: ArrayLike) -> NDArray[np.float64] | float:
    """Himmelblau's function (x1^2 + x2 - 11)^2 + (x1 + x2^2 - 7)^2: four minima, all with value 0."""
    x = np.asarray(x, dtype=float)
    return (x[..., 0] ** 2 + x[..., 1] - 11) ** 2 + (x[..., 0] + x[..., 1] ** 2 - 7) ** 2


def himmelblau_grad(x: ArrayLike) -> NDArray[np.float64]:
    """Gradient of `himmelblau`."""
    x = np.asarray(x, dtype=float)
    x1, x2 = x[..., 0], x[..., 1]
    u, v = x1**2 + x2 - 11, x1 + x2**2 - 7
    return np.stack([4 * x1 * u + 2 * v, 2 * u + 4 * x2 * v], axis=-1)


def double_well(x: ArrayLike, tilt: ArrayLike = (0.3, 0.2)) -> NDArray[np.float64] | float:
    """Tilted double well sum_i (x_i^2 - 1)^2 + tilt . x: four local minima near (+-1, +-1), unequal depths."""
    x = np.asarray(x, dtype=float)
    t = np.asarray(tilt, dtype=float)
    return np.sum((x**2 - 1.0) ** 2, axis=-1) + x @ t


def double_well_grad(x: ArrayLike, tilt: ArrayLike = (0.3, 0.2)) -> NDArray[np.float64]:
    """Gradient of `double_well`: 4 x_i (x_i^2 - 1) + tilt_i."""
    x = np.asarray(x, dtype=float)
    return 4.0 * x * (x**2 - 1.0) + np.asarray(tilt, dtype=float)


def wavy(x: ArrayLike) -> NDArray[np.float64] | float:
    """A 1-D bowl with ripples, x^2 / 8 + sin(2 x): several local minima, one global minimum near x = -0.74."""
    x = np.asarray(x, dtype=float)
    return x**2 / 8.0 + np.sin(2.0 * x)


def wavy_grad(x: ArrayLike) -> NDArray[np.float64]:
    """Derivative of `wavy`: x / 4 + 2 cos(2 x)."""
    x = np.asarray(x, dtype=float)
    return x / 4.0 + 2.0 * np.cos(2.0 * x)
