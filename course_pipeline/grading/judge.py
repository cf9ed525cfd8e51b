"""The judge: grades decided outside the student's kernel, from observations, failing closed.

A graded test cell is written with the friendly assertions of `course_utils.checks`
(`checks.assert_close(f(x), expected, what=...)`). For grading it runs in two forms:

* in a trusted kernel, against the source notebook's reference solution, exactly as written,
  with recording on: every assertion records what it checked, the expected value, the tolerances
  and the reference's own result (`run_reference`, in one live kernel);
* in the student's kernel, in its *observing* form (`observing_source`): each assertion becomes
  `checks.observe(...)` / `checks.observe_call(...)` with the expected side removed, together with
  every statement that only computed expectations. The cell then reports what the student's
  functions returned, as data, and decides nothing; hidden expected values never reach the kernel.

`judge_cell` compares the two lists outside both kernels, with the same pure `checks.message_*`
functions the assertions use. A test scores only when every observation arrived, in order,
well-formed, and matched; anything else scores zero with a reason.
"""

from __future__ import annotations

import ast
import hashlib
import json
import math
import os
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from nbformat import NotebookNode

from course_utils import checks
from ..nbtools import CourseError, is_test_cell, nbgrader_meta, notebook_paths

MIME = checks.OBSERVATION_MIME
FAILED_ENAME = "AssertionError"
MAX_REASONS = 5

# How each assertion's arguments split: the parameter names in order, which of them the student's
# kernel still evaluates (the rest is the expectation, dropped), and how the observation is made.
_SIGNATURES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "assert_close": ("close", ("actual", "expected", "what", "rtol", "atol", "hint"), ("actual", "what")),
    "assert_equal": ("equal", ("actual", "expected", "what", "hint"), ("actual", "what")),
    "assert_less": ("less", ("actual", "bound", "what", "hint"), ("actual", "what")),
    "assert_shape": ("shape", ("actual", "shape", "what"), ("actual", "what")),
    "assert_finite": ("finite", ("actual", "what"), ("actual", "what")),
    "assert_choice": ("choice", ("answer", "choices", "what"), ("answer", "what")),
    "assert_in": ("in", ("actual", "options", "what", "hint"), ("actual", "what")),
    "assert_between": ("between", ("actual", "low", "high", "what", "hint"), ("actual", "what")),
    "assert_sym_equal": ("sym_equal", ("actual", "expected", "what"), ("actual", "what")),
}
_CALL_CHECKS = {"assert_raises_value_error": "raises_value_error", "assert_inputs_unchanged": "inputs_unchanged"}
_HELPERS = {"describe"}  # checks.* that only format text
_CHECK_MODULES = {"checks": set(_SIGNATURES) - {"assert_sym_equal"} | set(_CALL_CHECKS) | _HELPERS,
                  "symbolic": {"assert_sym_equal"}}
_DECIDERS = {"allclose", "isclose", "array_equal", "array_equiv", "assert_allclose", "assert_array_equal",
             "assert_equal", "sym_equal", "isfinite", "all", "any"}
_MUTATORS = {"append", "extend", "insert", "update", "add", "setdefault", "fill", "sort", "clear"}


class AuthoringError(CourseError):
    """A graded test cell the judge cannot turn into observations (a fix for the course author)."""


# -- the observing form of a test cell ----------------------------------------------------------------


