"""Unit tests for course_utils.symbolic_matrices."""

from __future__ import annotations

import pytest
import sympy as sp

from course_utils.symbolic_matrices import symbol_matrix, symbol_vector, symmetric_symbol_matrix


def test_symbol_vector_is_a_column_of_distinct_real_symbols():
    x = symbol_vector("x", 3)
    assert isinstance(x, sp.MatrixBase) and x.shape == (3, 1)
    assert [str(s) for s in x] == ["x_1", "x_2", "x_3"]
    assert len(set(x)) == 3 and all(s.is_real for s in x)


def test_symbol_vector_matches_symbols_created_by_hand():
    x = symbol_vector("x", 2)
    x1 = sp.Symbol("x_1", real=True)
    assert x[0] == x1
    assert sp.diff((x.T * x)[0], x1) == 2 * x1


def test_symbol_matrix_shape_names_and_independence():
    A = symbol_matrix("a", 2, 3)
    assert A.shape == (2, 3)
    assert str(A[1, 2]) == "a_23"
    assert len(set(A)) == 6
    assert not A[0:2, 0:2].is_symmetric()


def test_symbol_matrix_uses_separator_for_large_indices():
    A = symbol_matrix("a", 11, 1)
    assert str(A[10, 0]) == "a_11_1"
    assert len(set(A)) == 11


def test_symmetric_symbol_matrix_is_symmetric_with_n_n_plus_1_over_2_symbols():
    S = symmetric_symbol_matrix("s", 3)
    assert S.is_symmetric()
    assert len(S.free_symbols) == 6
    assert S[2, 0] == S[0, 2] and str(S[2, 0]) == "s_13"


def test_assumptions_can_be_overridden():
    x = symbol_vector("z", 2, real=False)
    assert x[0].is_real is not True
    y = symbol_vector("p", 1, positive=True)
    assert y[0].is_positive


@pytest.mark.parametrize("call", [lambda: symbol_vector("x", 0), lambda: symbol_matrix("a", 0, 2)])
def test_empty_shapes_raise_value_error(call):
    with pytest.raises(ValueError, match="at least one"):
        call()
