"""Unit tests for course_utils.runners: the generic optimiser driver and values along a trajectory."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.objectives import Quadratic, rosenbrock
from course_utils.runners import run_optimizer, values_along


def _halve(theta, g):
    return theta - 0.5 * g


def test_stateless_step_gives_the_closed_form_trajectory():
    # f = x^2 / 2 per coordinate, grad = x, step x - 0.5 x: x_k = x0 / 2^k.
    x0 = np.array([8.0, -4.0])
    path = run_optimizer(_halve, x0, lambda x: x, 5)
    assert path.shape == (6, 2)
    np.testing.assert_allclose(path, x0 * 0.5 ** np.arange(6)[:, None])


def test_hyperparameters_are_passed_as_keywords():
    path = run_optimizer(lambda th, g, lr: th - lr * g, np.array([1.0]), lambda x: x, 3, lr=0.25)
    np.testing.assert_allclose(path[:, 0], 0.75 ** np.arange(4))


def test_state_is_threaded_through_and_inputs_unchanged():
    def accumulate(theta, g, total, scale):
        total = total + g
        return theta - scale * total, total

    theta0, s0 = np.array([1.0, 2.0]), np.zeros(2)
    seen = []
    path = run_optimizer(
        lambda th, g, tot, scale: (seen.append(tot.copy()), accumulate(th, g, tot, scale))[1],
        theta0, lambda x: np.ones(2), 3, state=(s0,), scale=1.0,
    )
    # totals seen before each step are 0, 1, 2; theta drops by 1, 2, 3.
    np.testing.assert_allclose([s[0] for s in seen], [0.0, 1.0, 2.0])
    np.testing.assert_allclose(path[:, 0], [1.0, 0.0, -2.0, -5.0])
    np.testing.assert_array_equal(theta0, [1.0, 2.0])
    np.testing.assert_array_equal(s0, [0.0, 0.0])


def test_pass_t_counts_steps_from_one():
    ts = []

    def step(theta, g, t):
        ts.append(t)
        return theta

    run_optimizer(step, np.zeros(2), lambda x: x, 4, pass_t=True)
    assert ts == [1, 2, 3, 4]


def test_step_that_mutates_its_own_output_cannot_change_earlier_rows():
    def sneaky(theta, g):
        theta -= 0.1 * g  # in place on the driver's copy
        return theta

    path = run_optimizer(sneaky, np.array([1.0]), lambda x: x, 3)
    np.testing.assert_allclose(path[:, 0], 0.9 ** np.arange(4))


def test_divergence_leaves_nan_rows_and_no_exception():
    with np.errstate(over="ignore"):
        path = run_optimizer(lambda th, g: th * 1e200, np.array([1.0, 1.0]), lambda x: x, 5)
    assert np.all(np.isfinite(path[:2]))
    assert np.all(np.isnan(path[2:]))


def test_wrong_number_of_returned_state_values_is_reported():
    with pytest.raises(ValueError, match="state"):
        run_optimizer(lambda th, g, s: th, np.zeros(2), lambda x: x, 2, state=(np.zeros(2),))
    with pytest.raises(ValueError, match="n_steps"):
        run_optimizer(_halve, np.zeros(2), lambda x: x, -1)


def test_zero_steps_returns_only_the_start():
    path = run_optimizer(_halve, [3.0, 4.0], lambda x: x, 0)
    np.testing.assert_array_equal(path, [[3.0, 4.0]])


def test_gradient_descent_on_a_quadratic_reaches_its_minimiser():
    q = Quadratic([[2.0, 0.0], [0.0, 4.0]], [-2.0, -4.0])
    path = run_optimizer(lambda th, g, lr: th - lr * g, [5.0, -5.0], q.grad, 200, lr=0.2)
    np.testing.assert_allclose(path[-1], [1.0, 1.0], atol=1e-10)


def test_values_along_evaluates_each_row():
    path = np.array([[1.0, 1.0], [0.0, 0.0], [-1.0, 1.0]])
    np.testing.assert_allclose(values_along(rosenbrock, path), [0.0, 1.0, 4.0])
    assert values_along(rosenbrock, path).shape == (3,)
