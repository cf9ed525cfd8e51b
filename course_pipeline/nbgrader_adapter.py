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
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .nbtools import CourseError

__all__ = [
    "CONFIG_FILE", "course_config", "config_file", "course_directory",  # configuration, merged here only
    "generate_assignment", "autograde", "run_or_explain",  # converters, in-process
    "capture_logs", "LogCapture", "converter_bookkeeping", "exception_line", "working_directory", "tool_path", "tool_env",
    "feedback_template_dirs", "import_converters", "validate_handlers",
    # nbgrader's own classes and functions, imported on first use
    "NbGraderException", "Gradebook", "MissingEntry", "Execute", "Validator", "CourseDirectory", "GetGrades", "parse_utc",
    "IgnorePattern", "LimitOutput", "SaveAutoGrades", "AssignLatePenalties", "CheckCellMetadata",
]

CONFIG_FILE = "nbgrader_config.py"
# The loggers nbgrader's converters write to (in-process they use traitlets' logger; its apps, NbGrader).
LOGGERS = ("traitlets", "NbGrader", "nbgrader")

# What the pipeline uses of nbgrader by name: attribute -> (module, name), imported on first use (PEP 562).
_LAZY = {
    "NbGraderException": ("nbgrader.converters", "NbGraderException"),
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


@dataclass(frozen=True)
class _Logged:
    """One record nbgrader logged, with the exception it was handling at the time (None: none)."""

    record: logging.LogRecord
    handling: BaseException | None


class LogCapture(logging.Handler):
    """Keeps what nbgrader logs (WARNING and above), each record with the exception nbgrader was handling then.

    The reason a converter failed is chosen by who logged what, never by nbgrader's wording:
    an error logged by the code that failed (a preprocessor, the converter's setup) comes first;
    else the exception the converter caught, which its own failure bookkeeping logs while handling it.
    """

    def __init__(self, level: int = logging.WARNING) -> None:
        super().__init__(level)
        self.logged: list[_Logged] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.logged.append(_Logged(record, sys.exc_info()[1]))  # called synchronously from nbgrader's log call

    def reason(self, limit: int | None = 200) -> str:
        """The first line of why nbgrader failed, cut at limit characters ('' when it logged no error)."""
        errors = [entry for entry in self.logged if entry.record.levelno >= logging.ERROR]
        for entry in errors:
            if not converter_bookkeeping(entry.record):
                text = _describe(entry, limit)
                if text:
                    return text
        return next((exception_line(e.handling, limit) for e in errors if e.handling is not None), "")


def converter_bookkeeping(record: logging.LogRecord) -> bool:
    """Whether nbgrader's converter loop logged it (which submission failed, see the log above): not the cause."""
    return record.funcName == "convert_notebooks" and Path(record.pathname).parts[-3:-1] == ("nbgrader", "converters")


def _describe(entry: _Logged, limit: int | None) -> str:
    """An error record in one line: the exception being handled when it was logged, else its message."""
    if entry.handling is not None:
        return exception_line(entry.handling, limit)
    lines = entry.record.getMessage().strip().splitlines()
    return lines[0][:limit] if lines else ""


def exception_line(err: BaseException, limit: int | None = 200) -> str:
    """'ErrorType: first line of the message' for one-line reports."""
    text = str(err).strip()
    return f"{type(err).__name__}: {text.splitlines()[0][:limit]}" if text else type(err).__name__


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
            reason = logs.reason(limit=None) or exception_line(err, None)
        except SystemExit as err:  # nbgrader calls sys.exit on some malformed input
            reason = logs.reason(limit=None) or f"nbgrader exited ({err.code})"
    raise CourseError(f"{what}: {reason}")