@lru_cache(maxsize=4096)
def observing_source(source: str, where: str = "test cell") -> str:
    """The test cell as the student's kernel runs it when graded: observations only, no expectations.

    Cached: every submission of an assignment has the same test cells (nbgrader restores them).
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        raise AuthoringError(f"{where}: not valid Python ({err.msg}, line {err.lineno})") from None
    stripper = _Stripper(where)
    tree = stripper.visit(tree)
    if not stripper.count:
        raise AuthoringError(f"{where}: makes no check the grader can observe (use course_utils.checks)")
    oracle_names = set(stripper.dropped_names)
    _drop_oracle_statements(tree, oracle_names)
    _refuse_leftover_expectations(tree, oracle_names, where)
    ast.fix_missing_locations(tree)
    return ast.unparse(tree) + "\n"


def _refuse_leftover_expectations(tree: ast.Module, oracle: set[str], where: str) -> None:
    """Refuse an observing form that still computes a value only expectations used (it would sit in the kernel)."""
    loaded = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    stored = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    left = sorted((oracle & stored) - loaded)
    if left:
        raise AuthoringError(f"{where}: {', '.join(left)} only feed expectations but cannot be removed from what the "
                             "student's kernel runs; compute expected values in their own statements (not in a "
                             "tuple or loop shared with the inputs)")


class _Stripper(ast.NodeTransformer):
    def __init__(self, where: str) -> None:
        self.where = where
        self.count = 0
        self.dropped_names: set[str] = set()

    def visit_Assert(self, node: ast.Assert) -> Any:
        raise AuthoringError(f"{self.where}, line {node.lineno}: a plain `assert` is decided in the student's kernel; "
                             "use a course_utils.checks assertion")

    def visit_Raise(self, node: ast.Raise) -> Any:
        raise AuthoringError(f"{self.where}, line {node.lineno}: a test that raises by itself is decided in the "
                             "student's kernel; use a course_utils.checks assertion")

    def visit_Attribute(self, node: ast.Attribute) -> Any:
        if isinstance(node.value, ast.Name) and node.value.id in _CHECK_MODULES:
            allowed = _CHECK_MODULES[node.value.id]
            if node.attr not in allowed and node.value.id == "checks" or node.attr.startswith("assert_") \
                    and node.attr not in allowed:
                raise AuthoringError(
                    f"{self.where}, line {node.lineno}: {node.value.id}.{node.attr} cannot be judged outside the "
                    "student's kernel" + ("; use assert_close, assert_equal, assert_less, assert_shape or "
                                          "assert_finite on the value itself" if node.attr == "assert_true" else ""))
        return self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> Any:
        func = node.func
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                and func.value.id in _CHECK_MODULES and func.attr in _CHECK_MODULES[func.value.id] - _HELPERS):
            return self.generic_visit(node)
        if any(isinstance(a, ast.Starred) for a in node.args) and func.attr in _SIGNATURES \
                or any(k.arg is None for k in node.keywords) and func.attr in _SIGNATURES:
            raise AuthoringError(f"{self.where}, line {node.lineno}: {func.attr} with *args or **kwargs cannot be "
                                 "split into what is observed and what is expected; name the arguments")
        self.count += 1
        observe = ast.Attribute(value=ast.Name(id="checks", ctx=ast.Load()), attr="observe", ctx=ast.Load())
        if func.attr in _CALL_CHECKS:
            kind = _CALL_CHECKS[func.attr]
            keywords = [k for k in node.keywords if k.arg != "why"]
            for k in node.keywords:
                if k.arg == "why":
                    self._drop(k.value)
            call = ast.Call(func=ast.Attribute(value=observe.value, attr="observe_call", ctx=ast.Load()),
                            args=[ast.Constant(kind)] + [self.visit(a) for a in node.args],
                            keywords=[ast.keyword(arg=k.arg, value=self.visit(k.value)) for k in keywords])
            return ast.copy_location(call, node)
        kind, params, kept = _SIGNATURES[func.attr]
        bound: dict[str, ast.expr] = {}
        if len(node.args) > len(params):
            raise AuthoringError(f"{self.where}, line {node.lineno}: {func.attr} has too many arguments")
        for name, arg in zip(params, node.args):
            bound[name] = arg
        for k in node.keywords:
            if k.arg not in params or k.arg in bound:
                raise AuthoringError(f"{self.where}, line {node.lineno}: {func.attr} has an unknown or repeated "
                                     f"argument {k.arg!r}")
            bound[k.arg] = k.value
        first = params[0]
        if first not in bound:
            raise AuthoringError(f"{self.where}, line {node.lineno}: {func.attr} without the value to check")
        for name, value in bound.items():
            if name not in kept:
                self._drop(value)
        for node in ast.walk(bound[first]):
            if isinstance(node, ast.Compare) or isinstance(node, ast.Call) and _call_name(node) in _DECIDERS:
                raise AuthoringError(
                    f"{self.where}, line {node.lineno}: the value {func.attr} checks is itself a comparison "
                    f"({ast.unparse(node)[:60]}), decided in the student's kernel; check the result itself "
                    "(assert_close, assert_equal, assert_less, assert_between, assert_in)")
        keywords = [ast.keyword(arg="what", value=self.visit(bound["what"]))] if "what" in bound else []
        call = ast.Call(func=observe, args=[ast.Constant(kind), self.visit(bound[first])], keywords=keywords)
        return ast.copy_location(call, node)

    def _drop(self, expr: ast.expr) -> None:
        self.dropped_names |= {n.id for n in ast.walk(expr) if isinstance(n, ast.Name)}


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _written_names(stmt: ast.stmt) -> set[str] | None:
    """The names a statement only writes (None when it is not a plain write the judge may remove)."""
    if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        names: set[str] = set()
        for target in targets:
            base = target
            while isinstance(base, (ast.Subscript, ast.Attribute)):
                base = base.value
            if isinstance(base, ast.Name):
                names.add(base.id)
            elif isinstance(base, (ast.Tuple, ast.List)):
                for node in ast.walk(base):
                    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                        names.add(node.id)
                    elif isinstance(node, (ast.Subscript, ast.Attribute, ast.Starred)) and not isinstance(
                            node, ast.Starred):
                        return None
            else:
                return None
        return names
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        func = stmt.value.func
        if isinstance(func, ast.Attribute) and func.attr in _MUTATORS and isinstance(func.value, ast.Name):
            return {func.value.id}
    if isinstance(stmt, ast.FunctionDef):
        return {stmt.name}
    return None


def _loads_outside(tree: ast.AST, skip: ast.stmt | None = None) -> dict[str, int]:
    counts: dict[str, int] = {}

    def walk(node: ast.AST) -> None:
        if node is skip:
            return
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            counts[node.id] = counts.get(node.id, 0) + 1
        for child in ast.iter_child_nodes(node):
            walk(child)

    walk(tree)
    return counts


def _drop_oracle_statements(tree: ast.Module, oracle: set[str]) -> None:
    """Remove, until nothing changes, the statements that only compute values no observation uses."""
    changed = True
    while changed:
        changed = False
        for body_owner, attr, stmt in list(_statements(tree)):
            written = _written_names(stmt)
            if not written or not written <= oracle:
                continue
            loads_elsewhere = _loads_outside(tree, skip=stmt)
            own = _self_loads(tree, stmt, written)
            if all(loads_elsewhere.get(n, 0) - own.get(n, 0) == 0 for n in written):
                getattr(body_owner, attr).remove(stmt)
                oracle |= {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name)}
                changed = True
        for body_owner, attr, stmt in list(_statements(tree)):  # loops left with nothing to do
            if isinstance(stmt, (ast.For, ast.While, ast.If, ast.With)) and not stmt.body and not getattr(
                    stmt, "orelse", []):
                getattr(body_owner, attr).remove(stmt)
                changed = True
    for node in ast.walk(tree):
        if isinstance(getattr(node, "body", None), list) and not node.body:
            node.body.append(ast.Pass())


def _self_loads(tree: ast.AST, stmt: ast.stmt, names: set[str]) -> dict[str, int]:
    """Loads of `names` by the other statements that only write those same names (x.append(...) chains)."""
    counts: dict[str, int] = {}
    for _, _, other in _statements(tree):
        if other is stmt:
            continue
        written = _written_names(other)
        if written and written <= names:
            for node in ast.walk(other):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in names:
                    counts[node.id] = counts.get(node.id, 0) + 1
    return counts


def _statements(tree: ast.AST):
    for node in ast.walk(tree):
        for attr in ("body", "orelse", "finalbody"):
            body = getattr(node, attr, None)
            if isinstance(body, list):
                for stmt in list(body):
                    if isinstance(stmt, ast.stmt):
                        yield node, attr, stmt


# -- reading observations back ----------------------------------------------------------------------------


class Opaque:
    """A value the student's code returned that is not plain data (an object, a type, something unencodable)."""

    def __init__(self, description: str) -> None:
        self.description = description

    def __repr__(self) -> str:
        return self.description


