"""Plots that compare optimisers: several trajectories on one contour map, loss curves, variance against batch size."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from .basics import get_ax, grid_values

__all__ = ["log_levels", "place_legend", "trajectories_on_contours", "loss_curves", "variance_vs_batch"]


def log_levels(z: ArrayLike, n: int = 20, span: float = 1e-3) -> np.ndarray:
    """n contour levels spaced geometrically above min(z), from span * range(z) up to max(z)."""
    z = np.asarray(z, dtype=float)
    z = z[np.isfinite(z)]
    lo, hi = float(z.min()), float(z.max())
    width = hi - lo if hi > lo else 1.0
    return lo + np.geomspace(span * width, width, n)


def place_legend(ax: Axes, loc: str = "best") -> None:
    """Draw ax's legend at a matplotlib location, or to the right of the axes when loc is "outside"."""
    if loc == "outside":
        ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)
    else:
        ax.legend(fontsize="small", loc=loc)


def trajectories_on_contours(
    f: Callable[[np.ndarray], np.ndarray],
    paths: Mapping[str, ArrayLike],
    xlim: tuple[float, float] = (-3.0, 3.0),
    ylim: tuple[float, float] = (-3.0, 3.0),
    ax: Axes | None = None,
    levels: int | Sequence[float] | None = None,
    upto: int | None = None,
    minimum: ArrayLike | None = None,
    title: str = "",
    legend_loc: str = "upper right",
    n_grid: int = 150,
    equal_aspect: bool = True,
) -> Axes:
    """Contour map of f (log-spaced levels unless given) with every path (k, 2) drawn up to row `upto`.

    Long paths (over 300 points) are drawn as lines without point markers to keep rendering fast.
    `legend_loc="outside"` puts the legend to the right of the axes, where it cannot cover a path;
    `equal_aspect` (default) draws one unit the same length on both axes, so round contours look round.
    """
    ax = get_ax(ax, figsize=(6.0, 5.0))
    X, Y, Z = grid_values(f, xlim, ylim, n=n_grid)
    ax.contour(X, Y, Z, levels=log_levels(Z) if levels is None else levels, cmap="Greys_r", linewidths=0.7)
    for label, path in paths.items():
        p = np.asarray(path, dtype=float)
        if p.ndim != 2 or p.shape[1] != 2:
            raise ValueError(f"path '{label}' must have shape (k, 2); got {p.shape}")
        p = p[: None if upto is None else upto + 1]
        p = p[np.all(np.isfinite(p), axis=1)]
        line = ax.plot(p[:, 0], p[:, 1], ".-" if len(p) <= 300 else "-", lw=1.3, ms=3, label=label)
        if len(p):
            ax.plot(*p[-1], "o", color=line[0].get_color(), ms=6, mec="black")
    if minimum is not None:
        ax.plot(*np.asarray(minimum, dtype=float), "*", color="gold", mec="black", ms=14, label="minimum")
    ax.set(xlabel=r"$\theta_1$", ylabel=r"$\theta_2$", title=title, xlim=xlim, ylim=ylim)
    if equal_aspect:
        ax.set_aspect("equal", adjustable="box")
    if paths or minimum is not None:
        place_legend(ax, legend_loc)
    return ax


def loss_curves(
    curves: Mapping[str, ArrayLike],
    x: Mapping[str, ArrayLike] | ArrayLike | None = None,
    ax: Axes | None = None,
    logy: bool = True,
    logx: bool = False,
    xlabel: str = "step",
    ylabel: str = "loss",
    title: str = "",
    legend_loc: str = "upper right",
) -> Axes:
    """One curve per entry of `curves`; x is shared, per curve (a mapping) or the index when None."""
    ax = get_ax(ax)
    floor = np.finfo(float).tiny
    for label, values in curves.items():
        v = np.asarray(values, dtype=float)
        if x is None:
            xs = np.arange(v.size)
        elif isinstance(x, Mapping):
            xs = np.asarray(x[label], dtype=float)
        else:
            xs = np.asarray(x, dtype=float)
        if xs.shape != v.shape:
            raise ValueError(f"curve '{label}' has {v.size} values but {xs.size} x positions")
        ax.plot(xs, np.maximum(v, floor) if logy else v, lw=1.5, label=label)
    if logy:
        ax.set_yscale("log")
    if logx:
        ax.set_xscale("log")
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.grid(which="both", alpha=0.3)
    place_legend(ax, legend_loc)
    return ax


def variance_vs_batch(
    batch_sizes: ArrayLike,
    variances: ArrayLike,
    ax: Axes | None = None,
    n: int | None = None,
    sigma2: float | None = None,
    title: str = "Variance of the minibatch gradient against the batch size",
) -> Axes:
    """Log-log plot of measured variances with the sigma^2 / B line and, given n, sigma^2 / B (n - B) / (n - 1).

    sigma^2 (the variance of one example's gradient) is taken from the first point when not given.
    """
    ax = get_ax(ax)
    B = np.asarray(batch_sizes, dtype=float)
    var = np.asarray(variances, dtype=float)
    if B.shape != var.shape or B.ndim != 1 or B.size == 0:
        raise ValueError(f"batch_sizes and variances must be 1-D of equal length; got {B.shape} and {var.shape}")
    if sigma2 is None:
        sigma2 = var[0] * B[0] * ((n - 1) / (n - B[0]) if n is not None else 1.0)
    grid = np.geomspace(B.min(), B.max(), 200)
    ax.loglog(B, var, "o", ms=6, label="measured")
    ax.loglog(grid, sigma2 / grid, "--", color="gray", label=r"$\sigma^2 / B$ (slope $-1$)")
    if n is not None:
        fpc = sigma2 / grid * (n - grid) / (n - 1)
        keep = fpc > 0
        ax.loglog(grid[keep], fpc[keep], "-", color="tab:red", lw=1.2,
                  label=r"$\frac{\sigma^2}{B}\,\frac{n-B}{n-1}$ (without replacement)")
    ax.set(xlabel="batch size B", ylabel=r"$E\,\|g_B - \nabla L\|^2$", title=title)
    ax.grid(which="both", alpha=0.3)
    ax.legend(fontsize="small")
    return ax
