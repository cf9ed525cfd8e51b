"""Every source notebook executes, its tests hold under the judge, and they reject plausible wrong answers.

One kernel per assignment executes the source notebook top to bottom once, with recording on
(the judge's reference run). Each test cell's observing form is then re-run on the reference
solution and judged (must pass); each exercise's blank stub and each wrong answer in
mistakes/<assignment>.py is defined in that kernel, only the exercise's own observing test cells
are re-run (once, when the catalogue's diagnosis table is built) and judged outside the kernel (at least one must fail, and the judge, given what every catalogued
mistake observes, must name this very mistake on a failing test), and the solution is restored.
The catalogue itself is checked too: a section (a heading of the notebook) per exercise, one sentence per entry.
"""

from __future__ import annotations

import re

import pytest

from conftest import ASSIGNMENTS, ROOT, load_bugs, per_assignment
from course_pipeline.nbtools import exercises, load_sections, notebook_paths, read_notebook

BUG_CASES = [
    pytest.param(a, ex, bug, marks=pytest.mark.xdist_group(a), id=f"{a}:{ex}:{bug}")
    for a in ASSIGNMENTS
    for ex, bugs in load_bugs(a).items()
    for bug in bugs
]

_TABLES: dict[str, dict] = {}  # assignment -> the judge's diagnosis data, once per process


def mistake_table(notebook, assignment: str) -> dict:
    """What every catalogued mistake of the assignment observes (the judge's diagnosis data), once per process."""
    if assignment not in _TABLES:
        _TABLES[assignment] = notebook.mistake_table(load_bugs(assignment), load_sections(ROOT, assignment))
    return _TABLES[assignment]


def headings(assignment: str) -> list[str]:
    """The titles of the notebook's markdown headings ("## 3. Adagrad: ..." gives "3. Adagrad: ...")."""
    (path,) = notebook_paths(ROOT / "source" / assignment)
    return [line.lstrip("#").strip() for cell in read_notebook(path).cells if cell.cell_type == "markdown"
            for line in cell.source.splitlines() if re.match(r"^#{1,6}\s", line)]


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


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_exercise_has_a_section_that_is_a_heading_of_its_notebook(assignment):
    (path,) = notebook_paths(ROOT / "source" / assignment)
    names = set(exercises(read_notebook(path)))
    sections = load_sections(ROOT, assignment)
    titles = headings(assignment)
    missing = sorted(names - set(sections))
    unknown = sorted(set(sections) - names)
    not_headings = {ex: title for ex, title in sections.items() if title not in titles}
    assert not missing, f"mistakes/{assignment}.py: SECTIONS has no section for {missing}"
    assert not unknown, f"mistakes/{assignment}.py: SECTIONS names exercises the notebook does not have: {unknown}"
    assert not not_headings, f"mistakes/{assignment}.py: these sections are not headings of the notebook: {not_headings}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_description_is_one_sentence_a_student_reads(assignment):
    bad = [f"{ex}: {text!r}" for ex, wrongs in load_bugs(assignment).items() for text in wrongs
           if not re.fullmatch(r"[A-Z][^\n]*[^.]\.", text) or re.search(r"[.!?]\s+[A-Z]", text) or len(text) > 160]
    assert not bad, f"mistakes/{assignment}.py: each description must be one sentence ending with a period: {bad}"


@pytest.mark.slow
@pytest.mark.parametrize("assignment, exercise, bug", BUG_CASES)
def test_wrong_answer_loses_points_and_is_diagnosed_as_itself(live, assignment, exercise, bug):
    notebook = live(assignment)
    assert not notebook.errors, f"{assignment} does not execute cleanly, so its tests cannot be judged: {notebook.errors}"
    assert notebook.exercises[exercise].test_indices, f"{exercise} has no test cells"
    table = mistake_table(notebook, assignment)
    error, verdicts = notebook.judge_mistake(exercise, bug, table)  # the runs the table made, judged now
    assert not error, f"the wrong answer '{bug}' does not even define: {error}"
    failed = {grade_id: v.reasons for grade_id, v in verdicts.items() if not v.passed}
    assert failed, f"{assignment}: the judge accepts the wrong answer '{bug}' to {exercise}"
    assert all(reasons for reasons in failed.values()), f"a failing test without a reason: {failed}"
    named = {grade_id: v.mistakes for grade_id, v in verdicts.items() if not v.passed}
    assert any(bug in m for m in named.values()), f"{assignment}: '{bug}' is diagnosed as {named}, not as itself"
    section = load_sections(ROOT, assignment)[exercise]
    assert any(f"Likely mistake: {bug}\nReread the section “{section}”." in r for rs in failed.values() for r in rs)
