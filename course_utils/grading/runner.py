"""The coordinator: find submissions, fan them out to a process pool, record every result, report."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import time
import warnings
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from ..nbtools import CourseError, assignments, notebook_paths
from .discovery import find_submissions, unpack_zip
from .gradebook import course_settings, prepare_assignment, record_result, snapshot, sqlite_path
from .report import Progress, Row, summary_table, write_csv
from .sandbox import Limits, require_bwrap, seccomp_filter
from .worker import Job, SubmissionResult, grade_submission, warm_up, worker_init

__all__ = ["GradeOptions", "GradeSummary", "grade_assignment"]


@dataclass(frozen=True)
class GradeOptions:
    """How `course grade` runs."""

    out: Path | None = None
    workers: int | None = None
    limits: Limits = field(default_factory=Limits)
    sandbox: bool = True
    gradebook: Path | None = None  # default: the course's gradebook (nbgrader_config.py)


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


def default_workers() -> int:
    """One more worker than CPUs: while one waits for its kernel to start or stop, the CPUs stay busy."""
    return (os.cpu_count() or 1) + 1


def _stage_source(source: Path, dest: Path, ignore: tuple[str, ...]) -> Path:
    """source/<assignment>/ without notebooks: the data files nbgrader copies next to each submission."""
    patterns = shutil.ignore_patterns("*.ipynb", *ignore)
    shutil.copytree(source, dest, ignore=patterns)
    return dest


def _open_submissions(path: Path, tmp: Path) -> Path:
    if path.is_dir():
        return path
    if path.is_file() and path.suffix.lower() == ".zip":
        return unpack_zip(path, tmp / "unzipped")
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
    bwrap = require_bwrap() if options.sandbox else None
    settings = course_settings(root)
    db_url = f"sqlite:///{options.gradebook.resolve()}" if options.gradebook else settings.db_url
    sqlite_path(db_url).parent.mkdir(parents=True, exist_ok=True)
    out = (options.out or root / "grading" / assignment).resolve()
    autograded_root = sqlite_path(db_url).parent / "autograded" if options.gradebook else settings.autograded
    feedback_root = out / "feedback"

    with tempfile.TemporaryDirectory(prefix="course-grade-") as tmp_name:
        tmp = Path(tmp_name)
        os.chmod(tmp, 0o711)  # sandboxed uids must reach their runtime folders below
        top = _open_submissions(submissions.resolve(), tmp)
        found = find_submissions(top, assignment)
        prepare_assignment(settings, assignment, db_url)
        template = snapshot(db_url, tmp / "template.db")
        staged = _stage_source(source, tmp / "source" / assignment, settings.ignore)
        seccomp_file = None
        if bwrap is not None:
            program = seccomp_filter()
            if program is not None:
                seccomp_file = tmp / "seccomp.bpf"
                seccomp_file.write_bytes(program)
        jobs = [Job(s.student_id, s.folder, assignment, notebooks, settings.course_id, settings.config_file,
                    settings.ignore, template, staged.parent, autograded_root, feedback_root, tmp / "work",
                    options.limits, bwrap, seccomp_file) for s in found]
        workers = max(1, min(options.workers or default_workers(), len(jobs) or 1))
        progress = Progress(len(jobs), stream=progress_stream, tty=tty)
        where = "sandboxed (bubblewrap)" if bwrap else "WITHOUT sandbox"
        progress.begin(f"grading {len(jobs)} submission(s) of {assignment}, {workers} worker(s), {where}")
        warm_up()  # the workers are forked from this process: they inherit the imports and templates
        results = _run_pool(jobs, workers, db_url, assignment, progress)
        progress.end()

    rows = [results[s.student_id] for s in found]
    csv_path = write_csv(out / "grades.csv", rows)
    seconds = time.perf_counter() - start
    summary = GradeSummary(rows, csv_path, feedback_root, autograded_root, db_url, seconds, workers)
    summary.table = summary_table(rows, seconds, workers)
    return summary


def _run_pool(jobs: list[Job], workers: int, db_url: str, assignment: str, progress: Progress) -> dict[str, Row]:
    """Grade in a process pool; the coordinator alone writes the gradebook, as results arrive."""
    from nbgrader.api import Gradebook

    rows: dict[str, Row] = {}
    pending = list(jobs)
    attempts: dict[str, int] = {}
    ctx = multiprocessing.get_context("fork")
    while pending:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=worker_init)
        try:
            futures = {pool.submit(grade_submission, job): job for job in pending}  # forks before the db opens
            pending = []
            with Gradebook(db_url) as gb:
                not_done = set(futures)
                while not_done:
                    done, not_done = wait(not_done, timeout=1.0, return_when=FIRST_COMPLETED)
                    if not done:
                        progress.tick()
                    for fut in done:
                        job = futures[fut]
                        try:
                            result = fut.result()
                        except BrokenProcessPool:
                            attempts[job.student_id] = attempts.get(job.student_id, 0) + 1
                            if attempts[job.student_id] < 2:
                                pending.append(job)  # retried in a fresh pool
                                continue
                            result = SubmissionResult(job.student_id, "error", "the grading worker crashed twice")
                        except Exception as err:  # noqa: BLE001
                            result = SubmissionResult(job.student_id, "error", f"worker error: {type(err).__name__}: {err}")
                        with warnings.catch_warnings():  # nbgrader's own SQLAlchemy session warnings
                            warnings.simplefilter("ignore")
                            score, max_score = record_result(gb, assignment, result)
                        row = Row(result.student_id, assignment, score, max_score, result.status,
                                  result.detail.replace("\n", " ")[:500])
                        rows[result.student_id] = row
                        progress.update(row, result.seconds)
        except KeyboardInterrupt:
            for proc in list(getattr(pool, "_processes", {}).values()):
                proc.terminate()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    return rows

