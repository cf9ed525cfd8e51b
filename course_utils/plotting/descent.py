"""Plots for iterative optimisation: runs on a contour map, loss curves, 1-D descent on a curve, basins.

Every helper draws what the notebook has already computed (trajectories, losses); none runs an optimiser.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from .basics import contour, get_ax

__all__ = [
    "panel_grid",
    "runs_on_contour",
    "error_curves",
    "descent_on_curve",
    "iterates_vs_step",
    "starts_by_basin",
]

_FLOOR = 1e-300


def panel_grid(n: int, ncols: int = 3, size: float = 3.4, sharey: bool = False) -> tuple[Figure, list[Axes]]:
    """A figure with n panels on a grid of ncols columns; returns (fig, list of the n axes), spare panels hidden."""
    if n < 1 or ncols < 1:
        raise ValueError(f"panel_grid needs n >= 1 and ncols >= 1; got n={n}, ncols={ncols}")
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows * 0.9), sharey=sharey, squeeze=False)
    flat = list(axes.ravel())
    for ax in flat[n:]:
        ax.set_visible(False)
    return fig, flat[:n]


def _as_path(trajectory: ArrayLike) -> np.ndarray:
    path = np.asarray(trajectory, dtype=float)
    if path.ndim != 2 or path.shape[1] != 2 or path.shape[0] < 1:
        raise ValueError(f"a trajectory must have shape (k, 2) with k >= 1; got {path.shape}")
    return path


def runs_on_contour(
    f: Callable[[np.ndarray], np.ndarray],
    trajectories: Mapping[str, ArrayLike],
    xlim: tuple[float, float] = (-3.0, 3.0),
    ylim: tuple[float, float] = (-3.0, 3.0),
    ax: Axes | None = None,
    levels: int | Sequence[float] = 20,
    title: str = "Gradient descent runs on the contour map",
    minimum: ArrayLike | None = None,
    legend_outside: bool = True,
) -> Axes:
    """Contour map of f with one labelled path per run (label -> array (k, 2)); start square, end star; legend below."""
    ax = contour(f, xlim, ylim, ax=ax, levels=levels, title=title)
    for label, trajectory in trajectories.items():
        path = _as_path(trajectory)
        line = ax.plot(path[:, 0], path[:, 1], ".-", lw=1.4, ms=4, label=label)
        color = line[0].get_color()
        ax.plot(*path[0], "s", color=color, ms=7)
        ax.plot(*path[-1], "*", color=color, ms=12)
    if minimum is not None:
        ax.plot(*np.asarray(minimum, dtype=float), "kx", ms=10, mew=2, label="minimum")
    ax.set(xlim=xlim, ylim=ylim)
    if legend_outside:
        # below the axes, so that the legend never covers a trajectory
        ax.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.17), ncol=2, frameon=False)
    else:
        ax.legend(fontsize="small", loc="best")
    return ax


def error_curves(
    curves: Mapping[str, ArrayLike],
    ax: Axes | None = None,
    log: bool = True,
    xlabel: str = "iteration k",
    ylabel: str = "loss",
    title: str = "Loss against iteration",
) -> Axes:
    """One curve per label against its index; log y-axis by default (values <= 0 are drawn at a tiny floor)."""
    ax = get_ax(ax)
    for label, values in curves.items():
        v = np.asarray(values, dtype=float).ravel()
        if log:
            v = np.where(np.isfinite(v), np.maximum(v, _FLOOR), np.nan)
        ax.plot(np.arange(v.size), v, lw=1.6, label=label)
    if log:
        ax.set_yscale("log")
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.grid(which="both", alpha=0.3)
    ax.legend(fontsize="small")
    return ax


def descent_on_curve(
    f: Callable[[np.ndarray], np.ndarray],
    iterates: ArrayLike,
    x_range: tuple[float, float] | None = None,
    ax: Axes | None = None,
    title: str = "Gradient descent on a curve",
    label: str = "iterates",
) -> Axes:
    """Plot y = f(x) and the 1-D iterates x_0, x_1, ... as points on the curve joined in order."""
    ax = get_ax(ax, figsize=(4.5, 3.6))
    xs_run = np.asarray(iterates, dtype=float).ravel()
    finite = xs_run[np.isfinite(xs_run)]
    if x_range is None:
        reach = float(np.max(np.abs(finite))) if finite.size else 1.0
        x_range = (-1.1 * reach, 1.1 * reach)
    grid = np.linspace(*x_range, 400)
    ax.plot(grid, f(grid), color="black", lw=1.8, label="f(x)")
    shown = xs_run[(xs_run >= x_range[0]) & (xs_run <= x_range[1])]
    ys = f(shown)
    ax.plot(shown, ys, "o-", color="tab:red", ms=4, lw=1, alpha=0.8, label=label)
    if shown.size:
        ax.plot(shown[0], ys[0], "s", color="tab:green", ms=8, label="start")
    ax.set(xlabel="x", ylabel="f(x)", title=title, xlim=x_range)
    ax.grid(alpha=0.3)
    # below the axes: a diverging run fills the whole curve, so no corner inside is safe
    ax.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.27), ncol=3, frameon=False)
    return ax


def iterates_vs_step(
    runs: Mapping[str, ArrayLike],
    ax: Axes | None = None,
    title: str = "Iterates against the step number",
    ylabel: str = "$x_k$",
    target: float | None = None,
) -> Axes:
    """Plot each 1-D run x_k against k (label -> iterates), with an optional horizontal target line."""
    ax = get_ax(ax)
    for label, values in runs.items():
        v = np.asarray(values, dtype=float).ravel()
        ax.plot(np.arange(v.size), v, "o-", ms=3, lw=1.2, label=label)
    if target is not None:
        ax.axhline(target, color="gray", ls="--", lw=1, label=f"target {target:g}")
    ax.set(xlabel="step k", ylabel=ylabel, title=title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)  # beside, off the zigzags
    return ax


def starts_by_basin(
    f: Callable[[np.ndarray], np.ndarray],
    starts: ArrayLike,
    basin: ArrayLike,
    minima: ArrayLike,
    xlim: tuple[float, float] = (-3.0, 3.0),
    ylim: tuple[float, float] = (-3.0, 3.0),
    ax: Axes | None = None,
    levels: int | Sequence[float] = 20,
    title: str = "Which minimum each start falls into",
) -> Axes:
    """Contour map with starting points (m, 2) coloured by basin index (m,) and the minima (q, 2) marked."""
    pts = np.asarray(starts, dtype=float)
    idx = np.asarray(basin, dtype=int).ravel()
    mins = np.atleast_2d(np.asarray(minima, dtype=float))
    if pts.ndim != 2 or pts.shape[1] != 2 or idx.shape[0] != pts.shape[0]:
        raise ValueError(f"starts must be (m, 2) with one basin index each; got {pts.shape} and {idx.shape}")
    if idx.size and (idx.min() < -1 or idx.max() >= len(mins)):
        raise ValueError(f"basin indices must be -1 (none) or in 0..{len(mins) - 1}; got {sorted(set(idx.tolist()))}")
    ax = contour(f, xlim, ylim, ax=ax, levels=levels, title=title)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for q, m in enumerate(mins):
        color = colors[q % len(colors)]
        sel = idx == q
        ax.plot(pts[sel, 0], pts[sel, 1], "o", color=color, ms=4, alpha=0.8, label=f"start -> min {q} ({m[0]:.2f}, {m[1]:.2f})")
        ax.plot(*m, "*", color=color, ms=16, mec="black")
    lost = idx == -1
    if lost.any():
        ax.plot(pts[lost, 0], pts[lost, 1], "x", color="gray", ms=5, label="no minimum reached")
    ax.set(xlim=xlim, ylim=ylim)
    ax.legend(fontsize="x-small", loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)  # beside the map, off the starts
    return ax
