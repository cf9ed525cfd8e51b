"""Unit tests for course_utils.plotting.vectors: the drawn data has the geometric properties it claims."""

from __future__ import annotations

import matplotlib

matplotlib.use("agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils import plotting  # noqa: E402
from course_utils.plotting import vectors  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def paraboloid(p):
    p = np.asarray(p, dtype=float)
    return p[..., 0] ** 2 + 2 * p[..., 1] ** 2


def paraboloid_grad(p):
    p = np.asarray(p, dtype=float)
    return np.stack([2 * p[..., 0], 4 * p[..., 1]], axis=-1)


def test_exported_from_plotting_package():
    for name in vectors.__all__:
        assert getattr(plotting, name) is getattr(vectors, name)


def test_get_ax3d_and_polar_create_the_right_projection_and_reuse_given_axes():
    ax3 = vectors.get_ax3d()
    assert ax3.name == "3d"
    assert vectors.get_ax3d(ax3) is ax3
    axp = vectors.get_polar_ax()
    assert axp.name == "polar"
    assert vectors.get_polar_ax(axp) is axp


def test_arrows_draws_one_arrow_and_tip_per_vector_and_keeps_them_in_view():
    _, ax = plt.subplots()
    vecs = np.array([[2.0, 1.0], [-1.0, 3.0], [1.0, 4.0]])
    out = vectors.arrows(vecs, ax=ax, labels=["u", "v", "u + v"])
    assert out is ax
    assert len(ax.texts) == 3  # annotate() arrows
    tips = np.array([line.get_xydata()[0] for line in ax.get_lines() if line.get_marker() == "o"])
    np.testing.assert_allclose(tips, vecs)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert x0 < -1 and x1 > 2 and y0 < 0 and y1 > 4
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["u", "v", "u + v"]


def test_arrows_with_origins_places_tips_at_origin_plus_vector():
    ax = vectors.arrows([[1.0, 0.0], [0.0, 2.0]], origins=[[1.0, 1.0], [-1.0, 0.0]])
    tips = np.array([line.get_xydata()[0] for line in ax.get_lines() if line.get_marker() == "o"])
    np.testing.assert_allclose(tips, [[2.0, 1.0], [-1.0, 2.0]])


def test_arrows_rejects_non_2d_vectors():
    with pytest.raises(ValueError, match="shape"):
        vectors.arrows(np.ones((2, 3)))


@pytest.mark.parametrize("p", [1, 1.5, 2, 3, np.inf])
def test_unit_ball_boundary_has_norm_one(p):
    ax = vectors.unit_ball(p)
    xy = ax.get_lines()[0].get_xydata()
    norms = np.linalg.norm(xy, ord=p, axis=1)
    np.testing.assert_allclose(norms, 1.0, rtol=1e-12)
    # the curve goes all the way round: it reaches each half-axis
    assert xy[:, 0].max() == pytest.approx(1.0) and xy[:, 0].min() == pytest.approx(-1.0)
    assert xy[:, 1].max() == pytest.approx(1.0) and xy[:, 1].min() == pytest.approx(-1.0)


def test_unit_balls_are_nested_and_labelled():
    _, ax = plt.subplots()
    for p in (1, 2, np.inf):
        vectors.unit_ball(p, ax=ax)
    lines = ax.get_lines()
    labels = [line.get_label() for line in lines if not line.get_label().startswith("_")]
    assert labels == ["p = 1", "p = 2", "p = ∞"]
    # along the diagonal direction the p = 1 ball is smallest and the p = inf ball largest
    diag = [np.max(np.abs(line.get_xydata()).sum(axis=1)) for line in lines[:3] if not line.get_label().startswith("_")]
    assert diag[0] < diag[1] < diag[2]


def test_unit_ball_rejects_p_below_one():
    with pytest.raises(ValueError, match="p >= 1"):
        vectors.unit_ball(0.5)


def test_surface_with_slices_slices_lie_on_the_surface_and_tangents_have_given_slopes():
    ax = vectors.surface_with_slices(paraboloid, (1.0, -0.5), slopes=(2.0, -2.0))
    assert ax.name == "3d"
    lines = {line.get_label(): line for line in ax.get_lines()}
    s1 = next(line for label, line in lines.items() if label.startswith("slice $x_2"))
    x, y, z = (np.asarray(a) for a in s1.get_data_3d())
    np.testing.assert_allclose(y, -0.5)
    np.testing.assert_allclose(z, x**2 + 2 * 0.25)
    s2 = next(line for label, line in lines.items() if label.startswith("slice $x_1"))
    x, y, z = (np.asarray(a) for a in s2.get_data_3d())
    np.testing.assert_allclose(x, 1.0)
    np.testing.assert_allclose(z, 1.0 + 2 * y**2)
    tangents = [line for label, line in lines.items() if label.startswith("tangent")]
    assert len(tangents) == 2
    x, y, z = (np.asarray(a) for a in tangents[0].get_data_3d())
    assert (z[1] - z[0]) / (x[1] - x[0]) == pytest.approx(2.0)
    x, y, z = (np.asarray(a) for a in tangents[1].get_data_3d())
    assert (z[1] - z[0]) / (y[1] - y[0]) == pytest.approx(-2.0)


def test_surface_without_slopes_draws_no_tangents():
    ax = vectors.surface_with_slices(paraboloid, (0.0, 0.0))
    assert not [line for line in ax.get_lines() if line.get_label().startswith("tangent")]


def test_quiver_over_contours_arrows_are_unit_and_along_the_gradient():
    _, ax = plt.subplots()
    out = vectors.quiver_over_contours(paraboloid, paraboloid_grad, (-2, 2), (-2, 2), ax=ax, n_arrows=5)
    assert out is ax
    (q,) = [c for c in ax.collections if isinstance(c, matplotlib.quiver.Quiver)]
    pts = q.get_offsets()
    uv = np.column_stack([q.U.ravel(), q.V.ravel()])
    g = paraboloid_grad(pts)
    nonzero = np.linalg.norm(g, axis=1) > 0
    np.testing.assert_allclose(np.linalg.norm(uv[nonzero], axis=1), 1.0)
    np.testing.assert_allclose(uv[nonzero], g[nonzero] / np.linalg.norm(g[nonzero], axis=1, keepdims=True))
    assert np.all(uv[~nonzero] == 0)  # the zero gradient at the origin stays a zero arrow, no nan


def test_quiver_over_contours_unnormalised_keeps_magnitudes():
    ax = vectors.quiver_over_contours(paraboloid, paraboloid_grad, (-1, 1), (-1, 1), n_arrows=3, normalize=False)
    (q,) = [c for c in ax.collections if isinstance(c, matplotlib.quiver.Quiver)]
    uv = np.column_stack([q.U.ravel(), q.V.ravel()])
    np.testing.assert_allclose(uv, paraboloid_grad(q.get_offsets()))


def test_deformed_grid_draws_the_images_of_the_grid_lines():
    def polar(p):
        p = np.asarray(p, dtype=float)
        return np.stack([p[..., 0] * np.cos(p[..., 1]), p[..., 0] * np.sin(p[..., 1])], axis=-1)

    ax = vectors.deformed_grid(polar, (0.5, 2.0), (0.0, np.pi / 2), n_lines=4, n_points=50)
    lines = ax.get_lines()
    assert len(lines) == 8
    # lines r = const become circles of radius r
    radii = [np.linalg.norm(line.get_xydata(), axis=1) for line in lines[:4]]
    for r, expected in zip(radii, np.linspace(0.5, 2.0, 4)):
        np.testing.assert_allclose(r, expected)
    # lines theta = const become rays at angle theta
    for line, theta in zip(lines[4:], np.linspace(0.0, np.pi / 2, 4)):
        xy = line.get_xydata()
        np.testing.assert_allclose(np.arctan2(xy[:, 1], xy[:, 0]), theta, atol=1e-12)


def test_deformed_grid_identity_map_is_the_plain_grid():
    ax = vectors.deformed_grid(lambda p: p, (0, 1), (0, 2), n_lines=3, n_points=5)
    xs = sorted({round(float(line.get_xdata()[0]), 12) for line in ax.get_lines()[:3]})
    assert xs == [0.0, 0.5, 1.0]


def test_polar_profile_splits_positive_and_negative_parts():
    th = np.linspace(0, 2 * np.pi, 361)
    vals = 3.0 * np.cos(th - 0.5)
    ax = vectors.polar_profile(th, vals)
    assert ax.name == "polar"
    pos, neg = ax.get_lines()[:2]
    r_pos, r_neg = np.asarray(pos.get_ydata(), float), np.asarray(neg.get_ydata(), float)
    assert np.nanmin(r_pos) >= 0 and np.nanmin(r_neg) >= 0
    np.testing.assert_allclose(np.nan_to_num(r_pos) + np.nan_to_num(r_neg), np.abs(vals))
    assert np.all(np.isnan(r_pos) ^ np.isnan(r_neg))  # every angle is drawn by exactly one curve
    assert th[np.nanargmax(r_pos)] == pytest.approx(0.5, abs=0.01)


def test_polar_profile_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="same shape"):
        vectors.polar_profile([0.0, 1.0], [1.0])
