"""course_utils.symbolic: equality for all values of the symbols, with the difference in the message."""

from __future__ import annotations

import pytest
import sympy as sp

from course_utils.symbolic import assert_sym_equal, sym_difference, sym_equal

x, y = sp.symbols("x y")


def test_equal_forms_are_equal():
    assert sym_equal(sp.diff(sp.tan(x), x), 1 / sp.cos(x) ** 2)
    assert sym_equal(sp.sin(x) ** 2 + sp.cos(x) ** 2, 1)
    assert sym_equal(sp.Matrix([2 * x * y, x**2 + 1]), [[2 * x * y], [x**2 + 1]])


def test_different_expressions_and_shapes_are_not_equal():
    assert not sym_equal(x**2, x + 1)  # equal at x = 1 only
    assert not sym_equal(sp.Matrix([x, y]), sp.Matrix([[x, y]]))
    assert sym_difference(sp.Matrix([x]), x) is None


def test_assert_sym_equal_shows_the_difference():
    assert_sym_equal(2 * x, x + x)
    with pytest.raises(AssertionError, match=r"differ by x - 1"):
        assert_sym_equal(2 * x - 1, x, what="f'")
    with pytest.raises(AssertionError, match="shape"):
        assert_sym_equal(sp.Matrix([x, y]), sp.Matrix([[x, y]]))
    with pytest.raises(AssertionError, match="returned None"):
        assert_sym_equal(None, x)
