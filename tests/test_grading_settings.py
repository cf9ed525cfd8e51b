"""One typed configuration for `course grade` (issue 13): c.CourseGrade in nbgrader_config.py, options override it."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import fields

import pytest

import toy_course as toy
from conftest import ROOT
from course_pipeline import grading
from course_pipeline.cli import _grade_option, build_parser, main
from course_pipeline.grading.sandbox import Limits
from course_pipeline.grading.settings import (NOTEBOOK_TIMEOUT_RULE, CourseGrade, default, grade_settings,
                                              notebook_timeout_for, setting_names, shown_default)
from course_pipeline.nbgrader_adapter import course_config
from course_pipeline.nbtools import CourseError

A = toy.TOY_ASSIGNMENT
DOCS = ROOT / "docs" / "grading.md"


def _grade_help() -> str:
    """`course grade --help`, whitespace collapsed (argparse wraps lines)."""
    action = next(a for a in build_parser()._actions if a.dest == "command")
    return " ".join(action.choices["grade"].format_help().split())


def _docs_table() -> dict[str, list[str]]:
    """The settings table of docs/grading.md: setting -> its cells (option, default, what it limits)."""
    rows = {}
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| `") and cells[0].strip("`") in setting_names():
            rows[cells[0].strip("`")] = cells[1:]
    return rows


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A toy course (cwd) whose nbgrader_config.py gets extra lines through the returned function."""
    root = toy.write_toy_course(tmp_path / "course")
    (tmp_path / "subs").mkdir()
    monkeypatch.chdir(root)

    def configure(*lines: str):
        with open(root / "nbgrader_config.py", "a", encoding="utf-8") as fh:
            fh.write("".join(f"{line}\n" for line in lines))
        return root

    return configure


@pytest.fixture
def graded_with(monkeypatch):
    """Run `course grade` through main() up to grade_assignment; return the GradeOptions it would grade with."""
    seen = {}

    def fake(root, assignment, submissions, options, **kwargs):
        seen["options"] = options
        raise CourseError("stopped by the test")

    monkeypatch.setattr(grading, "grade_assignment", fake)

    def run(*options: str):
        seen.clear()
        assert main(["grade", A, "../subs", *options]) == 2
        return seen["options"].settings

    return run


def test_every_setting_is_a_configurable_trait_with_one_line_help():
    traits = CourseGrade.class_traits(config=True)
    assert set(setting_names()) == set(traits)
    for name in (*(f.name for f in fields(Limits)), "workers", "sandbox", "max_zip_bytes", "max_zip_members"):
        assert name in traits, name
    for name, trait in traits.items():
        assert trait.help and "\n" not in trait.help, name


def test_defaults_agree_in_limits_the_cli_help_and_the_docs():
    limits, configured = Limits(), CourseGrade().limits()
    assert limits == configured
    for f in fields(Limits):
        expected = notebook_timeout_for(default("cell_timeout")) if f.name == "notebook_timeout" else default(f.name)
        assert getattr(limits, f.name) == expected, f.name
    text, table = _grade_help(), _docs_table()
    for name in setting_names():
        option = _grade_option(name)
        segment = text[text.index(f" {option} ", text.index("options:")):][:400]  # the option's help
        assert f"default: {shown_default(name)}" in segment and f"c.CourseGrade.{name} " in segment, (name, segment)
        assert name in table, f"docs/grading.md has no row for {name}"
        assert table[name][0].strip("`").split()[0] == option, name
        assert table[name][1] == shown_default(name), (name, table[name][1])
    assert "c.CourseGrade.<name>" in DOCS.read_text(encoding="utf-8")


def test_the_notebook_timeout_follows_the_one_documented_rule():
    assert NOTEBOOK_TIMEOUT_RULE == "4 x cell_timeout, at least 60"
    assert (notebook_timeout_for(60), notebook_timeout_for(10), notebook_timeout_for(15)) == (240, 60, 60)
    assert Limits().notebook_timeout == 240 and Limits(cell_timeout=30).notebook_timeout == 120
    assert CourseGrade(cell_timeout=5).limits().notebook_timeout == 60
    assert CourseGrade(notebook_timeout=500).limits(cell_timeout=1).notebook_timeout == 500  # set: kept as set
    assert NOTEBOOK_TIMEOUT_RULE in _grade_help() and NOTEBOOK_TIMEOUT_RULE in DOCS.read_text(encoding="utf-8")


