"""Unit tests for course_utils.plotting.optim: contour comparisons, loss curves, variance against batch size."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils import plotting  # noqa: E402
from course_utils.objectives import Quadratic, rosenbrock  # noqa: E402
from course_utils.plotting.optim import (  # noqa: E402
    log_levels,
    loss_curves,
    place_legend,
    trajectories_on_contours,
    variance_vs_batch,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_exported_from_the_plotting_package():
    for name in ("trajectories_on_contours", "loss_curves", "variance_vs_batch", "log_levels"):
        assert name in plotting.__all__ and callable(getattr(plotting, name))


def test_log_levels_are_increasing_geometric_above_the_minimum():
    z = np.array([2.0, 3.0, 102.0])
    lv = log_levels(z, n=5, span=1e-2)
    assert lv.shape == (5,)
    assert np.all(np.diff(lv) > 0)
    np.testing.assert_allclose(lv[[0, -1]], [2.0 + 1.0, 102.0])
    ratios = np.diff(np.log(lv - 2.0))
    np.testing.assert_allclose(ratios, ratios[0])


def test_log_levels_of_a_constant_field_are_still_valid():
    lv = log_levels(np.ones(10), n=4)
    assert np.all(np.isfinite(lv)) and np.all(np.diff(lv) > 0)


def test_trajectories_on_contours_draws_each_path_with_its_label():
    paths = {"a": [[-1.0, 0.0], [0.0, 0.5], [0.5, 0.5]], "b": np.zeros((4, 2))}
    fig, ax = plt.subplots()
    out = trajectories_on_contours(rosenbrock, paths, xlim=(-2, 2), ylim=(-1, 3), ax=ax, minimum=(1, 1), title="T")
    assert out is ax
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["a", "b", "minimum"]
    line_a = next(l for l in ax.get_lines() if l.get_label() == "a")
    np.testing.assert_allclose(line_a.get_xdata(), [-1.0, 0.0, 0.5])
    assert ax.get_title() == "T" and ax.get_xlim() == (-2.0, 2.0)
    assert len(ax.collections) > 0  # the contour lines


def test_trajectories_on_contours_upto_truncates_and_skips_nan_rows():
    path = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [np.nan, np.nan]])
    ax = trajectories_on_contours(Quadratic(np.eye(2), [0.0, 0.0]), {"p": path}, upto=1)
    line = next(l for l in ax.get_lines() if l.get_label() == "p")
    np.testing.assert_allclose(line.get_xdata(), [0.0, 1.0])
    ax2 = trajectories_on_contours(Quadratic(np.eye(2), [0.0, 0.0]), {"p": path})
    line2 = next(l for l in ax2.get_lines() if l.get_label() == "p")
    np.testing.assert_allclose(line2.get_xdata(), [0.0, 1.0, 2.0])


def test_trajectories_on_contours_rejects_paths_that_are_not_2d_points():
    with pytest.raises(ValueError, match="shape"):
        trajectories_on_contours(rosenbrock, {"bad": np.zeros((3, 3))})


def test_loss_curves_shared_and_per_curve_x_and_log_scale():
    ax = loss_curves({"one": [4.0, 2.0, 1.0], "two": [3.0, 0.0, 1.0]}, title="L")
    assert ax.get_yscale() == "log"
    lines = {l.get_label(): l for l in ax.get_lines()}
    np.testing.assert_allclose(lines["one"].get_xdata(), [0, 1, 2])
    assert np.all(lines["two"].get_ydata() > 0)  # a zero loss is clipped, not dropped
    ax2 = loss_curves({"u": [1.0, 2.0], "v": [1.0, 2.0, 3.0]}, x={"u": [0, 10], "v": [0, 5, 10]}, logy=False, logx=True)
    lines2 = {l.get_label(): l for l in ax2.get_lines()}
    np.testing.assert_allclose(lines2["v"].get_xdata(), [0, 5, 10])
    assert ax2.get_yscale() == "linear" and ax2.get_xscale() == "log"
    assert [t.get_text() for t in ax2.get_legend().get_texts()] == ["u", "v"]


def test_loss_curves_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="x positions"):
        loss_curves({"a": [1.0, 2.0]}, x=[0.0, 1.0, 2.0])


def test_variance_vs_batch_reference_lines():
    B = np.array([1.0, 2.0, 4.0, 8.0])
    ax = variance_vs_batch(B, 3.0 / B)
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    ref = next(l for l in ax.get_lines() if "slope" in l.get_label())
    np.testing.assert_allclose(ref.get_ydata() * ref.get_xdata(), 3.0)  # sigma^2 / B through the first point
    ax2 = variance_vs_batch(B, [1.0, 0.5, 0.2, 0.05], n=10, sigma2=2.0)
    fpc = next(l for l in ax2.get_lines() if "without replacement" in l.get_label())
    x, y = fpc.get_xdata(), fpc.get_ydata()
    np.testing.assert_allclose(y, 2.0 / x * (10 - x) / 9)


def test_variance_vs_batch_anchors_the_finite_population_curve_at_the_first_point():
    n, sigma2 = 20, 5.0
    B = np.array([2.0, 5.0, 10.0])
    exact = sigma2 / B * (n - B) / (n - 1)
    ax = variance_vs_batch(B, exact, n=n)
    fpc = next(l for l in ax.get_lines() if "without replacement" in l.get_label())
    np.testing.assert_allclose(np.interp(B, fpc.get_xdata(), fpc.get_ydata()), exact, rtol=1e-3)
    with pytest.raises(ValueError, match="equal length"):
        variance_vs_batch([1, 2], [1.0])


def test_long_paths_drop_markers_and_legend_location_is_respected():
    long_path = np.column_stack([np.linspace(-1, 1, 400), np.zeros(400)])
    ax = trajectories_on_contours(rosenbrock, {"long": long_path, "short": long_path[:5]}, legend_loc="lower left",
                                  n_grid=40)
    lines = {l.get_label(): l for l in ax.get_lines()}
    assert lines["long"].get_marker() in ("None", "", None)
    assert lines["short"].get_marker() == "."
    assert ax.get_legend()._loc == 3  # "lower left"


def test_no_paths_and_no_minimum_means_no_legend():
    ax = trajectories_on_contours(rosenbrock, {}, n_grid=30)
    assert ax.get_legend() is None


def test_contour_comparison_has_equal_aspect_unless_asked_otherwise():
    paths = {"p": [[0.0, 0.0], [1.0, 1.0]]}
    ax = trajectories_on_contours(Quadratic(np.eye(2), [0.0, 0.0]), paths, xlim=(-4, 4), ylim=(-1, 1))
    assert ax.get_aspect() == 1.0
    ax2 = trajectories_on_contours(Quadratic(np.eye(2), [0.0, 0.0]), paths, equal_aspect=False)
    assert ax2.get_aspect() == "auto"


def test_outside_legend_sits_right_of_the_axes():
    fig, ax = plt.subplots()
    trajectories_on_contours(rosenbrock, {"a": [[-1.0, 0.0], [0.0, 0.5]]}, xlim=(-2, 2), ylim=(-1, 3), ax=ax,
                             legend_loc="outside")
    fig.canvas.draw()
    legend_box = ax.get_legend().get_window_extent()
    assert legend_box.x0 >= ax.get_window_extent().x1
    ax2 = loss_curves({"one": [3.0, 2.0, 1.0]}, legend_loc="outside")
    ax2.figure.canvas.draw()
    assert ax2.get_legend().get_window_extent().x0 >= ax2.get_window_extent().x1
    with pytest.raises(ValueError):
        place_legend(ax, "nowhere")
