"""The coordinator: find submissions, hand them to a grading backend, record every outcome once, report."""

from __future__ import annotations

import json
import os
import shutil
import time
import warnings
from dataclasses import dataclass, replace
from pathlib import Path

import nbformat

from ..nbtools import CourseError, assignments, notebook_paths
from .backend import Backend, Outcome, Shared, Task
from .classreport import ReportFiles, write_report
from .discovery import Unpacked, find_submissions, replace_tree, unclaimed_entries, unpack_zip
from .feedback import write_feedback
from .judge import load_reference
from .prewarm import assignment_imports
from .gradebook import course_settings, prepare_assignment, record_result, snapshot, sqlite_path
from .report import Progress, Row, summary_table, write_csv, write_verdicts
from .sanitize import describe, sanitize_notebook, trusted_cells
from .settings import CourseGrade, grade_settings
from .status import Status
from .worker import GradingSpec, SubmissionResult, scratch_folder

__all__ = ["GradeOptions", "GradeSummary", "MAX_ATTEMPTS", "drive", "grade_assignment", "open_backend"]


@dataclass(frozen=True)
class GradeOptions:
    """How `course grade` runs: where it writes, and its settings (limits, workers, sandbox, caps)."""

    out: Path | None = None
    settings: CourseGrade | None = None  # default: the course's, c.CourseGrade in nbgrader_config.py
    gradebook: Path | None = None  # default: the course's gradebook (nbgrader_config.py)
    dask: str | None = None  # a Dask scheduler address: grade on its workers instead of local processes


@dataclass
class GradeSummary:
    """What a grading run produced."""

    rows: list[Row]
    csv: Path
    feedback_root: Path
    autograded_root: Path
    db_url: str
    seconds: float
    workers: int
    table: str = ""
    report: ReportFiles | None = None  # item_analysis.csv and class_report.html (None: they could not be written)
    report_error: str = ""


def _stage_source(source: Path, dest: Path, ignore: tuple[str, ...]) -> Path:
    """source/<assignment>/ without notebooks: the data files nbgrader copies next to each submission."""
    patterns = shutil.ignore_patterns("*.ipynb", *ignore)
    shutil.copytree(source, dest, ignore=patterns)
    return dest


def _open_submissions(path: Path, tmp: Path, settings: CourseGrade) -> Unpacked:
    if path.is_dir():
        return Unpacked(path)
    if path.is_file() and path.suffix.lower() == ".zip":
        return unpack_zip(path, tmp / "unzipped", settings.max_zip_bytes, settings.max_zip_members)
    if not path.exists():
        raise CourseError(f"{path}: no such folder or .zip of submissions")
    raise CourseError(f"{path}: SUBMISSIONS must be a folder (SUBMISSIONS/<student>/<assignment>/) or a .zip of one")


def grade_assignment(root: Path, assignment: str, submissions: Path, options: GradeOptions,
                     progress_stream=None, tty: bool | None = None) -> GradeSummary:
    """Grade every student folder of SUBMISSIONS; every student gets a row, whatever happened."""
    start = time.perf_counter()
    if assignment not in assignments(root):
        raise CourseError(f"{root / 'source'}: no assignment named {assignment} (known: {', '.join(assignments(root))})")
    source = root / "source" / assignment
    notebooks = tuple(p.stem for p in notebook_paths(source))
    if not notebooks:
        raise CourseError(f"{source}: no notebook to grade")
    if options.settings is None:  # a bad value in nbgrader_config.py stops here, before anything is written
        options = replace(options, settings=grade_settings(root))
    backend = open_backend(options)  # no bubblewrap, or no usable cluster: stop before anything is written
    try:
        return _grade(root, assignment, notebooks, submissions, options, backend, start, progress_stream, tty)
    finally:
        backend.close()


def open_backend(options: GradeOptions) -> Backend:
    """The one place that knows the backends: Dask when options.dask names a scheduler, else local processes."""
    if options.dask:
        from .dask_backend import DaskBackend

        return DaskBackend(options.dask, options.settings.sandbox)
    from .local_backend import LocalBackend

    return LocalBackend(options.settings.sandbox, options.settings.workers)


