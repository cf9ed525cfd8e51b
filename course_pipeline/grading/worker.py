"""Grade one submission in a private nbgrader course: stock Autograde with the hardened executor, then feedback.

Each submission gets a private course folder with a copy of the gradebook, so nbgrader's own
preprocessors (OverwriteCells, SaveAutoGrades, AssignLatePenalties...) run unchanged and in
parallel; the grades are read back and returned to the coordinator, the only writer of the real
gradebook.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import nbformat

from ..nbgrader_adapter import autograde, capture_logs, course_config, exception_line, import_converters
from .discovery import replace_tree, safe_copy_tree
from .feedback import write_feedback
from .execution import GradingExecute, GradingRun, active_run
from .prewarm import ZygoteInfo
from .sandbox import Limits
from .status import Status

__all__ = ["GradingSpec", "Job", "NotebookGrades", "SubmissionResult", "grade_submission", "prepare_process", "skipped_note",
           "scratch_folder", "sweep_stale", "first_line", "FailureKind", "AutogradeFailure"]


@dataclass(frozen=True, kw_only=True)
class GradingSpec:
    """What grading any submission of one run needs, as values: the same on the coordinator and every worker.

    `backend.Shared` (the coordinator's files), `cluster.Bundle` (those files as bytes for Dask) and
    `Job` (one student on one machine) each carry one; none repeats its fields.
    """

    assignment: str
    notebooks: tuple[str, ...]  # notebook ids expected (from source/)
    course_id: str
    ignore: tuple[str, ...]  # nbgrader's CourseDirectory.ignore patterns
    limits: Limits
    sandbox: bool
    # The judge's reference records for the assignment (notebook id -> grade_id -> records), from the coordinator.
    reference: dict | None = None
    # Notebook id -> the modules its source notebook imports: the backend's pre-warmed kernel server imports them
    # (course_utils._zygote). None: every kernel starts cold (no sandbox, or cold_kernels).
    preload: dict[str, tuple[str, ...]] | None = None


@dataclass(frozen=True, kw_only=True)
class Job:
    """Everything a worker needs to grade one student (picklable; built with keywords only)."""

    student_id: str
    folder: Path | None
    spec: GradingSpec
    config_file: Path | None
    template_db: Path
    source_dir: Path  # staged source/ holding <assignment>/ with the non-notebook files
    autograded_root: Path  # autograded notebooks go to <root>/<student>/<assignment>/
    feedback_root: Path  # feedback goes to <root>/<student>/<assignment>/<nb>.html
    work_root: Path
    bwrap: str | None  # this machine's bubblewrap (None: spec.sandbox is off)
    seccomp_file: Path | None
    # Local grading leaves the feedback to the coordinator, which renders it from the sanitised notebook;
    # a Dask worker still renders its own page (the coordinator discards it and renders again).
    write_feedback: bool = True
    # The pre-warmed kernel server of this process's backend (None: every kernel starts cold).
    zygote: ZygoteInfo | None = None


@dataclass
class NotebookGrades:
    """Autograder results of one notebook, as nbgrader's SaveAutoGrades/AssignLatePenalties left them."""

    name: str
    grades: dict[str, tuple[float | None, bool]] = field(default_factory=dict)  # id -> (auto_score, needs_manual)
    comments: dict[str, str | None] = field(default_factory=dict)
    late_penalty: float | None = None


@dataclass
class SubmissionResult:
    """What the coordinator records for one student."""

    student_id: str
    status: Status
    detail: str
    notebooks: list[NotebookGrades] = field(default_factory=list)
    timestamp: str | None = None
    feedback: list[str] = field(default_factory=list)
    seconds: float = 0.0
    unreadable: tuple[str, ...] = ()  # notebooks that were not valid notebooks
    # The judge's decision per test: notebook -> grade_id -> {passed, reasons, mistakes, ...} (judge.Verdict.as_dict)
    verdicts: dict[str, dict[str, dict]] = field(default_factory=dict)
    timings: dict[str, dict] = field(default_factory=dict)  # notebook id -> where its time went (RunLog.timings)
    cpu_seconds: float = 0.0  # CPU time of the grading process (not its kernels) for this submission


class FailureKind(Enum):
    """How nbgrader's Autograde converter failed."""

    REPORTED = "reported"  # NbGraderException: nbgrader logged the submission's errors, then gave up on it
    CRASHED = "crashed"  # any other exception: the converter itself broke


@dataclass(frozen=True)
class AutogradeFailure:
    """Why the Autograde converter did not finish: its kind and the converter's exception in one line."""

    kind: FailureKind
    message: str


def _throwaway_sqlite(dbapi_connection, _record) -> None:
    """Workers only ever open their private gradebook copies: no need to wait for the disk."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.execute("PRAGMA journal_mode=MEMORY")
    cursor.close()


def prepare_process() -> None:
    """Set up a grading process (idempotent): quiet warnings, fast private gradebooks."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    warnings.simplefilter("ignore")
    if not event.contains(Engine, "connect", _throwaway_sqlite):
        event.listen(Engine, "connect", _throwaway_sqlite)


SCRATCH_PREFIX = "course-grade-"
_swept = False


def sweep_stale(prefix: str = SCRATCH_PREFIX) -> int:
    """Remove temporary grading folders <prefix><pid>-* left by processes that were killed; return how many."""
    removed = 0
    pattern = re.compile(re.escape(prefix) + r"(\d+)-")
    for entry in Path(tempfile.gettempdir()).glob(prefix + "*"):
        match = pattern.match(entry.name)
        if not match or not entry.is_dir() or entry.is_symlink():
            continue
        pid = int(match.group(1))
        if pid == os.getpid():
            continue
        try:
            os.kill(pid, 0)
            continue  # still running (or another user's live process)
        except ProcessLookupError:
            shutil.rmtree(entry, ignore_errors=True)
            removed += 1
        except PermissionError:
            continue
    return removed


@contextmanager
def scratch_folder() -> Iterator[Path]:
    """A temporary folder named after this process (so a later run can sweep it if this one is killed)."""
    global _swept
    if not _swept:  # once per process: a grading process only needs to clear up after its dead predecessors
        sweep_stale()
        _swept = True
    with tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-") as name:
        folder = Path(name)
        os.chmod(folder, 0o711)  # sandboxed uids must reach their runtime folders below
        yield folder


first_line = exception_line  # one-line reports of an exception (the adapter's, also used for nbgrader's)


def worker_init() -> None:
    """Set up a pool process: as prepare_process, Ctrl-C left to the coordinator, death with the coordinator."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    prepare_process()
    _die_with_parent()


def _die_with_parent() -> None:
    """Linux: SIGKILL this worker when the coordinator dies, so no worker (or sandbox) outlives a killed run."""
    import ctypes
    import signal

    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the coordinator died before the call
        os._exit(1)


def warm_up(course: Path | None = None) -> None:
    """Import what grading needs and compile the course's feedback template, so forked workers start warm."""
    import nbclient  # noqa: F401
    import zmq.asyncio  # noqa: F401
    from jupyter_client.manager import AsyncKernelManager  # noqa: F401

    from .feedback import warm_up as warm_feedback

    import_converters()
    warm_feedback(course)


def grade_submission(job: Job) -> SubmissionResult:
    """Grade one student; never raises (a failure becomes status 'error' with a reason)."""
    warnings.simplefilter("ignore")  # nbgrader's SQLAlchemy and nbformat warnings are noise here
    start, cpu = time.perf_counter(), time.process_time()
    # A regrade starts clean: no feedback or autograded notebook of an earlier run may survive it.
    a = job.spec.assignment
    shutil.rmtree(job.feedback_root / job.student_id / a, ignore_errors=True)
    shutil.rmtree(job.autograded_root / job.student_id / a, ignore_errors=True)
    if job.folder is None:
        result = SubmissionResult(job.student_id, Status.MISSING_NOTEBOOK, f"no {a}/ folder in the submission")
    else:
        job.work_root.mkdir(parents=True, exist_ok=True)
        private = Path(tempfile.mkdtemp(prefix="sub-", dir=job.work_root))
        try:
            result = _grade(job, private)
        except Exception as err:  # noqa: BLE001 - one bad submission must not stop the class
            result = SubmissionResult(job.student_id, Status.ERROR, f"grader error: {type(err).__name__}: {str(err)[:200]}")
        except SystemExit as err:  # nbgrader calls sys.exit on some malformed input
            result = SubmissionResult(job.student_id, Status.ERROR, f"grader error: nbgrader exited ({err.code})")
        finally:
            shutil.rmtree(private, ignore_errors=True)
    result.seconds = time.perf_counter() - start
    result.cpu_seconds = time.process_time() - cpu
    return result


def skipped_note(skipped: list[str]) -> str:
    """The detail note for files of a submission that were not copied."""
    return f"skipped {len(skipped)} file(s): {', '.join(skipped[:3])}"


def _check_notebook(path: Path) -> str:
    """'' when path is a notebook nbgrader can read, else the reason."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = nbformat.read(str(path), as_version=4)
    except Exception as err:  # noqa: BLE001 - JSON errors, schema errors, encoding errors
        first = str(err).strip().splitlines()
        return f"{type(err).__name__}: {first[0][:120] if first else ''}"
    if not isinstance(nb.get("cells"), list):
        return "no cells"
    return ""


def _check_timestamp(folder: Path) -> str:
    path = folder / "timestamp.txt"
    if not path.is_file():
        return ""
    from ..nbgrader_adapter import parse_utc

    try:
        text = path.read_text(errors="strict").strip()
        if text:
            parse_utc(text)
        return ""
    except Exception:  # noqa: BLE001 - nbgrader would sys.exit on it
        path.unlink()
        return "ignored an unreadable timestamp.txt"


def _grade(job: Job, private: Path) -> SubmissionResult:
    spec, sid = job.spec, job.student_id
    a = spec.assignment
    notes: list[str] = []
    submitted = private / "submitted" / sid / a
    skipped = safe_copy_tree(job.folder, submitted, spec.limits.max_submission_bytes)
    if skipped:
        notes.append(skipped_note(skipped))
    ts_note = _check_timestamp(submitted)
    if ts_note:
        notes.append(ts_note)
    unreadable, missing = [], []
    for name in spec.notebooks:
        path = submitted / f"{name}.ipynb"
        if not path.is_file():
            missing.append(name)
            continue
        reason = _check_notebook(path)
        if reason:
            unreadable.append(name)
            notes.append(f"{name}.ipynb is not a valid notebook ({reason})")
            path.unlink()  # nbgrader then scores it as a missing notebook: zero
    if missing:
        notes.insert(0, f"missing {', '.join(m + '.ipynb' for m in missing)}")
    if len(unreadable) + len(missing) == len(spec.notebooks):
        status = Status.INVALID_NOTEBOOK if unreadable else Status.MISSING_NOTEBOOK
        return SubmissionResult(sid, status, "; ".join(notes), unreadable=tuple(unreadable))

    shutil.copyfile(job.template_db, private / "gradebook.db")
    (private / "source").symlink_to(job.source_dir, target_is_directory=True)
    db_url = f"sqlite:///{private / 'gradebook.db'}"
    run = GradingRun(limits=spec.limits, assignment=a, bwrap=job.bwrap, seccomp_file=job.seccomp_file,
                     runtime_root=private / "run", student_dir=submitted, reference=spec.reference,
                     zygote=job.zygote if job.bwrap is not None else None)
    (private / "run").mkdir(mode=0o711)
    with capture_logs() as capture, active_run(run):
        failure = _run_autograde(job, private, db_url, run)
    verdicts = {nb: {gid: v.as_dict() for gid, v in vs.items()} for nb, vs in run.verdicts.items()}
    timings = {name: dict(log.timings) for name, log in run.logs.items()}
    if failure is not None:
        if failure.kind is FailureKind.CRASHED:  # not nbgrader's report of the submission: keep the crash itself
            notes.append(failure.message)
        reason = capture.reason() or failure.message
        return SubmissionResult(sid, Status.ERROR, "; ".join([f"nbgrader failed: {reason}", *notes]),
                                notebooks=_read_grades(db_url, a, sid, spec.notebooks)[0], unreadable=tuple(unreadable),
                                verdicts=verdicts, timings=timings)

    details = [d for log in run.logs.values() for _, d in log.events]
    files = Status.INVALID_NOTEBOOK if unreadable else (Status.MISSING_NOTEBOOK if missing else Status.OK)
    status = Status.worst([files, *(log.status for log in run.logs.values())])
    notebooks, timestamp = _read_grades(db_url, a, sid, spec.notebooks)

    autograded = private / "autograded" / sid / a
    dest = job.autograded_root / sid / a
    replace_tree(dest, lambda staged: _copy_readable(autograded, staged))
    feedback = []
    for name in spec.notebooks:
        nb_path = dest / f"{name}.ipynb"
        if nb_path.is_file() and job.write_feedback:
            out = job.feedback_root / sid / a / f"{name}.html"
            try:
                feedback.append(str(write_feedback(nb_path, db_url, a, sid, out, _course(job))))
            except Exception as err:  # noqa: BLE001 - the grades stand even if the page cannot be made
                notes.append(f"no feedback for {name}.ipynb ({type(err).__name__}: {str(err)[:100]})")
    return SubmissionResult(sid, status, "; ".join(_unique([*details, *notes])), notebooks=notebooks,
                            timestamp=timestamp, feedback=feedback, unreadable=tuple(unreadable), verdicts=verdicts,
                            timings=timings)


def _unique(items: list[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item and item not in seen:
            seen.append(item)
    return seen


def _copy_readable(src: Path, dest: Path) -> None:
    shutil.copytree(src, dest)
    for folder, _, files in os.walk(dest):
        for name in files:
            os.chmod(Path(folder) / name, 0o644)


def _course(job: Job) -> Path | None:
    """The folder of the course's nbgrader_config.py (None: grading without one)."""
    return job.config_file.parent if job.config_file is not None else None


def _run_autograde(job: Job, private: Path, db_url: str, run: GradingRun) -> AutogradeFailure | None:
    """Run nbgrader's Autograde converter on the private course; None on success, else how it failed."""
    from nbconvert.preprocessors import ClearMetadataPreprocessor

    from ..nbgrader_adapter import (AssignLatePenalties, CheckCellMetadata, IgnorePattern, LimitOutput, NbGraderException,
                                    SaveAutoGrades)

    spec = job.spec
    cfg = course_config(_course(job), CourseDirectory={
        "root": str(private), "db_url": db_url, "course_id": spec.course_id, "source_directory": "source",
        "submitted_directory": "submitted", "autograded_directory": "autograded", "ignore": list(spec.ignore),
        "assignment_id": spec.assignment, "student_id": job.student_id, "notebook_id": "*"})
    cfg.Autograde.force = True
    cfg.Autograde.create_student = True
    cfg.Autograde.autograde_preprocessors = [GradingExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                             SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
    cfg.OverwriteCells.add_missing_cells = True  # deleted test cells come back and are run
    cfg.GradingExecute.grading_run = run  # the same object: the executor writes its logs and verdicts into it
    cfg.GradingExecute.interrupt_on_timeout = True
    cfg.GradingExecute.timeout = int(spec.limits.cell_timeout)
    cfg.GradingExecute.startup_timeout = spec.limits.kernel_startup_timeout
    cfg.GradingExecute.shutdown_kernel = "immediate"  # the sandbox is thrown away: no graceful goodbye needed
    try:
        autograde(cfg)  # in-process; the adapter restores the working directory
    except NbGraderException as err:  # raised after nbgrader logged the submission's errors
        return AutogradeFailure(FailureKind.REPORTED, first_line(err))
    except Exception as err:  # noqa: BLE001 - the converter itself broke
        return AutogradeFailure(FailureKind.CRASHED, first_line(err))
    return None


def _read_grades(db_url: str, assignment: str, student: str, names: tuple[str, ...]):
    """Per-notebook grades and comments from the private gradebook, and the submission timestamp."""
    from ..nbgrader_adapter import Gradebook, MissingEntry

    notebooks: list[NotebookGrades] = []
    timestamp = None
    with Gradebook(db_url) as gb:
        try:
            sub = gb.find_submission(assignment, student)
        except MissingEntry:
            return notebooks, None
        timestamp = sub.timestamp.isoformat() if sub.timestamp else None
        for nb in sub.notebooks:
            if nb.name not in names:
                continue
            notebooks.append(NotebookGrades(
                nb.name,
                grades={g.name: (None if g.auto_score is None else float(g.auto_score), bool(g.needs_manual_grade))
                        for g in nb.grades},
                comments={c.name: c.auto_comment for c in nb.comments},
                late_penalty=None if nb.late_submission_penalty is None else float(nb.late_submission_penalty),
            ))
    return notebooks, timestamp
