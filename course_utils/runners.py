"""Generic drivers for optimisation demos: apply any step function repeatedly (no update rule lives here)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["run_optimizer", "values_along"]


def run_optimizer(
    step: Callable[..., Any],
    theta0: ArrayLike,
    grad: Callable[[np.ndarray], ArrayLike],
    n_steps: int,
    state: Sequence[ArrayLike] = (),
    pass_t: bool = False,
    **hyper: Any,
) -> NDArray[np.float64]:
    """Trajectory (n_steps + 1, d) of theta <- step(theta, grad(theta), *state[, t], **hyper); NaN rows after divergence.

    `step` returns either the new theta alone or a tuple (theta, *new_state) with one entry
    per element of `state`. With `pass_t=True` the 1-based step counter t is passed
    positionally after the state (as Adam needs). The inputs are never modified.
    """
    if n_steps < 0:
        raise ValueError(f"n_steps must be >= 0; got {n_steps}")
    theta = np.array(theta0, dtype=float)
    current = [np.array(s, dtype=float) for s in state]
    path = np.full((n_steps + 1,) + theta.shape, np.nan)
    path[0] = theta
    for k in range(1, n_steps + 1):
        extra = (k,) if pass_t else ()
        result = step(theta, np.asarray(grad(theta), dtype=float), *current, *extra, **hyper)
        if isinstance(result, tuple):
            if len(result) != 1 + len(current):
                raise ValueError(
                    f"step returned {len(result)} values; expected theta plus {len(current)} state value(s)"
                )
            theta, *current = (np.array(r, dtype=float) for r in result)
        else:
            if current:
                raise ValueError(f"step returned only theta; expected theta plus {len(current)} state value(s)")
            theta = np.array(result, dtype=float)
        if not np.all(np.isfinite(theta)):
            break
        path[k] = theta
    return path


def values_along(f: Callable[[np.ndarray], ArrayLike], trajectory: ArrayLike) -> NDArray[np.float64]:
    """f evaluated at every row of a trajectory (f must accept points stacked on the last axis)."""
    path = np.asarray(trajectory, dtype=float)
    return np.asarray(f(path), dtype=float).reshape(path.shape[0])
