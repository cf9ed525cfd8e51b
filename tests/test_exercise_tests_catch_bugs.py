"""Every source notebook executes, and every exercise's tests reject plausible wrong answers.

One kernel per assignment executes the source notebook top to bottom once. Each wrong
answer in tests/bugs/<assignment>.py is then defined in that kernel, only the exercise's
own test cells are re-run (at least one must fail), and the solution cell is re-run to
restore the kernel before the next bug.
"""

from __future__ import annotations

import pytest

from conftest import ASSIGNMENTS, ROOT, load_bugs, per_assignment
from course_utils.nbtools import exercises, nbgrader_meta, notebook_paths, read_notebook

BUG_CASES = [
    pytest.param(a, ex, bug, marks=pytest.mark.xdist_group(a), id=f"{a}:{ex}:{bug}")
    for a in ASSIGNMENTS
    for ex, bugs in load_bugs(a).items()
    for bug in bugs
]


@pytest.mark.slow
@pytest.mark.parametrize("assignment", per_assignment())
def test_source_notebook_executes_top_to_bottom(live_notebook, assignment):
    live = live_notebook(assignment)
    assert not live.errors, f"{assignment}: cells raised in a fresh kernel: {live.errors}"
    print(f"{assignment}: executed in {live.seconds:.1f} s")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_exercise_has_at_least_two_wrong_answers(assignment):
    (path,) = notebook_paths(ROOT / "source" / assignment)
    names = set(exercises(read_notebook(path)))
    bugs = load_bugs(assignment)
    thin = sorted(n for n in names if len(bugs.get(n, {})) < 2)
    unknown = sorted(set(bugs) - names)
    assert not thin, f"{assignment}: exercises with fewer than two wrong answers in tests/bugs/{assignment}.py: {thin}"
    assert not unknown, f"tests/bugs/{assignment}.py names exercises the notebook does not have: {unknown}"


@pytest.mark.slow
@pytest.mark.parametrize("assignment, exercise, bug", BUG_CASES)
def test_wrong_answer_loses_points(live_notebook, assignment, exercise, bug):
    live = live_notebook(assignment)
    assert not live.errors, f"{assignment} does not execute cleanly, so its tests cannot be judged: {live.errors}"
    ex = live.exercises[exercise]
    tests = [live.cells[i] for i in ex.test_indices]
    assert tests, f"{exercise} has no test cells"

    wrong = load_bugs(assignment)[exercise][bug]
    defined = live.run(wrong)
    assert defined.ok, f"the wrong answer '{bug}' does not even define: {defined.error}"
    try:
        failed = {}
        for cell in tests:
            outcome = live.run(cell.source)
            if not outcome.ok:
                failed[nbgrader_meta(cell)["grade_id"]] = outcome.error
    finally:
        restored = live.run(live.cells[ex.solution_index].source)
    assert restored.ok, f"could not restore the solution of {exercise}: {restored.error}"
    assert failed, f"{assignment}: the tests of {exercise} accept the wrong answer '{bug}'"
    for cell in tests:
        again = live.run(cell.source)
        assert again.ok, f"after restoring {exercise}, {nbgrader_meta(cell)['grade_id']} fails: {again.error}"
