"""Unit tests for course_utils.objectives: values at known points, gradients against finite differences."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils import objectives as obj


def central_grad(f, x, h=1e-6):
    x = np.asarray(x, dtype=float)
    g = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e.flat[i] = h
        g.flat[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def test_quadratic_value_gradient_hessian_lecture_example():
    q = obj.Quadratic([[4.0, 1.0], [1.0, 2.0]], [-6.0, -5.0])
    assert q([1.0, 2.0]) == pytest.approx(2 * 1 + 4 + 2 - 6 - 10)
    np.testing.assert_allclose(q.grad([1.0, 2.0]), [0.0, 0.0])
    np.testing.assert_allclose(q.hessian(), [[4.0, 1.0], [1.0, 2.0]])
    x = np.array([0.3, -1.2])
    np.testing.assert_allclose(q.grad(x), central_grad(q, x), rtol=1e-6)


def test_quadratic_works_on_stacked_points_and_hessian_is_a_copy():
    q = obj.Quadratic(2 * np.eye(2), [-6.0, -6.0], c=18.0)
    pts = np.array([[[3.0, 3.0], [0.0, 0.0]]])
    np.testing.assert_allclose(q(pts), [[0.0, 18.0]])
    h = q.hessian()
    h[0, 0] = 99
    assert q.H[0, 0] == 2.0


@pytest.mark.parametrize("H, g", [([[1.0, 2.0], [0.0, 1.0]], [0.0, 0.0]), ([[1.0, 0.0], [0.0, 1.0]], [0.0])])
def test_quadratic_rejects_bad_input(H, g):
    with pytest.raises(ValueError):
        obj.Quadratic(H, g)


def test_rosenbrock_minimum_and_gradient():
    assert obj.rosenbrock([1.0, 1.0]) == 0.0
    np.testing.assert_allclose(obj.rosenbrock_grad([1.0, 1.0]), [0.0, 0.0])
    assert obj.rosenbrock([2.0, 4.0], a=2.0) == 0.0
    x = np.array([-1.2, 1.0])
    np.testing.assert_allclose(obj.rosenbrock_grad(x), central_grad(obj.rosenbrock, x), rtol=1e-5)


def test_himmelblau_four_minima_and_gradient():
    for m in [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)]:
        assert obj.himmelblau(m) == pytest.approx(0.0, abs=1e-9)
        np.testing.assert_allclose(obj.himmelblau_grad(m), [0.0, 0.0], atol=1e-4)
    x = np.array([0.7, -0.4])
    np.testing.assert_allclose(obj.himmelblau_grad(x), central_grad(obj.himmelblau, x), rtol=1e-6)


def test_double_well_gradient_and_unequal_minima():
    x = np.array([0.4, -1.3])
    np.testing.assert_allclose(obj.double_well_grad(x), central_grad(obj.double_well, x), rtol=1e-6)
    assert obj.double_well([1.0, 1.0], tilt=(0.0, 0.0)) == 0.0
    # with the default tilt (0.3, 0.2) the deepest well is near (-1, -1) and the shallowest near (1, 1)
    corners = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
    values = obj.double_well(corners)
    assert np.argmin(values) == 0 and np.argmax(values) == 3
    grid = np.stack(np.meshgrid(np.linspace(-2, 2, 5), np.linspace(-2, 2, 5)), axis=-1)
    assert obj.double_well(grid).shape == (5, 5)
    assert obj.double_well_grad(grid).shape == (5, 5, 2)


def test_wavy_gradient_and_global_minimum():
    xs = np.linspace(-6, 6, 120001)
    i = np.argmin(obj.wavy(xs))
    assert xs[i] == pytest.approx(-0.739, abs=1e-3)
    assert obj.wavy_grad(xs[i]) == pytest.approx(0.0, abs=1e-3)
    for x in (-4.0, 0.3, 2.5):
        assert obj.wavy_grad(x) == pytest.approx(central_grad(obj.wavy, np.array(x)), rel=1e-6)
    sign_changes = np.sum((obj.wavy_grad(xs[:-1]) < 0) & (obj.wavy_grad(xs[1:]) >= 0))
    assert sign_changes == 4, "wavy must have four local minima on [-6, 6]"
