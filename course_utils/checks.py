"""Friendly assertions for exercise tests: every failure says what was expected and what came back.

Each `assert_*` has a pure twin `message_*` that returns the failure message ("" when the check
passes). When a notebook is graded, the grader decides the scores outside the student's kernel:
the test cells run there in an *observing* form (`observe`, `observe_call`: they only report what
the student's functions returned, as data), and the grader compares those reports with the
expectations a trusted run of the reference solution recorded (`record_reference`), using the
same `message_*` functions. See docs/grading.md.

A failing check raises `CheckFailed`: its message is the verdict (what was checked, expected, got) and
IPython shows it first and alone, without the frames of this module (`_render_traceback_`). When a
*visible* check fails in the student's kernel and the student's value is what a catalogued mistake
produces for that same check, the verdict gains "Likely mistake: ..." and the section to reread; the
release ships those values for the visible checks only, in DIAGNOSIS_FILE next to the notebook.
"""

from __future__ import annotations

import copy
import json
import math
import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "describe",
    "assert_close",
    "assert_equal",
    "assert_true",
    "assert_less",
    "assert_between",
    "assert_in",
    "assert_shape",
    "assert_raises_value_error",
    "assert_inputs_unchanged",
    "assert_finite",
    "assert_choice",
    "observe",
    "observe_call",
    "CheckFailed",
    "same_failure",
]

OBSERVATION_MIME = "application/vnd.gradient-descent.observation+json"
RECORD_ENV = "COURSE_RECORD_REFERENCE"
MAX_ITEMS = 200_000  # entries encoded per container; more is reported as too large
# What `course release` ships next to a student notebook: for each VISIBLE check, what each catalogued mistake
# makes it observe (never an expected value, never a hidden check). Read from the kernel's folder when a check fails.
DIAGNOSIS_FILE = ".course_diagnosis.json"
_STATE: dict[str, Any] = {"record": os.environ.get(RECORD_ENV) == "1", "position": 0, "hooked": False,
                          "diagnosis": None}


class CheckFailed(AssertionError):
    """A check that failed. Its message is the verdict; IPython shows it first, without this module's frames."""

    def _render_traceback_(self) -> list[str]:
        lines = str(self).split("\n")
        out = [f"\x1b[1;31m{lines[0]}\x1b[0m", *lines[1:]]
        where = _cell_line(self.__traceback__)
        if where:
            out += ["", f"(checked by line {where[0]} of the test cell: {where[1]})"]
        return out


def _cell_line(tb: Any) -> tuple[int, str] | None:
    """The last frame of the traceback outside course_utils (the test cell's line that made the check)."""
    import linecache

    here = os.path.dirname(os.path.abspath(__file__))
    found = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not os.path.abspath(filename).startswith(here + os.sep) and not tb.tb_frame.f_locals.get(
                "__tracebackhide__"):
            line = linecache.getline(filename, tb.tb_lineno).strip()
            found = (tb.tb_lineno, line[:120] + ("..." if len(line) > 120 else "")) if line else None
        tb = tb.tb_next
    return found


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


def _tail(hint: str) -> str:
    return f" {hint}" if hint else ""


# -- the checks, as pure functions: "" when the check passes, else the student-facing message ----------


def message_close(actual: Any, expected: Any, what: str = "", rtol: float = 1e-7, atol: float = 1e-9,
                  hint: str = "") -> str:
    """Why `actual` is not close to `expected` ("" when it is)."""
    name, tail = _prefix(what), _tail(hint)
    if actual is None:
        return f"{name} returned None; expected {describe(expected)}. Did you forget `return`?{tail}"
    try:
        act = np.asarray(actual, dtype=float)
    except (TypeError, ValueError):
        return (f"{name} returned {describe(actual)} of type {type(actual).__name__}; expected a number or array "
                f"like {describe(expected)}.{tail}")
    exp = np.asarray(expected, dtype=float)
    if act.shape != exp.shape:
        return (f"{name} returned shape {act.shape}; expected shape {exp.shape}. "
                f"Got {describe(actual)}, expected {describe(expected)}.{tail}")
    if not np.allclose(act, exp, rtol=rtol, atol=atol, equal_nan=False):
        return f"{name} returned {describe(actual)}; expected {describe(expected)}.{tail}"
    return ""


