"""SymPy helpers: decide symbolic equality and explain a difference in a test message."""

from __future__ import annotations

from typing import Any

import sympy as sp

__all__ = ["sym_equal", "sym_difference", "assert_sym_equal"]


def _as_sympy(value: Any) -> Any:
    """Convert numbers, lists and arrays into SymPy objects (matrices stay matrices)."""
    if isinstance(value, (sp.MatrixBase, sp.Basic)):
        return value
    if isinstance(value, (list, tuple)) or hasattr(value, "shape"):
        return sp.Matrix(value)
    return sp.sympify(value)


def sym_difference(actual: Any, expected: Any) -> Any:
    """Return the simplified difference actual - expected (a matrix for matrices), or None if shapes differ."""
    a, e = _as_sympy(actual), _as_sympy(expected)
    a_is_mat, e_is_mat = isinstance(a, sp.MatrixBase), isinstance(e, sp.MatrixBase)
    if a_is_mat != e_is_mat or a_is_mat and a.shape != e.shape:
        return None
    if a_is_mat:
        return (a - e).applyfunc(sp.simplify)
    return sp.simplify(a - e)


def sym_equal(actual: Any, expected: Any) -> bool:
    """True when two expressions (or matrices of them) are equal for all values of their symbols."""
    diff = sym_difference(actual, expected)
    if diff is None:
        return False
    if isinstance(diff, sp.MatrixBase):
        return all(_is_zero(entry) for entry in diff)
    return _is_zero(diff)


def _is_zero(expr: Any) -> bool:
    if expr == 0:
        return True
    # simplify can miss identities that expand/trigsimp find; try them before saying no.
    for transform in (sp.expand, sp.trigsimp, lambda e: sp.simplify(sp.expand_log(e, force=True))):
        if transform(expr) == 0:
            return True
    return False


def message_sym_equal(actual: Any, expected: Any, what: str = "") -> str:
    """Why two expressions (or matrices) differ, showing their simplified difference ("" when they are equal)."""
    name = what or "your expression"
    if actual is None:
        return f"{name} returned None; expected {expected}. Did you forget `return`?"
    diff = sym_difference(actual, expected)
    if diff is None:
        shape_a = getattr(_as_sympy(actual), "shape", "a scalar")
        shape_e = getattr(_as_sympy(expected), "shape", "a scalar")
        return f"{name} returned {actual} (shape {shape_a}); expected {expected} (shape {shape_e})."
    if not sym_equal(actual, expected):
        return f"{name} returned {actual}; expected {expected}. They differ by {diff}."
    return ""


def assert_sym_equal(actual: Any, expected: Any, what: str = "") -> None:
    """Assert symbolic equality; the message shows both sides and their simplified difference."""
    __tracebackhide__ = True
    from . import checks

    try:
        message = message_sym_equal(actual, expected, what)
    except (TypeError, ValueError, sp.SympifyError) as err:
        message = f"{what or 'your expression'} returned {actual!r}, which is not an expression ({err})."
    checks._settle("sym_equal", actual, expected, message, what=what)
