"""Unit tests of the grading statuses (one ordered Enum) and of typed Autograde failures; no kernel is started."""

from __future__ import annotations

import csv
import io
import json
import logging
import pickle
from pathlib import Path

import pytest

from course_pipeline.grading import report, worker
from course_pipeline.grading.classreport import read_grades
from course_pipeline.grading.execution import RunLog
from course_pipeline.grading.status import RUN_STATUSES, Status
from course_pipeline.nbgrader_adapter import converter_bookkeeping
from course_pipeline.nbtools import CourseError

A = "03_demo"
# docs/grading.md and grades.csv: the status strings, most severe first
DOCUMENTED_ORDER = ["error", "invalid_notebook", "missing_notebook", "kernel_died", "timeout", "memory_limit",
                    "output_limit", "ok"]


def test_members_are_the_csv_strings_most_severe_first():
    assert [s.value for s in Status] == DOCUMENTED_ORDER
    assert [s.severity for s in Status] == list(range(len(DOCUMENTED_ORDER)))


def test_docs_list_the_same_order():
    text = " ".join((Path(__file__).resolve().parents[1] / "docs" / "grading.md").read_text().split())
    assert "most severe, in this order: " + ", ".join(f"`{s}`" for s in DOCUMENTED_ORDER) + "." in text


def test_run_statuses_are_the_five_of_one_notebook_run():
    assert RUN_STATUSES == {Status.KERNEL_DIED, Status.TIMEOUT, Status.MEMORY_LIMIT, Status.OUTPUT_LIMIT, Status.OK}


@pytest.mark.parametrize("statuses, worst", [
    ([], Status.OK),
    ([Status.OK], Status.OK),
    ([Status.OUTPUT_LIMIT, Status.OK, Status.MEMORY_LIMIT], Status.MEMORY_LIMIT),
    ([Status.OK, Status.OUTPUT_LIMIT, Status.TIMEOUT, Status.MEMORY_LIMIT, Status.KERNEL_DIED], Status.KERNEL_DIED),
    ([Status.MISSING_NOTEBOOK, Status.KERNEL_DIED], Status.MISSING_NOTEBOOK),
    ([Status.MISSING_NOTEBOOK, Status.INVALID_NOTEBOOK], Status.INVALID_NOTEBOOK),
    ([Status.OK, Status.ERROR, Status.INVALID_NOTEBOOK], Status.ERROR),
])
def test_worst_picks_the_most_severe(statuses, worst):
    assert Status.worst(statuses) is worst
    assert Status.worst(reversed(statuses)) is worst
    assert Status.worst(iter(statuses)) is worst  # any iterable, consumed once


def test_a_status_formats_as_its_plain_value():
    for status in Status:
        assert str(status) == f"{status}" == "{}".format(status) == "%s" % status == status.value
    assert f"{Status.OK:<6}|" == "ok    |"


def test_a_status_survives_pickle_and_json():
    for status in Status:
        assert pickle.loads(pickle.dumps(status)) is status
        assert json.dumps(status) == json.dumps(status.value)
        assert Status.parse(json.loads(json.dumps({"s": status}))["s"]) is status
    result = worker.SubmissionResult("amy", Status.TIMEOUT, "cell 3 exceeded 3 s")
    assert pickle.loads(pickle.dumps(result)).status is Status.TIMEOUT  # as a Dask worker returns it


def test_parse_names_the_known_values():
    assert Status.parse("memory_limit") is Status.MEMORY_LIMIT
    with pytest.raises(ValueError, match=r"unknown status 'Status.OK' \(known: error, invalid_notebook, .*, ok\)"):
        Status.parse("Status.OK")


def test_grades_csv_and_progress_carry_the_plain_values(tmp_path):
    rows = [report.Row(s.value[:3] + str(i), A, 1, 6, s, "d") for i, s in enumerate(Status)]
    path = report.write_csv(tmp_path / "grades.csv", rows)
    written = {r["student_id"]: r["status"] for r in csv.DictReader(io.StringIO(path.read_text()))}
    assert sorted(written.values()) == sorted(DOCUMENTED_ORDER)
    assert "Status." not in path.read_text()
    out = io.StringIO()
    progress = report.Progress(len(rows), stream=out, tty=False)
    for row in rows:
        progress.update(row, 1.0)
    assert "Status." not in out.getvalue() and ": output_limit 1/6 (1.0 s) - d" in out.getvalue()
    table = report.summary_table(rows, 10.0, 1)
    assert "Status." not in table
    listed = [line.split()[0] for line in table.splitlines()[2:2 + len(rows)]]
    assert listed == ["ok", *sorted(DOCUMENTED_ORDER[:-1])]  # ok first, then by name, as before


def test_class_report_reads_statuses_back_and_refuses_an_unknown_one(tmp_path):
    path = tmp_path / "grades.csv"
    header = "student_id,assignment,score,max_score,status,attempts,detail\n"
    path.write_text(header + f"ann,{A},3,6,timeout,1,slow\nbob,{A},6,6,ok,1,\n")
    rows = read_grades(path, A)
    assert [r.status for r in rows] == [Status.TIMEOUT, Status.OK]
    path.write_text(header + f"ann,{A},3,6,ok,1,\nbob,{A},6,6,sleepy,1,\n")
    with pytest.raises(CourseError, match=r"grades.csv, line 3: unknown status 'sleepy'"):
        read_grades(path, A)


