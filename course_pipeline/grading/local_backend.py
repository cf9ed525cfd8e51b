"""The local backend: grade in a pool of processes forked from the coordinator, each kernel sandboxed."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from .backend import Outcome, Shared, Task
from .prewarm import Zygote, ZygoteInfo, start_zygote
from .sandbox import require_bwrap, write_seccomp_filter
from .settings import default_workers
from .status import Status
from .worker import GradingSpec, Job, SubmissionResult, grade_submission, warm_up, worker_init

__all__ = ["LocalBackend"]


class LocalBackend:
    """A process pool on this machine; a crashed worker's tasks come back lost (the coordinator retries)."""

    def __init__(self, sandbox: bool, workers: int | None) -> None:
        self.bwrap = require_bwrap() if sandbox else None  # no bubblewrap: stop before anything is written
        self.wanted = workers
        self.scratch: Path | None = None
        self.seccomp_file: Path | None = None
        self.shared: Shared | None = None
        self.zygote: Zygote | None = None  # the pre-warmed kernel server of this run (course_utils._zygote)
        self._served: ZygoteInfo | None = None  # the server's info once it is ready (None: every kernel starts cold)

    def describe(self) -> str:
        """This machine: nothing to add to the progress line."""
        return ""

    def notes(self) -> list[str]:
        """No preflight findings."""
        return []

    def workers(self, tasks: int) -> int:
        """The configured workers (default: CPUs + 1), never more than the submissions."""
        return max(1, min(self.wanted or default_workers(), tasks or 1))

    def staging(self) -> Path | None:
        """Workers leave autograded notebooks in the scratch folder; the coordinator sanitises them into place."""
        return self.scratch / "autograded" if self.scratch is not None else None

    def warm(self, spec: GradingSpec, scratch: Path) -> None:
        """Start the kernel server importing and warming (not waited for: run() waits, when it needs it)."""
        if self.bwrap is not None and spec.preload and self.zygote is None:
            self.zygote = start_zygote(spec.assignment, spec.preload, label=str(scratch), wait=False)

    def start(self, shared: Shared, scratch: Path) -> None:
        """Write the seccomp filter the sandboxed kernels load."""
        self.shared, self.scratch = shared, scratch
        self.seccomp_file = write_seccomp_filter(scratch) if self.bwrap is not None else None

    def job(self, task: Task) -> Job:
        """The worker's view of one task."""
        shared, scratch = task.shared, self.scratch
        return Job(student_id=task.student_id, folder=task.submission.folder, spec=shared.spec,
                   config_file=shared.config_file, template_db=shared.template_db,
                   source_dir=shared.staged_source.parent, autograded_root=scratch / "autograded",
                   feedback_root=shared.feedback_root, work_root=scratch / "work", bwrap=self.bwrap,
                   seccomp_file=self.seccomp_file, write_feedback=False, zygote=self._served)

    def run(self, tasks: list[Task], on_outcome: Callable[[Outcome], None], tick: Callable[[], None]) -> None:
        """Grade tasks in a fresh pool; a task whose worker crashed comes back lost."""
        warm_up(self.shared.course)  # the workers are forked from this process: they inherit imports and templates
        # The kernel server imported meanwhile; None when it failed (then every kernel starts cold).
        self._served = self.zygote.ready() if self.zygote is not None else None
        ctx = multiprocessing.get_context("fork")
        pool = ProcessPoolExecutor(max_workers=self.workers(len(tasks)), mp_context=ctx, initializer=worker_init)
        try:
            futures = {pool.submit(grade_submission, self.job(task)): task for task in tasks}
            not_done = set(futures)
            while not_done:
                done, not_done = wait(not_done, timeout=1.0, return_when=FIRST_COMPLETED)
                if not done:
                    tick()
                for fut in done:
                    on_outcome(_outcome(futures[fut].student_id, fut))
        except KeyboardInterrupt:
            for proc in list(getattr(pool, "_processes", {}).values()):
                proc.terminate()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        """Stop the kernel server (each run has its own pool; the kernels live in their own sandboxes)."""
        if self.zygote is not None:
            self.zygote.stop()
            self.zygote = None


def _outcome(sid: str, fut) -> Outcome:
    """The outcome of one finished future."""
    try:
        return Outcome(fut.result())
    except BrokenProcessPool:
        return Outcome(SubmissionResult(sid, Status.ERROR, "the grading worker crashed"), lost=True)
    except Exception as err:  # noqa: BLE001
        return Outcome(SubmissionResult(sid, Status.ERROR, f"worker error: {type(err).__name__}: {err}"))