@dataclass(frozen=True)
class Symbolic:
    """A SymPy result as observed: its class, shape, text and values at three fixed points."""

    cls: str
    shape: tuple
    text: str
    samples: tuple | None

    def __repr__(self) -> str:
        return self.text


class MalformedEvidence(ValueError):
    """An observation that does not decode."""


def _num(x: Any) -> float:
    if isinstance(x, bool):
        raise MalformedEvidence("bool where a number belongs")
    if isinstance(x, (int, float)):
        return float(x)
    if x in ("nan", "inf", "-inf"):
        return float(x)
    raise MalformedEvidence(f"not a number: {str(x)[:40]!r}")


def decode(data: Any, depth: int = 0) -> Any:
    """Turn an observed value's data back into a Python value (MalformedEvidence when it is not well-formed)."""
    if depth > 14 or not isinstance(data, dict) or not isinstance(data.get("t"), str):
        raise MalformedEvidence("not an encoded value")
    t = data["t"]
    try:
        if t == "none":
            return None
        if t in ("bool", "np.bool"):
            v = data["v"]
            if not isinstance(v, bool):
                raise MalformedEvidence("bool")
            return v if t == "bool" else np.bool_(v)
        if t in ("int", "np.int"):
            text = str(data["v"])
            if len(text) > 400:
                raise MalformedEvidence("integer too long")
            v = int(text)
            return v if t == "int" else np.dtype(_dtype(data.get("dtype"), "iu")).type(v)
        if t in ("float", "np.float"):
            v = _num(data["v"])
            return v if t == "float" else np.dtype(_dtype(data.get("dtype"), "f")).type(v)
        if t == "complex":
            re, im = data["v"]
            return complex(_num(re), _num(im))
        if t == "str":
            return str(data["v"])
        if t in ("list", "tuple"):
            items = [decode(x, depth + 1) for x in data["items"]]
            return items if t == "list" else tuple(items)
        if t == "dict":
            out = {}
            for k, v in data["items"]:
                key = decode(k, depth + 1)
                if not isinstance(key, (str, int, float, bool, tuple, type(None))):
                    raise MalformedEvidence("dict key")
                out[key] = decode(v, depth + 1)
            return out
        if t == "ndarray":
            shape = tuple(int(s) for s in data["shape"])
            if data["dtype"] == "object":
                arr = np.empty(len(data["items"]), dtype=object)
                for i, x in enumerate(data["items"]):
                    arr[i] = decode(x, depth + 1)
                return arr.reshape(shape)
            dtype = np.dtype(_dtype(data["dtype"], "biufc"))
            raw = data["data"]
            if dtype.kind == "c":
                flat = [complex(_num(a), _num(b)) for a, b in raw]
            elif dtype.kind == "f":
                flat = [_num(x) for x in raw]
            else:
                flat = [x if isinstance(x, (bool, int)) else _num(x) for x in raw]
            if math.prod(shape) != len(flat):
                raise MalformedEvidence("array size")
            return np.array(flat, dtype=dtype).reshape(shape)
        if t == "outcome":
            if data["raised"]:
                return checks.Outcome(raised=str(data["raised"])[:100], message=str(data.get("message", "")))
            return checks.Outcome(value=decode(data["value"], depth + 1))
        if t == "sympy":
            samples = data.get("samples")
            parsed = None
            if samples is not None:
                parsed = tuple(tuple(complex(_num(a), _num(b)) for a, b in row) for row in samples)
            return Symbolic(str(data.get("cls", ""))[:60], tuple(int(s) for s in data.get("shape", [])),
                            str(data.get("text", ""))[:2000], parsed)
        if t == "type":
            return Opaque(f"the class {str(data.get('name', ''))[:60]}")
        if t in ("object", "unencodable", "too_large", "too_deep"):
            cls = str(data.get("cls", "value"))[:60]
            return Opaque({"object": f"<{cls} object {str(data.get('repr', ''))[:120]}>",
                           "too_large": f"<a {cls} too large to report>",
                           "too_deep": "<a value nested too deeply to report>"}.get(t, f"<a {cls} that cannot be reported>"))
    except MalformedEvidence:
        raise
    except (KeyError, TypeError, ValueError, OverflowError):
        raise MalformedEvidence(f"a {t} value") from None
    raise MalformedEvidence(f"unknown kind of value {t[:20]!r}")


