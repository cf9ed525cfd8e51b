"""Unit tests for course_utils.plotting.graphs: node placement and computation-graph drawing."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Circle, FancyArrowPatch  # noqa: E402

from course_utils import plotting  # noqa: E402
from course_utils.plotting.graphs import computation_graph, layered_positions  # noqa: E402

POS = {"x": (0.0, 0.0), "a": (1.5, 0.0), "b": (3.0, 1.0), "c": (3.0, -1.0)}
EDGES = [("x", "a"), ("a", "b"), ("a", "c")]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _circles(ax):
    return [p for p in ax.patches if isinstance(p, Circle)]


def _arrows(ax):
    return [p for p in ax.patches if isinstance(p, FancyArrowPatch)]


def test_exported_from_plotting_package():
    assert plotting.computation_graph is computation_graph
    assert plotting.layered_positions is layered_positions


def test_layered_positions_columns_and_centering():
    pos = layered_positions([["x"], ["a", "b"], ["c", "d", "e"]], dx=2.0, dy=1.0)
    assert pos["x"] == (0.0, 0.0)
    assert pos["a"][0] == pos["b"][0] == 2.0
    assert {pos["c"][0], pos["d"][0], pos["e"][0]} == {4.0}
    assert pos["a"][1] == -pos["b"][1] and abs(pos["a"][1] - pos["b"][1]) == pytest.approx(1.0)
    assert sorted(pos[n][1] for n in "cde") == pytest.approx([-1.0, 0.0, 1.0])
    assert pos["c"][1] > pos["d"][1] > pos["e"][1], "the first node of a layer is drawn on top"


def test_layered_positions_rejects_duplicates():
    with pytest.raises(ValueError, match="more than one layer"):
        layered_positions([["x"], ["x"]])


def test_draws_one_circle_per_node_and_one_arrow_per_edge():
    ax = computation_graph(POS, EDGES)
    circles = _circles(ax)
    assert len(circles) == len(POS)
    centers = sorted(tuple(np.round(c.center, 6)) for c in circles)
    assert centers == sorted(POS.values())
    assert len(_arrows(ax)) == len(EDGES)
    assert {a.get_gid() for a in _arrows(ax)} == {f"edge:{s}->{d}" for s, d in EDGES}


def test_arrows_start_and_end_on_the_node_circles():
    radius = 0.3
    ax = computation_graph(POS, EDGES, radius=radius)
    for arrow in _arrows(ax):
        src, dst = arrow.get_gid().removeprefix("edge:").split("->")
        (x0, y0), (x1, y1) = arrow._posA_posB  # the two end points given to the patch
        assert np.hypot(x0 - POS[src][0], y0 - POS[src][1]) == pytest.approx(radius)
        assert np.hypot(x1 - POS[dst][0], y1 - POS[dst][1]) == pytest.approx(radius)


def test_labels_default_to_names_and_can_be_replaced():
    ax = computation_graph(POS, EDGES, labels={"x": "$x$ = 1"})
    texts = {t.get_text() for t in ax.texts}
    assert {"$x$ = 1", "a", "b", "c"} <= texts
    assert "x" not in texts


def test_edge_labels_are_drawn_between_their_nodes():
    ax = computation_graph(POS, EDGES, edge_labels={("a", "b"): "exp(a)"})
    (label,) = [t for t in ax.texts if t.get_text() == "exp(a)"]
    x, y = label.get_position()
    assert POS["a"][0] < x < POS["b"][0]
    assert min(POS["a"][1], POS["b"][1]) - 0.3 < y < max(POS["a"][1], POS["b"][1]) + 0.3


def test_uses_given_axes_returns_them_and_hides_the_frame():
    fig, ax = plt.subplots()
    out = computation_graph(POS, EDGES, ax=ax, title="my graph")
    assert out is ax
    assert ax.get_title() == "my graph"
    assert not ax.axison
    x_lo, x_hi = ax.get_xlim()
    assert x_lo < 0.0 and x_hi > 3.0, "every node is inside the view"


def test_new_axes_when_none_given():
    ax = computation_graph(POS, EDGES)
    assert ax.figure is not None and ax in ax.figure.axes


def test_highlight_changes_node_colour():
    ax = computation_graph(POS, EDGES, highlight=["x"])
    colors = {c.get_gid(): c.get_facecolor() for c in _circles(ax)}
    assert colors["node:x"] != colors["node:a"]
    assert colors["node:a"] == colors["node:b"]


def test_unknown_node_in_edge_raises():
    with pytest.raises(ValueError, match="'z'"):
        computation_graph(POS, [("x", "z")])


def test_overlapping_nodes_raise():
    with pytest.raises(ValueError, match="too close"):
        computation_graph({"p": (0.0, 0.0), "q": (0.1, 0.0)}, [("p", "q")], radius=0.3)
