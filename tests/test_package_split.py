"""Two packages by audience: notebooks import course_utils, which carries nothing of the grader."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import course_utils

GRADER_ONLY = ("nbgrader", "nbclient", "nbconvert", "distributed", "course_pipeline", "nbformat")


def test_course_utils_imports_nothing_of_the_grader():
    modules = sorted(m.name for m in pkgutil.walk_packages(course_utils.__path__, "course_utils."))
    assert "course_utils.checks" in modules and "course_utils.plotting" in modules
    code = ("import importlib, sys\n"
            f"for name in {modules!r}:\n    importlib.import_module(name)\n"
            f"print(sorted(m for m in {GRADER_ONLY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "[]", f"importing course_utils loads grader packages: {out.stdout}"


def test_the_pipeline_is_its_own_package():
    import course_pipeline
    import course_pipeline.grading.judge  # noqa: F401

    assert not hasattr(course_utils, "grading")
    assert not any(m.name in ("release", "selfcheck", "cli", "nbtools", "update", "grading")
                   for m in pkgutil.iter_modules(course_utils.__path__))