def _dtype(name: Any, kinds: str) -> str:
    dtype = np.dtype(str(name))
    if dtype.kind not in kinds or dtype.itemsize > 16:
        raise MalformedEvidence("dtype")
    return dtype.str


# -- comparing ---------------------------------------------------------------------------------------------


def _sym_message(got: Any, expected: Any, what: str) -> str:
    name = what or "your expression"
    if got is None:
        return f"{name} returned None; expected {expected!r}. Did you forget `return`?"
    g, e = _sym_values(got), _sym_values(expected)
    if e is None:
        return f"{name}: the expected expression could not be evaluated"
    if g is None or g[0] != e[0]:
        shape_g = g[0] if g else type(got).__name__
        return f"{name} returned {got!r} (shape {shape_g or 'a scalar'}); expected {expected!r} (shape {e[0] or 'a scalar'})."
    if not np.allclose(np.array(g[1]), np.array(e[1]), rtol=1e-9, atol=1e-12):
        return f"{name} returned {got!r}; expected {expected!r}."
    return ""


def _sym_values(value: Any) -> tuple[tuple, list] | None:
    """(shape, samples) of a symbolic or plain numeric value; None when it has none."""
    if isinstance(value, Symbolic):
        if value.samples is None:
            return None
        return (value.shape, [list(row) for row in value.samples])
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, (Symbolic, int, float)) for v in value):
        cols = [_sym_values(v) for v in value]
        if any(c is None or c[0] for c in cols):
            return None
        return ((len(value), 1), [[c[1][k][0] for c in cols] for k in range(3)])
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return ((), [[complex(value)]] * 3)
    return None


