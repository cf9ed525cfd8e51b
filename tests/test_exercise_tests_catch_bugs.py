"""Every source notebook executes, its tests hold under the judge, and they reject plausible wrong answers.

One kernel per assignment executes the source notebook top to bottom once, with recording on
(the judge's reference run). Each test cell's observing form is then re-run on the reference
solution and judged (must pass); each exercise's blank stub and each wrong answer in
mistakes/<assignment>.py is defined in that kernel, only the exercise's own observing test cells
are re-run and judged outside the kernel (at least one must fail), and the solution is restored.
"""

from __future__ import annotations

import pytest

from conftest import ASSIGNMENTS, ROOT, load_bugs, per_assignment
from course_pipeline.grading.judgecheck import LiveNotebook
from course_pipeline.nbtools import exercises, notebook_paths, read_notebook

BUG_CASES = [
    pytest.param(a, ex, bug, marks=pytest.mark.xdist_group(a), id=f"{a}:{ex}:{bug}")
    for a in ASSIGNMENTS
    for ex, bugs in load_bugs(a).items()
    for bug in bugs
]

_LIVE: dict[str, LiveNotebook] = {}


@pytest.fixture(scope="session")
def live():
    """assignment -> LiveNotebook (reference run done), one kernel per assignment and test process."""

    def get(assignment: str) -> LiveNotebook:
        if assignment not in _LIVE:
            _LIVE[assignment] = LiveNotebook(ROOT, assignment)
        return _LIVE[assignment]

    yield get
    for notebook in _LIVE.values():
        notebook.close()
    _LIVE.clear()


@pytest.mark.slow
@pytest.mark.parametrize("assignment", per_assignment())
def test_source_notebook_executes_and_its_tests_hold_under_the_judge(live, assignment):
    notebook = live(assignment)
    assert not notebook.errors, f"{assignment}: cells raised in a fresh kernel: {notebook.errors}"
    problems = notebook.reference_problems()
    assert not problems, f"{assignment}: {problems}"
    print(f"{assignment}: executed in {notebook.seconds:.1f} s")


@pytest.mark.slow
@pytest.mark.parametrize("assignment", per_assignment())
def test_blank_release_earns_nothing_under_the_judge(live, assignment):
    problems = live(assignment).blank_problems()
    assert not problems, f"{assignment}: {problems}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_exercise_has_at_least_two_wrong_answers(assignment):
    (path,) = notebook_paths(ROOT / "source" / assignment)
    names = set(exercises(read_notebook(path)))
    bugs = load_bugs(assignment)
    thin = sorted(n for n in names if len(bugs.get(n, {})) < 2)
    unknown = sorted(set(bugs) - names)
    assert not thin, f"{assignment}: exercises with fewer than two wrong answers in mistakes/{assignment}.py: {thin}"
    assert not unknown, f"mistakes/{assignment}.py names exercises the notebook does not have: {unknown}"


@pytest.mark.slow
@pytest.mark.parametrize("assignment, exercise, bug", BUG_CASES)
def test_wrong_answer_loses_points(live, assignment, exercise, bug):
    notebook = live(assignment)
    assert not notebook.errors, f"{assignment} does not execute cleanly, so its tests cannot be judged: {notebook.errors}"
    assert notebook.exercises[exercise].test_indices, f"{exercise} has no test cells"
    error, verdicts = notebook.try_answer(exercise, load_bugs(assignment)[exercise][bug])
    assert not error, f"the wrong answer '{bug}' does not even define: {error}"
    failed = {grade_id: v.reasons for grade_id, v in verdicts.items() if not v.passed}
    assert failed, f"{assignment}: the judge accepts the wrong answer '{bug}' to {exercise}"
    assert all(reasons for reasons in failed.values()), f"a failing test without a reason: {failed}"