def message_equal(actual: Any, expected: Any, what: str = "", hint: str = "") -> str:
    """Why `actual` does not equal `expected` exactly ("" when it does)."""
    if isinstance(expected, bool) and not isinstance(actual, (bool, np.bool_)):
        return f"{_prefix(what)} returned {describe(actual)} of type {type(actual).__name__}; expected the bool {expected}."
    try:
        same = bool(actual == expected)
    except (TypeError, ValueError):  # arrays compared elementwise, objects that refuse to compare
        same = False
    if not same:
        return f"{_prefix(what)} returned {describe(actual)}; expected {describe(expected)}.{_tail(hint)}"
    return ""


def message_less(actual: Any, bound: Any, what: str = "", hint: str = "") -> str:
    """Why `actual` is not a number (or array) strictly below `bound` ("" when every entry is)."""
    name = _prefix(what)
    try:
        act = np.asarray(actual, dtype=float)
    except (TypeError, ValueError):
        return f"{name} is {describe(actual)} of type {type(actual).__name__}; expected a number below {describe(bound)}."
    if act.size == 0 or not np.all(act < np.asarray(bound, dtype=float)):
        return f"{name} is {describe(actual)}; expected it to be below {describe(bound)}.{_tail(hint)}"
    return ""


def message_between(actual: Any, low: Any, high: Any, what: str = "", hint: str = "") -> str:
    """Why `actual` (every entry) is not within [low, high] ("" when it is)."""
    name = _prefix(what)
    try:
        act = np.asarray(actual, dtype=float)
    except (TypeError, ValueError):
        return f"{name} is {describe(actual)} of type {type(actual).__name__}; expected numbers in [{low}, {high}]."
    if act.size == 0 or not np.all((act >= low) & (act <= high)):
        return f"{name} is {describe(actual)}; expected every entry to lie in [{low}, {high}].{_tail(hint)}"
    return ""


def message_in(actual: Any, options: Any, what: str = "", hint: str = "") -> str:
    """Why `actual` is not one of `options` ("" when it is)."""
    try:
        found = any(actual is option or bool(actual == option) for option in options)
    except (TypeError, ValueError):
        found = False
    if not found:
        listed = ", ".join(describe(o) for o in options)
        return f"{_prefix(what)} is {describe(actual)}; expected one of {listed}.{_tail(hint)}"
    return ""


def message_shape(actual: Any, shape: tuple[int, ...], what: str = "") -> str:
    """Why `actual` is not an ndarray of the given shape ("" when it is)."""
    name = _prefix(what)
    if not isinstance(actual, np.ndarray):
        return f"{name} returned a {type(actual).__name__}; expected a NumPy array of shape {tuple(shape)}."
    if actual.shape != tuple(shape):
        return f"{name} returned an array of shape {actual.shape}; expected shape {tuple(shape)}."
    return ""


def message_finite(actual: Any, what: str = "") -> str:
    """Why `actual` is not all finite numbers ("" when it is)."""
    try:
        arr = np.asarray(actual, dtype=float)
    except (TypeError, ValueError):
        return f"{_prefix(what)} returned {describe(actual)} of type {type(actual).__name__}; expected finite numbers."
    if not np.all(np.isfinite(arr)):
        return f"{_prefix(what)} returned {describe(actual)}, which contains nan or inf."
    return ""


def message_choice(answer: Any, choices: list[str] | tuple[str, ...], what: str = "your prediction") -> str:
    """Why `answer` is not one of `choices`, spelled exactly ("" when it is)."""
    options = ", ".join(repr(c) for c in choices)
    if not isinstance(answer, str):
        return f"{what} is {describe(answer)} of type {type(answer).__name__}; write one of {options} (a string)."
    if answer not in choices:
        return f"{what} is {answer!r}, which is not one of the choices; write exactly one of {options}."
    return ""


@dataclass(frozen=True)
class Outcome:
    """What one call did: returned a value, or raised an exception (its class name and message)."""

    raised: str = ""
    message: str = ""
    value: Any = None


def message_raises_value_error(outcome: Outcome, name: str, why: str = "") -> str:
    """Why a call's outcome is not a ValueError with a non-empty message ("" when it is)."""
    reason = f" ({why})" if why else ""
    if outcome.raised == "ValueError":
        if not outcome.message.strip():
            return f"{name} raised ValueError with an empty message; say what is wrong{reason}."
        return ""
    if outcome.raised:
        return f"{name} raised {outcome.raised}: {outcome.message}; expected a ValueError{reason}."
    return f"{name} returned {describe(outcome.value)}; expected it to raise ValueError{reason}."