def compare(kind: str, got: Any, reference: dict) -> str:
    """The failure message for one observation against its reference record ("" when it matches)."""
    expected = decode(reference["expected"])
    opts = reference.get("opts", {})
    what = reference.get("what", "")
    if kind == "close":
        return checks.message_close(got, expected, what, float(opts.get("rtol", 1e-7)), float(opts.get("atol", 1e-9)),
                                    str(opts.get("hint", "")))
    if kind == "equal":
        return checks.message_equal(got, expected, what, str(opts.get("hint", "")))
    if kind == "less":
        return checks.message_less(got, expected, what, str(opts.get("hint", "")))
    if kind == "shape":
        return checks.message_shape(got, tuple(expected), what)
    if kind == "finite":
        return checks.message_finite(got, what)
    if kind == "choice":
        return checks.message_choice(got, expected, what)
    if kind == "in":
        return checks.message_in(got, expected, what, str(opts.get("hint", "")))
    if kind == "between":
        low, high = expected
        return checks.message_between(got, low, high, what, str(opts.get("hint", "")))
    if kind == "raises_value_error":
        if not isinstance(got, checks.Outcome):
            raise MalformedEvidence("a call's outcome")
        return checks.message_raises_value_error(got, what, str(opts.get("why", "")))
    if kind == "inputs_unchanged":
        if not (isinstance(got, list) and all(isinstance(p, tuple) and len(p) == 2 for p in got)):
            raise MalformedEvidence("a call's arguments")
        return checks.message_unchanged(what, [tuple(p) for p in expected], [tuple(p) for p in got])
    if kind == "sym_equal":
        return _sym_message(got, expected, what)
    raise MalformedEvidence(f"unknown check {kind[:30]!r}")