def _grade(root: Path, assignment: str, notebooks: tuple[str, ...], submissions: Path, options: GradeOptions,
           backend: Backend, start: float, progress_stream, tty: bool | None) -> GradeSummary:
    source = root / "source" / assignment
    chosen, limits = options.settings, options.settings.limits()  # CourseGrade: the course's, then the options
    settings = course_settings(root)
    db_url = f"sqlite:///{options.gradebook.resolve()}" if options.gradebook else settings.db_url
    sqlite_path(db_url).parent.mkdir(parents=True, exist_ok=True)
    out = (options.out or root / "grading" / assignment).resolve()
    autograded_root = sqlite_path(db_url).parent / "autograded" if options.gradebook else settings.autograded
    feedback_root = out / "feedback"
    where = "sandboxed (bubblewrap)" if chosen.sandbox else "WITHOUT sandbox"
    notes = backend.notes()

    with scratch_folder() as tmp:
        unpacked = _open_submissions(submissions.resolve(), tmp, chosen)
        found = find_submissions(unpacked.top, assignment, unpacked.refused)
        if unpacked.refused or submissions.is_file():  # a zip: every entry of nobody is said, not dropped
            unclaimed = unclaimed_entries(unpacked.top, assignment, unpacked.refused)
            notes += [f"{submissions.name}: {line}" for line in unclaimed[:20]]
            notes += [f"{submissions.name}: ... and {len(unclaimed) - 20} more"] if len(unclaimed) > 20 else []
        spec = GradingSpec(assignment=assignment, notebooks=notebooks, course_id=settings.course_id,
                           ignore=settings.ignore, limits=limits, sandbox=chosen.sandbox,
                           # what the pre-warmed kernels import: the source notebooks' import lines, never a submission's
                           preload=None if not chosen.sandbox or chosen.cold_kernels
                           else assignment_imports(source, notebooks))
        backend.warm(spec, tmp)  # e.g. the local kernel server imports while the gradebook and the reference are made
        prepare_assignment(settings, assignment, db_url)
        spec = replace(spec, reference=load_reference(root, assignment))  # the trusted reference run: once, cached
        shared = Shared(spec=spec, course=root, config_file=settings.config_file,
                        template_db=snapshot(db_url, tmp / "template.db"),
                        staged_source=_stage_source(source, tmp / "source" / assignment, settings.ignore),
                        autograded_root=autograded_root, feedback_root=feedback_root)
        progress = Progress(len(found), stream=progress_stream, tty=tty)
        backend.start(shared, tmp)
        workers = backend.workers(len(found))
        on = " ".join(x for x in (assignment, backend.describe()) if x)
        progress.begin("\n".join([f"grading {len(found)} submission(s) of {on}, {workers} worker(s), {where}", *notes]))
        publisher = _Publisher(source, assignment, notebooks, autograded_root, feedback_root, db_url,
                               staged=backend.staging(), course=root)
        with _Recorder(db_url, assignment, progress, publisher, found) as recorder:
            drive(backend, [Task(submission=s, shared=shared) for s in found], recorder)
        progress.end()

    missing = [s.student_id for s in found if s.student_id not in recorder.rows]
    if missing:  # never expected: a student without a row would be a grade silently dropped
        raise CourseError(f"{out}: no result for {', '.join(missing[:5])}; grades.csv not written, rerun the grading")
    rows = [recorder.rows[s.student_id] for s in found]
    csv_path = write_csv(out / "grades.csv", rows)
    write_verdicts(out / "verdicts.json", {s.student_id: recorder.verdicts.get(s.student_id, {}) for s in found})
    report, report_error = None, ""
    try:  # the grades stand even if the report cannot be made; `course report` makes it again
        report = write_report(root, assignment, out, db_url)
    except CourseError as err:
        report_error = str(err)
    except Exception as err:  # noqa: BLE001
        report_error = f"{type(err).__name__}: {str(err)[:200]}"
    seconds = time.perf_counter() - start
    summary = GradeSummary(rows, csv_path, feedback_root, autograded_root, db_url, seconds, workers,
                           report=report, report_error=report_error)
    summary.table = summary_table(rows, seconds, workers)
    if recorder.sanitised:
        summary.table += "\n" + "\n".join(
            [f"active content removed from {len(recorder.sanitised)} submission(s) (detail in grades.csv):",
             *(f"  {sid}: {what}" for sid, what in sorted(recorder.sanitised.items()))])
    return summary


