"""`course collect`: turn a Canvas or Moodle bulk download into nbgrader's submitted layout, every file accounted for.

The download (the .zip as downloaded, or its unpacked folder) is extracted with discovery's safe unzip.
Each file becomes one row: collected (or late), superseded by a newer upload, not a notebook, a corrupt
notebook, no roster match, ambiguous, unrecognized, or refused (an unsafe zip entry). The newest
notebook per student is written to OUT/<student>/<assignment>/<notebook>.ipynb with a timestamp.txt
holding the upload time, so nbgrader's late penalties apply.

Upload times come from the zip entries' modification times, the only time either download carries:
the Info-ZIP extended timestamp (UTC) when the archiver wrote one, otherwise the DOS date and time,
which has no time zone and is read in --timezone (default UTC). An unpacked folder gives its files'
modification times, which unzip keeps. When every collected file has the same time (within 2 s),
that is when the zip was made or unpacked, not when students uploaded, and no timestamp.txt is
written (the table says so).
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path, PurePosixPath

from ..nbtools import CourseError, assignments, notebook_paths
from .discovery import unpack_zip
from .lms import LMS, Roster, Upload, parse_upload, read_roster
from .settings import CourseGrade, grade_settings

__all__ = ["FileStatus", "FileRow", "CollectResult", "collect", "TIMESTAMP_FORMAT", "SAME_TIME_SECONDS"]

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f UTC"
SAME_TIME_SECONDS = 2  # a class "uploading" within the zip time resolution: that is packaging time  # nbgrader's own (ExchangeSubmit.timestamp_format, in UTC)


class FileStatus(Enum):
    """What became of one file of the download (or of a roster student with no file)."""

    COLLECTED = "collected"
    LATE = "late"  # collected; Canvas marked it late
    CORRUPT = "corrupt notebook"  # collected as handed in; course grade will score it invalid_notebook
    SUPERSEDED = "superseded"  # an older upload of the same notebook by the same student
    NOT_NOTEBOOK = "not a notebook"
    NO_ROSTER_MATCH = "no roster match"
    AMBIGUOUS = "ambiguous"
    UNRECOGNIZED = "unrecognized"  # not named the way the LMS names files
    REFUSED = "refused"  # an unsafe entry (link, '..', absolute path) or an unreadable one: not read
    NOT_SUBMITTED = "not submitted"  # a roster student with no file in the download

    @property
    def needs_look(self) -> bool:
        """Whether a human should look at this row (exit code 1)."""
        return self not in (FileStatus.COLLECTED, FileStatus.LATE, FileStatus.SUPERSEDED, FileStatus.NOT_SUBMITTED)


@dataclass(frozen=True)
class FileRow:
    """One line of the collect table."""

    status: FileStatus
    file: str  # the file's path in the download ('' for a roster student with no file)
    student: str  # nbgrader student id ('' when unknown)
    detail: str
    safe_name: str = ""  # a refused entry: its name without what made it unsafe (to tell whose it was)


@dataclass
class CollectResult:
    """What `course collect` did."""

    rows: list[FileRow]
    out: Path
    written: dict[str, Path] = field(default_factory=dict)  # student -> OUT/<student>/<assignment>/
    notes: list[str] = field(default_factory=list)

    @property
    def needs_look(self) -> bool:
        """Whether any row needs a human look."""
        return any(r.status.needs_look for r in self.rows)

    def table(self) -> str:
        """Every row, then the count per status."""
        rows = sorted(self.rows, key=lambda r: (r.student or "\uffff", r.file))
        headers = ("status", "student", "file", "detail")
        cells = [(r.status.value, r.student or "-", r.file or "-", r.detail) for r in rows]
        widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(headers[:3])]
        lines = ["  ".join(h.ljust(w) for h, w in zip(headers[:3], widths)) + "  detail"]
        lines.append("-" * (sum(widths) + 6 + 6))
        lines += ["  ".join(c.ljust(w) for c, w in zip(cell[:3], widths)) + "  " + cell[3] for cell in cells]
        counts = Counter(r.status for r in self.rows)
        lines.append("")
        lines.append(", ".join(f"{s.value} {counts[s]}" for s in FileStatus if counts[s]))
        look = sum(r.status.needs_look for r in self.rows)
        lines.append(f"{len(self.written)} student folder(s) written to {self.out}"
                     + (f"; {look} row(s) need a look" if look else "; nothing needs a look"))
        return "\n".join(lines + self.notes)


@dataclass
class _Candidate:
    rel: str
    path: Path
    upload: Upload
    student: str
    when: datetime | None
    problem: str  # '' for a readable notebook


def _notebook_problem(path: Path, max_bytes: int) -> str:
    """'' when path is a notebook nbgrader can read (at most max_bytes), else the reason."""
    import nbformat

    size = path.stat().st_size
    if size > max_bytes:
        return f"{size // 2**20} MiB, over the {max_bytes // 2**20} MiB limit (c.CourseGrade.max_submission_bytes)"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = nbformat.read(str(path), as_version=4)
    except Exception as err:  # noqa: BLE001 - JSON, schema and encoding errors alike
        first = str(err).strip().splitlines()
        return f"{type(err).__name__}: {first[0][:120] if first else ''}"
    return "" if isinstance(nb.get("cells"), list) else "no cells"


def _walk(top: Path, rows: list[FileRow]) -> Iterator[tuple[str, Path]]:
    """Regular files below top as (posix relative path, path); links and special files become refused rows."""
    for folder, dirnames, filenames in os.walk(top, followlinks=False):
        here = Path(folder)
        for name in sorted(dirnames):
            if (here / name).is_symlink():
                dirnames.remove(name)
                rel = (here / name).relative_to(top).as_posix()
                rows.append(FileRow(FileStatus.REFUSED, rel, "", "a symbolic link: not followed", rel))
        dirnames.sort()
        for name in sorted(filenames):
            path = here / name
            rel = path.relative_to(top).as_posix()
            mode = path.lstat().st_mode
            if stat.S_ISREG(mode):
                yield rel, path
            else:
                kind = "a symbolic link: not followed" if stat.S_ISLNK(mode) else "not a regular file"
                rows.append(FileRow(FileStatus.REFUSED, rel, "", kind, rel))


def _zip_time(stamp: tuple[int, ...], zone: str) -> datetime:
    if len(stamp) == 1:
        return datetime.fromtimestamp(stamp[0], timezone.utc)
    from zoneinfo import ZoneInfo

    return datetime(*stamp[:6], tzinfo=ZoneInfo(zone)).astimezone(timezone.utc)


def _match(upload: Upload, roster: Roster | None, lms: LMS) -> tuple[str, FileStatus | None, str]:
    """(student id, None, '') or ('', status, why not)."""
    who = f"{'Canvas user' if lms is LMS.CANVAS else 'Moodle participant'} {upload.lms_id} ({upload.name})"
    if roster is None:
        return upload.lms_id, None, ""
    if lms is LMS.MOODLE and not roster.has_lms_ids:
        found, how = roster.by_name(upload.name), "named"
    else:
        found, how = roster.by_lms_id(upload.lms_id), "with id"
    if not found:
        return "", FileStatus.NO_ROSTER_MATCH, f"{who} is not in {roster.path.name}"
    if len(found) > 1:
        ids = ", ".join(e.student_id for e in found)
        return "", FileStatus.AMBIGUOUS, f"{who}: {len(found)} students {how} that in {roster.path.name} ({ids})"
    return found[0].student_id, None, ""


def _target(filename: str, notebooks: tuple[str, ...]) -> str | None:
    """Which of the assignment's notebooks an uploaded .ipynb is (a one-notebook assignment takes any name)."""
    if len(notebooks) == 1:
        return notebooks[0]
    stem = PurePosixPath(filename).stem
    base = stem.split(" (")[0].strip()  # "01_derivatives (1).ipynb", as browsers rename a second download
    return next((nb for nb in notebooks if nb in (stem, base)), None)


