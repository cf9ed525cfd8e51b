"""Stock nbgrader agrees: the answer key earns full marks, the untouched release earns zero on every test."""

from __future__ import annotations

import pytest

from conftest import ROOT, per_assignment
from course_pipeline.nbtools import notebook_paths


@pytest.mark.slow
@pytest.mark.parametrize("assignment", per_assignment())
def test_autograde_answer_key_full_marks_blank_zero(roundtrip, assignment):
    grades = roundtrip(assignment).grades
    lost = [f"{g.grade_id} {g.score:g}/{g.max_score:g}" for g in grades["answer_key"] if g.score != g.max_score]
    assert not lost, f"{assignment}: the answer key loses points: {lost}"
    earned = [f"{g.grade_id} {g.score:g}" for g in grades["blank"] if g.score != 0]
    assert not earned, f"{assignment}: the blank release earns points: {earned}"
    assert len(grades["blank"]) == len(grades["answer_key"]) > 0


@pytest.mark.slow
@pytest.mark.parametrize("assignment", per_assignment())
def test_validate_button_fails_every_test_of_the_blank_release(assignment):
    """nbgrader's Validator, inverted (what `nbgrader validate --invert` runs), in this process: no test passes."""
    from nbgrader.validator import Validator

    # The answer key's side of Validate is covered, more strictly, by the autograde above
    # (hidden tests restored); validating it as well would execute every notebook once more.
    for path in notebook_paths(ROOT / "notebooks" / assignment):
        results = Validator(invert=True).validate(str(path))
        passed = [cell["source"].splitlines()[0] for cell in results.get("passed", [])]
        assert not passed, f"{path}: the blank release passes tests: {passed}"
        assert results == {}, f"{path}: nbgrader validate --invert does not succeed: {sorted(results)}"
