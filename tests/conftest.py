"""Shared fixtures: the course root, its assignments, and nbgrader round trips of an assignment."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path

import pytest

from course_pipeline import nbtools
from course_pipeline.nbtools import assignments, notebook_paths

# Kernels started by the tests (and by the nbgrader runs they spawn) draw figures without
# rendering them to PNG: tests judge results, and rendering is most of a notebook's run time.
os.environ["MPLBACKEND"] = "agg"

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = assignments(ROOT)


def free_port() -> int:
    """A loopback TCP port nobody listens on (for servers the tests start, or an address that refuses)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_bugs(assignment: str) -> dict[str, dict[str, str]]:
    """The BUGS table of mistakes/<assignment>.py ({} when the file does not exist)."""
    return nbtools.load_bugs(ROOT, assignment)


@dataclass
class Roundtrip:
    """One stock-nbgrader round trip of an assignment: its fresh release and the grades of key and blank."""

    release: Path
    grades: dict


_ROUNDTRIPS: dict[str, Roundtrip] = {}


@pytest.fixture(scope="session")
def roundtrip(tmp_path_factory):
    """Return a function assignment -> Roundtrip, run once per test process (release generated once)."""
    from course_pipeline.selfcheck import autograde_in_scratch

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


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by playwright (never a browser playwright would download)."""
    if not CHROMIUM.is_file():
        pytest.skip("/usr/bin/chromium is not installed (.ci/run installs it: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def session_folder(tmp_path_factory, name: str) -> Path:
    """A folder of this test session that every xdist worker of it shares."""
    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / name
    shared.mkdir(exist_ok=True)
    return shared


def once_per_session(tmp_path_factory, name: str, make) -> dict:
    """make(shared_folder) -> JSON-able dict, run once per test session even across xdist workers (a lock file)."""
    import fcntl
    import json

    shared = session_folder(tmp_path_factory, name)
    with open(shared.parent / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        state = shared / "state.json"
        if not state.exists():
            state.write_text(json.dumps(make(shared)))
        return json.loads(state.read_text())


@pytest.fixture(scope="session", autouse=True)
def _shared_toy_reference(tmp_path_factory):
    """One folder for the toy course's cached reference records, shared by every xdist worker of the session."""
    import toy_course

    toy_course.REFERENCE_CACHE = session_folder(tmp_path_factory, "toy-reference")
    yield
    toy_course.REFERENCE_CACHE = None


_LIVE: dict = {}  # assignment -> judgecheck.LiveNotebook


@pytest.fixture(scope="session")
def live():
    """assignment -> LiveNotebook (reference run done), one kernel per assignment and test process."""

    from course_pipeline.grading.judgecheck import LiveNotebook

    def get(assignment: str) -> LiveNotebook:
        if assignment not in _LIVE:
            _LIVE[assignment] = LiveNotebook(ROOT, assignment)
        return _LIVE[assignment]

    yield get
    for notebook in _LIVE.values():
        notebook.close()
    _LIVE.clear()


_LOST_GROUPS: list[str] = []  # grouped tests whose node id lacks xdist's "@group" suffix (see below)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Notice when `--dist loadgroup` would not keep an xdist_group on one worker.

    pytest-xdist groups a test by appending "@group" to its node id during collection; when a pytest
    release stores node ids elsewhere the suffix is silently lost, every heavy fixture (an assignment's
    live kernel, its nbgrader round trip, a graded class) is then built once per worker, and make test
    takes far longer while still passing. `_xdist_groups_hold` then fails every test, saying why.
    """
    if not os.environ.get("PYTEST_XDIST_WORKER") or not config.getvalue("loadgroup"):  # a worker of --dist loadgroup
        return
    _LOST_GROUPS.extend(item.nodeid for item in items
                        if item.get_closest_marker("xdist_group") and "@" not in item.nodeid[item.nodeid.rfind("]") + 1:])


@pytest.fixture(scope="session", autouse=True)
def _xdist_groups_hold():
    if _LOST_GROUPS:
        pytest.fail(f"pytest-xdist's --dist loadgroup has no effect with pytest {pytest.__version__} ({_LOST_GROUPS[0]} "
                    f"has no @group suffix): install the pytest of constraints.txt", pytrace=False)
