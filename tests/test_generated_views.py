"""notebooks/ and solutions/ are exactly what `course release` makes from source/ (sources and nbgrader metadata)."""

from __future__ import annotations

import pytest

from conftest import ASSIGNMENTS, ROOT, per_assignment
from course_pipeline.nbtools import cell_signature, notebook_paths, read_notebook, source_digest
from course_pipeline.release import solution_notebook


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