def _open_download(download: Path, tmp: Path, rows: list[FileRow], settings: CourseGrade
                   ) -> tuple[Path, dict[str, tuple[int, ...]] | None]:
    if download.is_dir():
        return download, None
    if not download.exists():
        raise CourseError(f"{download}: no such download (the LMS's .zip or its unpacked folder)")
    if download.suffix.lower() != ".zip":
        raise CourseError(f"{download}: DOWNLOAD must be the LMS's .zip or the folder it unpacks to")
    unpacked = unpack_zip(download, tmp / "download", settings.max_zip_bytes, settings.max_zip_members)
    for entry in unpacked.refused:
        rows.append(FileRow(FileStatus.REFUSED, entry.name, "", entry.reason, "/".join(entry.parts)))
    return unpacked.top, unpacked.times


def collect(root: Path, assignment: str, download: Path, lms: LMS, roster_path: Path | None = None,
            out: Path | None = None, zone: str = "UTC", timestamps: bool = True, id_column: str | None = None
            ) -> CollectResult:
    """Collect ASSIGNMENT from an LMS download into OUT/<student>/<assignment>/; every file gets a row."""
    if assignment not in assignments(root):
        raise CourseError(f"{root / 'source'}: no assignment named {assignment} (known: {', '.join(assignments(root))})")
    notebooks = tuple(p.stem for p in notebook_paths(root / "source" / assignment))
    if not notebooks:
        raise CourseError(f"{root / 'source' / assignment}: no notebook to collect")
    if zone != "UTC":
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise CourseError(f"--timezone {zone}: not a time zone name (e.g. Europe/Berlin, UTC)") from None
    settings = grade_settings(root)  # the zip and notebook caps of c.CourseGrade, as course grade uses them
    roster = read_roster(roster_path, lms, id_column) if roster_path is not None else None
    out = (out or root / "submitted").resolve()
    if out.exists() and not out.is_dir():
        raise CourseError(f"{out}: --out must be a folder")
    rows: list[FileRow] = []
    result = CollectResult(rows, out)
    if roster is not None and lms is LMS.MOODLE and not roster.has_lms_ids:
        result.notes.append(f"{roster.path.name} has no participant identifier column: students were matched by "
                            "full name (a grading worksheet with an Identifier column matches exactly)")
    with tempfile.TemporaryDirectory(prefix="course-collect-") as tmp:
        top, times = _open_download(download.resolve(), Path(tmp), rows, settings)
        groups = _classify(top, times, lms, roster, assignment, notebooks, zone, rows, settings.max_submission_bytes)
        _name_owners_of_refused(rows, lms, roster)
        chosen = _choose(groups, rows, assignment)
        stamps = timestamps and _times_are_upload_times(chosen, result.notes)
        if not timestamps:
            result.notes.append("--no-timestamps: no timestamp.txt written (no late penalties)")
        if roster is not None:
            present = {r.student for r in rows if r.student}
            rows += [FileRow(FileStatus.NOT_SUBMITTED, "", e.student_id,
                             f"{e.name}: in {roster.path.name}, nothing in the download")
                     for e in roster.entries if e.student_id not in present]
        result.written = _write(chosen, out, assignment, stamps)
    return result


