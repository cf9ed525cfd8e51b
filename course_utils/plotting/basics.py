"""Plots for one-variable calculus and for trajectories on contour maps."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

__all__ = [
    "get_ax",
    "function_with_tangents",
    "error_vs_step",
    "grid_values",
    "contour",
    "contour_with_trajectory",
]


def get_ax(ax: Axes | None = None, figsize: tuple[float, float] = (6.0, 4.0)) -> Axes:
    """Return ax, or the axes of a new figure when ax is None."""
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def function_with_tangents(
    f: Callable[[np.ndarray], np.ndarray],
    df: Callable[[float], float],
    points: Sequence[float],
    x_range: tuple[float, float] = (-3.0, 3.0),
    ax: Axes | None = None,
    half_width: float = 0.8,
    title: str = "A function and its tangent lines",
) -> Axes:
    """Plot f over x_range with the tangent line y = f(a) + f'(a)(x - a) drawn at each point a."""
    ax = get_ax(ax)
    xs = np.linspace(*x_range, 400)
    ax.plot(xs, f(xs), color="black", lw=2, label="f(x)")
    for a in points:
        slope = float(df(a))
        seg = np.linspace(a - half_width, a + half_width, 2)
        line = ax.plot(seg, float(f(np.asarray(a))) + slope * (seg - a), lw=1.5, label=f"slope {slope:.3g} at x = {a:g}")
        ax.plot([a], [float(f(np.asarray(a)))], "o", color=line[0].get_color())
    ax.set(xlabel="x", ylabel="y", title=title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    return ax


def error_vs_step(
    steps: ArrayLike,
    errors: dict[str, ArrayLike],
    ax: Axes | None = None,
    reference_orders: Sequence[int] = (1, 2),
    title: str = "Error of finite differences against the step h",
) -> Axes:
    """Log-log plot of |error| against h, one curve per method; h^p lines anchored on the data at the largest h."""
    ax = get_ax(ax)
    hs = np.asarray(steps, dtype=float)
    floor = np.finfo(float).tiny
    curves = [np.maximum(np.abs(np.asarray(err, dtype=float)), floor) for err in errors.values()]
    for label, err in zip(errors, curves):
        ax.loglog(hs, err, "o-", ms=3, label=label)
    shown = np.concatenate([c[np.isfinite(c) & (c > floor)] for c in curves] + [np.empty(0)])
    low, high = (shown.min(), shown.max()) if shown.size else (floor, 1.0)
    i_big = int(np.argmax(hs))
    for k, p in enumerate(reference_orders):
        # reference line k goes through curve k (or the first curve) at the largest step, where truncation rules
        anchor = curves[k] if k < len(curves) else curves[0]
        ref = max(anchor[i_big], floor) * (hs / hs[i_big]) ** p
        ref = np.where((ref >= low) & (ref <= high), ref, np.nan)
        ax.loglog(hs, ref, "--", color="gray", lw=1, label=f"slope {p} (error ∝ h^{p})")
    if shown.size:
        ax.set_ylim(low / 3, high * 3)
    ax.set(xlabel="step h", ylabel="absolute error", title=title)
    ax.grid(which="both", alpha=0.3)
    ax.legend(fontsize="small")
    return ax


def grid_values(
    f: Callable[[np.ndarray], np.ndarray],
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    n: int = 200,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Evaluate f on an n x n grid; f receives points stacked on the last axis, shape (n, n, 2)."""
    xs, ys = np.linspace(*xlim, n), np.linspace(*ylim, n)
    X, Y = np.meshgrid(xs, ys)
    Z = np.asarray(f(np.stack([X, Y], axis=-1)), dtype=float)
    return X, Y, Z


def contour(
    f: Callable[[np.ndarray], np.ndarray],
    xlim: tuple[float, float] = (-3.0, 3.0),
    ylim: tuple[float, float] = (-3.0, 3.0),
    ax: Axes | None = None,
    levels: int | Sequence[float] = 20,
    filled: bool = False,
    title: str = "",
) -> Axes:
    """Contour map of f(x1, x2) over a box (f takes points stacked on the last axis)."""
    ax = get_ax(ax, figsize=(5.5, 5.0))
    X, Y, Z = grid_values(f, xlim, ylim)
    if filled:
        ax.contourf(X, Y, Z, levels=levels, cmap="viridis", alpha=0.8)
    cs = ax.contour(X, Y, Z, levels=levels, colors="gray" if filled else None, linewidths=0.8)
    if not filled:
        ax.clabel(cs, fontsize=7, fmt="%.3g")
    ax.set(xlabel=r"$x_1$", ylabel=r"$x_2$", title=title, xlim=xlim, ylim=ylim)
    ax.set_aspect("equal", adjustable="box")
    return ax


def contour_with_trajectory(
    f: Callable[[np.ndarray], np.ndarray],
    trajectory: ArrayLike,
    xlim: tuple[float, float] = (-3.0, 3.0),
    ylim: tuple[float, float] = (-3.0, 3.0),
    ax: Axes | None = None,
    levels: int | Sequence[float] = 20,
    label: str = "trajectory",
    title: str = "",
    color: str | None = None,
) -> Axes:
    """Contour map of f with a path of points (shape (k, 2)) drawn on top, start and end marked."""
    ax = contour(f, xlim, ylim, ax=ax, levels=levels, title=title)
    path = np.asarray(trajectory, dtype=float)
    if path.ndim != 2 or path.shape[1] != 2:
        raise ValueError(f"trajectory must have shape (k, 2); got {path.shape}")
    line = ax.plot(path[:, 0], path[:, 1], ".-", lw=1.5, ms=5, color=color, label=label)
    ax.plot(*path[0], "s", color=line[0].get_color(), ms=7)
    ax.plot(*path[-1], "*", color=line[0].get_color(), ms=12)
    ax.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.17), frameon=False)  # below, off the path
    return ax