class _Publisher:
    """The one place where graded notebooks become visible: sanitised, then stored, then rendered as feedback.

    Every result passes through it in the coordinator, whether a local worker or a Dask worker
    graded it, so neither a worker nor a student's notebook can put active content in front of a
    browser: the autograded notebook formgrader shows, and the feedback page (rendered here from
    the sanitised notebook and the real gradebook; a worker's own page is never kept).
    """

    def __init__(self, source: Path, assignment: str, notebooks: tuple[str, ...], autograded_root: Path,
                 feedback_root: Path, db_url: str, staged: Path | None, course: Path | None = None) -> None:
        self.assignment, self.notebooks, self.db_url = assignment, notebooks, db_url
        self.course = course  # whose nbgrader_config.py shapes the feedback pages
        self.autograded_root, self.feedback_root, self.staged = autograded_root, feedback_root, staged
        self.trusted = {name: trusted_cells(source / f"{name}.ipynb") for name in notebooks}

    def store(self, sid: str) -> str:
        """Put the sanitised autograded notebooks in place (none: remove old ones); return what was removed."""
        final = self.autograded_root / sid / self.assignment
        src = (self.staged or self.autograded_root) / sid / self.assignment
        found: list[str] = []
        if not src.is_dir():
            replace_tree(final, None)
            return ""

        names = {f"{name}.ipynb" for name in self.notebooks}

        def fill(folder: Path) -> None:
            # Everything but the notebooks is copied as is; each notebook is written only once sanitised.
            shutil.copytree(src, folder, symlinks=True, ignore=lambda d, entries: names if Path(d) == src else [])
            for name in self.notebooks:
                path = src / f"{name}.ipynb"
                if not path.is_file() or path.is_symlink():
                    continue
                try:
                    nb = nbformat.read(str(path), as_version=4)
                    what = describe(sanitize_notebook(nb, self.trusted[name]))
                    nbformat.write(nb, str(folder / path.name))
                except Exception as err:  # noqa: BLE001 - fail closed: a notebook that cannot be sanitised is not stored
                    (folder / path.name).unlink(missing_ok=True)
                    found.append(f"{name}.ipynb not stored: it could not be sanitised ({type(err).__name__})")
                    continue
                if what:
                    found.append(what if len(self.notebooks) == 1 else f"{name}.ipynb {what}")
            for link in [p for p in folder.rglob("*") if p.is_symlink()]:
                link.unlink()  # a worker's answer holds regular files only

        replace_tree(final, fill)
        if self.staged is not None:
            shutil.rmtree(src, ignore_errors=True)
        return "; ".join(found)

    def withdraw(self, sid: str) -> None:
        """Remove whatever the worker left for this student (staged or stored): used when sanitising failed."""
        for root in (self.staged, self.autograded_root):
            if root is not None:
                for folder in (self.assignment, self.assignment + ".grading-tmp"):  # replace_tree's half-filled one
                    shutil.rmtree(root / sid / folder, ignore_errors=True)

    def feedback(self, result: SubmissionResult) -> list[str]:
        """Render each stored notebook's feedback from the real gradebook; return notes on pages that failed."""
        sid = result.student_id
        stored = self.autograded_root / sid / self.assignment
        pages: list[str] = []
        notes: list[str] = []

        def fill(folder: Path) -> None:
            for name in self.notebooks:
                path = stored / f"{name}.ipynb"
                if not path.is_file():
                    continue
                try:
                    write_feedback(path, self.db_url, self.assignment, sid, folder / f"{name}.html", self.course)
                    pages.append(str(self.feedback_root / sid / self.assignment / f"{name}.html"))
                except Exception as err:  # noqa: BLE001 - the grades stand even if the page cannot be made
                    notes.append(f"no feedback for {name}.ipynb ({type(err).__name__}: {str(err)[:100]})")

        has_notebooks = any((stored / f"{name}.ipynb").is_file() for name in self.notebooks)
        replace_tree(self.feedback_root / sid / self.assignment, fill if has_notebooks else None)
        result.feedback = pages
        return notes


