"""The only module of course_pipeline that talks to nbgrader.

Everything else takes nbgrader from here: the course's configuration (nbgrader_config.py, merged in
one place, a fresh traitlets Config per call), nbgrader's converters run in-process (GenerateAssignment,
Autograde) under one working-directory guard and one log capture, and the few classes the pipeline
uses directly (Gradebook, MissingEntry, the Execute preprocessor, the Validator...).

nbgrader itself is imported only when first needed (`from .nbgrader_adapter import Gradebook` imports
nbgrader.api then), so importing the pipeline stays as cheap as before.
"""

from __future__ import annotations

import importlib
import logging
import os
import re
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .nbtools import CourseError

__all__ = [
    "CONFIG_FILE", "course_config", "config_file", "course_directory",  # configuration, merged here only
    "generate_assignment", "autograde", "run_or_explain",  # converters, in-process
    "capture_logs", "LogCapture", "working_directory", "tool_path", "tool_env", "reason_of",
    "feedback_template_dirs", "import_converters", "validate_handlers",
    # nbgrader's own classes and functions, imported on first use
    "Gradebook", "MissingEntry", "Execute", "Validator", "CourseDirectory", "GetGrades", "parse_utc",
    "IgnorePattern", "LimitOutput", "SaveAutoGrades", "AssignLatePenalties", "CheckCellMetadata",
]

CONFIG_FILE = "nbgrader_config.py"
# The loggers nbgrader's converters write to (in-process they use traitlets' logger; its apps, NbGrader).
LOGGERS = ("traitlets", "NbGrader", "nbgrader")

# What the pipeline uses of nbgrader by name: attribute -> (module, name), imported on first use (PEP 562).
_LAZY = {
    "Gradebook": ("nbgrader.api", "Gradebook"),
    "MissingEntry": ("nbgrader.api", "MissingEntry"),
    "Execute": ("nbgrader.preprocessors", "Execute"),
    "Validator": ("nbgrader.validator", "Validator"),
    "CourseDirectory": ("nbgrader.coursedir", "CourseDirectory"),
    "GetGrades": ("nbgrader.preprocessors", "GetGrades"),
    "parse_utc": ("nbgrader.utils", "parse_utc"),
    **{name: ("nbgrader.preprocessors", name)
       for name in ("IgnorePattern", "LimitOutput", "SaveAutoGrades", "AssignLatePenalties", "CheckCellMetadata")},
}


def __getattr__(name: str) -> Any:
    """nbgrader's classes and functions by name, imported when first asked for."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attr = _LAZY[name]
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def validate_handlers():
    """nbgrader's validate server extension handlers module (whose `Validator` the lab extension replaces)."""
    from nbgrader.server_extensions.validate_assignment import handlers

    return handlers


def import_converters() -> None:
    """Import nbgrader's converters (so forked grading processes start with them loaded)."""
    import nbgrader.converters  # noqa: F401


def feedback_template_dirs() -> tuple[Path, Path]:
    """(nbgrader's template base folder holding 'feedback', the folder of bootstrap.min.css it includes)."""
    import nbgrader

    base = Path(nbgrader.__file__).parent / "server_extensions" / "formgrader"
    return base / "templates", base / "static" / "node_modules" / "bootstrap" / "dist" / "css"


# --- one working-directory guard, one log capture, one tool PATH ----------------------------------


@contextmanager
def working_directory() -> Iterator[Path]:
    """Restore the current working directory afterwards (nbgrader's converters chdir into the course)."""
    cwd = os.getcwd()
    try:
        yield Path(cwd)
    finally:
        os.chdir(cwd)


_EXCEPTION_LINE = re.compile(r"^[\w.]+(Error|Exception|Exit)\b.*:")


def reason_of(output: str) -> str:
    """The most telling line of a tool's output: the last exception line, else the last line."""
    lines = [ln.strip() for ln in output.splitlines() if ln.strip()]
    errors = [ln for ln in lines if _EXCEPTION_LINE.match(ln)]
    return (errors or lines or ["no output"])[-1]


