"""Grade on a Dask cluster: each submission travels to a worker as bytes and comes back as grades and files.

The coordinator (``course grade --dask ADDRESS``) sends one shared `Bundle` per run (the template
gradebook, which holds the source notebooks' cells nbgrader restores and grades against, the
assignment's other source files and the nbgrader configuration) and one `Parcel` per student (the
files of the submission). A worker materialises them in a private temporary folder, runs the very
same `grade_submission` as local grading (sandboxed with the worker's own bubblewrap), and returns
the `SubmissionResult` with the autograded notebook and the feedback pages as bytes. Workers read
no course folder of their own; the coordinator alone writes the gradebook, grades.csv and files.

Tasks are submitted without Dask retries: retrying is the coordinator's (`runner.drive`). A task
that raises on its worker, or whose workers all died, comes back as a lost `Outcome`, and the
coordinator runs it again in a later round while attempts remain (`runner.MAX_ATTEMPTS`). The one
rerun Dask does on its own is the scheduler moving a task off a worker that died under it (bounded
by ``distributed.scheduler.allowed-failures``); every attempt announces itself on the
``course-grade-attempt`` event topic, so those attempts are counted too, and named in the row.
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..nbtools import CourseError
from .backend import Outcome
from .discovery import Submission, read_tree, replace_tree, write_tree
from .prewarm import local_zygote
from .sandbox import require_bwrap, write_seccomp_filter
from .status import Status
from .worker import (GradingSpec, Job, SubmissionResult, first_line, grade_submission, prepare_process,
                     scratch_folder, skipped_note)

__all__ = ["Bundle", "Parcel", "Returned", "ATTEMPT_TOPIC", "grade_parcel", "pack_submission",
           "make_bundle", "grader_fingerprint", "worker_facts", "connect", "preflight", "run_on_dask", "check_address"]

ATTEMPT_TOPIC = "course-grade-attempt"
CONNECT_TIMEOUT = 20.0  # seconds to reach the scheduler
WORKER_WAIT = 60.0  # seconds to wait for a first worker to join an empty cluster
# The packages whose versions decide a grade: workers must run exactly the coordinator's.
GRADING_PACKAGES = ("nbgrader", "nbclient", "nbconvert", "nbformat", "ipykernel", "jupyter_client", "numpy", "sympy",
                    "matplotlib", "distributed")
_ADDRESS = re.compile(r"^(?:(tcp|tls|ws|wss)://)?(\[[0-9a-fA-F:]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$")


@dataclass(frozen=True, kw_only=True)
class Bundle:
    """What every task of one run shares (sent once, kept by the workers): the settings and the files as bytes."""

    spec: GradingSpec  # assignment, notebooks, limits, sandbox, the judge's reference (run once by the coordinator)
    config_text: str | None  # the course's nbgrader_config.py
    template_db: bytes  # the gradebook with the assignment's cells (nbgrader restores and grades from it)
    source_files: dict[str, bytes]  # source/<assignment>/ minus notebooks: data files copied next to submissions
    fingerprint: dict[str, str]  # the coordinator's grading code and versions
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])  # tells runs sharing a cluster apart


@dataclass(frozen=True)
class Parcel:
    """One student's submission, as bytes."""

    student_id: str
    files: dict[str, bytes] | None  # None: no <assignment>/ folder was submitted
    skipped: tuple[str, ...] = ()  # what the coordinator did not pack (links, devices, over the size limit)


@dataclass
class Returned:
    """A worker's answer: the result and the files it wrote, as bytes."""

    result: SubmissionResult
    autograded: dict[str, bytes] = field(default_factory=dict)  # relative to autograded/<student>/<assignment>/
    feedback: dict[str, bytes] = field(default_factory=dict)  # <notebook>.html -> page


# --- what runs on a worker ----------------------------------------------------------------------

_ONE_AT_A_TIME = threading.Lock()  # grading changes the working directory and kills by uid: one per process