@dataclass
class Verdict:
    """The judge's decision on one graded test cell."""

    passed: bool
    reasons: list[str] = field(default_factory=list)
    checks_total: int = 0
    checks_matched: int = 0
    mistakes: list[str] = field(default_factory=list)  # catalogued mistakes the observations match

    def as_dict(self) -> dict:
        """Plain data (for grades, reports and the class report)."""
        return {"passed": self.passed, "reasons": list(self.reasons), "mistakes": list(self.mistakes),
                "checks_total": self.checks_total, "checks_matched": self.checks_matched}


def observations(cell: NotebookNode) -> list[Any]:
    """The observation records a cell's outputs carry, in order (whatever their content)."""
    return [out["data"][MIME] for out in cell.get("outputs", [])
            if out.get("output_type") == "display_data" and MIME in out.get("data", {})]


def judge_cell(cell: NotebookNode, reference: list[dict], mistakes: list[dict] | tuple = ()) -> Verdict:
    """Decide one test cell from its observations and the reference records, failing closed.

    A failing observation that matches what a catalogued mistake produces on the same inputs is diagnosed:
    its message gains `Likely mistake: ...` and the section of the notebook to reread.
    """
    got = observations(cell)
    verdict = Verdict(passed=False, checks_total=len(reference))
    for i, ref in enumerate(reference):
        label = ref.get("what") or ref["kind"]
        if i >= len(got):
            stopped = _stopping_error(cell)
            message = f"The test stopped before it checked {label}" + (f": {stopped}" if stopped else
                                                                      " (nothing was reported).")
            found = next((m for m in mistakes if stopped and m.get("stopped") == stopped
                          and len(m.get("got") or []) == i), None)  # a mistake that raises just there, just so
            if found is not None:
                verdict.mistakes.append(found["description"])
                message += _diagnosis_lines(found)
            verdict.reasons.append(message if i == len(got) else "")
            break
        record = got[i]
        if not isinstance(record, dict) or record.get("kind") != ref["kind"] or record.get("what") != ref.get("what"):
            message = (f"Check {i + 1} of this test ({label}) did not report what the test checks; "
                       "the cell's output was changed or its inputs were not the test's.")
            found = _diagnose_inputs(ref, record, i, mistakes)
            if found is not None:
                verdict.mistakes.append(found["description"])
                message += _diagnosis_lines(found)
            verdict.reasons.append(message)
            break
        try:
            got_value = decode(record.get("got"))
            message = compare(ref["kind"], got_value, ref)
        except MalformedEvidence as err:
            message, got_value = f"{label}: the result could not be read back ({err}).", None
        if message:
            found = diagnose(ref, record.get("got"), got_value, i, mistakes) if got_value is not None else None
            if found is not None and found["description"] not in verdict.mistakes:
                verdict.mistakes.append(found["description"])
                message += _diagnosis_lines(found)
            if len(verdict.reasons) < MAX_REASONS:
                verdict.reasons.append(message)
        else:
            verdict.checks_matched += 1
    else:
        if len(got) > len(reference):
            verdict.reasons.append(f"The test reported {len(got)} checks; it makes {len(reference)}.")
    verdict.reasons = [r for r in verdict.reasons if r]
    verdict.passed = verdict.checks_matched == len(reference) and len(got) == len(reference) and not verdict.reasons
    return verdict


