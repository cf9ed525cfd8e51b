"""What Canvas and Moodle write: the file names of their bulk downloads and the columns of their gradebook CSVs.

Canvas ("Download Submissions") writes one flat zip of files named
`<name>[_LATE]_<user id>_<submission id>_<original file name>`, with `-N` before the extension of a file
a student uploaded again (`hw-1.ipynb`). Moodle ("Download all submissions") writes one folder per
participant, `<Full Name>_<participant id>_assignsubmission_file_/<files>` (or, with "download
submissions in folders" off, flat files `<Full Name>_<participant id>_assignsubmission_file_<file>`).
A roster is the LMS's own CSV: Canvas's gradebook export, Moodle's grades export or grading worksheet.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path, PurePosixPath

from ..nbtools import CourseError

__all__ = ["LMS", "Upload", "parse_upload", "RosterEntry", "Roster", "read_roster", "safe_student_id",
           "normalize_name", "CANVAS_IDENTITY", "MOODLE_IDENTITY", "MOODLE_KEYS", "POINTS_POSSIBLE"]


class LMS(str, Enum):
    """The learning management systems whose downloads and gradebooks are understood."""

    CANVAS = "canvas"
    MOODLE = "moodle"


# Canvas gradebook export: identity columns first, then one column per assignment ("01_derivatives (12345)").
CANVAS_IDENTITY = ("Student", "ID", "SIS User ID", "SIS Login ID", "Integration ID", "Section")
CANVAS_ID_CHAIN = ("SIS Login ID", "SIS User ID", "ID")
POINTS_POSSIBLE = "Points Possible"
# Moodle grades export / participants: identity columns; the grading worksheet adds "Identifier" and "Full name".
MOODLE_IDENTITY = ("First name", "Last name", "Full name", "ID number", "Username", "Email address")
MOODLE_ID_CHAIN = ("ID number", "Email address", "Username")
MOODLE_KEYS = {"email": "Email address", "idnumber": "ID number", "username": "Username"}
_MOODLE_PARTICIPANT = ("identifier", "participant identifier", "participant id", "participant")

_CANVAS_NAME = re.compile(r"^(?P<name>.+?)(?P<late>_LATE)?_(?P<uid>\d+)_(?P<sid>\d+)_(?P<file>.+)$")
_MOODLE_PART = re.compile(r"^(?P<name>.+?)_(?P<pid>\d+)_assignsubmission_(?P<plugin>[a-z]+)_(?P<rest>.*)$")
_RESUBMITTED = re.compile(r"^(?P<stem>.+?)-(?P<n>\d+)$")
_SAFE_ID = re.compile(r"^[^/\\\x00-\x1f]+$")


@dataclass(frozen=True)
class Upload:
    """One file of a download as the LMS named it."""

    lms_id: str  # Canvas user id / Moodle participant id
    name: str  # the student's name as the LMS wrote it ("smithjohn", "José Núñez")
    filename: str  # the file name the student uploaded, without Canvas's -N resubmission suffix
    late: bool = False  # Canvas marked it _LATE_
    order: tuple[int, int] = (0, 0)  # (submission id, resubmission number): larger is newer


def _strip_resubmission(filename: str) -> tuple[str, int]:
    path = PurePosixPath(filename)
    match = _RESUBMITTED.match(path.stem)
    if match is None:
        return filename, 0
    return match["stem"] + path.suffix, int(match["n"])


def parse_upload(lms: LMS, relpath: str) -> Upload | None:
    """The Upload a download's file stands for (relpath: its posix path in the download), or None if unrecognized."""
    parts = PurePosixPath(relpath).parts
    if lms is LMS.CANVAS:
        match = _CANVAS_NAME.match(parts[-1])
        if match is None:
            return None
        filename, resubmission = _strip_resubmission(match["file"])
        return Upload(match["uid"], match["name"], filename, bool(match["late"]), (int(match["sid"]), resubmission))
    for i, part in enumerate(parts):
        match = _MOODLE_PART.match(part)
        if match is None:
            continue
        if match["rest"] and i == len(parts) - 1:  # flat variant: the file name follows the plugin
            return Upload(match["pid"], match["name"], match["rest"])
        if not match["rest"] and i < len(parts) - 1:  # one folder per participant
            return Upload(match["pid"], match["name"], "/".join(parts[i + 1:]))
        return None
    return None


def normalize_name(name: str) -> str:
    """A name compared loosely: Unicode-normalized, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def safe_student_id(student_id: str) -> bool:
    """Whether an id can be nbgrader's student folder name."""
    return bool(_SAFE_ID.match(student_id)) and not student_id.startswith(".") and student_id.strip() == student_id


