"""Plots for vector calculus: arrows, unit balls, slices of surfaces, gradient fields and deformed grids."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from .basics import get_ax, grid_values

__all__ = [
    "get_ax3d",
    "get_polar_ax",
    "arrows",
    "unit_ball",
    "surface_with_slices",
    "quiver_over_contours",
    "deformed_grid",
    "polar_profile",
]


def get_ax3d(ax: Axes | None = None, figsize: tuple[float, float] = (6.5, 5.0)) -> Axes:
    """Return ax, or the 3-D axes of a new figure when ax is None."""
    if ax is None:
        fig = plt.figure(figsize=figsize)
        ax = fig.add_subplot(projection="3d")
    return ax


def get_polar_ax(ax: Axes | None = None, figsize: tuple[float, float] = (5.0, 5.0)) -> Axes:
    """Return ax, or the polar axes of a new figure when ax is None."""
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, subplot_kw={"projection": "polar"})
    return ax


def arrows(
    vectors: ArrayLike,
    ax: Axes | None = None,
    origins: ArrayLike | None = None,
    labels: Sequence[str] | None = None,
    colors: Sequence[str] | None = None,
    title: str = "Vectors as arrows",
) -> Axes:
    """Draw 2-D vectors (shape (k, 2)) as arrows from their origins (default: the origin), tips marked."""
    ax = get_ax(ax, figsize=(5.5, 5.0))
    vecs = np.atleast_2d(np.asarray(vectors, dtype=float))
    if vecs.ndim != 2 or vecs.shape[1] != 2:
        raise ValueError(f"vectors must have shape (k, 2); got {np.shape(vectors)}")
    starts = np.zeros_like(vecs) if origins is None else np.broadcast_to(np.asarray(origins, dtype=float), vecs.shape)
    cycle = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, (start, vec) in enumerate(zip(starts, vecs)):
        color = colors[i] if colors is not None else cycle[i % len(cycle)]
        label = labels[i] if labels is not None else f"({vec[0]:g}, {vec[1]:g})"
        ax.annotate("", xy=start + vec, xytext=start, arrowprops={"arrowstyle": "-|>", "color": color, "lw": 2})
        ax.plot(*(start + vec), "o", color=color, ms=5, label=label)
    points = np.vstack([starts, starts + vecs, np.zeros((1, 2))])
    low, high = points.min(axis=0), points.max(axis=0)
    pad = 0.15 * max(float(np.max(high - low)), 1.0)
    ax.set(xlim=(low[0] - pad, high[0] + pad), ylim=(low[1] - pad, high[1] + pad))
    ax.axhline(0, color="gray", lw=0.8)
    ax.axvline(0, color="gray", lw=0.8)
    ax.set(xlabel=r"$x_1$", ylabel=r"$x_2$", title=title)
    ax.set_aspect("equal", adjustable="box")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small", loc="best")
    return ax


def unit_ball(
    p: float,
    ax: Axes | None = None,
    n: int = 401,
    label: str | None = None,
    color: str | None = None,
    fill: bool = False,
) -> Axes:
    """Draw the boundary of the 2-D unit ball {x : ||x||_p = 1} for p >= 1 (p = np.inf gives the square)."""
    if not p >= 1:
        raise ValueError(f"unit balls exist for p >= 1 only; got p = {p}")
    ax = get_ax(ax, figsize=(5.0, 5.0))
    t = np.linspace(0.0, 2.0 * np.pi, n)
    if np.isinf(p):
        xs = np.clip(np.sqrt(2.0) * np.cos(t), -1.0, 1.0)
        ys = np.clip(np.sqrt(2.0) * np.sin(t), -1.0, 1.0)
    else:
        # |x|^p + |y|^p = cos^2 t + sin^2 t = 1 on this superellipse parametrisation
        c, s = np.cos(t), np.sin(t)
        xs, ys = np.sign(c) * np.abs(c) ** (2.0 / p), np.sign(s) * np.abs(s) ** (2.0 / p)
    text = label if label is not None else ("p = ∞" if np.isinf(p) else f"p = {p:g}")
    line = ax.plot(xs, ys, lw=2, color=color, label=text)
    if fill:
        ax.fill(xs, ys, color=line[0].get_color(), alpha=0.15)
    ax.set(xlabel=r"$x_1$", ylabel=r"$x_2$")
    ax.set_aspect("equal", adjustable="box")
    ax.grid(alpha=0.3)
    return ax


def surface_with_slices(
    f: Callable[[np.ndarray], np.ndarray],
    point: ArrayLike,
    xlim: tuple[float, float] = (-2.0, 2.0),
    ylim: tuple[float, float] = (-2.0, 2.0),
    ax: Axes | None = None,
    slopes: tuple[float, float] | None = None,
    n: int = 50,
    title: str = "A surface and its two slices through a point",
) -> Axes:
    """3-D surface of f (points stacked on the last axis) with the slices x2 = b and x1 = a through (a, b).

    With `slopes` = (s1, s2) the tangent line of each slice is drawn too (the slopes are given, not computed).
    """
    ax = get_ax3d(ax)
    a, b = (float(v) for v in np.asarray(point, dtype=float))
    X, Y, Z = grid_values(f, xlim, ylim, n=n)
    ax.plot_surface(X, Y, Z, cmap="viridis", alpha=0.45, linewidth=0, antialiased=True)
    c = float(f(np.array([a, b])))
    xs, ys = np.linspace(*xlim, 200), np.linspace(*ylim, 200)
    slice1 = np.asarray(f(np.stack([xs, np.full_like(xs, b)], axis=-1)), dtype=float)
    slice2 = np.asarray(f(np.stack([np.full_like(ys, a), ys], axis=-1)), dtype=float)
    ax.plot(xs, np.full_like(xs, b), slice1, color="tab:blue", lw=2.5, label=rf"slice $x_2 = {b:g}$: $f(x_1, {b:g})$")
    ax.plot(np.full_like(ys, a), ys, slice2, color="tab:green", lw=2.5, label=rf"slice $x_1 = {a:g}$: $f({a:g}, x_2)$")
    if slopes is not None:
        s1, s2 = (float(s) for s in slopes)
        d = 0.35 * min(xlim[1] - xlim[0], ylim[1] - ylim[0])
        t = np.array([-d, d])
        ax.plot(a + t, np.full(2, b), c + s1 * t, "--", color="navy", lw=2, label=rf"tangent, slope $\partial f/\partial x_1$ = {s1:g}")
        ax.plot(np.full(2, a), b + t, c + s2 * t, "--", color="darkgreen", lw=2, label=rf"tangent, slope $\partial f/\partial x_2$ = {s2:g}")
    ax.plot([a], [b], [c], "o", color="red", ms=6, label=f"point ({a:g}, {b:g}, {c:g})")
    ax.set(xlabel=r"$x_1$", ylabel=r"$x_2$", zlabel=r"$f(x_1, x_2)$", title=title)
    ax.legend(fontsize="x-small", loc="upper left")
    return ax


def quiver_over_contours(
    f: Callable[[np.ndarray], np.ndarray],
    grad: Callable[[np.ndarray], np.ndarray],
    xlim: tuple[float, float] = (-3.0, 3.0),
    ylim: tuple[float, float] = (-3.0, 3.0),
    ax: Axes | None = None,
    n_arrows: int = 15,
    levels: int | Sequence[float] = 15,
    normalize: bool = True,
    title: str = "Gradient field over the level sets",
) -> Axes:
    """Contours of f with arrows of grad on an n_arrows x n_arrows grid (f, grad take points stacked on the last axis).

    With normalize=True every arrow has the same length and its colour shows the gradient's magnitude.
    """
    ax = get_ax(ax, figsize=(6.0, 5.0))
    X, Y, Z = grid_values(f, xlim, ylim, n=200)
    cs = ax.contour(X, Y, Z, levels=levels, cmap="viridis", linewidths=1.0)
    ax.clabel(cs, fontsize=7, fmt="%.3g")
    xs, ys = np.linspace(*xlim, n_arrows), np.linspace(*ylim, n_arrows)
    PX, PY = np.meshgrid(xs, ys)
    G = np.asarray(grad(np.stack([PX, PY], axis=-1)), dtype=float)
    U, V = np.broadcast_to(G[..., 0], PX.shape), np.broadcast_to(G[..., 1], PX.shape)
    mag = np.hypot(U, V)
    if normalize:
        safe = np.where(mag > 0, mag, 1.0)
        q = ax.quiver(PX, PY, U / safe, V / safe, mag, cmap="autumn", angles="xy", pivot="mid", width=0.004)
        ax.figure.colorbar(q, ax=ax, label=r"$\|\nabla f\|$", shrink=0.8)
    else:
        ax.quiver(PX, PY, U, V, color="crimson", angles="xy", pivot="mid", width=0.004)
    ax.set(xlabel=r"$x_1$", ylabel=r"$x_2$", title=title, xlim=xlim, ylim=ylim)
    ax.set_aspect("equal", adjustable="box")
    return ax


def deformed_grid(
    F: Callable[[np.ndarray], np.ndarray],
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    ax: Axes | None = None,
    n_lines: int = 9,
    n_points: int = 100,
    labels: tuple[str, str] = (r"image of a line $u_1$ = const", r"image of a line $u_2$ = const"),
    title: str = "A grid deformed by a map",
) -> Axes:
    """Draw the images under F: R^2 -> R^2 (points stacked on the last axis) of the grid lines of a box."""
    ax = get_ax(ax, figsize=(5.5, 5.0))
    us, vs = np.linspace(*xlim, n_lines), np.linspace(*ylim, n_lines)
    tu, tv = np.linspace(*ylim, n_points), np.linspace(*xlim, n_points)
    for k, u in enumerate(us):
        img = np.asarray(F(np.stack([np.full_like(tu, u), tu], axis=-1)), dtype=float)
        ax.plot(img[:, 0], img[:, 1], color="tab:blue", lw=1.2, label=labels[0] if k == 0 else None)
    for k, v in enumerate(vs):
        img = np.asarray(F(np.stack([tv, np.full_like(tv, v)], axis=-1)), dtype=float)
        ax.plot(img[:, 0], img[:, 1], color="tab:orange", lw=1.2, label=labels[1] if k == 0 else None)
    ax.set(xlabel=r"$y_1$", ylabel=r"$y_2$", title=title)
    ax.set_aspect("equal", adjustable="datalim")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small", loc="best")
    return ax


def polar_profile(
    angles: ArrayLike,
    values: ArrayLike,
    ax: Axes | None = None,
    labels: tuple[str, str] = ("value > 0", "|value| where value < 0"),
    title: str = "",
) -> Axes:
    """Polar plot of a signed function of the angle: positive part solid, magnitude of the negative part dashed."""
    ax = get_polar_ax(ax)
    th = np.asarray(angles, dtype=float)
    val = np.asarray(values, dtype=float)
    if th.shape != val.shape:
        raise ValueError(f"angles and values must have the same shape; got {th.shape} and {val.shape}")
    pos = np.where(val >= 0, val, np.nan)
    neg = np.where(val < 0, -val, np.nan)
    ax.plot(th, pos, color="tab:red", lw=2, label=labels[0])
    ax.plot(th, neg, "--", color="tab:blue", lw=2, label=labels[1])
    ax.set_title(title)
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(0.8, 1.1))
    return ax
