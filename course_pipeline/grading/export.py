"""`course export`: the assignment's scores from nbgrader's gradebook, as a CSV the LMS imports.

Canvas: the identity columns and the "Points Possible" row of Canvas's own gradebook export, and one
assignment column named as the roster names it (`01_derivatives (12345)`), so Canvas's "Import" matches
students by ID and the column to the existing assignment. Only that column is written: an import cannot
overwrite other assignments with stale values.

Moodle: the gradebook's CSV import (Grades > Import > CSV file): the identifier column chosen with
--moodle-key (Email address, ID number or Username), the names, and one grade column; on Moodle's
import page, map the identifier to the same user field and the grade column to the assignment.

Scores are nbgrader's (score minus late penalty, never below zero), read with nbgrader's API.
"""

from __future__ import annotations

import csv
import io
import os
import re
import warnings
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from ..nbtools import CourseError
from .gradebook import sqlite_path
from .lms import CANVAS_IDENTITY, LMS, MOODLE_KEYS, POINTS_POSSIBLE, Roster, read_roster

__all__ = ["ExportStatus", "ExportRow", "ExportResult", "read_scores", "export_grades"]


class ExportStatus(Enum):
    """What the export did with one student."""

    EXPORTED = "exported"
    NO_SUBMISSION = "no submission"  # in the roster, not in the gradebook: blank, or 0 with --missing zero
    NO_KEY = "no identifier"  # in the roster without the value Moodle matches on: not exported
    NOT_IN_ROSTER = "not in roster"  # graded, but the roster does not know them: not exported

    @property
    def needs_look(self) -> bool:
        """Whether a human should look at this row (exit code 1)."""
        return self in (ExportStatus.NOT_IN_ROSTER, ExportStatus.NO_KEY)


@dataclass(frozen=True)
class ExportRow:
    """One student of the export table."""

    status: ExportStatus
    student: str
    name: str
    score: str  # as written to the CSV ('' blank)


@dataclass
class ExportResult:
    """What `course export` wrote."""

    rows: list[ExportRow]
    out: Path
    column: str
    max_score: float
    notes: list[str] = field(default_factory=list)

    @property
    def needs_look(self) -> bool:
        """Whether anything needs a human look."""
        return bool(self.notes) or any(r.status.needs_look for r in self.rows)

    def table(self) -> str:
        """Every student, then the counts and the file written."""
        widths = [max([len(h)] + [len(getattr(r, a)) for r in self.rows]) for h, a in
                  (("student", "student"), ("name", "name"), ("score", "score"))]
        lines = [f"{'student':<{widths[0]}}  {'name':<{widths[1]}}  {'score':>{widths[2]}}  status",
                 "-" * (sum(widths) + 6 + 14)]
        for r in self.rows:
            lines.append(f"{r.student:<{widths[0]}}  {r.name:<{widths[1]}}  {r.score:>{widths[2]}}  {r.status.value}")
        counts = {s: sum(r.status is s for r in self.rows) for s in ExportStatus}
        lines += ["", ", ".join(f"{s.value} {n}" for s, n in counts.items() if n),
                  f"column {self.column!r} (out of {_num(self.max_score)}) written to {self.out}"]
        return "\n".join(lines + self.notes)


def _num(x: float) -> str:
    return f"{round(x, 4):g}"


