"""Stock nbgrader agrees: the answer key earns full marks, the untouched release earns zero on every test."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT, per_assignment
from course_pipeline.nbtools import notebook_paths
from course_pipeline.release import tool_env


@pytest.mark.slow
@pytest.mark.parametrize("assignment", per_assignment())
def test_autograde_answer_key_full_marks_blank_zero(roundtrip, assignment):
    grades = roundtrip(assignment).grades
    lost = [f"{g.grade_id} {g.score:g}/{g.max_score:g}" for g in grades["answer_key"] if g.score != g.max_score]
    assert not lost, f"{assignment}: the answer key loses points: {lost}"
    earned = [f"{g.grade_id} {g.score:g}" for g in grades["blank"] if g.score != 0]
    assert not earned, f"{assignment}: the blank release earns points: {earned}"
    assert len(grades["blank"]) == len(grades["answer_key"]) > 0


def _validate_inverted(path):
    cmd = [sys.executable, "-m", "nbgrader", "validate", str(path), "--invert"]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=path.parent, env=tool_env(), timeout=300).stdout


@pytest.mark.slow
@pytest.mark.parametrize("assignment", per_assignment())
def test_validate_button_fails_every_test_of_the_blank_release(assignment):
    # The answer key's side of Validate is covered, more strictly, by the autograde above
    # (hidden tests restored); validating it as well would execute every notebook once more.
    for path in notebook_paths(ROOT / "notebooks" / assignment):
        out = _validate_inverted(path)
        assert "Success! The notebook does not pass any tests." in out, f"nbgrader validate --invert {path}:\n{out[-2000:]}"