def message_unchanged(name: str, before: list[tuple[str, Any]], after: list[tuple[str, Any]]) -> str:
    """Why a call modified one of its array or list arguments ("" when it left them all as they were)."""
    if [label for label, _ in before] != [label for label, _ in after]:
        return f"{name} was called with different arguments than the test passed."
    for (label, then), (_, now) in zip(before, after):
        if not isinstance(then, (np.ndarray, list)):
            continue
        try:
            same = np.array_equal(np.asarray(now), np.asarray(then))
        except (TypeError, ValueError):
            same = False
        if not same:
            return (f"{name} modified its {label}: it was {describe(then)} and is now {describe(now)}. "
                    "Work on a copy (for example `x = np.array(x, dtype=float)`) instead of changing the input in place.")
    return ""


# -- the assertions notebooks call ------------------------------------------------------------------------


def assert_close(actual: Any, expected: Any, what: str = "", rtol: float = 1e-7, atol: float = 1e-9,
                 hint: str = "") -> None:
    """Assert that a number or array is close to the expected one, with a message a student can act on."""
    __tracebackhide__ = True
    message = message_close(actual, expected, what, rtol, atol, hint)
    _settle("close", actual, expected, message, what=what, rtol=rtol, atol=atol, hint=hint)


def assert_equal(actual: Any, expected: Any, what: str = "", hint: str = "") -> None:
    """Assert exact equality (for booleans, integers, strings, shapes, lengths)."""
    __tracebackhide__ = True
    _settle("equal", actual, expected, message_equal(actual, expected, what, hint), what=what, hint=hint)


def assert_true(condition: bool, message: str) -> None:
    """Assert a condition, failing with the given message (not for graded cells: the grader cannot observe it)."""
    __tracebackhide__ = True
    if not condition:
        raise CheckFailed(message)


def assert_less(actual: Any, bound: Any, what: str = "", hint: str = "") -> None:
    """Assert that a number (or every entry of an array) is strictly below a bound."""
    __tracebackhide__ = True
    _settle("less", actual, bound, message_less(actual, bound, what, hint), what=what, hint=hint)


def assert_between(actual: Any, low: float, high: float, what: str = "", hint: str = "") -> None:
    """Assert that a number (or every entry of an array) lies in [low, high]."""
    __tracebackhide__ = True
    _settle("between", actual, (low, high), message_between(actual, low, high, what, hint), what=what, hint=hint)


def assert_in(actual: Any, options: list | tuple, what: str = "", hint: str = "") -> None:
    """Assert that a value is one of a few allowed values (same type and value)."""
    __tracebackhide__ = True
    _settle("in", actual, list(options), message_in(actual, options, what, hint), what=what, hint=hint)


def assert_shape(actual: Any, shape: tuple[int, ...], what: str = "") -> None:
    """Assert that a result is an ndarray of the given shape."""
    __tracebackhide__ = True
    _settle("shape", actual, tuple(shape), message_shape(actual, shape, what), what=what)


def assert_finite(actual: Any, what: str = "") -> None:
    """Assert that every entry of a result is finite (no nan or inf)."""
    __tracebackhide__ = True
    _settle("finite", actual, None, message_finite(actual, what), what=what)


def assert_choice(answer: Any, choices: list[str] | tuple[str, ...], what: str = "your prediction") -> None:
    """Assert that a prediction is one of the offered choices (spelled exactly), listing them when it is not."""
    __tracebackhide__ = True
    _settle("choice", answer, list(choices), message_choice(answer, choices, what), what=what)


def assert_raises_value_error(func: Callable[..., Any], *args: Any, what: str = "", why: str = "", **kwargs: Any) -> str:
    """Assert that func(*args, **kwargs) raises ValueError with a non-empty message; return the message."""
    __tracebackhide__ = True
    name = what or f"{getattr(func, '__name__', 'the function')}(...)"
    outcome = call_outcome(func, args, kwargs)
    _settle("raises_value_error", outcome, Outcome(raised="ValueError", message="(a message)"),
            message_raises_value_error(outcome, name, why), what=name, why=why)
    return outcome.message


def assert_inputs_unchanged(func: Callable[..., Any], *args: Any, what: str = "", **kwargs: Any) -> Any:
    """Call func and assert it did not modify any array or list argument; return its result."""
    __tracebackhide__ = True
    name = what or getattr(func, "__name__", "the function")
    before = _labelled([copy.deepcopy(a) for a in args], {k: copy.deepcopy(v) for k, v in kwargs.items()})
    result = func(*args, **kwargs)
    after = _labelled(list(args), kwargs)
    _settle("inputs_unchanged", after, before, message_unchanged(name, before, after), what=name)
    return result


