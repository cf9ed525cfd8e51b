"""Drawing small computation graphs: labelled nodes at given positions joined by arrows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Circle, FancyArrowPatch

from .basics import get_ax

__all__ = ["layered_positions", "computation_graph"]


def layered_positions(
    layers: Sequence[Sequence[str]], dx: float = 1.5, dy: float = 1.2
) -> dict[str, tuple[float, float]]:
    """Place layer k at x = k * dx and spread its nodes vertically, dy apart, centred on y = 0."""
    positions: dict[str, tuple[float, float]] = {}
    for k, layer in enumerate(layers):
        offsets = (np.arange(len(layer)) - (len(layer) - 1) / 2.0) * dy
        for name, y in zip(layer, offsets[::-1]):
            if name in positions:
                raise ValueError(f"node {name!r} appears in more than one layer")
            positions[name] = (k * dx, float(y))
    return positions


def computation_graph(
    positions: Mapping[str, tuple[float, float]],
    edges: Sequence[tuple[str, str]],
    labels: Mapping[str, str] | None = None,
    edge_labels: Mapping[tuple[str, str], str] | None = None,
    ax: Axes | None = None,
    highlight: Sequence[str] = (),
    radius: float = 0.32,
    title: str = "Computation graph",
) -> Axes:
    """Draw nodes (circles labelled with labels[name], default the name) and arrows src -> dst, with optional edge labels."""
    for src, dst in edges:
        for name in (src, dst):
            if name not in positions:
                raise ValueError(f"edge ({src!r}, {dst!r}) uses node {name!r}, which has no position")
    labels = labels or {}
    edge_labels = edge_labels or {}
    ax = get_ax(ax, figsize=(8.0, 3.8))
    for name, (x, y) in positions.items():
        color = "#ffd27f" if name in highlight else "#cfe3f7"
        ax.add_patch(Circle((x, y), radius, facecolor=color, edgecolor="black", lw=1.2, zorder=2, gid=f"node:{name}"))
        ax.text(x, y, labels.get(name, name), ha="center", va="center", fontsize=10, zorder=3)
    for src, dst in edges:
        p, q = np.asarray(positions[src], dtype=float), np.asarray(positions[dst], dtype=float)
        length = float(np.hypot(*(q - p)))
        if length <= 2 * radius:
            raise ValueError(f"nodes {src!r} and {dst!r} are too close to draw an arrow between them")
        unit = (q - p) / length
        start, end = p + radius * unit, q - radius * unit
        ax.add_patch(
            FancyArrowPatch(tuple(start), tuple(end), arrowstyle="-|>", mutation_scale=14, lw=1.2, color="dimgray",
                            zorder=1, gid=f"edge:{src}->{dst}")
        )
        if (src, dst) in edge_labels:
            mid = (start + end) / 2 + 0.12 * np.array([-unit[1], unit[0]])
            ax.text(*mid, edge_labels[(src, dst)], ha="center", va="center", fontsize=8, color="darkred", zorder=4,
                    bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none", alpha=0.9))
    xs = [x for x, _ in positions.values()] or [0.0]
    ys = [y for _, y in positions.values()] or [0.0]
    pad = radius + 0.4
    ax.set_xlim(min(xs) - pad, max(xs) + pad)
    ax.set_ylim(min(ys) - pad, max(ys) + pad)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title)
    return ax
