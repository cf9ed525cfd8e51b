"""course_utils.checks: passes what is right and explains what is wrong."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils import checks


def test_assert_close_accepts_close_values():
    checks.assert_close(np.array([1.0, 2.0]), [1.0, 2.0 + 1e-12], what="f(x)")
    checks.assert_close(3, 3.0)


def test_assert_close_message_names_call_result_and_expectation():
    with pytest.raises(AssertionError) as err:
        checks.assert_close(np.array([9.0, 7.0]), [10.0, 7.0], what="gradient_f([1, 2])")
    assert str(err.value) == "gradient_f([1, 2]) returned [9., 7.]; expected [10., 7.]."


def test_assert_close_reports_shape_none_and_type():
    with pytest.raises(AssertionError, match=r"shape \(3,\); expected shape \(2,\)"):
        checks.assert_close(np.zeros(3), np.zeros(2), what="f")
    with pytest.raises(AssertionError, match="returned None.*forget `return`"):
        checks.assert_close(None, 1.0, what="f(1)")
    with pytest.raises(AssertionError, match="of type str"):
        checks.assert_close("one", 1.0, what="f(1)")
    with pytest.raises(AssertionError, match="expected"):
        checks.assert_close(np.nan, 1.0)


def test_assert_close_hint_is_appended():
    with pytest.raises(AssertionError, match="Divide by h.$"):
        checks.assert_close(1.0, 2.0, what="g", hint="Divide by h.")


def test_assert_equal_requires_a_real_bool_for_bool_expectations():
    checks.assert_equal(np.bool_(True), True)
    with pytest.raises(AssertionError, match="expected the bool True"):
        checks.assert_equal(1, True, what="verify")
    with pytest.raises(AssertionError, match="returned 3; expected 4"):
        checks.assert_equal(3, 4)


def test_assert_raises_value_error():
    def bad(x):
        if x == 0:
            raise ValueError("x must not be zero")
        return 1 / x

    assert checks.assert_raises_value_error(bad, 0) == "x must not be zero"
    with pytest.raises(AssertionError, match="returned 1; expected it to raise ValueError"):
        checks.assert_raises_value_error(bad, 1, what="bad(1)")
    with pytest.raises(AssertionError, match="raised ZeroDivisionError"):
        checks.assert_raises_value_error(lambda: 1 / 0, what="div")
    with pytest.raises(AssertionError, match="empty message"):
        checks.assert_raises_value_error(lambda: (_ for _ in ()).throw(ValueError()), what="silent")


def test_assert_inputs_unchanged_detects_in_place_edits():
    def scale_in_place(x):
        x *= 2
        return x

    def scale(x):
        return 2 * x

    np.testing.assert_array_equal(checks.assert_inputs_unchanged(scale, np.ones(2)), [2.0, 2.0])
    with pytest.raises(AssertionError, match="modified its argument 1: it was \\[1., 1.\\] and is now \\[2., 2.\\]"):
        checks.assert_inputs_unchanged(scale_in_place, np.ones(2), what="scale_in_place")


def test_assert_shape_and_finite():
    checks.assert_shape(np.zeros((2, 3)), (2, 3))
    with pytest.raises(AssertionError, match="a list; expected a NumPy array"):
        checks.assert_shape([1, 2], (2,))
    with pytest.raises(AssertionError, match="nan or inf"):
        checks.assert_finite([1.0, np.inf])


def test_describe_is_compact():
    assert checks.describe(None) == "None"
    assert checks.describe(np.arange(100.0)).count("...") == 1
    assert checks.describe(0.1 + 0.2) == "0.3"


def test_assert_choice_accepts_an_offered_choice_and_names_them_otherwise():
    checks.assert_choice("diverges", ("converges", "diverges"))
    with pytest.raises(AssertionError, match="'converges', 'diverges'"):
        checks.assert_choice("blows up", ("converges", "diverges"))
    with pytest.raises(AssertionError, match="a string"):
        checks.assert_choice(3, ("converges", "diverges"))
