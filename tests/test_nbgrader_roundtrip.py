"""Stock nbgrader agrees: the answer key earns full marks, the untouched release earns zero on every test."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ASSIGNMENTS, ROOT
from course_utils.nbtools import notebook_paths
from course_utils.release import tool_env
from course_utils.selfcheck import autograde_in_scratch

ASSIGNMENT_PARAMS = [pytest.param(a, marks=pytest.mark.xdist_group(f"roundtrip-{a}")) for a in ASSIGNMENTS]


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENT_PARAMS)
def test_autograde_answer_key_full_marks_blank_zero(assignment):
    key = {p.name: p for p in notebook_paths(ROOT / "solutions" / assignment)}
    grades = autograde_in_scratch(ROOT / "source" / assignment, {"answer_key": key}, blank_student="blank")
    lost = [f"{g.grade_id} {g.score:g}/{g.max_score:g}" for g in grades["answer_key"] if g.score != g.max_score]
    assert not lost, f"{assignment}: the answer key loses points: {lost}"
    earned = [f"{g.grade_id} {g.score:g}" for g in grades["blank"] if g.score != 0]
    assert not earned, f"{assignment}: the blank release earns points: {earned}"
    assert len(grades["blank"]) == len(grades["answer_key"]) > 0


def _validate(path, invert=False):
    cmd = [sys.executable, "-m", "nbgrader", "validate", str(path), *(["--invert"] if invert else [])]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=path.parent, env=tool_env(), timeout=300).stdout


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENT_PARAMS)
def test_validate_button_passes_answer_key_and_fails_every_blank_test(assignment):
    for path in notebook_paths(ROOT / "solutions" / assignment):
        out = _validate(path)
        assert "Success! Your notebook passes all the tests." in out, f"nbgrader validate {path}:\n{out[-2000:]}"
    for path in notebook_paths(ROOT / "notebooks" / assignment):
        out = _validate(path, invert=True)
        assert "Success! The notebook does not pass any tests." in out, f"nbgrader validate --invert {path}:\n{out[-2000:]}"
