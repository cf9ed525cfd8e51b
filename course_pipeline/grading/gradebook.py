"""The nbgrader gradebook, written by the coordinating process only (SQLite has one writer at a time)."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..nbgrader_adapter import config_file, course_config, course_directory, generate_assignment, run_or_explain
from ..nbtools import CourseError
from .status import Status
from .worker import SubmissionResult

__all__ = ["CourseSettings", "course_settings", "prepare_assignment", "snapshot", "record_result", "sqlite_path"]


@dataclass(frozen=True)
class CourseSettings:
    """What the grader takes from the course's nbgrader configuration."""

    root: Path
    config_file: Path | None
    course_id: str
    db_url: str
    ignore: tuple[str, ...]
    autograded: Path


def course_settings(root: Path) -> CourseSettings:
    """Read nbgrader_config.py the way nbgrader does (course id, gradebook URL, ignore list, autograded/)."""
    cfg = course_config(root, CourseDirectory={"root": str(root)})
    cd = course_directory(cfg)
    autograded = Path(cd.format_path(cd.autograded_directory, ".", ".")).resolve()
    return CourseSettings(root, config_file(root), cd.course_id, cd.db_url, tuple(cd.ignore), autograded)


def sqlite_path(db_url: str) -> Path:
    """The file behind a sqlite:/// URL (the embedded gradebook is the only kind supported)."""
    prefix = "sqlite:///"
    if not db_url.startswith(prefix):
        raise CourseError(f"gradebook {db_url}: only the embedded SQLite gradebook (sqlite:///...) is supported")
    return Path(db_url[len(prefix):])


def prepare_assignment(settings: CourseSettings, assignment: str, db_url: str) -> None:
    """Make the gradebook know the assignment's notebooks and cells: nbgrader's GenerateAssignment, in-process,
    on a scratch copy of the source (the release it writes there is thrown away; notebooks/ is untouched)."""
    from ..release import _ignore_junk

    source = settings.root / "source" / assignment
    with tempfile.TemporaryDirectory(prefix="course-grade-setup-") as tmp:
        scratch = Path(tmp)
        shutil.copytree(source, scratch / "source" / assignment, ignore=_ignore_junk)
        cfg = course_config(settings.root, CourseDirectory={
            "root": str(scratch), "source_directory": "source", "release_directory": "release", "db_url": db_url,
            "course_id": settings.course_id, "assignment_id": assignment}, GenerateAssignment={"force": True})
        run_or_explain(generate_assignment, cfg, f"cannot register {assignment} in the gradebook {db_url}")


def snapshot(db_url: str, dest: Path) -> Path:
    """A consistent copy of the gradebook for the workers (they read it and write only their own copies)."""
    src = sqlite3.connect(str(sqlite_path(db_url)))
    try:
        out = sqlite3.connect(str(dest))
        with out:
            src.backup(out)
        out.close()
    finally:
        src.close()
    return dest


def record_result(gb, assignment: str, result: SubmissionResult) -> tuple[float, float]:
    """Write one submission's grades, comments, timestamp and late penalty; return (score, max_score).

    Notebooks the worker could not grade score zero; unreadable ones and grader errors are also
    flagged `needs_manual_grade` so formgrader lists them for a human look.
    """
    sid = result.student_id
    gb.update_or_create_student(sid)
    if result.timestamp:
        sub = gb.update_or_create_submission(assignment, sid, timestamp=result.timestamp)
    else:
        sub = gb.update_or_create_submission(assignment, sid)
    graded = {nb.name: nb for nb in result.notebooks}
    for snb in sub.notebooks:
        got = graded.get(snb.name)
        review = result.status is Status.ERROR or snb.name in result.unreadable
        for grade in snb.grades:
            if got is not None and grade.name in got.grades and not review:
                grade.auto_score, grade.needs_manual_grade = got.grades[grade.name]
            else:
                grade.auto_score, grade.needs_manual_grade = 0.0, review
        for comment in snb.comments:
            if got is not None and comment.name in got.comments:
                comment.auto_comment = got.comments[comment.name]
        snb.late_submission_penalty = got.late_penalty if got is not None else None
    gb.db.commit()
    gb.db.refresh(sub)
    penalty = float(sub.late_submission_penalty or 0.0)
    return max(0.0, float(sub.score) - penalty), float(sub.max_score)
