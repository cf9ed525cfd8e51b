"""Grade a whole class with nbgrader: in parallel, each kernel sandboxed, every student accounted for.

Modules: discovery (find and unpack submissions), sandbox (bubblewrap command line), execution
(nbgrader's Execute, hardened), worker (one submission through nbgrader's Autograde in a private
course), gradebook (the single writer of the real gradebook), feedback (HTML without hidden
tests), report (progress, grades.csv, summary), classreport (item_analysis.csv and class_report.html:
where the class stands), runner (the coordinator), cluster (the same
grading on a Dask cluster: `course grade --dask`), demo (demo classes).
"""

from .report import Row
from .runner import GradeOptions, GradeSummary, grade_assignment
from .sandbox import Limits

__all__ = ["GradeOptions", "GradeSummary", "Limits", "Row", "grade_assignment"]
