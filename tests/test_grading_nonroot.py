"""A non-root instructor grades with unprivileged bubblewrap and gets the same grades as root.

The suite runs as root on CI, so this test creates a throwaway user and runs `course grade` as
that user on a small class, then grades a copy of the same class as root and compares every row.
Directories on the way to the interpreter or the course that only root may enter (pyenv under
/root, say) are masked for that one command by a private mount namespace showing just the parts
the instructor would own.
"""

from __future__ import annotations

import csv
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import toy_course as toy
from course_pipeline.grading import demo
from course_pipeline.grading.sandbox import bwrap_path, require_bwrap
from course_pipeline.nbtools import CourseError
from course_pipeline.release import tool_env

from conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grading_nonroot")]

A = toy.TOY_ASSIGNMENT
NB = f"{A}.ipynb"
COURSE = str(Path(sys.executable).parent / "course")
USER = "gd-course-nonroot"


def _tools_missing() -> str | None:
    if os.geteuid() != 0:
        return "the suite already runs as a non-root user, so every grading test is the non-root case"
    if bwrap_path() is None:
        return "bubblewrap is not installed (make test installs it)"
    missing = [t for t in ("useradd", "userdel", "unshare", "setpriv") if shutil.which(t) is None]
    return f"missing {', '.join(missing)}" if missing else None


@pytest.fixture(scope="module")
def nonroot_user():
    reason = _tools_missing()
    if reason:
        pytest.skip(reason)
    created = subprocess.run(["id", USER], capture_output=True).returncode != 0
    if created:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER], check=True)
    probe = subprocess.run(["setpriv", f"--reuid={USER}", f"--regid={USER}", "--init-groups", bwrap_path(),
                            "--unshare-user", "--disable-userns", "--unshare-pid", "--ro-bind", "/", "/", "--proc",
                            "/proc", "--dev", "/dev", "true"], capture_output=True, text=True)
    try:
        if probe.returncode != 0:
            pytest.skip(f"unprivileged user namespaces are disabled here ({probe.stderr.strip()[-200:]})")
        yield USER
    finally:
        if created:
            subprocess.run(["userdel", USER], capture_output=True)


def _closed_ancestor(path: Path) -> Path | None:
    """The first folder on the way to path that other users cannot enter (None when all can)."""
    for folder in reversed(path.resolve().parents):
        if folder != Path("/") and not folder.stat().st_mode & stat.S_IXOTH:
            return folder
    return None


def _as_user(user: str, argv: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run argv as user in a private mount namespace where root-only folders show only what argv needs."""
    needed = {ROOT, Path(sys.prefix), Path(sys.base_prefix).resolve(), Path(sys.executable).resolve().parent}
    masks: dict[Path, set[str]] = {}
    for path in needed:
        closed = _closed_ancestor(path)
        if closed is not None:
            masks.setdefault(closed, set()).add(path.resolve().relative_to(closed).parts[0])
    stash = Path(tempfile.mkdtemp(prefix="gd-stash-"))
    script = ["set -e"]
    for i, (closed, children) in enumerate(sorted(masks.items())):
        keep = stash / str(i)
        script += [f"mkdir -p {keep}", f"mount --bind {closed} {keep}", f"mount -t tmpfs -o mode=755 tmpfs {closed}"]
        for child in sorted(children):
            script += [f"mkdir -p {closed / child}", f"mount --bind {keep / child} {closed / child}"]
    script.append(f'exec setpriv --reuid={user} --regid={user} --init-groups "$@"')
    try:
        return subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", "\n".join(script), "sh",
                               *argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    finally:
        shutil.rmtree(stash, ignore_errors=True)


def _write_class(folder: Path) -> tuple[Path, Path]:
    # its own reference cache: the session's shared one sits in root's temporary folder, which this user cannot read
    root = toy.write_toy_course(folder / "course", shared_reference=False)
    release = demo.release_notebooks(root, A)[NB]
    full = demo.with_solutions(release, toy.TOY_SOLUTIONS)
    wrong = demo.with_solutions(release, {**toy.TOY_SOLUTIONS,
                                          "square": 'def square(x):\n    """x squared."""\n    return x * abs(x)'})
    hog = demo.insert_after(full, "square", "hog = []\nwhile True:\n    hog.append(bytearray(32 * 2**20))")
    subs = folder / "submitted"
    demo.write_class(subs, A, {"full": {NB: full}, "blank": {NB: release}, "wrong": {NB: wrong}, "hog": {NB: hog},
                               "tests_deleted": {NB: demo.drop_test_cells(wrong)}})
    return root, subs


def _rows(root: Path) -> dict[str, tuple[str, str, str]]:
    with open(root / "grading" / A / "grades.csv", newline="") as fh:
        return {r["student_id"]: (r["score"], r["status"], r["detail"]) for r in csv.DictReader(fh)}


def test_non_root_instructor_gets_the_same_grades_as_root(nonroot_user):
    base = Path(tempfile.mkdtemp(prefix="gd-nonroot-", dir="/tmp"))
    try:
        as_root, subs_root = _write_class(base / "root")
        as_user, subs_user = _write_class(base / "user")
        subprocess.run(["chown", "-R", f"{nonroot_user}:", str(base / "user")], check=True)
        os.chmod(base, 0o755)
        args = ["grade", A, "--workers", "2", "--timeout", "5", "--memory-mb", "400"]
        env = {**tool_env(), "HOME": str(base / "user"), "TMPDIR": "/tmp"}
        user_run = _as_user(nonroot_user, [COURSE, args[0], args[1], str(subs_user), *args[2:]], as_user, env)
        assert user_run.returncode == 0, user_run.stderr[-3000:]
        root_run = subprocess.run([COURSE, args[0], args[1], str(subs_root), *args[2:]], cwd=as_root, env=tool_env(),
                                  capture_output=True, text=True, timeout=600)
        assert root_run.returncode == 0, root_run.stderr[-3000:]
        user_rows, root_rows = _rows(as_user), _rows(as_root)
        assert user_rows == root_rows
        assert user_rows["full"][:2] == ("6", "ok") and user_rows["blank"][:2] == ("0", "ok")
        assert user_rows["hog"][1] == "memory_limit"
        owners = {p.stat().st_uid for p in (as_user / "grading").rglob("*")}
        assert owners == {int(subprocess.run(["id", "-u", nonroot_user], capture_output=True, text=True).stdout)}
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_a_machine_without_user_namespaces_gets_one_line_naming_the_problem(tmp_path, monkeypatch):
    fake = tmp_path / "bwrap"
    fake.write_text("#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    monkeypatch.setattr("course_pipeline.grading.sandbox._privileged", lambda: False)
    with pytest.raises(CourseError) as err:
        require_bwrap()
    message = str(err.value)
    assert "\n" not in message
    assert "No permissions to create new namespace" in message and "user namespaces" in message
    assert "--no-sandbox" in message