def _diagnosis_lines(mistake: dict) -> str:
    text = f"\nLikely mistake: {mistake['description']}"
    return text + (f"\nReread the section “{mistake['section']}”." if mistake.get("section") else "")


def _diagnose_inputs(ref: dict, record: Any, index: int, mistakes: list[dict] | tuple) -> dict | None:
    """The catalogued mistake that changes check `index`'s label exactly as the student's code did (it modified
    the test's inputs, which the label shows), or None."""
    if not isinstance(record, dict) or record.get("kind") != ref["kind"] or not isinstance(record.get("what"), str):
        return None
    for mistake in mistakes:
        labels = mistake.get("what") or []
        if index < len(labels) and labels[index] != ref.get("what") and labels[index] == record["what"]:
            return mistake
    return None


def diagnose(ref: dict, got_data: Any, got_value: Any, index: int, mistakes: list[dict] | tuple) -> dict | None:
    """The first catalogued mistake whose observation `index` fails the test exactly as the student's does.

    "Exactly as" is `checks.same_failure`, the rule the student's kernel applies to visible checks: the same
    value (numbers within the check's tolerance) first, then the same kind of failure (a call that should raise
    returned, or modified the same inputs).
    """
    kind = ref["kind"]
    opts = {"rtol": 1e-7, "atol": 1e-9, **ref.get("opts", {})}
    failing = []
    for mistake in mistakes:
        observed = mistake.get("got") or []
        if index >= len(observed) or observed[index] is None:
            continue
        try:
            if compare(kind, decode(observed[index]), ref):  # a mistake that gets this check right says nothing here
                failing.append((mistake, observed[index]))
        except (MalformedEvidence, TypeError, ValueError):
            continue
    for strict in (True, False):  # the very same value first, then the same kind of failure
        for mistake, wrong in failing:
            if checks.same_failure(kind, got_data, wrong, opts, ref.get("expected"), strict):
                return mistake
    return None


def _stopping_error(cell: NotebookNode) -> str:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return f"{str(out.get('ename', ''))[:80]}: {str(out.get('evalue', ''))[:300]}"
    return ""


def apply_verdict(cell: NotebookNode, verdict: Verdict) -> None:
    """Make the cell's outputs say what the judge decided (what nbgrader then scores)."""
    kept = [out for out in cell.get("outputs", []) if out.get("output_type") == "stream"]
    if not verdict.passed:
        reasons = verdict.reasons or ["The test's observations did not match."]
        kept.append(NotebookNode(output_type="error", ename=FAILED_ENAME, evalue="\n".join(reasons),
                                 traceback=[f"{FAILED_ENAME}: {r}" for r in reasons]))
    cell.outputs = kept


# -- grading a notebook --------------------------------------------------------------------------------------


# {"tests": notebook -> grade_id -> reference records, "mistakes": notebook -> grade_id -> catalogued mistakes}
Reference = dict[str, dict[str, dict[str, list[dict]]]]


def prepare(nb: NotebookNode, notebook: str) -> dict[int, str]:
    """Put every graded test cell in its observing form; return the original sources by cell index."""
    originals = {}
    for index, cell in enumerate(nb.cells):
        if is_test_cell(cell):
            originals[index] = cell.source
            cell.source = observing_source(cell.source, f"{notebook}, test {nbgrader_meta(cell).get('grade_id')}")
    return originals


