"""Two packages by audience: notebooks import course_utils, which carries nothing of the grader."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

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


def _imports_nbgrader(tree: ast.AST) -> list[int]:
    """Lines of a module's AST that import nbgrader (import statements, importlib.import_module/__import__ calls)."""
    def named(name: str | None) -> bool:
        return bool(name) and (name == "nbgrader" or name.startswith("nbgrader."))

    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(named(alias.name) for alias in node.names):
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and named(node.module):
            lines.append(node.lineno)
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str) and named(node.args[0].value)
              and getattr(node.func, "attr", getattr(node.func, "id", "")) in ("import_module", "__import__")):
            lines.append(node.lineno)
    return lines


def test_only_the_adapter_imports_nbgrader():
    """course_pipeline talks to nbgrader through course_pipeline/nbgrader_adapter.py only (issue 13)."""
    import course_pipeline

    package = Path(course_pipeline.__file__).parent
    adapter = package / "nbgrader_adapter.py"
    assert _imports_nbgrader(ast.parse(adapter.read_text())), "the adapter no longer imports nbgrader: test is stale"
    offenders = {str(path.relative_to(package)): lines for path in sorted(package.rglob("*.py")) if path != adapter
                 and (lines := _imports_nbgrader(ast.parse(path.read_text(), str(path))))}
    assert offenders == {}, f"modules importing nbgrader other than the adapter (file: lines): {offenders}"
