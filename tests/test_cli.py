"""The `course` command: help on every subcommand, one-line errors, nothing half-written."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import ROOT
from course_pipeline.cli import build_parser


def course(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "course_pipeline.cli", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def subcommands():
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return sorted(action.choices)


def test_top_level_help_lists_subcommands():
    out = course("--help")
    assert out.returncode == 0
    for name in subcommands():
        assert name in out.stdout


@pytest.mark.parametrize("name", subcommands())
def test_every_subcommand_has_help(name):
    out = course(name, "--help")
    assert out.returncode == 0, out.stderr
    assert "usage: course " + name in out.stdout
    if name != "update":  # the student's command works on the whole course
        assert "ASSIGNMENT" in out.stdout


@pytest.mark.parametrize("name", ["release", "check"])
def test_unknown_assignment_is_one_line_error(name):
    out = course(name, "99_nonexistent")
    assert out.returncode == 2
    lines = [ln for ln in out.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("course: error: ") and "99_nonexistent" in lines[0], out.stderr


def test_outside_the_course_is_one_line_error(tmp_path):
    out = course("release", cwd=tmp_path)
    assert out.returncode == 2
    assert out.stderr.strip().startswith("course: error:") and "not inside the course" in out.stderr


def test_instructor_command_on_a_student_install_is_one_line_error():
    """A student install (no `grade` extra) running `course check` is told what to install, not shown a traceback."""
    blocked = ("import sys; sys.modules['nh3'] = None; from course_pipeline.cli import main; "
               "sys.exit(main(['check', '01_derivatives']))")
    out = subprocess.run([sys.executable, "-c", blocked], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 2, out.stderr
    lines = [ln for ln in out.stderr.splitlines() if ln.strip() and not ln.startswith("checking ")]
    assert len(lines) == 1 and lines[0].startswith("course: error:") and "nh3" in lines[0], out.stderr
    assert "[grade]" in lines[0] and "Traceback" not in out.stderr


@pytest.fixture
def broken_course(tmp_path):
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    folder = tmp_path / "source" / "99_broken"
    folder.mkdir(parents=True)
    (folder / "99_broken.ipynb").write_text("{ this is not json")
    return tmp_path


def test_release_of_corrupt_notebook_names_the_file_and_writes_nothing(broken_course):
    out = course("release", "99_broken", cwd=broken_course)
    assert out.returncode == 2
    lines = [ln for ln in out.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "99_broken.ipynb" in lines[0] and "not a readable notebook" in lines[0], out.stderr
    assert not (broken_course / "notebooks").exists() and not (broken_course / "solutions").exists()


def test_check_of_corrupt_notebook_reports_problem_and_fails(broken_course):
    out = course("check", "99_broken", cwd=broken_course)
    assert out.returncode == 1
    assert "PROBLEM" in out.stdout and "99_broken.ipynb" in out.stdout


def test_release_is_idempotent_and_fast_when_nothing_changed():
    out = course("release", "01_derivatives")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "01_derivatives: up to date"


@pytest.mark.parametrize("name, options", [
    ("collect", ["--lms", "--roster", "--id-column", "--out", "--timezone", "--no-timestamps", "DOWNLOAD"]),
    ("export", ["--lms", "--roster", "--id-column", "--out", "--gradebook", "--missing", "--moodle-key"]),
])
def test_lms_commands_document_their_options(name, options):
    out = course(name, "--help")
    assert out.returncode == 0, out.stderr
    for option in options:
        assert option in out.stdout, option
    assert "canvas" in out.stdout and "moodle" in out.stdout


def test_collect_outside_the_course_is_one_line_error(tmp_path):
    out = course("collect", "01_derivatives", str(tmp_path / "x.zip"), "--lms", "canvas", cwd=tmp_path)
    assert out.returncode == 2
    lines = [ln for ln in out.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "not inside the course" in lines[0], out.stderr
