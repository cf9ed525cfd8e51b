"""The Dask backend: grade on the workers of a Dask cluster (`course grade --dask ADDRESS`), via cluster.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .backend import Outcome, Shared, Task
from .cluster import Bundle, connect, make_bundle, preflight, run_on_dask

__all__ = ["DaskBackend"]


class DaskBackend:
    """The workers of the scheduler at address; Dask itself reruns a task whose worker died."""

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

    def start(self, shared: Shared, scratch: Path) -> None:
        """Read the bundle every task shares (sent once, kept by the workers)."""
        self.shared = shared
        self.bundle = make_bundle(assignment=shared.assignment, notebooks=shared.notebooks, course_id=shared.course_id,
                                  config_file=shared.config_file, ignore=shared.ignore, template_db=shared.template_db,
                                  staged_source=shared.staged_source, limits=shared.limits, sandbox=shared.sandbox,
                                  reference=shared.reference, preload=shared.preload)

    def run(self, tasks: list[Task], on_outcome: Callable[[Outcome], None], tick: Callable[[], None]) -> None:
        """Grade tasks on the cluster; attempts and notes are those Dask's reruns took."""

        def record(result, attempts: int, note: str) -> None:
            on_outcome(Outcome(result, attempts, note))

        run_on_dask(self.client, [task.submission for task in tasks], self.bundle, self.shared.autograded_root,
                    self.shared.feedback_root, record, tick)

    def close(self) -> None:
        """Close the client."""
        self.client.close()
