"""notebooks/ and solutions/ are exactly what `course release` makes from source/ (sources and nbgrader metadata).

The student release also ships the diagnosis data of its visible checks (course_pipeline/diagnosis.py): it must be
what a fresh computation gives, and it must hold no hidden expectation.
"""

from __future__ import annotations

import json
import math

import pytest

from conftest import ASSIGNMENTS, ROOT, per_assignment
from course_pipeline.diagnosis import build_diagnosis, diagnosis_digest, diagnosis_text, read_diagnosis
from course_pipeline.nbtools import cell_signature, notebook_paths, read_notebook, source_digest
from course_pipeline.release import solution_notebook
from course_utils import checks

_BUILDS: dict = {}


def fresh_diagnosis(live, assignment: str):
    """The diagnosis data computed now, in the assignment's shared live kernel (once per test process)."""
    if assignment not in _BUILDS:
        _BUILDS[assignment] = build_diagnosis(ROOT, assignment, live(assignment))
    return _BUILDS[assignment]


def _diff(expected, actual):
    if len(expected) != len(actual):
        return f"{len(actual)} cells instead of {len(expected)}"
    for i, (e, a) in enumerate(zip(expected, actual)):
        if e != a:
            return f"cell {i} differs: expected {e[1][:80]!r}, found {a[1][:80]!r}"
    return ""


@pytest.mark.slow
@pytest.mark.parametrize("assignment", per_assignment())
def test_student_release_is_in_sync(roundtrip, assignment):
    fresh = notebook_paths(roundtrip(assignment).release)
    committed = notebook_paths(ROOT / "notebooks" / assignment)
    assert [p.name for p in fresh] == [p.name for p in committed]
    for new, old in zip(fresh, committed):
        problem = _diff(cell_signature(read_notebook(new)), cell_signature(read_notebook(old)))
        assert not problem, f"notebooks/{assignment}/{old.name} is stale ({problem}): run `make release`"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_answer_key_is_in_sync_and_executed(assignment):
    digest = source_digest(ROOT / "source" / assignment)
    for src in notebook_paths(ROOT / "source" / assignment):
        key_path = ROOT / "solutions" / assignment / src.name
        key = read_notebook(key_path)
        problem = _diff(cell_signature(solution_notebook(read_notebook(src))), cell_signature(key))
        assert not problem, f"solutions/{assignment}/{src.name} is stale ({problem}): run `make release`"
        assert key.metadata.get("course", {}).get("source_sha256") == digest, f"{key_path} was made from another source"
        code = [c for c in key.cells if c.cell_type == "code"]
        assert all(c.execution_count for c in code), f"{key_path} is not fully executed"
        errors = [o for c in code for o in c.outputs if o.output_type == "error"]
        assert not errors, f"{key_path} has error outputs"
        assert any(o.get("data", {}).get("image/png") for c in code for o in c.outputs), f"{key_path} has no figure"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_views_leak_nothing(assignment):
    for path in notebook_paths(ROOT / "notebooks" / assignment):
        text = path.read_text()
        assert "BEGIN HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text, f"{path} leaks hidden tests or solutions"
        nb = read_notebook(path)
        assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), f"{path} carries outputs"
    for path in notebook_paths(ROOT / "solutions" / assignment):
        assert "BEGIN HIDDEN TESTS" not in path.read_text(), f"{path} leaks hidden tests"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_diagnosis_file_is_shipped_and_made_from_this_source_and_catalogue(assignment):
    data = read_diagnosis(ROOT / "notebooks" / assignment)
    assert data is not None, f"notebooks/{assignment}/{checks.DIAGNOSIS_FILE} is missing: run `make release`"
    assert data["digest"] == diagnosis_digest(ROOT, assignment), (
        f"notebooks/{assignment}/{checks.DIAGNOSIS_FILE} is stale (source, catalogue or checks changed): run `make release`")
    assert "expected" not in json.dumps(data), "the diagnosis data must never carry an expected value"
    assert data["checks"], f"{assignment}: no visible check diagnoses any catalogued mistake"


@pytest.mark.slow
@pytest.mark.parametrize("assignment", per_assignment())
def test_diagnosis_file_is_in_sync(live, assignment):
    committed = (ROOT / "notebooks" / assignment / checks.DIAGNOSIS_FILE).read_text(encoding="utf-8")
    fresh = diagnosis_text(fresh_diagnosis(live, assignment).data)
    assert committed == fresh, f"notebooks/{assignment}/{checks.DIAGNOSIS_FILE} is stale: run `make release`"


def _numbers(data) -> list[float]:
    """Every number an encoded value holds (the components of arrays and lists included)."""
    found: list[float] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("v", "data") and not isinstance(value, str):
                for x in value if isinstance(value, list) else [value]:
                    if isinstance(x, (int, float)) and not isinstance(x, bool):
                        found.append(float(x))
            elif key not in ("shape", "dtype"):
                found += _numbers(value)
    elif isinstance(data, list):
        for item in data:
            found += _numbers(item)
    return found


@pytest.mark.slow
@pytest.mark.parametrize("assignment", per_assignment())
def test_diagnosis_file_holds_no_hidden_expectation(live, assignment):
    """Only visible checks are in the shipped file, and no value a hidden check expects.

    Every entry must be a check the release's visible test code makes (same test, position, kind and label), so
    its values are what a catalogued mistake returns on visible inputs. A hidden expectation may still equal
    such a value by coincidence when it is a plain number like 4.0 or [1.0] (every number with at most two
    decimals): those tell a student nothing and are allowed; any other hidden expectation found whole fails.
    """
    build = fresh_diagnosis(live, assignment)
    data = read_diagnosis(ROOT / "notebooks" / assignment)
    assert "expected" not in json.dumps(data)
    for entry in data["checks"]:
        shown = build.visible_checks.get(entry["test"], [])
        assert entry["position"] < len(shown) and shown[entry["position"]] == (entry["kind"], entry["what"]), (
            f"{assignment}: {entry['test']} check {entry['position']} ({entry['what']!r}) is not a visible check")
    assert build.hidden_expected, f"{assignment}: the build found no hidden check to compare with"
    shipped = {json.dumps(m["got"], sort_keys=True) for entry in data["checks"] for m in entry["mistakes"]}
    visible = {json.dumps(e, sort_keys=True) for e in build.visible_expected}
    telling = [e for e in build.hidden_expected if json.dumps(e, sort_keys=True) not in visible
               and any(math.isfinite(x) and x != round(x, 2) for x in _numbers(e))]
    leaked = [e for e in telling if json.dumps(e, sort_keys=True) in shipped]
    assert not leaked, f"{assignment}: hidden expectations shipped with the release: {leaked[:3]}"