class LogCapture(logging.Handler):
    """The log records (WARNING and above) nbgrader wrote while captured."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def first_error(self, limit: int = 200) -> str:
        """The first error that says what went wrong (a traceback: its exception line), '' if none."""
        for rec in self.records:
            if rec.levelno < logging.ERROR:
                continue
            text = rec.getMessage().strip()
            if not text or text.startswith(("There was an error", "Please see the")):
                continue
            return (reason_of(text) if text.startswith("Traceback") else text.splitlines()[0])[:limit]
        return ""


@contextmanager
def capture_logs() -> Iterator[LogCapture]:
    """Capture nbgrader's and traitlets' log records at WARNING+ (nothing printed); restore the loggers afterwards."""
    capture = LogCapture()
    saved = []
    for name in LOGGERS:
        logger = logging.getLogger(name)
        saved.append((logger, logger.handlers, logger.propagate, logger.level))
        logger.handlers, logger.propagate = [capture], False
        logger.setLevel(logging.WARNING)
    try:
        yield capture
    finally:
        for logger, handlers, propagate, level in saved:
            logger.handlers, logger.propagate = handlers, propagate
            logger.setLevel(level)


def tool_env() -> dict[str, str]:
    """The environment for nbgrader and kernels: this interpreter's bin folder first on PATH (for `alembic`)."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


@contextmanager
def tool_path() -> Iterator[None]:
    """This interpreter's bin folder first on PATH for a while (nbgrader runs `alembic` when it creates a gradebook)."""
    saved = os.environ.get("PATH")
    os.environ["PATH"] = tool_env()["PATH"]
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("PATH", None)
        else:
            os.environ["PATH"] = saved


# --- configuration, merged in one place --------------------------------------------------------


def config_file(root: Path | None) -> Path | None:
    """The course's nbgrader_config.py under root (None: no root, or no such file)."""
    if root is None:
        return None
    path = Path(root) / CONFIG_FILE
    return path if path.is_file() else None


def course_config(root: Path | None, **overrides: dict[str, Any]):
    """A fresh traitlets Config: root's nbgrader_config.py (none when root is None), then overrides by section.

    `course_config(root, CourseDirectory={"root": "..."}, Autograde={"force": True})`; a file that cannot
    be loaded is a one-line CourseError naming it.
    """
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    cfg = Config()
    path = config_file(root)
    if path is not None:
        try:
            cfg.merge(PyFileConfigLoader(path.name, path=str(path.parent)).load_config())
        except Exception as err:  # noqa: BLE001 - a broken config is the instructor's one-line problem
            first = str(err).strip().splitlines()
            raise CourseError(f"{path}: cannot be loaded ({type(err).__name__}: {first[0] if first else ''})") from None
    for section, values in overrides.items():
        cfg.merge(Config({section: dict(values)}))
    return cfg


def course_directory(cfg):
    """nbgrader's CourseDirectory configured by cfg."""
    from nbgrader.coursedir import CourseDirectory

    return CourseDirectory(config=cfg)


# --- converters, in-process --------------------------------------------------------------------


def _convert(converter_name: str, cfg) -> None:
    """Run one of nbgrader's converters on cfg in this process (cwd and PATH restored; logs left to the caller).

    Python warnings are silenced meanwhile (nbgrader's SQLAlchemy session warnings), as its subprocess hid them.
    """
    from nbgrader import converters

    converter = getattr(converters, converter_name)
    with tool_path(), working_directory(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        converter(coursedir=course_directory(cfg), config=cfg).start()


def generate_assignment(cfg) -> None:
    """nbgrader's GenerateAssignment on the course cfg describes; raises what nbgrader raised."""
    _convert("GenerateAssignment", cfg)


def autograde(cfg) -> None:
    """nbgrader's Autograde on the course cfg describes; raises what nbgrader raised."""
    _convert("Autograde", cfg)


def run_or_explain(convert, cfg, what: str) -> None:
    """Run a converter with its logs captured; a failure is a one-line CourseError starting with `what`."""
    with capture_logs() as logs:
        try:
            convert(cfg)
            return
        except CourseError:
            raise
        except Exception as err:  # noqa: BLE001 - NbGraderException after logging the real reason, or worse
            lines = str(err).strip().splitlines()
            reason = logs.first_error() or f"{type(err).__name__}: {lines[0] if lines else ''}"
        except SystemExit as err:  # nbgrader calls sys.exit on some malformed input
            reason = logs.first_error() or f"nbgrader exited ({err.code})"
    raise CourseError(f"{what}: {reason}")
