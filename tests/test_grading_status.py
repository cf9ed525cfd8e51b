"""Unit tests of the grading statuses: one ordered Enum, written as its plain values; no kernel is started."""

from __future__ import annotations

import csv
import io
import json
import pickle
from pathlib import Path

import pytest

from course_pipeline.grading import report, worker
from course_pipeline.grading.classreport import read_grades
from course_pipeline.grading.execution import RunLog
from course_pipeline.grading.status import RUN_STATUSES, Status
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