def test_run_log_takes_only_the_statuses_of_a_run():
    log = RunLog()
    for wrong in (Status.ERROR, Status.MISSING_NOTEBOOK, "timeout"):
        with pytest.raises(ValueError, match="not the status of a notebook run"):
            log.add(wrong, "x")
    assert log.events == [] and log.status is Status.OK


# -- typed Autograde failures ------------------------------------------------------------------------------------


def _failing_converter(tmp_path: Path, error: Exception):
    """A real nbgrader converter whose one notebook raises error, for its own convert_notebooks to handle."""
    from nbgrader.converters.base import BaseConverter
    from nbgrader.coursedir import CourseDirectory

    class Failing(BaseConverter):
        _input_directory = "submitted"
        _output_directory = "autograded"

        def init_destination(self, assignment_id, student_id):
            return True

        def init_assignment(self, assignment_id, student_id):
            pass

        def convert_single_notebook(self, notebook_filename):
            raise error

    coursedir = CourseDirectory(root=str(tmp_path))
    converter = Failing(coursedir=coursedir)
    converter.assignments = {str(tmp_path / "submitted" / "amy" / A): [f"{A}.ipynb"]}
    return converter


@pytest.fixture
def nbgrader_log():
    """The adapter's log capture (the one every in-process nbgrader run uses), installed."""
    from course_pipeline.nbgrader_adapter import capture_logs

    with capture_logs() as capture:
        yield capture


def test_nbgraders_failure_report_gives_the_exception_it_caught(tmp_path, nbgrader_log):
    from nbgrader.converters import NbGraderException

    with pytest.raises(NbGraderException):
        _failing_converter(tmp_path, KeyError("boom")).convert_notebooks()
    errors = [e for e in nbgrader_log.logged if e.record.levelno >= logging.ERROR]
    assert errors and all(converter_bookkeeping(e.record) for e in errors)  # nbgrader's own account only
    assert nbgrader_log.reason() == "KeyError: 'boom'"


def test_an_error_logged_by_the_failing_code_comes_before_nbgraders_report(tmp_path, nbgrader_log):
    from nbgrader.converters import NbGraderException

    def convert(self, notebook_filename):
        self.log.error("No notebooks found, did you forget to run 'nbgrader generate_assignment'?\nsecond line")
        raise NbGraderException("no notebooks")

    converter = _failing_converter(tmp_path, RuntimeError("unused"))
    type(converter).convert_single_notebook = convert
    with pytest.raises(NbGraderException):
        converter.convert_notebooks()
    assert nbgrader_log.reason() == "No notebooks found, did you forget to run 'nbgrader generate_assignment'?"


def test_an_error_logged_while_handling_an_exception_names_that_exception(tmp_path, nbgrader_log):
    def convert(self, notebook_filename):
        try:
            raise ValueError("grade ids repeat\nin detail")
        except ValueError:
            self.log.error("Traceback (most recent call last): ...")
            raise RuntimeError("Notebook failed to validate") from None

    from nbgrader.converters import NbGraderException

    converter = _failing_converter(tmp_path, RuntimeError("unused"))
    type(converter).convert_single_notebook = convert
    with pytest.raises(NbGraderException):
        converter.convert_notebooks()
    assert nbgrader_log.reason() == "ValueError: grade ids repeat"
    assert nbgrader_log.reason(limit=5) == "ValueError: grade"


def test_no_error_logged_no_reason(nbgrader_log):
    logging.getLogger("traitlets").warning("Removing failed assignment")
    assert nbgrader_log.reason() == "" and len(nbgrader_log.logged) == 1


def _job(tmp_path: Path) -> worker.Job:
    from course_pipeline.grading.sandbox import Limits

    spec = worker.GradingSpec(assignment=A, notebooks=(A,), course_id="course", ignore=(), limits=Limits(),
                              sandbox=False)
    return worker.Job(student_id="amy", folder=tmp_path / "in", spec=spec, config_file=None,
                      template_db=tmp_path / "t.db", source_dir=tmp_path / "source",
                      autograded_root=tmp_path / "autograded", feedback_root=tmp_path / "feedback",
                      work_root=tmp_path / "work", bwrap=None, seccomp_file=None)


@pytest.mark.parametrize("raised, kind", [("nbgrader", worker.FailureKind.REPORTED),
                                          ("other", worker.FailureKind.CRASHED)])
def test_run_autograde_says_how_the_converter_failed(tmp_path, monkeypatch, raised, kind):
    from nbgrader.converters import Autograde, NbGraderException

    def start(self):
        raise NbGraderException("Please see the log above") if raised == "nbgrader" else OSError("disk full")

    monkeypatch.setattr(Autograde, "start", start)
    failure = worker._run_autograde(_job(tmp_path), tmp_path, f"sqlite:///{tmp_path / 'g.db'}", None)
    message = "NbGraderException: Please see the log above" if raised == "nbgrader" else "OSError: disk full"
    assert failure == worker.AutogradeFailure(kind, message)


def test_run_autograde_returns_none_when_the_converter_finishes(tmp_path, monkeypatch):
    from nbgrader.converters import Autograde

    monkeypatch.setattr(Autograde, "start", lambda self: None)
    assert worker._run_autograde(_job(tmp_path), tmp_path, f"sqlite:///{tmp_path / 'g.db'}", None) is None