def call_outcome(func: Callable[..., Any], args: tuple, kwargs: dict) -> Outcome:
    """Call func and describe what it did (the value it returned, or the exception it raised)."""
    try:
        return Outcome(value=func(*args, **kwargs))
    except Exception as err:  # noqa: BLE001 - reported to the student
        return Outcome(raised=type(err).__name__, message=str(err))


def _labelled(args: list, kwargs: dict) -> list[tuple[str, Any]]:
    return [(f"argument {i + 1}", a) for i, a in enumerate(args)] + [(f"argument {k}", v) for k, v in kwargs.items()]


def _settle(kind: str, got: Any, expected: Any, message: str, **opts: Any) -> None:
    """Record the check when recording a reference run, then fail if it failed (diagnosed when not recording)."""
    __tracebackhide__ = True
    position = _next_position()
    if _STATE["record"]:
        _emit({"kind": kind, "what": opts.get("what", ""), "got": encode(got), "expected": encode(expected),
               "opts": {k: v for k, v in opts.items() if k != "what"}, "message": message})
    elif message:
        message += diagnosis(kind, got, opts.get("what", ""), position, opts, expected)
    if message:
        raise CheckFailed(message)


# -- diagnosis of visible checks in the student's kernel ---------------------------------------------------


def _next_position() -> int:
    """This check's position in the running cell (0, 1, ...): counted from the last pre_run_cell event."""
    if not _STATE["hooked"]:
        _STATE["hooked"] = True
        try:
            from IPython import get_ipython

            shell = get_ipython()
        except ImportError:  # pragma: no cover - IPython comes with ipykernel
            shell = None
        if shell is not None:
            shell.events.register("pre_run_cell", _reset_position)
    position = _STATE["position"]
    _STATE["position"] = position + 1
    return position


def _reset_position(*_: Any) -> None:
    _STATE["position"] = 0


def _diagnosis_table() -> list[dict]:
    """The visible checks' catalogued wrong values shipped next to the notebook ([] when there is no file)."""
    path = os.path.abspath(DIAGNOSIS_FILE)
    cached = _STATE["diagnosis"]
    try:
        stamp = os.stat(path).st_mtime_ns
    except OSError:
        return []
    if cached is None or cached[0] != (path, stamp):
        try:
            with open(path, encoding="utf-8") as f:
                checks_ = json.load(f).get("checks", [])
        except (OSError, ValueError, AttributeError):
            checks_ = []
        _STATE["diagnosis"] = cached = ((path, stamp), checks_ if isinstance(checks_, list) else [])
    return cached[1]


def diagnosis(kind: str, got: Any, what: str, position: int, opts: dict | None = None, expected: Any = None) -> str:
    """'\\nLikely mistake: ...\\nReread the section “...”.' when a failing value is a catalogued mistake's, else ""."""
    try:
        entries = [e for e in _diagnosis_table() if isinstance(e, dict) and e.get("kind") == kind
                   and e.get("what") == what]
        entries.sort(key=lambda e: e.get("position") != position)  # the same position first
        data, before = encode(got), encode(expected)
        candidates = [m for e in entries for m in e.get("mistakes", []) if isinstance(m, dict)]
        for strict in (True, False):
            for mistake in candidates:
                if same_failure(kind, data, mistake.get("got"), opts or {}, before, strict):
                    text = f"\nLikely mistake: {mistake.get('description', '')}"
                    if mistake.get("section"):
                        text += f"\nReread the section “{mistake['section']}”."
                    return text
    except Exception:  # noqa: BLE001 - a diagnosis never hides the verdict itself
        return ""
    return ""


def _changed_labels(after: Any, before: Any) -> set | None:
    """The labels of the arguments whose encoded value differs after the call (None when it cannot be told)."""
    try:
        then = {json.dumps(p["items"][0], sort_keys=True): json.dumps(p["items"][1], sort_keys=True)
                for p in before["items"]}
        now = {json.dumps(p["items"][0], sort_keys=True): json.dumps(p["items"][1], sort_keys=True)
               for p in after["items"]}
    except (KeyError, TypeError, IndexError):
        return None
    return {label for label in now if then.get(label) != now[label]} if set(then) == set(now) else None


