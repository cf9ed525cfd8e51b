"""The Dask backend: grade on the workers of a Dask cluster (`course grade --dask ADDRESS`), via cluster.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .backend import Outcome, Shared, Task
from .cluster import Bundle, connect, make_bundle, preflight, run_on_dask
from .worker import GradingSpec

__all__ = ["DaskBackend"]


class DaskBackend:
    """The workers of the scheduler at address; a task that failed on them comes back lost (the coordinator retries)."""

    def __init__(self, address: str, sandbox: bool) -> None:
        self.address = address
        self.client = connect(address)  # a malformed or unreachable scheduler fails before anything is written
        try:
            self.count, self.found = preflight(self.client, address, sandbox)
        except BaseException:
            self.client.close()
            raise
        self.bundle: Bundle | None = None
        self.shared: Shared | None = None
        self.rounds = 0

    def describe(self) -> str:
        """The cluster, for the progress line."""
        return f"on the Dask cluster at {self.address}"

    def notes(self) -> list[str]:
        """What preflight noticed (e.g. workers with several threads)."""
        return list(self.found)

    def workers(self, tasks: int) -> int:
        """The workers connected at preflight."""
        return self.count

    def staging(self) -> Path | None:
        """The workers' files are written in place as they arrive; the coordinator sanitises them there."""
        return None

    def warm(self, spec: GradingSpec, scratch: Path) -> None:
        """Nothing to start early: each worker process starts its own kernel server at its first task."""

    def start(self, shared: Shared, scratch: Path) -> None:
        """Read the bundle every task shares (sent once, kept by the workers)."""
        self.shared = shared
        self.bundle = make_bundle(shared.spec, shared.config_file, shared.template_db, shared.staged_source)

    def run(self, tasks: list[Task], on_outcome: Callable[[Outcome], None], tick: Callable[[], None]) -> None:
        """Grade tasks on the cluster, once each (attempts: the workers that started each one)."""
        self.rounds += 1
        run_on_dask(self.client, [task.submission for task in tasks], self.bundle, self.shared.autograded_root,
                    self.shared.feedback_root, on_outcome, tick, self.rounds)

    def close(self) -> None:
        """Close the client."""
        self.client.close()
