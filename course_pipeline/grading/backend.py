"""The grading backend protocol: one task in (a submission and what grading it needs), one outcome out.

The coordinator (runner) builds one `Task` per student, hands them to a `Backend` and records each
`Outcome` it gets back; it never knows which backend runs. Retries, attempt counting and the single
gradebook writer live in the coordinator; a backend only grades and says when it lost a task.
Implementations: `local_backend.LocalBackend` (a process pool on this machine) and
`dask_backend.DaskBackend` (the workers of a Dask cluster). Adding a backend is one new module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .discovery import Submission
from .worker import GradingSpec, SubmissionResult

__all__ = ["Backend", "Outcome", "Shared", "Task"]


@dataclass(frozen=True, kw_only=True)
class Shared:
    """What every task of one run needs: the settings as values, and the coordinator's files (a backend ships them as it must)."""

    spec: GradingSpec  # assignment, notebooks, limits, sandbox, the judge's reference, the kernels' preload...
    course: Path  # the course root (its nbgrader_config.py shapes the feedback templates)
    config_file: Path | None
    template_db: Path  # the gradebook with the assignment's cells
    staged_source: Path  # source/<assignment>/ without notebooks: data files copied next to submissions
    autograded_root: Path  # where the coordinator keeps autograded/<student>/<assignment>/
    feedback_root: Path  # where the coordinator keeps feedback/<student>/<assignment>/


@dataclass(frozen=True)
class Task:
    """One student's submission and what grading it needs."""

    submission: Submission
    shared: Shared

    @property
    def student_id(self) -> str:
        """The student this task grades."""
        return self.submission.student_id


@dataclass
class Outcome:
    """How one task ended: the result (status, grades, detail), the attempts it took here, and a note.

    lost: the backend could not get an answer (a crashed worker); the coordinator decides whether to
    run the task again. The autograded notebooks are under `Backend.staging()` (or already in place).
    """

    result: SubmissionResult
    attempts: int = 1
    note: str = ""
    lost: bool = False


class Backend(Protocol):
    """Where submissions are graded; the coordinator calls warm and start once, run once per round, close once."""

    def describe(self) -> str:
        """Where grading happens, for the progress line ('' for this machine)."""

    def notes(self) -> list[str]:
        """Lines to print under the progress line (the backend's preflight findings)."""

    def workers(self, tasks: int) -> int:
        """How many submissions are graded at once for a run of `tasks` submissions."""

    def staging(self) -> Path | None:
        """Where workers leave autograded notebooks for the coordinator to sanitise (None: already in place)."""

    def warm(self, spec: GradingSpec, scratch: Path) -> None:
        """Start early what takes long to get ready (the coordinator prepares the gradebook meanwhile; no reference yet)."""

    def start(self, shared: Shared, scratch: Path) -> None:
        """Prepare a run (scratch: the coordinator's private temporary folder)."""

    def run(self, tasks: list[Task], on_outcome: Callable[[Outcome], None], tick: Callable[[], None]) -> None:
        """Grade tasks; call on_outcome once per task, tick now and then while waiting."""

    def close(self) -> None:
        """Release what the backend holds (pool, client)."""