def _classify(top: Path, times: dict[str, tuple[int, ...]] | None, lms: LMS, roster: Roster | None, assignment: str,
              notebooks: tuple[str, ...], zone: str, rows: list[FileRow], max_bytes: int
              ) -> dict[tuple[str, str], list[_Candidate]]:
    """A row for every file that cannot be collected; the notebooks that can, per (student, notebook)."""
    groups: dict[tuple[str, str], list[_Candidate]] = {}
    for rel, path in _walk(top, rows):
        upload = parse_upload(lms, rel)
        if upload is None:
            pattern = ("<name>_<user id>_<submission id>_<file>" if lms is LMS.CANVAS
                       else "<Full Name>_<participant id>_assignsubmission_file_/<file>")
            rows.append(FileRow(FileStatus.UNRECOGNIZED, rel, "", f"not named {pattern} as {lms.value} names uploads"))
            continue
        student, status, why = _match(upload, roster, lms)
        if status is not None:
            rows.append(FileRow(status, rel, "", why))
            continue
        if PurePosixPath(upload.filename).suffix.lower() != ".ipynb":
            rows.append(FileRow(FileStatus.NOT_NOTEBOOK, rel, student,
                                f"{PurePosixPath(upload.filename).name}: only .ipynb notebooks are graded"))
            continue
        target = _target(upload.filename, notebooks)
        if target is None:
            rows.append(FileRow(FileStatus.UNRECOGNIZED, rel, student, f"not one of {assignment}'s notebooks "
                                f"({', '.join(n + '.ipynb' for n in notebooks)})"))
            continue
        if times is not None:
            when = _zip_time(times[rel], zone) if rel in times else None
        else:
            when = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
        groups.setdefault((student, target), []).append(_Candidate(rel, path, upload, student, when,
                                                                   _notebook_problem(path, max_bytes)))
    return groups