def read_scores(db_url: str, assignment: str) -> tuple[dict[str, float], float]:
    """{student id: score after late penalty} and the maximum score, from nbgrader's gradebook."""
    from ..nbgrader_adapter import Gradebook, MissingEntry

    db = sqlite_path(db_url)
    if not db.is_file():
        raise CourseError(f"{db}: no such gradebook (grade the class first: course grade)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            with Gradebook(db_url) as gb:
                try:
                    max_score = float(gb.find_assignment(assignment).max_score)
                except MissingEntry:
                    raise CourseError(f"{db}: no assignment {assignment} in the gradebook (grade it first: "
                                      f"course grade {assignment} ...)") from None
                scores = {sub.student.id: max(0.0, float(sub.score) - float(sub.late_submission_penalty or 0.0))
                          for sub in gb.assignment_submissions(assignment)}
        except CourseError:
            raise
        except Exception as err:  # noqa: BLE001 - SQLAlchemy's many ways of saying "not a gradebook"
            raise CourseError(f"{db}: not a readable nbgrader gradebook ({type(err).__name__})") from None
    return scores, max_score


def _canvas_column(roster: Roster, assignment: str) -> str | None:
    pattern = re.compile(rf"^{re.escape(assignment)}(\s*\(\d+\))?$")
    found = [c for c in roster.columns if pattern.match(c)]
    if len(found) > 1:
        raise CourseError(f"{roster.path}: several columns are {assignment}: {', '.join(found)}")
    return found[0] if found else None


def _moodle_column(roster: Roster, assignment: str) -> str | None:
    pattern = re.compile(rf"^(assignment:\s*)?{re.escape(assignment)}(\s*\(.*\))?$", re.IGNORECASE)
    found = [c for c in roster.columns if pattern.match(c)]
    if len(found) > 1:
        raise CourseError(f"{roster.path}: several columns are {assignment}: {', '.join(found)}")
    return found[0] if found else None


def export_grades(root: Path, assignment: str, lms: LMS, roster_path: Path, db_url: str, out: Path | None = None,
                  missing_zero: bool = False, moodle_key: str = "email", id_column: str | None = None) -> ExportResult:
    """Write ASSIGNMENT's scores as the LMS's import CSV; students graded but not in the roster are listed, not written."""
    roster = read_roster(roster_path, lms, id_column)
    scores, max_score = read_scores(db_url, assignment)
    out = (out or root / "grading" / assignment / f"{lms.value}-grades.csv").resolve()
    if out.is_dir():
        raise CourseError(f"{out}: --out must be a file, not a folder")
    notes: list[str] = []
    rows: list[ExportRow] = []
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if lms is LMS.CANVAS:
        column = _canvas_column(roster, assignment)
        if column is None:
            column = assignment
            notes.append(f"{roster.path.name} has no column {assignment}: Canvas will create a new assignment "
                         f"{assignment!r} on import (export the gradebook again after creating it to match it)")
        identity = [c for c in CANVAS_IDENTITY if c in roster.columns]
        writer.writerow([*identity, column])
        possible = (roster.points or {}).get(column, "")
        if possible:
            try:
                if abs(float(possible) - max_score) > 1e-9:
                    notes.append(f"Canvas says {column} is out of {possible} points, nbgrader's maximum is "
                                 f"{_num(max_score)}: scores are written as nbgrader gives them")
            except ValueError:
                pass
        writer.writerow([f"    {POINTS_POSSIBLE}" if c == "Student" else "" for c in identity]
                        + [possible or _num(max_score)])
    else:
        key = MOODLE_KEYS[moodle_key]
        if key not in roster.columns:
            raise CourseError(f"{roster.path}: no {key!r} column to key the Moodle import on (--moodle-key "
                              f"{'/'.join(MOODLE_KEYS)})")
        column = _moodle_column(roster, assignment) or assignment
        names = [c for c in ("First name", "Last name", "Full name") if c in roster.columns]
        identity = [key, *[c for c in names if c != key]]
        writer.writerow([*identity, column])

    for entry in roster.entries:
        score = scores.get(entry.student_id)
        value = _num(score) if score is not None else ("0" if missing_zero else "")
        status = ExportStatus.EXPORTED if score is not None else ExportStatus.NO_SUBMISSION
        if lms is LMS.MOODLE and not entry.row.get(identity[0]):
            rows.append(ExportRow(ExportStatus.NO_KEY, entry.student_id, entry.name, value))
            continue
        writer.writerow([entry.row.get(c, "") for c in identity] + [value])
        rows.append(ExportRow(status, entry.student_id, entry.name, value))
    for student in sorted(set(scores) - set(roster.by_student)):
        rows.append(ExportRow(ExportStatus.NOT_IN_ROSTER, student, "", _num(scores[student])))

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(buf.getvalue(), encoding="utf-8")
    os.replace(tmp, out)
    return ExportResult(rows, out, column, max_score, notes)
