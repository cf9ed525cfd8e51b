"""course_utils.plotting basics: axes returned, titles and labels set, data drawn where it should be."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils import plotting  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_function_with_tangents_draws_tangent_slopes():
    ax = plotting.function_with_tangents(lambda x: x**2, lambda x: 2 * x, [1.0], x_range=(-2, 2))
    assert ax.get_xlabel() == "x" and ax.get_title()
    (tangent,) = [ln for ln in ax.get_lines() if "slope" in ln.get_label()]
    xs, ys = tangent.get_data()
    assert np.isclose((ys[1] - ys[0]) / (xs[1] - xs[0]), 2.0)


def test_given_axes_are_used():
    fig, ax = plt.subplots()
    assert plotting.function_with_tangents(np.sin, np.cos, [0.0], ax=ax) is ax


def test_error_vs_step_is_log_log_with_reference_lines():
    hs = np.logspace(-8, 0, 9)
    ax = plotting.error_vs_step(hs, {"forward": hs, "central": hs**2})
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    labels = [ln.get_label() for ln in ax.get_lines()]
    assert labels[:2] == ["forward", "central"] and sum("slope" in lb for lb in labels) == 2


def test_error_vs_step_reference_lines_stay_within_the_data():
    # round-off makes the error grow again for tiny h; the reference lines must not stretch the axis to 1e17
    hs = np.logspace(-15, 0, 31)
    forward = 0.4 * hs + 1e-16 / hs
    central = 0.1 * hs**2 + 1e-16 / hs
    ax = plotting.error_vs_step(hs, {"forward": forward, "central": central})
    lo, hi = ax.get_ylim()
    assert lo >= min(forward.min(), central.min()) / 10 and hi <= max(forward.max(), central.max()) * 10
    refs = [ln for ln in ax.get_lines() if "slope" in ln.get_label()]
    # each reference line passes through its own curve at the largest step
    np.testing.assert_allclose(refs[0].get_ydata()[-1], forward[-1])
    np.testing.assert_allclose(refs[1].get_ydata()[-1], central[-1])
    for ln in refs:
        y = np.asarray(ln.get_ydata(), dtype=float)
        assert np.all(np.isnan(y) | ((y >= lo) & (y <= hi)))


def test_error_vs_step_survives_exact_zero_errors():
    hs = np.logspace(-3, 0, 4)
    ax = plotting.error_vs_step(hs, {"exact": np.zeros(4)})
    assert np.all(ax.get_lines()[0].get_ydata() > 0)


def test_grid_values_passes_stacked_points():
    X, Y, Z = plotting.grid_values(lambda p: p[..., 0] + 10 * p[..., 1], (0, 1), (0, 2), n=5)
    assert X.shape == Y.shape == Z.shape == (5, 5)
    np.testing.assert_allclose(Z, X + 10 * Y)


def test_contour_with_trajectory_marks_start_and_end():
    path = np.array([[2.0, 2.0], [1.0, 1.0], [0.0, 0.0]])
    ax = plotting.contour_with_trajectory(lambda p: (p**2).sum(-1), path, title="bowl")
    assert ax.get_title() == "bowl" and ax.get_xlabel() == "$x_1$"
    line = next(ln for ln in ax.get_lines() if ln.get_label() == "trajectory")
    np.testing.assert_allclose(np.column_stack(line.get_data()), path)
    with pytest.raises(ValueError, match="shape"):
        plotting.contour_with_trajectory(lambda p: p[..., 0], np.zeros(3))


def test_plotting_submodules_export_distinct_names():
    # plotting/__init__ star-imports every submodule: a repeated name would silently shadow another.
    from course_utils.plotting import basics, descent, graphs, optim, vectors

    names = [n for module in (basics, descent, graphs, optim, vectors) for n in module.__all__]
    repeated = sorted({n for n in names if names.count(n) > 1})
    assert not repeated, f"names exported by two plotting submodules: {repeated}"
    assert sorted(plotting.__all__) == sorted(names)