def _name_owners_of_refused(rows: list[FileRow], lms: LMS, roster: Roster | None) -> None:
    """A refused entry still says whose it was, when its name tells."""
    for i, row in enumerate(rows):
        upload = parse_upload(lms, row.safe_name) if row.status is FileStatus.REFUSED and row.safe_name else None
        if upload is not None and not row.student:
            rows[i] = FileRow(row.status, row.file, _match(upload, roster, lms)[0], row.detail, row.safe_name)


def _times_are_upload_times(chosen: dict[tuple[str, str], _Candidate], notes: list[str]) -> bool:
    """False (with a note) when every collected file has the same time: the zip's making, not the uploads."""
    distinct = {c.when for c in chosen.values()}
    known = sorted(w for w in distinct if w is not None)
    if len(chosen) > 1 and known and len(known) == len(distinct) \
            and (known[-1] - known[0]).total_seconds() <= SAME_TIME_SECONDS:
        notes.append(f"every collected file has the same time ({known[0]:%Y-%m-%d %H:%M:%S} UTC): that is when the "
                     "zip was made or unpacked, not upload times, so no timestamp.txt was written")
        return False
    if None in distinct:
        notes.append("some files carry no time: those students get no timestamp.txt")
    return True


def _choose(groups: dict[tuple[str, str], list[_Candidate]], rows: list[FileRow], assignment: str
            ) -> dict[tuple[str, str], _Candidate]:
    """The newest upload per student and notebook (by submission id, then resubmission number); a row for each."""
    chosen: dict[tuple[str, str], _Candidate] = {}
    for (student, target), cands in sorted(groups.items()):
        def key(c: _Candidate) -> tuple:
            return (c.upload.order, PurePosixPath(c.upload.filename).stem == target)

        cands.sort(key=key, reverse=True)
        best = cands[0]
        tied = [c for c in cands if key(c) == key(best)]
        if len(tied) > 1:
            for c in tied:
                rows.append(FileRow(FileStatus.AMBIGUOUS, c.rel, student, f"{len(tied)} uploads could be {target}.ipynb "
                                    f"and none is newer: none collected, pick one by hand"))
            for c in cands[len(tied):]:
                rows.append(FileRow(FileStatus.SUPERSEDED, c.rel, student, "older than the ambiguous uploads"))
            continue
        chosen[(student, target)] = best
        where = f"-> {student}/{assignment}/{target}.ipynb"
        when = f" ({best.when:%Y-%m-%d %H:%M} UTC)" if best.when else ""
        if best.problem:
            rows.append(FileRow(FileStatus.CORRUPT, best.rel, student,
                                f"{where} as handed in; course grade will score it invalid_notebook ({best.problem})"))
        elif best.upload.late:
            rows.append(FileRow(FileStatus.LATE, best.rel, student, f"{where}{when}; the LMS marked it late"))
        else:
            rows.append(FileRow(FileStatus.COLLECTED, best.rel, student, where + when))
        for c in cands[1:]:
            rows.append(FileRow(FileStatus.SUPERSEDED, c.rel, student, f"older than {best.rel}"))
    return chosen


def _write(chosen: dict[tuple[str, str], _Candidate], out: Path, assignment: str, stamps: bool) -> dict[str, Path]:
    """Stage every student's folder beside OUT's, then move each into place (an earlier collect is replaced)."""
    if not chosen:
        return {}
    out.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".collect-{assignment}-", dir=out))  # dot: never a student folder
    try:
        staged: dict[str, Path] = {}
        latest: dict[str, datetime] = {}
        for (student, target), cand in chosen.items():
            folder = stage / student / assignment
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(cand.path, folder / f"{target}.ipynb", follow_symlinks=False)
            if stamps and cand.when is not None:
                latest[student] = max(latest.get(student, cand.when), cand.when)
            staged[student] = folder
        for student, when in latest.items():  # the last upload of the submission, as nbgrader's exchange records
            (staged[student] / "timestamp.txt").write_text(when.strftime(TIMESTAMP_FORMAT) + "\n", encoding="utf-8")
        written = {}
        for student, folder in sorted(staged.items()):
            dest = out / student / assignment
            dest.parent.mkdir(parents=True, exist_ok=True)
            if dest.exists() or dest.is_symlink():
                old = stage / ".replaced" / student
                old.parent.mkdir(parents=True, exist_ok=True)
                dest.rename(old)
            folder.rename(dest)
            written[student] = dest
        return written
    finally:
        shutil.rmtree(stage, ignore_errors=True)
