"""Friendly assertions for exercise tests: every failure says what was expected and what came back."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = [
    "describe",
    "assert_close",
    "assert_equal",
    "assert_true",
    "assert_shape",
    "assert_raises_value_error",
    "assert_inputs_unchanged",
    "assert_finite",
    "assert_choice",
]


def describe(value: Any, precision: int = 6) -> str:
    """Render a value compactly for a failure message (arrays rounded, lists kept short)."""
    if value is None:
        return "None"
    if isinstance(value, np.ndarray) or isinstance(value, (list, tuple)) and _is_numeric_sequence(value):
        arr = np.asarray(value)
        text = np.array2string(arr, precision=precision, separator=", ", threshold=12, max_line_width=100)
        return " ".join(text.split())
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.{precision + 2}g}"
    return repr(value)


def _is_numeric_sequence(value: list | tuple) -> bool:
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError):
        return False
    return arr.dtype.kind in "biuf"


def _prefix(what: str) -> str:
    return what if what else "your result"


def assert_close(
    actual: Any,
    expected: Any,
    what: str = "",
    rtol: float = 1e-7,
    atol: float = 1e-9,
    hint: str = "",
) -> None:
    """Assert that a number or array is close to the expected one, with a message a student can act on."""
    name = _prefix(what)
    tail = f" {hint}" if hint else ""
    if actual is None:
        raise AssertionError(f"{name} returned None; expected {describe(expected)}. Did you forget `return`?{tail}")
    try:
        act = np.asarray(actual, dtype=float)
    except (TypeError, ValueError):
        raise AssertionError(
            f"{name} returned {describe(actual)} of type {type(actual).__name__}; expected a number or array "
            f"like {describe(expected)}.{tail}"
        ) from None
    exp = np.asarray(expected, dtype=float)
    if act.shape != exp.shape:
        raise AssertionError(
            f"{name} returned shape {act.shape}; expected shape {exp.shape}. "
            f"Got {describe(actual)}, expected {describe(expected)}.{tail}"
        )
    if not np.allclose(act, exp, rtol=rtol, atol=atol, equal_nan=False):
        raise AssertionError(f"{name} returned {describe(actual)}; expected {describe(expected)}.{tail}")


def assert_equal(actual: Any, expected: Any, what: str = "", hint: str = "") -> None:
    """Assert exact equality (for booleans, integers, shapes, lengths)."""
    if isinstance(expected, bool) and not isinstance(actual, (bool, np.bool_)):
        raise AssertionError(
            f"{_prefix(what)} returned {describe(actual)} of type {type(actual).__name__}; expected the bool {expected}."
        )
    if actual != expected:
        tail = f" {hint}" if hint else ""
        raise AssertionError(f"{_prefix(what)} returned {describe(actual)}; expected {describe(expected)}.{tail}")


def assert_true(condition: bool, message: str) -> None:
    """Assert a condition, failing with the given student-facing message."""
    if not condition:
        raise AssertionError(message)


def assert_shape(actual: Any, shape: tuple[int, ...], what: str = "") -> None:
    """Assert that a result is an ndarray of the given shape."""
    name = _prefix(what)
    if not isinstance(actual, np.ndarray):
        raise AssertionError(f"{name} returned a {type(actual).__name__}; expected a NumPy array of shape {shape}.")
    if actual.shape != tuple(shape):
        raise AssertionError(f"{name} returned an array of shape {actual.shape}; expected shape {tuple(shape)}.")


def assert_raises_value_error(func: Callable[..., Any], *args: Any, what: str = "", why: str = "", **kwargs: Any) -> str:
    """Assert that func(*args, **kwargs) raises ValueError with a non-empty message; return the message."""
    name = what or f"{getattr(func, '__name__', 'the function')}(...)"
    reason = f" ({why})" if why else ""
    try:
        result = func(*args, **kwargs)
    except ValueError as err:
        if not str(err).strip():
            raise AssertionError(f"{name} raised ValueError with an empty message; say what is wrong{reason}.") from None
        return str(err)
    except Exception as err:  # noqa: BLE001 - reported to the student
        raise AssertionError(
            f"{name} raised {type(err).__name__}: {err}; expected a ValueError{reason}."
        ) from None
    raise AssertionError(f"{name} returned {describe(result)}; expected it to raise ValueError{reason}.")


def assert_inputs_unchanged(func: Callable[..., Any], *args: Any, what: str = "", **kwargs: Any) -> Any:
    """Call func and assert it did not modify any array or list argument; return its result."""
    before = [copy.deepcopy(a) for a in args]
    before_kw = {k: copy.deepcopy(v) for k, v in kwargs.items()}
    result = func(*args, **kwargs)
    name = what or getattr(func, "__name__", "the function")
    pairs = [(f"argument {i + 1}", a, b) for i, (a, b) in enumerate(zip(args, before))]
    pairs += [(f"argument {k}", kwargs[k], before_kw[k]) for k in kwargs]
    for label, now, then in pairs:
        if isinstance(then, (np.ndarray, list)) and not np.array_equal(np.asarray(now), np.asarray(then)):
            raise AssertionError(
                f"{name} modified its {label}: it was {describe(then)} and is now {describe(now)}. "
                "Work on a copy (for example `x = np.array(x, dtype=float)`) instead of changing the input in place."
            )
    return result


def assert_finite(actual: Any, what: str = "") -> None:
    """Assert that every entry of a result is finite (no nan or inf)."""
    arr = np.asarray(actual, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise AssertionError(f"{_prefix(what)} returned {describe(actual)}, which contains nan or inf.")


def assert_choice(answer: Any, choices: list[str] | tuple[str, ...], what: str = "your prediction") -> None:
    """Assert that a prediction is one of the offered choices (spelled exactly), listing them when it is not."""
    options = ", ".join(repr(c) for c in choices)
    if not isinstance(answer, str):
        raise AssertionError(f"{what} is {describe(answer)} of type {type(answer).__name__}; write one of {options} (a string).")
    if answer not in choices:
        raise AssertionError(f"{what} is {answer!r}, which is not one of the choices; write exactly one of {options}.")