@lru_cache(maxsize=1)
def _course_code_digest() -> str:
    """sha256 of every file of course_utils and course_pipeline (sources and package data such as 09's digits)."""
    import course_utils

    import course_pipeline

    digest = hashlib.sha256()
    for package in (Path(course_utils.__file__).resolve().parent, Path(course_pipeline.__file__).resolve().parent):
        files = [p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"]
        for path in sorted(files):  # a worker must run on the same files
            digest.update(f"{package.name}/{path.relative_to(package).as_posix()}".encode() + b"\0"
                          + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def _fingerprint() -> tuple[tuple[str, str], ...]:
    from importlib.metadata import PackageNotFoundError, version

    facts = {"course_utils": _course_code_digest(), "python": ".".join(map(str, sys.version_info[:3]))}
    for name in GRADING_PACKAGES:
        try:
            facts[name] = version(name)
        except PackageNotFoundError:
            facts[name] = "missing"
    return tuple(facts.items())


def grader_fingerprint() -> dict[str, str]:
    """The digest of course_utils' files, the Python version and the versions of the grading packages."""
    return dict(_fingerprint())  # computed once per process: a worker checks it on every task


def worker_facts(sandbox: bool) -> dict[str, object]:
    """What the coordinator checks on each worker before sending work: code, versions, sandbox, host."""
    problem = ""
    if sandbox:
        try:
            require_bwrap()
        except CourseError as err:
            problem = str(err)
    return {"fingerprint": grader_fingerprint(), "sandbox_problem": problem, "host": socket.gethostname()}


def _announce(run_id: str, student_id: str) -> str:
    """Tell the coordinator a grading attempt starts here; return this worker's address."""
    try:
        from distributed import get_worker

        worker = get_worker()
    except (ImportError, ValueError):  # called outside Dask (tests, debugging): nobody is counting
        return f"local:{socket.gethostname()}:{os.getpid()}"
    worker.log_event(ATTEMPT_TOPIC, {"run": run_id, "student": student_id, "worker": worker.address})
    return worker.address


@lru_cache(maxsize=1)
def _worker_bwrap() -> str:
    return require_bwrap()


def _mismatch(mine: dict[str, str], theirs: dict[str, str]) -> str:
    """'' when both fingerprints agree, else the first difference in words."""
    for key in sorted(set(mine) | set(theirs)):
        if mine.get(key) != theirs.get(key):
            what = "course_utils sources" if key == "course_utils" else key
            return f"{what} {theirs.get(key, 'missing')} on the coordinator but {mine.get(key, 'missing')} here"
    return ""


def grade_parcel(bundle: Bundle, parcel: Parcel) -> Returned:
    """Grade one student on this worker, from bytes to bytes; raises only when this worker cannot grade at all."""
    with _ONE_AT_A_TIME:
        where = _announce(bundle.run_id, parcel.student_id)
        prepare_process()
        mismatch = _mismatch(grader_fingerprint(), bundle.fingerprint)
        if mismatch:
            raise RuntimeError(f"worker {where} runs different grading code: {mismatch}")
        try:
            bwrap = _worker_bwrap() if bundle.spec.sandbox else None
        except CourseError as err:
            raise RuntimeError(f"worker {where}: {err}") from None
        with scratch_folder() as tmp:
            return _grade_here(bundle, parcel, tmp, bwrap)


def _grade_here(bundle: Bundle, parcel: Parcel, tmp: Path, bwrap: str | None) -> Returned:
    a, sid = bundle.spec.assignment, parcel.student_id
    (tmp / "template.db").write_bytes(bundle.template_db)
    write_tree(bundle.source_files, tmp / "source" / a)
    config_file = None
    if bundle.config_text is not None:
        config_file = tmp / "course" / "nbgrader_config.py"
        config_file.parent.mkdir()
        config_file.write_text(bundle.config_text)
    folder = None
    if parcel.files is not None:
        folder = tmp / "submitted" / sid / a
        write_tree(parcel.files, folder)
    seccomp_file = write_seccomp_filter(tmp) if bwrap is not None else None
    # This worker process's own kernel server, started at its first task and kept for the run's next ones.
    zygote = local_zygote(a, bundle.spec.preload) if bwrap is not None and bundle.spec.preload else None
    job = Job(student_id=sid, folder=folder, spec=bundle.spec, config_file=config_file, template_db=tmp / "template.db",
              source_dir=tmp / "source", autograded_root=tmp / "autograded", feedback_root=tmp / "feedback",
              work_root=tmp / "work", bwrap=bwrap, seccomp_file=seccomp_file, zygote=zygote)
    result = grade_submission(job)
    if parcel.skipped:
        result.detail = "; ".join(x for x in (skipped_note(list(parcel.skipped)), result.detail) if x)
    graded_dir = tmp / "autograded" / sid / a
    autograded = read_tree(graded_dir, limit=2**40)[0] if graded_dir.is_dir() else {}
    feedback_dir = tmp / "feedback" / sid / a
    feedback = {p.name: p.read_bytes() for p in sorted(feedback_dir.glob("*.html"))} if feedback_dir.is_dir() else {}
    result.feedback = sorted(feedback)
    return Returned(result, autograded, feedback)


# --- what runs on the coordinator ---------------------------------------------------------------


def check_address(address: str) -> str:
    """A scheduler address as Dask wants it (tcp:// added when no protocol is given); CourseError if malformed."""
    match = _ADDRESS.match(address.strip())
    if not match or not 0 < int(match.group(3)) < 65536:
        raise CourseError(f"--dask {address}: not a scheduler address; expected tcp://HOST:PORT (e.g. tcp://10.0.0.5:8786)")
    return address.strip() if match.group(1) else f"tcp://{address.strip()}"


def connect(address: str):
    """A Dask client of the scheduler at address (CourseError when none answers)."""
    import logging

    from distributed import Client

    address = check_address(address)
    # The rows and the one-line errors say what went wrong; Dask's own reconnection tracebacks would bury them.
    for name in ["distributed", *(n for n in logging.root.manager.loggerDict if n.startswith("distributed."))]:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    try:
        return Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as err:
        raise CourseError(f"--dask {address}: no Dask scheduler answered within {CONNECT_TIMEOUT:g} s "
                          f"({first_line(err)}); "
                          "start one with `dask scheduler` (see docs/grading.md)") from None


def preflight(client, address: str, sandbox: bool) -> tuple[int, list[str]]:
    """Check every connected worker can grade like this machine; return (worker count, notes to print)."""
    try:
        client.wait_for_workers(1, timeout=WORKER_WAIT)
    except TimeoutError:
        raise CourseError(f"--dask {address}: no worker joined the cluster within {WORKER_WAIT:g} s; "
                          f"start some with `dask worker {address} --nthreads 1` (see docs/grading.md)") from None
    try:
        facts = client.run(worker_facts, sandbox)
    except Exception as err:  # noqa: BLE001 - typically: course_utils cannot be imported on a worker
        raise CourseError(f"--dask {address}: a worker cannot run the grader ({first_line(err)}); "
                          "install the course package on every worker (see docs/grading.md)") from None
    mine = grader_fingerprint()
    try:  # the scheduler unpickles task graphs: it needs the course package too
        scheduler = client.run_on_scheduler(grader_fingerprint)
    except Exception as err:  # noqa: BLE001
        raise CourseError(f"--dask {address}: the scheduler cannot load the grader ({first_line(err)}); "
                          "start it from the course's environment (`make grade-scheduler`, docs/grading.md)") from None
    mismatch = _mismatch(scheduler, mine)
    if mismatch:
        raise CourseError(f"--dask {address}: the scheduler runs different grading code: {mismatch}; "
                          "start it from the same commit of the course (`make grade-scheduler`)")
    for worker, fact in sorted(facts.items()):
        label = f"{worker} ({fact['host']})"
        mismatch = _mismatch(fact["fingerprint"], mine)
        if mismatch:
            raise CourseError(f"--dask {address}: worker {label} runs different grading code: {mismatch}; "
                              "install the same commit of the course, with constraints.txt, on every worker")
        if fact["sandbox_problem"]:
            raise CourseError(f"--dask {address}: worker {label}: {fact['sandbox_problem']}")
    notes = []
    threads = client.nthreads()
    crowded = sorted(w for w, n in threads.items() if n > 1)
    if crowded:
        notes.append(f"note: {len(crowded)} worker(s) have several threads but grade one submission at a time "
                     f"(e.g. {crowded[0]}); start workers with --nthreads 1 and --nworkers N instead")
    return len(facts), notes


def pack_submission(sub: Submission, limit: int) -> Parcel:
    """Read one student's folder into a Parcel (links, devices and files past limit bytes are left out and noted)."""
    if sub.folder is None:
        return Parcel(sub.student_id, None)
    files, skipped = read_tree(sub.folder, limit)
    return Parcel(sub.student_id, files, tuple(skipped))


def make_bundle(spec: GradingSpec, config_file: Path | None, template_db: Path, staged_source: Path) -> Bundle:
    """The shared part of every task, read from the coordinator's files."""
    files, skipped = read_tree(staged_source, limit=2**40)
    if skipped:
        raise CourseError(f"source/{spec.assignment}: cannot send {skipped[0]} to the workers (only regular files travel)")
    return Bundle(spec=spec, config_text=config_file.read_text() if config_file else None,
                  template_db=template_db.read_bytes(), source_files=files, fingerprint=grader_fingerprint())


def _identity(value):
    return value


def _store(returned: Returned, assignment: str, autograded_root: Path, feedback_root: Path) -> SubmissionResult:
    """Put a worker's files where local grading would have put them (none: clear the old ones); the result points at them."""
    sid = returned.result.student_id
    for root, files in ((autograded_root, returned.autograded), (feedback_root, returned.feedback)):
        fill = (lambda staged, files=files: write_tree(files, staged)) if files else None
        replace_tree(root / sid / assignment, fill)
    returned.result.feedback = [str(feedback_root / sid / assignment / name) for name in returned.feedback]
    return returned.result


def _attempt_note(workers: list[str]) -> str:
    if len(workers) < 2:
        return ""
    earlier = ", ".join(workers[:-1])
    return f"retried: attempt {len(workers)} on {workers[-1]} after {earlier} stopped mid-grading"


def run_on_dask(client, subs: list[Submission], bundle: Bundle, autograded_root: Path, feedback_root: Path,
                on_outcome: Callable[[Outcome], None], tick: Callable[[], None], round_no: int = 1) -> None:
    """Grade every submission on the cluster once; call on_outcome once per student.

    A task whose worker raised, or whose workers all died, comes back lost: the coordinator
    (`runner.drive`) decides whether it runs again, in a later round (round_no tells the rounds'
    task keys apart). Parcels are read and sent a window at a time (twice the cluster's threads),
    so a class of thousands never sits in the coordinator's or the scheduler's memory at once. If
    the scheduler goes away, every student not graded yet is an error (grade again); nobody is dropped.
    """
    _DaskRun(client, subs, bundle, autograded_root, feedback_root, on_outcome, tick, round_no).run()


class _DaskRun:
    """One round of a `course grade --dask` run, seen from the coordinator."""

    LOST_GRACE = 30.0  # seconds to wait for a lost scheduler's futures to be cancelled before giving up on them

    def __init__(self, client, subs, bundle, autograded_root, feedback_root, on_outcome, tick, round_no) -> None:
        from distributed import as_completed

        self.client, self.bundle, self.on_outcome, self.tick = client, bundle, on_outcome, tick
        self.autograded_root, self.feedback_root, self.round = autograded_root, feedback_root, round_no
        self.queue: Iterator[Submission] = iter(subs)
        self.owners: dict[str, str] = {}  # future key -> student id
        self.attempts: dict[str, list[str]] = {}  # student id -> workers that started grading it
        self.pending = as_completed(loop=client.loop)
        self.lost: str = ""  # why the scheduler cannot be reached any more
        self.shared = None

    def on_attempt(self, event) -> None:
        """Event handler (the client's thread): a worker started grading a student of this run."""
        _, msg = event
        if isinstance(msg, dict) and msg.get("run") == self.bundle.run_id:
            self.attempts.setdefault(msg["student"], []).append(msg["worker"])

    def _call(self, fn, *args, **kwargs):
        """A client call; on a lost scheduler, remember why and return None."""
        if self.lost:
            return None
        try:
            return fn(*args, **kwargs)
        except (OSError, TimeoutError) as err:  # CommClosedError is an OSError
            self.lost = first_line(err, 120)
            return None

    def top_up(self) -> None:
        """Send parcels until twice the cluster's threads are queued or running."""
        threads = self._call(self.client.nthreads)
        if threads is None:
            return
        window = max(4, 2 * sum(threads.values()))
        while self.pending.count() < window:
            sub = next(self.queue, None)
            if sub is None:
                return
            parcel = pack_submission(sub, self.bundle.spec.limits.max_submission_bytes)
            future = self._call(self.client.submit, grade_parcel, self.shared, parcel, pure=False,
                                key=f"course-grade-{sub.student_id}-{self.bundle.run_id}-{self.round}")
            if future is None:
                self._lose([sub.student_id])
                return
            self.owners[future.key] = sub.student_id
            self.pending.add(future)

    def collect(self, future) -> None:
        """Record one finished (or failed, or cancelled) task."""
        from distributed.client import FutureCancelledError
        from distributed.scheduler import KilledWorker

        sid = self.owners.pop(future.key)
        tried = self.attempts.get(sid, [])
        lost = False
        try:
            result = self._store(future.result())
        except KilledWorker:
            lost = True
            result = self._failed(sid, "every Dask worker that took it died mid-grading "
                                       "(distributed.scheduler.allowed-failures reached)")
        except FutureCancelledError as err:
            why = getattr(err, "reason", None) or "cancelled"
            result = self._failed(sid, f"not graded: the Dask scheduler dropped the task ({why}); grade again")
        except Exception as err:  # noqa: BLE001 - raised on the worker: it could not grade (no bwrap, other code, disk)
            lost = True
            result = self._failed(sid, f"worker error: {first_line(err, 300)}")
        self.on_outcome(Outcome(result, max(1, len(tried)), _attempt_note(tried), lost=lost))

    def _store(self, returned: Returned) -> SubmissionResult:
        return _store(returned, self.bundle.spec.assignment, self.autograded_root, self.feedback_root)

    def _failed(self, sid: str, detail: str) -> SubmissionResult:
        """An error result; files of an earlier grading of this student are removed, as local grading does."""
        return self._store(Returned(SubmissionResult(sid, Status.ERROR, detail)))

    def _lose(self, students: list[str]) -> None:
        reason = f"not graded: the Dask scheduler is unreachable ({self.lost or self.client.status}); grade again"
        for sid in students:
            self.on_outcome(Outcome(self._failed(sid, reason), len(self.attempts.get(sid, []))))

    def run(self) -> None:
        """Send, wait, record, until every student has been recorded."""
        self._call(self.client.subscribe_topic, ATTEMPT_TOPIC, self.on_attempt)
        self.shared = self._call(self.client.submit, _identity, self.bundle, pure=False,
                                 key=f"course-bundle-{self.bundle.spec.assignment}-{self.bundle.run_id}-{self.round}")
        stalled_since = None
        try:
            if self.shared is not None:
                self.top_up()
            while not self.pending.is_empty():
                batch = self.pending.next_batch(block=False) if self.pending.has_ready() else []
                for future in batch:
                    self.collect(future)
                    future.release()
                if batch:
                    stalled_since = None
                    self.top_up()
                    continue
                if self.lost or self.client.status not in ("running", "newly-created"):
                    stalled_since = stalled_since or time.monotonic()
                    if time.monotonic() - stalled_since > self.LOST_GRACE:
                        self._lose([self.owners.pop(f.key) for f in list(self.pending.futures) if f.key in self.owners])
                        self.pending.clear()
                        break
                self.tick()
                time.sleep(0.2)
            self._lose([sub.student_id for sub in self.queue])  # none left unless the scheduler was lost
        except BaseException:
            self._call(self.client.cancel, list(self.pending.futures), force=True)
            raise
        finally:
            self._call(self.client.unsubscribe_topic, ATTEMPT_TOPIC)
            if self.shared is not None:
                self.shared.release()
