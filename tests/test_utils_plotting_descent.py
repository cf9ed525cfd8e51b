"""Unit tests for course_utils.plotting.descent: panels, runs on contours, log curves, 1-D descent, basins."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils import plotting  # noqa: E402
from course_utils.plotting import descent  # noqa: E402


def bowl(p):
    p = np.asarray(p, dtype=float)
    return p[..., 0] ** 2 + 2 * p[..., 1] ** 2


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_exported_from_plotting_package():
    for name in descent.__all__:
        assert getattr(plotting, name) is getattr(descent, name)


@pytest.mark.parametrize("n, ncols, shape", [(1, 3, (1, 1)), (3, 3, (1, 3)), (5, 3, (2, 3)), (4, 2, (2, 2))])
def test_panel_grid_gives_n_visible_axes(n, ncols, shape):
    fig, axes = descent.panel_grid(n, ncols=ncols)
    assert len(axes) == n
    assert all(ax.get_visible() for ax in axes)
    hidden = [ax for ax in fig.axes if not ax.get_visible()]
    assert len(fig.axes) == shape[0] * shape[1]
    assert len(hidden) == shape[0] * shape[1] - n


def test_panel_grid_rejects_zero_panels():
    with pytest.raises(ValueError, match="n >= 1"):
        descent.panel_grid(0)


def test_runs_on_contour_draws_each_run_with_its_label_and_points():
    runs = {"lr 0.1": [[2.0, 2.0], [1.0, 1.0], [0.5, 0.2]], "lr 0.3": [[-2.0, 1.0], [0.0, 0.0]]}
    ax = descent.runs_on_contour(bowl, runs, minimum=(0.0, 0.0), title="two runs")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["lr 0.1", "lr 0.3", "minimum"]
    by_label = {line.get_label(): line for line in ax.lines}
    np.testing.assert_allclose(by_label["lr 0.1"].get_xydata(), runs["lr 0.1"])
    np.testing.assert_allclose(by_label["lr 0.3"].get_xydata(), runs["lr 0.3"])
    assert ax.get_title() == "two runs"
    assert ax.get_xlim() == (-3.0, 3.0)


def test_runs_on_contour_puts_the_legend_below_the_axes():
    ax = descent.runs_on_contour(bowl, {"run": [[2.0, 2.0], [0.0, 0.0]]})
    ax.figure.canvas.draw()
    legend_box = ax.get_legend().get_window_extent()
    assert legend_box.y1 <= ax.get_window_extent().y0, "the legend must sit below the map, off the trajectories"
    ax2 = descent.runs_on_contour(bowl, {"run": [[2.0, 2.0], [0.0, 0.0]]}, legend_outside=False)
    assert ax2.get_legend() is not None


def test_runs_on_contour_uses_given_axes_and_rejects_bad_paths():
    fig, ax = plt.subplots()
    assert descent.runs_on_contour(bowl, {"a": [[0.0, 1.0]]}, ax=ax) is ax
    with pytest.raises(ValueError, match=r"shape \(k, 2\)"):
        descent.runs_on_contour(bowl, {"bad": [1.0, 2.0, 3.0]})


def test_error_curves_log_scale_and_floor_for_zeros():
    ax = descent.error_curves({"gd": [1.0, 0.1, 0.0, 1e-5], "other": [2.0, 1.0]})
    assert ax.get_yscale() == "log"
    gd = ax.lines[0].get_ydata()
    assert gd.shape == (4,)
    assert gd[2] > 0, "a zero must be drawn at a positive floor on a log axis"
    np.testing.assert_allclose(ax.lines[0].get_xdata(), [0, 1, 2, 3])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["gd", "other"]


def test_error_curves_linear_and_nonfinite_values():
    ax = descent.error_curves({"run": [1.0, np.inf, 3.0]}, log=False, ylabel="x")
    assert ax.get_yscale() == "linear"
    ax2 = descent.error_curves({"run": [1.0, np.inf, np.nan]})
    assert np.isnan(ax2.lines[0].get_ydata()[1]), "inf must not be drawn on the log axis"


def test_descent_on_curve_puts_points_on_the_curve():
    xs = [3.0, -1.5, 0.75]
    ax = descent.descent_on_curve(lambda x: np.asarray(x) ** 2, xs)
    curve, path = ax.lines[0], ax.lines[1]
    np.testing.assert_allclose(path.get_xdata(), xs)
    np.testing.assert_allclose(path.get_ydata(), np.square(xs))
    assert curve.get_xdata().min() <= -3.0 and curve.get_xdata().max() >= 3.0
    assert ax.lines[2].get_label() == "start"


def test_descent_on_curve_drops_points_outside_range_and_nonfinite():
    xs = [1.0, -2.0, 50.0, np.inf]
    ax = descent.descent_on_curve(lambda x: np.asarray(x) ** 2, xs, x_range=(-3.0, 3.0))
    np.testing.assert_allclose(ax.lines[1].get_xdata(), [1.0, -2.0])
    assert ax.get_xlim() == (-3.0, 3.0)


def test_iterates_vs_step_draws_runs_and_target():
    ax = descent.iterates_vs_step({"a": [8.7, 5.22], "b": [8.7, -6.96, 5.568]}, target=0.0)
    assert len(ax.lines) == 3
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [8.7, -6.96, 5.568])
    assert "target 0" in ax.get_legend().get_texts()[-1].get_text()


def test_starts_by_basin_colours_groups():
    starts = np.array([[1.0, 1.0], [-1.0, -1.0], [1.2, 0.9], [0.0, 2.5]])
    basin = np.array([0, 1, 0, -1])
    minima = np.array([[1.0, 1.0], [-1.0, -1.0]])
    ax = descent.starts_by_basin(bowl, starts, basin, minima)
    groups = [ln for ln in ax.lines if ln.get_label().startswith("start")]
    np.testing.assert_allclose(groups[0].get_xydata(), starts[[0, 2]])
    np.testing.assert_allclose(groups[1].get_xydata(), starts[[1]])
    lost = [ln for ln in ax.lines if ln.get_label() == "no minimum reached"]
    np.testing.assert_allclose(lost[0].get_xydata(), starts[[3]])


def test_starts_by_basin_rejects_mismatched_input():
    with pytest.raises(ValueError, match="one basin index"):
        descent.starts_by_basin(bowl, [[0.0, 0.0]], [0, 1], [[0.0, 0.0]])
    with pytest.raises(ValueError, match="basin indices"):
        descent.starts_by_basin(bowl, [[0.0, 0.0]], [3], [[0.0, 0.0]])
