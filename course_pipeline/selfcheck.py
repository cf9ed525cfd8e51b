"""Prove an assignment is consistent: it executes, its solution earns full marks, its blank release earns zero.

Both under stock nbgrader (in a scratch course) and under the course's judge, which also proves that
every catalogued mistake in mistakes/ loses points and is diagnosed as itself.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .nbtools import CourseError, notebook_paths, read_notebook
from .nbgrader_adapter import autograde, run_or_explain
from .release import generate_in_scratch, scratch_config, solution_notebook

__all__ = ["CellGrade", "autograde_in_scratch", "CheckResult", "check_assignment", "format_table"]


@dataclass(frozen=True)
class CellGrade:
    """Score of one graded cell in one notebook."""

    notebook: str
    grade_id: str
    score: float
    max_score: float


def autograde_in_scratch(
    source_folder: Path,
    submissions: dict[str, dict[str, Path | nbformat.NotebookNode]],
    blank_student: str | None = None,
    keep_release: Path | None = None,
) -> dict[str, list[CellGrade]]:
    """Autograde with stock nbgrader (its default configuration, converters in-process) in a throwaway course.

    submissions map student -> notebook name -> file or notebook; blank_student, if given, also
    submits the untouched release that this scratch course generated; keep_release, if given,
    receives a copy of that release.
    """
    from .nbgrader_adapter import Gradebook, MissingEntry

    assignment = source_folder.name
    with tempfile.TemporaryDirectory(prefix="course-autograde-") as tmp:
        scratch = Path(tmp)
        release = generate_in_scratch(source_folder, scratch)
        if keep_release is not None:
            shutil.copytree(release, keep_release)
        if blank_student is not None:
            submissions = {**submissions, blank_student: {p.name: p for p in notebook_paths(release)}}
        for student, notebooks in submissions.items():
            folder = scratch / "submitted" / student / assignment
            folder.mkdir(parents=True)
            for name, nb in notebooks.items():
                if isinstance(nb, Path):
                    shutil.copy(nb, folder / name)
                else:
                    nbformat.write(nb, str(folder / name))
        run_or_explain(autograde, scratch_config(None, scratch, assignment),
                       f"nbgrader autograde failed for {assignment}")
        results: dict[str, list[CellGrade]] = {}
        with Gradebook(f"sqlite:///{scratch / 'gradebook.db'}") as gb:
            for student in submissions:
                try:
                    sub = gb.find_submission(assignment, student)
                except MissingEntry:
                    raise CourseError(f"{assignment}: nbgrader recorded no submission for {student}") from None
                results[student] = [
                    CellGrade(nb.name, grade.name, float(grade.score), float(grade.max_score))
                    for nb in sub.notebooks
                    for grade in nb.grades
                ]
        return results


@dataclass
class CheckResult:
    """What `course check` found for one assignment."""

    assignment: str
    seconds: float = float("nan")
    solution_score: float = float("nan")
    blank_score: float = float("nan")
    max_score: float = float("nan")
    bugs_caught: int = 0
    bugs_total: int = 0
    bugs_diagnosed: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems


def check_assignment(root: Path, assignment: str) -> CheckResult:
    """Execute the source, autograde the answer key (must be full marks) and the blank release (must be zero)."""
    result = CheckResult(assignment)
    src = root / "source" / assignment
    paths = notebook_paths(src)
    if not paths:
        result.problems.append(f"{src}: no notebook")
        return result
    try:
        from .grading.judgecheck import prove

        proof = prove(root, assignment)  # executes the source top to bottom, then judges key, blank and bugs
        result.seconds = proof.execute_seconds
        result.bugs_caught, result.bugs_total = proof.bugs_caught, proof.bugs_total
        result.bugs_diagnosed = proof.bugs_diagnosed
        result.problems += proof.problems
        solution = {p.name: solution_notebook(read_notebook(p)) for p in paths}
        grades = autograde_in_scratch(src, {"answer_key": solution}, blank_student="blank_release")
    except CourseError as err:
        result.problems.append(str(err))
        return result
    key, empty = grades["answer_key"], grades["blank_release"]
    result.max_score = sum(g.max_score for g in key)
    result.solution_score = sum(g.score for g in key)
    result.blank_score = sum(g.score for g in empty)
    result.problems += [f"answer key loses points on {g.grade_id} ({g.score:g}/{g.max_score:g})" for g in key if g.score < g.max_score]
    result.problems += [f"blank release earns points on {g.grade_id} ({g.score:g}/{g.max_score:g})" for g in empty if g.score > 0]
    return result


def format_table(results: list[CheckResult]) -> str:
    """A plain-text table of check results, one row per assignment."""
    header = (f"{'assignment':<24} {'executes':>9} {'answer key':>11} {'blank':>7} {'wrong answers caught':>21} "
              f"{'diagnosed':>10}  status")
    rows = [header, "-" * len(header)]
    for r in results:
        secs = "failed" if r.seconds != r.seconds else f"{r.seconds:6.1f} s"
        key = "-" if r.solution_score != r.solution_score else f"{r.solution_score:g}/{r.max_score:g}"
        blank = "-" if r.blank_score != r.blank_score else f"{r.blank_score:g}"
        bugs = f"{r.bugs_caught}/{r.bugs_total}"
        named = f"{r.bugs_diagnosed}/{r.bugs_total}"
        rows.append(f"{r.assignment:<24} {secs:>9} {key:>11} {blank:>7} {bugs:>21} {named:>10}  "
                    f"{'ok' if r.ok else 'PROBLEM'}")
        rows += [f"    - {p}" for p in r.problems]
    return "\n".join(rows)