def _plain_numbers(data: Any) -> np.ndarray | None:
    """An encoded real number, array or numeric list as a float array (None for anything else)."""
    if not isinstance(data, dict):
        return None
    t = data.get("t")

    def num(x: Any) -> float:
        if isinstance(x, bool) or not isinstance(x, (int, float, str)):
            raise ValueError("not a number")
        return float(x)

    try:
        if t in ("float", "np.float", "int", "np.int"):
            return np.asarray(num(data["v"]))
        if t == "ndarray" and data.get("dtype") != "object" and np.dtype(str(data["dtype"])).kind in "biuf":
            return np.asarray([num(x) for x in data["data"]], dtype=float).reshape(
                tuple(int(n) for n in data["shape"]))
        if t in ("list", "tuple"):
            items = [_plain_numbers(x) for x in data["items"]]
            if items and all(i is not None for i in items) and len({i.shape for i in items}) == 1:
                return np.stack(items)
    except (KeyError, TypeError, ValueError):
        return None
    return None


def same_failure(kind: str, got: Any, wrong: Any, opts: dict, expected: Any = None, strict: bool = True) -> bool:
    """Does an observed value (encoded) fail a check exactly as a catalogued wrong answer's value (encoded) does?

    Numbers and arrays: within the check's own tolerance; symbolic results: the same values at the sample points;
    anything else: the same data. Not `strict`, a call that should raise fails alike when both returned (or both
    raised the same exception), and a call that modified its inputs when it modified the same ones (`expected`
    holds them as they were before the call): what differs then is only how wrong the returned value was.
    """
    if not isinstance(got, dict) or not isinstance(wrong, dict):
        return False
    if not strict and kind == "raises_value_error":
        return got.get("t") == wrong.get("t") == "outcome" and got.get("raised") == wrong.get("raised")
    if not strict and kind == "inputs_unchanged":
        return _changed_labels(got, expected) == _changed_labels(wrong, expected) != set()
    if kind == "close":
        a, b = _plain_numbers(got), _plain_numbers(wrong)
        if a is None or b is None:
            return got == wrong
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=float(opts.get("rtol", 1e-7)),
                                                       atol=float(opts.get("atol", 1e-9)), equal_nan=True))
    if kind == "sym_equal" and got.get("t") == wrong.get("t") == "sympy":
        a, b = got.get("samples"), wrong.get("samples")
        if a is None or b is None or got.get("shape") != wrong.get("shape"):
            return got == wrong
        try:
            x = np.asarray([[complex(float(r), float(i)) for r, i in row] for row in a])
            y = np.asarray([[complex(float(r), float(i)) for r, i in row] for row in b])
        except (TypeError, ValueError):
            return False
        return x.shape == y.shape and bool(np.allclose(x, y, rtol=1e-9, atol=1e-12, equal_nan=True))
    return json.dumps(got, sort_keys=True) == json.dumps(wrong, sort_keys=True)


# -- observing: what the graded test cells run in a student's kernel ---------------------------------------


def observe(kind: str, actual: Any, what: str = "") -> None:
    """Report a value a test computed from the student's code (the grader judges it, not this kernel)."""
    _emit({"kind": kind, "what": what, "got": encode(actual)})


def observe_call(kind: str, func: Callable[..., Any], *args: Any, what: str = "", **kwargs: Any) -> Any:
    """Call a student's function and report what the call did ('raises_value_error' or 'inputs_unchanged')."""
    if kind == "raises_value_error":
        name = what or f"{getattr(func, '__name__', 'the function')}(...)"
        outcome = call_outcome(func, args, kwargs)
        _emit({"kind": kind, "what": name, "got": encode(outcome)})
        return outcome.message
    if kind == "inputs_unchanged":
        name = what or getattr(func, "__name__", "the function")
        result = func(*args, **kwargs)
        _emit({"kind": kind, "what": name, "got": encode(_labelled(list(args), kwargs))})
        return result
    raise ValueError(f"observe_call: unknown kind {kind!r}")


def record_reference(on: bool = True) -> None:
    """Make every assertion also record what it checked (for the grader's trusted reference run)."""
    _STATE["record"] = bool(on)


def _emit(record: dict) -> None:
    from IPython.display import publish_display_data

    publish_display_data({OBSERVATION_MIME: record})


# -- values as plain data: what crosses from a kernel to the grader -----------------------------------------


def _num(x: float) -> float | str:
    return x if math.isfinite(x) else repr(x)


