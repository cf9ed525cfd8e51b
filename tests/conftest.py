"""Shared fixtures: the course root, its assignments, and live kernels that have executed a source notebook."""

from __future__ import annotations

import os
import queue
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from jupyter_client.manager import KernelManager

from course_utils import nbtools
from course_utils.nbtools import assignments, notebook_paths, read_notebook

# Kernels started by the tests (and by the nbgrader runs they spawn) draw figures without
# rendering them to PNG: tests judge results, and rendering is most of a notebook's run time.
os.environ["MPLBACKEND"] = "agg"

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = assignments(ROOT)
CELL_TIMEOUT = 60


def free_port() -> int:
    """A loopback TCP port nobody listens on (for servers the tests start, or an address that refuses)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_bugs(assignment: str) -> dict[str, dict[str, str]]:
    """The BUGS table of tests/bugs/<assignment>.py ({} when the file does not exist)."""
    return nbtools.load_bugs(ROOT, assignment)


@dataclass
class CellRun:
    """Outcome of running code in a live kernel."""

    ok: bool
    error: str = ""


@dataclass
class LiveNotebook:
    """A kernel that has executed an assignment's source notebook top to bottom."""

    assignment: str
    km: KernelManager
    kc: object
    cells: list = field(default_factory=list)
    exercises: dict = field(default_factory=dict)
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    def run(self, code: str, timeout: float = CELL_TIMEOUT) -> CellRun:
        """Execute code in the kernel; report whether it raised."""
        try:
            reply = self.kc.execute_interactive(code, store_history=False, timeout=timeout, output_hook=lambda msg: None)
        except (TimeoutError, queue.Empty):
            self.km.interrupt_kernel()
            return CellRun(False, f"timed out after {timeout} s")
        content = reply["content"]
        if content["status"] == "ok":
            return CellRun(True)
        return CellRun(False, f"{content.get('ename')}: {content.get('evalue')}")

    def close(self) -> None:
        """Shut the kernel down."""
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def start_live_notebook(assignment: str) -> LiveNotebook:
    """Start a kernel in the assignment's source folder and execute every code cell of its notebook."""
    folder = ROOT / "source" / assignment
    (path,) = notebook_paths(folder)
    nb = read_notebook(path)
    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(folder), env=dict(os.environ))
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    live = LiveNotebook(assignment, km, kc, cells=nb.cells, exercises=nbtools.exercises(nb))
    start = time.perf_counter()
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        outcome = live.run(cell.source)
        if not outcome.ok:
            live.errors.append(f"cell {i}: {outcome.error}")
    live.seconds = time.perf_counter() - start
    return live


_LIVE: dict[str, LiveNotebook] = {}


@pytest.fixture(scope="session")
def live_notebook():
    """Return a function assignment -> LiveNotebook, starting each kernel once per test process."""

    def get(assignment: str) -> LiveNotebook:
        if assignment not in _LIVE:
            _LIVE[assignment] = start_live_notebook(assignment)
        return _LIVE[assignment]

    yield get
    for live in _LIVE.values():
        live.close()
    _LIVE.clear()


@dataclass
class Roundtrip:
    """One stock-nbgrader round trip of an assignment: its fresh release and the grades of key and blank."""

    release: Path
    grades: dict


_ROUNDTRIPS: dict[str, Roundtrip] = {}


@pytest.fixture(scope="session")
def roundtrip(tmp_path_factory):
    """Return a function assignment -> Roundtrip, run once per test process (release generated once)."""
    from course_utils.selfcheck import autograde_in_scratch

    def get(assignment: str) -> Roundtrip:
        if assignment not in _ROUNDTRIPS:
            release = tmp_path_factory.mktemp(f"release-{assignment}") / assignment
            key = {p.name: p for p in notebook_paths(ROOT / "solutions" / assignment)}
            grades = autograde_in_scratch(ROOT / "source" / assignment, {"answer_key": key},
                                          blank_student="blank", keep_release=release)
            _ROUNDTRIPS[assignment] = Roundtrip(release, grades)
        return _ROUNDTRIPS[assignment]

    return get


def per_assignment(assignments=ASSIGNMENTS):
    """Parametrize over assignments, keeping each assignment's heavy tests on one xdist worker."""
    return [pytest.param(a, marks=pytest.mark.xdist_group(a)) for a in assignments]
