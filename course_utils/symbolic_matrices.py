"""Small explicit SymPy matrices and vectors of named symbols, for checking matrix-calculus identities by hand."""

from __future__ import annotations

import sympy as sp

__all__ = ["symbol_vector", "symbol_matrix", "symmetric_symbol_matrix"]


def symbol_vector(name: str, n: int, **assumptions: bool) -> sp.Matrix:
    """Column vector (n x 1) of real symbols name_1, ..., name_n."""
    if n < 1:
        raise ValueError(f"a vector needs at least one entry; got n = {n}")
    assumptions.setdefault("real", True)
    return sp.Matrix([sp.Symbol(f"{name}_{i + 1}", **assumptions) for i in range(n)])


def symbol_matrix(name: str, rows: int, cols: int, **assumptions: bool) -> sp.Matrix:
    """rows x cols matrix of real symbols name_ij (1-based indices; name_i_j when an index exceeds 9)."""
    if rows < 1 or cols < 1:
        raise ValueError(f"a matrix needs at least one row and one column; got {rows} x {cols}")
    assumptions.setdefault("real", True)
    sep = "_" if max(rows, cols) > 9 else ""
    return sp.Matrix(rows, cols, lambda i, j: sp.Symbol(f"{name}_{i + 1}{sep}{j + 1}", **assumptions))


def symmetric_symbol_matrix(name: str, n: int, **assumptions: bool) -> sp.Matrix:
    """n x n symmetric matrix of real symbols: entry (i, j) and (j, i) are the same symbol name_ij with i <= j."""
    full = symbol_matrix(name, n, n, **assumptions)
    return sp.Matrix(n, n, lambda i, j: full[min(i, j), max(i, j)])