def _array_data(arr: np.ndarray) -> list:
    flat = arr.reshape(-1)
    if arr.dtype.kind == "c":
        return [[_num(float(z.real)), _num(float(z.imag))] for z in flat]
    if arr.dtype.kind == "f":
        return [_num(float(x)) for x in flat]
    if arr.dtype.kind == "b":
        return [bool(x) for x in flat]
    return [int(x) for x in flat]


def _sym_samples(value: Any) -> list | None:
    """A SymPy expression (or matrix) evaluated at three points fixed by its symbols' names."""
    try:
        import sympy as sp

        entries = list(value) if isinstance(value, sp.MatrixBase) else [value]
        symbols = sorted({s for e in entries for s in sp.sympify(e).free_symbols}, key=lambda s: s.name)
        samples = []
        for k in range(3):
            point = {s: 0.3 + (zlib.crc32(f"{s.name}/{k}".encode()) % 1400) / 1000 for s in symbols}
            row = []
            for e in entries:
                z = complex(sp.sympify(e).evalf(15, subs=point))
                row.append([_num(z.real), _num(z.imag)])
            samples.append(row)
        return samples
    except Exception:  # noqa: BLE001 - an expression that cannot be evaluated
        return None


def encode(value: Any, depth: int = 0) -> dict:
    """Describe a value as JSON-ready data with its type, so it can be judged outside this kernel."""
    try:
        return _encode(value, depth)
    except Exception as err:  # noqa: BLE001 - whatever it is, it is reported, never trusted
        return {"t": "unencodable", "cls": type(value).__name__, "error": type(err).__name__}


def _encode(value: Any, depth: int) -> dict:
    if depth > 12:
        return {"t": "too_deep"}
    if value is None:
        return {"t": "none"}
    if isinstance(value, (bool, np.bool_)):
        return {"t": "bool" if isinstance(value, bool) else "np.bool", "v": bool(value)}
    if isinstance(value, (int, np.integer)):
        return {"t": "int" if isinstance(value, int) else "np.int", "v": str(int(value)),
                "dtype": "" if isinstance(value, int) else str(np.asarray(value).dtype)}
    if isinstance(value, np.floating):  # before float: np.float64 is a float subclass
        return {"t": "np.float", "v": _num(float(value)), "dtype": str(np.asarray(value).dtype)}
    if isinstance(value, float):
        return {"t": "float", "v": _num(float(value)), "dtype": ""}
    if isinstance(value, (complex, np.complexfloating)):
        return {"t": "complex", "v": [_num(value.real), _num(value.imag)]}
    if isinstance(value, str):
        return {"t": "str", "v": value[:MAX_ITEMS]}
    if isinstance(value, np.ndarray):
        arr = np.asarray(value)
        if arr.size > MAX_ITEMS:
            return {"t": "too_large", "cls": "ndarray", "shape": list(arr.shape)}
        if arr.dtype.kind in "biufc":
            return {"t": "ndarray", "dtype": str(arr.dtype), "shape": list(arr.shape), "data": _array_data(arr)}
        return {"t": "ndarray", "dtype": "object", "shape": list(arr.shape),
                "items": [_encode(x, depth + 1) for x in arr.reshape(-1)]}
    if isinstance(value, Outcome):
        if value.raised:
            return {"t": "outcome", "raised": value.raised, "message": value.message[:2000]}
        return {"t": "outcome", "raised": "", "value": _encode(value.value, depth + 1)}
    if isinstance(value, (list, tuple)):
        if len(value) > MAX_ITEMS:
            return {"t": "too_large", "cls": type(value).__name__}
        return {"t": "tuple" if isinstance(value, tuple) else "list", "items": [_encode(x, depth + 1) for x in value]}
    if isinstance(value, dict):
        return {"t": "dict", "items": [[_encode(k, depth + 1), _encode(v, depth + 1)] for k, v in value.items()]}
    if type(value).__module__.split(".")[0] == "sympy":
        return {"t": "sympy", "cls": type(value).__name__, "shape": list(getattr(value, "shape", ()) or ()),
                "text": str(value)[:2000], "samples": _sym_samples(value)}
    if isinstance(value, type):
        return {"t": "type", "name": value.__name__}
    return {"t": "object", "cls": type(value).__name__, "repr": _safe_repr(value)}


def _safe_repr(value: Any) -> str:
    try:
        return repr(value)[:200]
    except Exception:  # noqa: BLE001
        return f"<{type(value).__name__}>"