class _Recorder:
    """The single writer of the gradebook: one row per result, as results arrive."""

    def __init__(self, db_url: str, assignment: str, progress: Progress, publisher: _Publisher | None = None,
                 found: list | None = None) -> None:
        self.db_url, self.assignment, self.progress = db_url, assignment, progress
        self.publisher = publisher
        self.notes = {s.student_id: s.note for s in found or () if s.note}  # zip entries refused, per student
        self.rows: dict[str, Row] = {}
        self.verdicts: dict[str, dict] = {}
        self.sanitised: dict[str, str] = {}  # student -> active content removed from their notebooks
        self._gb = None

    def __enter__(self) -> "_Recorder":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close the gradebook (reopened at the next result): no open database across a fork."""
        if self._gb is not None:
            self._gb.close()
            self._gb = None

    def record(self, result: SubmissionResult, attempts: int = 1, note: str = "") -> None:
        """Sanitise and store the student's notebooks, write their grades, render feedback, keep their row."""
        cpu = time.process_time()
        removed, page_notes = "", []
        if self.publisher is not None:
            try:
                removed = self.publisher.store(result.student_id)
            except Exception as err:  # noqa: BLE001 - fail closed: nothing unsanitised is left where a browser sees it
                self.publisher.withdraw(result.student_id)
                page_notes.append(f"autograded notebook not stored: it could not be sanitised ({type(err).__name__}: "
                                  f"{str(err)[:100]})")
        with warnings.catch_warnings():  # nbgrader's own SQLAlchemy session warnings
            warnings.simplefilter("ignore")
            if self._gb is None:
                from ..nbgrader_adapter import Gradebook

                self._gb = Gradebook(self.db_url)
            score, max_score = record_result(self._gb, self.assignment, result)
            if self.publisher is not None:
                try:
                    page_notes += self.publisher.feedback(result)
                except OSError as err:  # the grades stand even if no page can be written
                    page_notes.append(f"no feedback ({type(err).__name__}: {str(err)[:100]})")
        if removed:
            self.sanitised[result.student_id] = removed
        detail = "; ".join(x for x in (self.notes.get(result.student_id, ""), note, result.detail, *page_notes, removed) if x).replace("\n", " ")
        if len(detail) > 500:  # what was removed is kept whole: the instructor wants to know who tried
            detail = detail[:max(0, 497 - len(removed))] + "...; " + removed if removed else detail[:500]
        row = Row(result.student_id, self.assignment, score, max_score, result.status, detail, attempts)
        _write_timings(result, time.process_time() - cpu)
        self.rows[result.student_id] = row
        self.verdicts[result.student_id] = result.verdicts
        self.progress.update(row, result.seconds)


def _write_timings(result: SubmissionResult, recorder_cpu: float) -> None:
    """With COURSE_GRADE_TIMINGS=FILE, append where each submission's time went (benchmarks/grade_throughput.py)."""
    path = os.environ.get("COURSE_GRADE_TIMINGS")
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"student": result.student_id, "seconds": result.seconds,
                                 "worker_cpu": result.cpu_seconds, "coordinator_cpu": recorder_cpu,
                                 "notebooks": result.timings}) + "\n")


MAX_ATTEMPTS = 2  # attempts per task, on any backend: a lost task (crashed worker, worker error) runs once more


def drive(backend: Backend, tasks: list[Task], recorder: _Recorder) -> None:
    """Run tasks on the backend in rounds, record every outcome once; lost tasks run again up to MAX_ATTEMPTS."""
    pending = list(tasks)
    attempts: dict[str, int] = {}
    retried: dict[str, str] = {}  # student -> why the attempt before the retry was lost
    while pending:
        again: list[Task] = []
        by_student = {task.student_id: task for task in pending}

        def on_outcome(outcome: Outcome) -> None:
            sid = outcome.result.student_id
            tries = attempts[sid] = attempts.get(sid, 0) + outcome.attempts
            if outcome.lost and tries < MAX_ATTEMPTS:
                again.append(by_student[sid])
                retried[sid] = outcome.result.detail
                return
            result, note = outcome.result, outcome.note
            if outcome.lost:  # the backend's reason stands, with how many attempts it took
                result = replace(result, status=Status.ERROR, detail=f"{result.detail}; gave up after {tries} attempts")
            elif sid in retried and result.status is not Status.ERROR:
                note = note or f"retried: the first attempt was lost ({retried[sid]})"
            recorder.record(result, tries, note)

        recorder.close()  # a backend may fork workers: the gradebook is opened again after that
        backend.run(pending, on_outcome, recorder.progress.tick)
        pending = again