@dataclass(frozen=True)
class RosterEntry:
    """One student of the roster."""

    student_id: str  # nbgrader's id (the folder name under submitted/)
    lms_id: str  # Canvas user id / Moodle participant id ('' when the roster does not say)
    name: str
    row: dict[str, str]  # the roster's row as read


@dataclass
class Roster:
    """An LMS roster: its columns, its students, and Canvas's "Points Possible" row."""

    lms: LMS
    path: Path
    columns: list[str]
    entries: list[RosterEntry]
    points: dict[str, str] | None = None
    id_column: str = ""
    by_student: dict[str, RosterEntry] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_student = {e.student_id: e for e in self.entries}

    def by_lms_id(self, lms_id: str) -> list[RosterEntry]:
        """Entries whose LMS id is lms_id."""
        return [e for e in self.entries if e.lms_id and e.lms_id == lms_id]

    def by_name(self, name: str) -> list[RosterEntry]:
        """Entries whose name matches loosely (Moodle rosters without the participant identifier)."""
        wanted = normalize_name(name)
        return [e for e in self.entries if normalize_name(e.name) == wanted]

    @property
    def has_lms_ids(self) -> bool:
        """Whether the roster says each student's LMS id (Canvas ID, Moodle participant identifier)."""
        return any(e.lms_id for e in self.entries)


def _column(columns: list[str], *names: str) -> str | None:
    lowered = {c.strip().casefold(): c for c in columns}
    for name in names:
        if name.casefold() in lowered:
            return lowered[name.casefold()]
    return None


def read_roster(path: Path, lms: LMS, id_column: str | None = None) -> Roster:
    """Read an LMS roster CSV; CourseError naming the file and the problem when it is not one."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh))
    except FileNotFoundError:
        raise CourseError(f"{path}: no such roster file") from None
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise CourseError(f"{path}: not a readable CSV roster ({err})") from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise CourseError(f"{path}: empty roster (expected a header row)")
    columns = [c.strip() for c in rows[0]]
    if len(set(columns)) != len(columns):
        raise CourseError(f"{path}: two columns have the same name")
    if lms is LMS.CANVAS:
        lms_col = _column(columns, "ID")
        name_col = _column(columns, "Student")
        if lms_col is None or name_col is None:
            raise CourseError(f"{path}: not a Canvas gradebook export (needs the columns Student and ID; "
                              f"found {', '.join(columns[:6])})")
        chain = CANVAS_ID_CHAIN
    else:
        lms_col = _column(columns, *_MOODLE_PARTICIPANT)
        name_col = _column(columns, "Full name")
        first, last = _column(columns, "First name"), _column(columns, "Last name", "Surname")
        if name_col is None and (first is None or last is None):
            raise CourseError(f"{path}: not a Moodle roster (needs Full name, or First name and Last name; "
                              f"found {', '.join(columns[:6])})")
        chain = MOODLE_ID_CHAIN
    if id_column is not None:
        found = _column(columns, id_column)
        if found is None:
            raise CourseError(f"{path}: no column {id_column!r} for student ids (columns: {', '.join(columns)})")
        chain = (found,)
    chain = tuple(c for c in (_column(columns, name) for name in chain) if c)
    if not chain:
        raise CourseError(f"{path}: no column to take student ids from")

    entries: list[RosterEntry] = []
    points = None
    seen: dict[str, int] = {}
    for lineno, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        row = {col: (cells[i].strip() if i < len(cells) else "") for i, col in enumerate(columns)}
        if lms is LMS.CANVAS and not row[lms_col]:
            if row[name_col] == POINTS_POSSIBLE:
                points = row
            continue  # Canvas's other header rows ("Manual Posting", "(read only)")
        if lms is LMS.CANVAS:
            name = row[name_col]
        else:
            name = row[name_col] if name_col else f"{row[first]} {row[last]}".strip()
        lms_id = row[lms_col] if lms_col else ""
        if lms is LMS.MOODLE and lms_id:
            digits = re.sub(r"\D", "", lms_id)  # the worksheet writes "Participant 1234567"
            lms_id = digits or lms_id
        student_id = next((row[c] for c in chain if row[c]), "")
        if not student_id:
            raise CourseError(f"{path}: line {lineno} ({name or 'no name'}) has no student id in "
                              f"{' or '.join(chain)}")
        if not safe_student_id(student_id):
            raise CourseError(f"{path}: line {lineno}: student id {student_id!r} cannot be a folder name")
        if student_id in seen:
            raise CourseError(f"{path}: line {lineno}: student id {student_id!r} is also on line {seen[student_id]}")
        seen[student_id] = lineno
        entries.append(RosterEntry(student_id, lms_id, name, row))
    if not entries:
        raise CourseError(f"{path}: no students in the roster")
    return Roster(lms, path, columns, entries, points, chain[0])
