"""The LMS round trip: `course collect` from Canvas and Moodle downloads, `course grade`, `course export`.

Also `course grade`'s own zip import: every entry of a class zip is accounted for.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from course_utils.grading import demo
from course_utils.grading.sandbox import bwrap_path
from course_utils.release import tool_env

A = demo.TOY_ASSIGNMENT
NB = f"{A}.ipynb"
COURSE = str(Path(sys.executable).parent / "course")

needs_bwrap = pytest.mark.skipif(bwrap_path() is None, reason="bubblewrap is not installed (make test installs it)")
grading = [pytest.mark.slow, pytest.mark.xdist_group("grading_class"), needs_bwrap]


def _run(args: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=tool_env())


def _grades(path: Path) -> dict[str, dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return {r["student_id"]: r for r in csv.DictReader(fh)}


def _link(zf: zipfile.ZipFile, name: str, target: str) -> None:
    info = zipfile.ZipInfo(name)
    info.external_attr = 0o120777 << 16
    zf.writestr(info, target)


@pytest.mark.slow
@pytest.mark.xdist_group("grading_class")
@needs_bwrap
def test_grade_zip_accounts_for_students_whose_entries_were_refused(tmp_path):
    """Three students' entries are a link, a '..' path and a linked folder: each still gets a row saying why."""
    root = demo.write_toy_course(tmp_path / "course")
    full = demo.with_solutions(demo.release_notebooks(root, A)[NB], demo.TOY_SOLUTIONS)
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"submitted/ann/{A}/{NB}", __import__("nbformat").writes(full))
        _link(zf, f"submitted/bob/{A}/{NB}", "/etc/passwd")
        zf.writestr(f"submitted/carl/{A}/../../../{NB}", "{}")
        _link(zf, f"submitted/dan/{A}", "/root")
        zf.writestr("../outside.txt", "owned")
    out = tmp_path / "out"
    proc = _run([COURSE, "grade", A, str(archive), "--out", str(out), "--workers", "2",
                 "--gradebook", str(tmp_path / "gb" / "gradebook.db")], cwd=root)
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = _grades(out / "grades.csv")
    assert sorted(rows) == ["ann", "bob", "carl", "dan"]
    assert (rows["ann"]["score"], rows["ann"]["status"]) == ("6", "ok")
    for student, reason in (("bob", "symbolic link"), ("carl", "'..'"), ("dan", "symbolic link")):
        assert rows[student]["status"] == "missing_notebook" and rows[student]["score"] == "0", rows[student]
        assert reason in rows[student]["detail"] and "not extracted" in rows[student]["detail"], rows[student]
    assert "../outside.txt" in proc.stderr and "no student folder" in proc.stderr  # an entry of nobody: said too
    assert not (tmp_path / "outside.txt").exists()
