"""Every setting of `course grade`, typed and stated once: `c.CourseGrade.<name>` in nbgrader_config.py.

`CourseGrade` is a traitlets Configurable, so nbgrader_config.py sets it like any nbgrader class
(`c.CourseGrade.cell_timeout = 30`) and `course grade`'s options override the file. `Limits`
(sandbox.py), the CLI's help, the zip and submission caps and the executor of stock `nbgrader
autograde` all read their defaults from here. Only traitlets is imported: `course --help` stays fast.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from traitlets import Bool, Float, Int, TraitError, TraitType, validate
from traitlets.config import Configurable

from ..nbgrader_adapter import CONFIG_FILE, config_file, course_config
from ..nbtools import CourseError

if TYPE_CHECKING:
    from .sandbox import Limits

__all__ = ["CourseGrade", "setting_names", "default", "shown_default", "notebook_timeout_for", "default_workers",
           "NOTEBOOK_TIMEOUT_RULE", "WORKERS_RULE", "from_config", "grade_settings"]

# The notebook budget when none is set: this many cell timeouts, and never less than the floor (seconds).
NOTEBOOK_TIMEOUT_FACTOR = 4
NOTEBOOK_TIMEOUT_FLOOR = 60.0
NOTEBOOK_TIMEOUT_RULE = f"{NOTEBOOK_TIMEOUT_FACTOR} x cell_timeout, at least {NOTEBOOK_TIMEOUT_FLOOR:g}"
WORKERS_RULE = "the number of CPUs + 1"


def notebook_timeout_for(cell_timeout: float) -> float:
    """The default wall-time budget of a notebook for a given cell timeout (NOTEBOOK_TIMEOUT_RULE)."""
    return max(NOTEBOOK_TIMEOUT_FACTOR * cell_timeout, NOTEBOOK_TIMEOUT_FLOOR)


def default_workers() -> int:
    """WORKERS_RULE: while one worker waits for its kernel to start or stop, the CPUs stay busy."""
    return (os.cpu_count() or 1) + 1


class CourseGrade(Configurable):
    """The settings of `course grade` (and of the course's sandboxed executor under stock nbgrader)."""

    cell_timeout = Float(60.0, help="wall-time limit per cell in seconds: the cell is interrupted and ends in an "
                                    "error, later cells still run").tag(config=True)
    notebook_timeout = Float(None, allow_none=True, help="wall-time limit per notebook in seconds, kernel start "
                             "included: the kernel is killed and tests not run score zero").tag(config=True)
    kernel_startup_timeout = Int(60, help="seconds a student kernel may take to start").tag(config=True)
    memory_mb = Int(1024, help="address-space limit of each sandboxed student kernel process in MiB").tag(config=True)
    max_processes = Int(64, help="processes of a sandbox, threads included").tag(config=True)
    max_output_bytes = Int(2_000_000, help="stdout and stderr bytes per notebook, counted by the kernel as "
                                           "written").tag(config=True)
    scratch_mb = Int(256, help="size of the sandbox's /tmp in MiB (a RAM-backed tmpfs)").tag(config=True)
    max_file_mb = Int(64, help="largest file a student kernel may write, in MiB").tag(config=True)
    max_open_files = Int(256, help="open files of each student kernel process").tag(config=True)
    max_submission_bytes = Int(200 * 2**20, help="bytes of one student's files taken for grading (or collected as "
                                                 "one notebook); further files are skipped").tag(config=True)
    max_zip_bytes = Int(4 * 2**30, help="uncompressed size of a zip of submissions or an LMS download; a larger "
                                        "one is refused").tag(config=True)
    max_zip_members = Int(200_000, help="entries of a zip of submissions or an LMS download; more are "
                                        "refused").tag(config=True)
    workers = Int(None, allow_none=True, help="submissions graded at once by local processes").tag(config=True)
    sandbox = Bool(True, help="run student code in the bubblewrap sandbox (False: only for trusted "
                              "notebooks)").tag(config=True)
    cold_kernels = Bool(False, help="start every sandboxed kernel from a fresh interpreter instead of forking it, past "
                                    "the notebooks' imports, from a pre-warmed kernel server (slower; the same "
                                    "sandbox)").tag(config=True)

    @validate("cell_timeout", "notebook_timeout", "kernel_startup_timeout", "memory_mb", "max_processes",
              "max_output_bytes", "scratch_mb", "max_file_mb", "max_open_files", "max_submission_bytes",
              "max_zip_bytes", "max_zip_members", "workers")
    def _positive(self, proposal: dict[str, Any]) -> Any:
        value = proposal["value"]
        if value is not None and (isinstance(value, bool) or not 0 < value < math.inf):
            raise TraitError(f"{proposal['trait'].name} must be positive")
        return value

    def limits(self, **overrides: Any) -> Limits:
        """What one submission may use, as the picklable value the workers get (overrides by field name)."""
        from .sandbox import Limits

        values = {f.name: getattr(self, f.name) for f in fields(Limits)}
        return Limits(**{**values, **overrides})


def setting_names() -> list[str]:
    """The settings in the order CourseGrade states them."""
    return [name for name, value in vars(CourseGrade).items() if isinstance(value, TraitType)]


def _trait(name: str) -> TraitType:
    """CourseGrade's trait of setting name."""
    return CourseGrade.class_traits()[name]


def default(name: str) -> Any:
    """The default of setting name, as CourseGrade states it (None: derived, see shown_default)."""
    return _trait(name).default_value


def shown_default(name: str) -> str:
    """The default of setting name as the CLI's help and docs/grading.md show it."""
    value = default(name)
    if name == "notebook_timeout":
        return NOTEBOOK_TIMEOUT_RULE
    if name == "workers":
        return WORKERS_RULE
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:g}"
    return f"{value:_}" if value >= 10_000 else str(value)


def _problem(name: str, shown: str) -> str:
    """Why the value shown cannot be setting name, in a few words."""
    trait = _trait(name)
    if isinstance(trait, Bool):
        return f"must be True or False (got {shown})"
    kind = "a whole number" if isinstance(trait, Int) else "a number"
    return f"must be positive ({kind}{' or None' if trait.allow_none else ''}, got {shown})"


def _set(settings: CourseGrade, name: str, value: Any, label: str, parse: bool = False) -> None:
    """settings.name = value (parse: from command-line text); a bad value is a one-line CourseError naming label."""
    if name not in CourseGrade.class_traits():
        raise CourseError(f"{label}: no such setting (known: {', '.join(setting_names())})")
    try:
        setattr(settings, name, _trait(name).from_string(value) if parse and isinstance(value, str) else value)
    except (TraitError, ValueError):
        raise CourseError(f"{label} {_problem(name, str(value) if parse else repr(value))}") from None


def from_config(cfg, where: str = "nbgrader_config.py") -> CourseGrade:
    """The settings of a traitlets Config (its CourseGrade section); a bad value is a one-line CourseError."""
    section = cfg["CourseGrade"] if "CourseGrade" in cfg else {}
    settings = CourseGrade()
    for name, value in section.items():  # one at a time, so that a bad value is named
        _set(settings, name, value, f"{where}: c.CourseGrade.{name}")
    return settings


def grade_settings(root: Path | None, overrides: Mapping[str, tuple[str, Any]] | None = None) -> CourseGrade:
    """The course's settings (root's nbgrader_config.py), then overrides {name: (option, text or value)} on top."""
    path = config_file(root)
    settings = from_config(course_config(root), str(path) if path is not None else CONFIG_FILE)
    for name, (option, value) in (overrides or {}).items():
        _set(settings, name, value, option, parse=True)
    return settings
