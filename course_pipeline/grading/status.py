"""How grading one submission (or running one of its notebooks) ended: the one definition of the statuses.

The members are listed most severe first, and that order is the only statement of severity: a
submission gets the most severe status that applies (`Status.worst`). The values are the strings
written to grades.csv and shown in the progress lines and the class report.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

__all__ = ["Status", "RUN_STATUSES"]


class Status(str, Enum):
    """A grading status; members in severity order, most severe first; values as in grades.csv."""

    ERROR = "error"  # the grader itself failed on the submission
    INVALID_NOTEBOOK = "invalid_notebook"
    MISSING_NOTEBOOK = "missing_notebook"
    KERNEL_DIED = "kernel_died"
    TIMEOUT = "timeout"
    MEMORY_LIMIT = "memory_limit"
    OUTPUT_LIMIT = "output_limit"
    OK = "ok"

    def __str__(self) -> str:
        """The plain value (as written to grades.csv), also in f-strings and str.format."""
        return self.value

    @property
    def severity(self) -> int:
        """0 for the most severe status, growing to OK (the position in the member order)."""
        return _RANK[self]

    @classmethod
    def worst(cls, statuses: Iterable[Status]) -> Status:
        """The most severe of statuses (OK when there are none)."""
        return min(statuses, key=_RANK.__getitem__, default=cls.OK)

    @classmethod
    def parse(cls, text: str) -> Status:
        """The status written as text (grades.csv); ValueError naming the known values otherwise."""
        try:
            return cls(text)
        except ValueError:
            known = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown status {text!r} (known: {known})") from None


_RANK = {status: rank for rank, status in enumerate(Status)}

# The statuses one notebook run can end with (the executor's): the others belong to the submission as a whole.
RUN_STATUSES = frozenset({Status.KERNEL_DIED, Status.TIMEOUT, Status.MEMORY_LIMIT, Status.OUTPUT_LIMIT, Status.OK})
