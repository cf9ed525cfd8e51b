"""Grade a whole class with nbgrader: in parallel, each kernel sandboxed, every student accounted for.

Modules: settings (every setting of `course grade`: c.CourseGrade in nbgrader_config.py), discovery
(find and unpack submissions), sandbox (bubblewrap command line), execution (nbgrader's Execute,
hardened), worker (one submission through nbgrader's Autograde in a private course), gradebook (the
single writer of the real gradebook), feedback (HTML without hidden tests), report (progress,
grades.csv, summary), classreport (item_analysis.csv and class_report.html: where the class stands),
runner (the coordinator), backend (the protocol between the coordinator and where grading runs),
local_backend (a process pool), dask_backend and cluster (the same grading on a Dask cluster:
`course grade --dask`), demo (demo classes).
"""

import importlib
from typing import Any

__all__ = ["CourseGrade", "GradeOptions", "GradeSummary", "Limits", "Row", "grade_assignment"]

# Imported on first use (PEP 562): `course --help` reads the settings without loading the grader.
_LAZY = {"CourseGrade": "settings", "GradeOptions": "runner", "GradeSummary": "runner", "Limits": "sandbox",
         "Row": "report", "grade_assignment": "runner"}


def __getattr__(name: str) -> Any:
    """The package's names, each from its module when first asked for."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value
    return value