def test_the_course_config_is_used_and_options_override_it(course, graded_with):
    course("c.CourseGrade.cell_timeout = 30", "c.CourseGrade.memory_mb = 512", "c.CourseGrade.workers = 3",
           "c.CourseGrade.max_zip_members = 10")
    settings = graded_with()
    assert (settings.cell_timeout, settings.memory_mb, settings.workers, settings.sandbox) == (30, 512, 3, True)
    assert settings.limits().notebook_timeout == 120 and settings.max_zip_members == 10
    settings = graded_with("--timeout", "10", "--memory-mb", "300", "--workers", "2", "--no-sandbox",
                           "--max-processes", "20")
    assert (settings.cell_timeout, settings.memory_mb, settings.workers, settings.sandbox) == (10, 300, 2, False)
    limits = settings.limits()
    assert (limits.notebook_timeout, limits.max_processes, limits.memory_mb) == (60, 20, 300)
    assert graded_with("--notebook-timeout", "90").limits().notebook_timeout == 90


def test_without_settings_the_defaults_are_used(course, graded_with):
    assert graded_with().limits() == Limits()
    assert grade_settings(ROOT).limits() == Limits()  # the course's own nbgrader_config.py sets none


@pytest.mark.parametrize("line, setting", [
    ("c.CourseGrade.cell_timeout = 0", "c.CourseGrade.cell_timeout"),
    ("c.CourseGrade.cell_timeout = -5", "c.CourseGrade.cell_timeout"),
    ("c.CourseGrade.cell_timeout = 'abc'", "c.CourseGrade.cell_timeout"),
    ("c.CourseGrade.memory_mb = 1.5", "c.CourseGrade.memory_mb"),
    ("c.CourseGrade.workers = 0", "c.CourseGrade.workers"),
    ("c.CourseGrade.sandbox = 'no'", "c.CourseGrade.sandbox"),
    ("c.CourseGrade.cel_timeout = 30", "c.CourseGrade.cel_timeout: no such setting"),
])
def test_a_bad_value_in_the_config_file_is_a_one_line_error(course, capsys, line, setting):
    root = course(line)
    assert main(["grade", A, "../subs"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("course: error: ") and err.strip().count("\n") == 0, err
    assert "nbgrader_config.py: " + setting in err, err
    assert not (root / "grading").exists() and not (root / "gradebook.db").exists()


@pytest.mark.parametrize("option, value", [("--timeout", "0"), ("--timeout", "-1"), ("--timeout", "abc"),
                                           ("--memory-mb", "1.5"), ("--workers", "0"), ("--notebook-timeout", "x"),
                                           ("--max-zip-bytes", "-3")])
def test_a_bad_option_is_a_one_line_error(course, capsys, option, value):
    root = course()
    assert main(["grade", A, "../subs", option, value]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"course: error: {option} must be positive") and err.strip().count("\n") == 0, err
    assert repr(value) in err or value in err
    assert not (root / "grading").exists()


def test_course_grade_with_a_bad_setting_exits_2_in_one_line(course):
    root = course()
    config = (root / "nbgrader_config.py").read_text(encoding="utf-8")
    for line, args, named in (("c.CourseGrade.scratch_mb = -1", [], "nbgrader_config.py: c.CourseGrade.scratch_mb"),
                              ("c.CourseGrade.scratch_mb = -1", ["--scratch-mb", "64"], "c.CourseGrade.scratch_mb"),
                              ("", ["--timeout", "none"], "--timeout must be positive (a number, got none)")):
        (root / "nbgrader_config.py").write_text(config + line + "\n", encoding="utf-8")  # a bad file stays an error
        out = subprocess.run([sys.executable, "-m", "course_pipeline.cli", "grade", A, "../subs", *args],
                             capture_output=True, text=True, cwd=root, timeout=300)
        lines = [ln for ln in out.stderr.splitlines() if ln.strip()]
        assert out.returncode == 2 and len(lines) == 1 and named in lines[0], out.stderr


def test_the_nbgrader_executor_takes_the_same_settings(course):
    from course_pipeline.grading.execution import CourseSandboxExecute

    root = course("c.CourseGrade.memory_mb = 512", "c.CourseGrade.cell_timeout = 45",
                  "c.CourseGrade.kernel_startup_timeout = 90")
    limits = CourseSandboxExecute(config=course_config(root)).course_limits()  # nbgrader's timeout not set: ours
    assert (limits.memory_mb, limits.cell_timeout, limits.notebook_timeout, limits.kernel_startup_timeout) == (512, 45, 180, 90)
    course("c.ExecutePreprocessor.timeout = 100")  # nbgrader's own cell timeout wins, as before
    limits = CourseSandboxExecute(config=course_config(root)).course_limits()
    assert (limits.memory_mb, limits.cell_timeout, limits.notebook_timeout) == (512, 100, 400)
    course("c.CourseGrade.max_open_files = 0")
    with pytest.raises(CourseError, match="c.CourseGrade.max_open_files must be positive"):
        CourseSandboxExecute(config=course_config(root)).course_limits()
    assert CourseSandboxExecute(config=course_config(ROOT)).course_limits().cell_timeout == 120  # the course's file