def conclude(nb: NotebookNode, originals: dict[int, str], records: dict[str, list[dict]],
             mistakes: dict[str, list[dict]] | None = None) -> dict[str, Verdict]:
    """Judge every graded test cell, write the verdicts into the outputs and restore the sources."""
    verdicts = {}
    for index, cell in enumerate(nb.cells):
        if not is_test_cell(cell):
            continue
        grade_id = nbgrader_meta(cell).get("grade_id", "")
        reference = records.get(grade_id)
        if reference is None:
            verdict = Verdict(False, [f"No reference for test {grade_id}: grade again after `course check`."])
        else:
            verdict = judge_cell(cell, reference, (mistakes or {}).get(grade_id, []))
        apply_verdict(cell, verdict)
        verdicts[grade_id] = verdict
        if index in originals:
            cell.source = originals[index]
    return verdicts


def run_reference(root: Path, assignment: str) -> Reference:
    """The trusted reference run: the source notebook with recording on, then every catalogued mistake observed.

    One kernel: the reference solution passes every test in both forms (else CourseError), then each mistake of
    mistakes/<assignment>.py is defined in turn and what its exercise's tests observe is kept for diagnosis.
    """
    from ..nbtools import load_bugs, load_sections
    from .judgecheck import LiveNotebook

    paths = notebook_paths(root / "source" / assignment)
    if len(paths) != 1:
        raise CourseError(f"{root / 'source' / assignment}: the judge takes its reference from exactly one notebook")
    live = LiveNotebook(root, assignment)
    try:
        problems = live.reference_problems()
        if problems:
            raise CourseError(f"{live.path}: {problems[0]}")
        mistakes = live.mistake_table(load_bugs(root, assignment), load_sections(root, assignment))
        return {"tests": {live.path.stem: live.reference}, "mistakes": {live.path.stem: mistakes}}
    finally:
        live.close()


def for_notebook(reference: Reference, notebook: str) -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
    """(tests, mistakes) of one notebook: grade_id -> reference records, grade_id -> catalogued mistakes."""
    return reference.get("tests", {}).get(notebook, {}), reference.get("mistakes", {}).get(notebook, {})


def plain_kernel_manager(server=None):
    """A kernel manager for this Python's ipykernel that does not look for kernel specs (which creates ~/.ipython).

    server: a trusted pre-warmed kernel server (prewarm.trusted_zygote): the kernel is forked from it, already past
    the course's imports, and starts cold only when that fails.
    """
    from jupyter_client.kernelspec import KernelSpec

    from .prewarm import ReferenceKernelManager

    spec = KernelSpec(argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                      display_name="Python 3 (reference)", language="python", interrupt_mode="signal", env={}, metadata={})
    return ReferenceKernelManager(kernel_name="python3", grading_spec=spec, server=server)


def reference_digest(root: Path, assignment: str) -> str:
    """What a cached reference depends on: the assignment's sources and the course package."""
    from ..nbtools import source_digest

    h = hashlib.sha256()
    h.update(source_digest(root / "source").encode())
    catalogue = root / "mistakes" / f"{assignment}.py"
    h.update(catalogue.read_bytes() if catalogue.is_file() else b"no catalogue")
    for pkg in (Path(checks.__file__).parent, Path(__file__).resolve().parents[1]):  # course_utils, course_pipeline
        for path in sorted(pkg.rglob("*.py")):
            h.update(f"{pkg.name}/{path.relative_to(pkg)}".encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:32]


def load_reference(root: Path, assignment: str) -> Reference:
    """The reference records of an assignment, from the cache under .course_cache/ or by running it once."""
    digest = reference_digest(root, assignment)
    cache = root / ".course_cache" / "reference" / f"{assignment}-{digest}.json"
    if cache.is_file():
        try:
            return json.loads(cache.read_text())
        except (OSError, ValueError):
            pass
    reference = run_reference(root, assignment)
    cache.parent.mkdir(parents=True, exist_ok=True)
    for stale in cache.parent.glob(f"{assignment}-*.json"):
        stale.unlink(missing_ok=True)
    partial = cache.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(json.dumps(reference, sort_keys=True))
    os.replace(partial, cache)
    return reference
