"""The LMS round trip: `course collect` from Canvas and Moodle downloads, `course grade`, `course export`.

Also `course grade`'s own zip import: every entry of a class zip is accounted for.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import subprocess
import sys
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import nbformat
import pytest

import toy_course as toy
from course_pipeline.cli import LMS_CHOICES, main
from course_pipeline.grading import demo, lms
from course_pipeline.grading.collect import TIMESTAMP_FORMAT, FileStatus, collect
from course_pipeline.grading.sandbox import bwrap_path
from course_pipeline.nbtools import CourseError
from course_pipeline.release import tool_env

A = toy.TOY_ASSIGNMENT
NB = f"{A}.ipynb"
COURSE = str(Path(sys.executable).parent / "course")

needs_bwrap = pytest.mark.skipif(bwrap_path() is None, reason="bubblewrap is not installed (make test installs it)")


def _run(args: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=tool_env())


def _grades(path: Path) -> dict[str, dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return {r["student_id"]: r for r in csv.DictReader(fh)}


def _link(zf: zipfile.ZipFile, name: str, target: str) -> None:
    info = zipfile.ZipInfo(name)
    info.external_attr = 0o120777 << 16
    zf.writestr(info, target)


@pytest.mark.slow
@pytest.mark.xdist_group("grading_class")
@needs_bwrap
def test_grade_zip_accounts_for_students_whose_entries_were_refused(tmp_path):
    """Three students' entries are a link, a '..' path and a linked folder: each still gets a row saying why."""
    root = toy.write_toy_course(tmp_path / "course")
    full = demo.with_solutions(demo.release_notebooks(root, A)[NB], toy.TOY_SOLUTIONS)
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"submitted/ann/{A}/{NB}", nbformat.writes(full))
        _link(zf, f"submitted/bob/{A}/{NB}", "/etc/passwd")
        zf.writestr(f"submitted/carl/{A}/../../../{NB}", "{}")
        _link(zf, f"submitted/dan/{A}", "/root")
        zf.writestr("../outside.txt", "owned")
    out = tmp_path / "out"
    proc = _run([COURSE, "grade", A, str(archive), "--out", str(out), "--workers", "2",
                 "--gradebook", str(tmp_path / "gb" / "gradebook.db")], cwd=root)
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = _grades(out / "grades.csv")
    assert sorted(rows) == ["ann", "bob", "carl", "dan"]
    assert (rows["ann"]["score"], rows["ann"]["status"]) == ("6", "ok")
    for student, reason in (("bob", "symbolic link"), ("carl", "'..'"), ("dan", "symbolic link")):
        assert rows[student]["status"] == "missing_notebook" and rows[student]["score"] == "0", rows[student]
        assert reason in rows[student]["detail"] and "not extracted" in rows[student]["detail"], rows[student]
    assert "../outside.txt" in proc.stderr and "no student folder" in proc.stderr  # an entry of nobody: said too
    assert not (tmp_path / "outside.txt").exists()


# --- building LMS downloads --------------------------------------------------------------------

CORRUPT = '{"cells": [ this is not JSON'
T0 = (2026, 11, 20, 9, 0, 0)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The toy course and three notebooks of it: full marks (6/6), one wrong answer (4/6), blank (0/6)."""
    root = toy.write_toy_course(tmp_path_factory.mktemp("lms") / "course")
    release = demo.release_notebooks(root, A)[NB]
    full = demo.with_solutions(release, toy.TOY_SOLUTIONS)
    wrong = demo.with_solutions(release, {**toy.TOY_SOLUTIONS,
                                          "square": 'def square(x):\n    """x squared."""\n    return x * abs(x)'})
    return {"root": root, "full": nbformat.writes(full), "wrong": nbformat.writes(wrong),
            "blank": nbformat.writes(release)}


def _zip(path: Path, entries: list[tuple[str, str | bytes, tuple[int, ...]]]) -> Path:
    """A zip of (name, content, DOS time) entries; a name starting with '@' is a link to content."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content, when in entries:
            if name.startswith("@"):
                info = zipfile.ZipInfo(name[1:], date_time=when)
                info.external_attr = 0o120777 << 16
                zf.writestr(info, content)
            else:
                zf.writestr(zipfile.ZipInfo(name, date_time=when), content)
    return path


def _at(hour: int, minute: int = 0) -> tuple[int, ...]:
    return (2026, 11, 20, hour, minute, 0)


def _utc(when: tuple[int, ...]) -> str:
    return datetime(*when, tzinfo=timezone.utc).strftime(TIMESTAMP_FORMAT)


CANVAS_ROSTER = (
    "Student,ID,SIS User ID,SIS Login ID,Section,00_toy (777),Other homework (778),Current Score\n"
    "    Points Possible,,,,,6,10,\n"
    '"Núñez, José",1001,S1001,jnunez,Section A,,7,70\n'
    '"Smith, Amy",1002,S1002,asmith,Section A,,9,90\n'
    "\"O'Brien, Liam\",1003,S1003,lobrien,Section B,,,\n"
    '"Lee, Zoe",1004,S1004,zlee,Section B,,,\n'
    '"Chen, Wei",1005,S1005,wchen,Section B,,,\n'
)


def _canvas_download(course, path: Path) -> Path:
    """What Canvas's "Download Submissions" gives: flat files <name>[_LATE]_<user>_<submission>_<file>."""
    return _zip(path, [
        ("núñezjosé_1001_5001_00_toy.ipynb", course["blank"], _at(8)),  # first try
        ("núñezjosé_1001_5010_00_toy-1.ipynb", course["full"], _at(10)),  # resubmitted: wins
        ("smithamy_1002_5002_00_toy.ipynb", course["blank"], _at(9)),
        ("smithamy_1002_5002_00_toy-2.ipynb", course["wrong"], _at(9, 30)),  # same submission, uploaded again
        ("smithamy_1002_5002_00_toy-1.ipynb", course["blank"], _at(9, 15)),
        ("smithamy_1002_5003_answers.pdf", b"%PDF-1.4 not a notebook", _at(9, 40)),
        ("o'brienliam_LATE_1003_5004_My Homework.ipynb", course["full"], _at(23, 59)),
        ("leezoe_1004_5005_00_toy.ipynb", CORRUPT, _at(11)),
        ("ghoststudent_1999_5006_00_toy.ipynb", course["full"], _at(12)),
        ("README.txt", "Canvas never writes this", _at(12)),
        ("@leezoe_1004_5007_passwd.ipynb", "/etc/passwd", _at(12)),
    ])


MOODLE_ROSTER = (  # Moodle's grades export (Grades > Export > Plain text file): no participant identifier
    '"First name","Last name","ID number","Institution","Department","Email address",'
    '"Assignment: 00_toy (Real)","Last downloaded from this course"\n'
    "José,Núñez,20001,Uni,Maths,jose.nunez@uni.example,-,1764000000\n"
    "Amy,Smith,20002,Uni,Maths,amy.smith@uni.example,-,1764000000\n"
    "Liam,O'Brien,20003,Uni,Maths,liam.obrien@uni.example,-,1764000000\n"
    "Zoe,Lee,20004,Uni,Maths,zoe.lee@uni.example,-,1764000000\n"
    "Wei,Chen,20005,Uni,Maths,wei.chen@uni.example,-,1764000000\n"
)


def _moodle_download(course, path: Path) -> Path:
    """What Moodle's "Download all submissions" gives: a folder per participant (and a flat file or two)."""
    folder = "_assignsubmission_file_/"
    return _zip(path, [
        (f"José Núñez_71001{folder}00_toy.ipynb", course["full"], _at(10)),
        (f"Amy Smith_71002{folder}homework.ipynb", course["wrong"], _at(9)),
        (f"Amy Smith_71002{folder}notes.txt", "my notes", _at(9)),
        (f"@Amy Smith_71002{folder}link.ipynb", "/etc/passwd", _at(9)),
        ("Liam O'Brien_71003_assignsubmission_onlinetext_onlinetext.html", "<p>see attached</p>", _at(9)),
        ("Liam O'Brien_71003_assignsubmission_file_00_toy.ipynb", course["blank"], _at(13)),  # flat variant
        (f"Zoe Lee_71004{folder}00_toy.ipynb", CORRUPT, _at(11)),
        (f"Ghost Person_71999{folder}00_toy.ipynb", course["full"], _at(12)),
    ])


def _statuses(result) -> dict[str, str]:
    return {r.file: r.status.value for r in result.rows if r.file}


# --- file names and rosters --------------------------------------------------------------------


@pytest.mark.parametrize("name, expected", [
    ("smithjohn_1001_5001_hw.ipynb", ("1001", "smithjohn", "hw.ipynb", False, (5001, 0))),
    ("smithjohn_LATE_1001_5001_01_derivatives-2.ipynb", ("1001", "smithjohn", "01_derivatives.ipynb", True, (5001, 2))),
    ("núñezjosé_12_34_My Homework (1).ipynb", ("12", "núñezjosé", "My Homework (1).ipynb", False, (34, 0))),
])
def test_canvas_names(name, expected):
    up = lms.parse_upload(lms.LMS.CANVAS, name)
    assert (up.lms_id, up.name, up.filename, up.late, up.order) == expected


@pytest.mark.parametrize("path, expected", [
    ("José Núñez_71001_assignsubmission_file_/00_toy.ipynb", ("71001", "José Núñez", "00_toy.ipynb")),
    ("José Núñez_71001_assignsubmission_file_00_toy.ipynb", ("71001", "José Núñez", "00_toy.ipynb")),
    ("wrap/Amy Smith_5_assignsubmission_file_/sub/x.ipynb", ("5", "Amy Smith", "sub/x.ipynb")),
])
def test_moodle_names(path, expected):
    up = lms.parse_upload(lms.LMS.MOODLE, path)
    assert (up.lms_id, up.name, up.filename) == expected


@pytest.mark.parametrize("kind, name", [(lms.LMS.CANVAS, "hw.ipynb"), (lms.LMS.CANVAS, "smith_x_5_hw.ipynb"),
                                        (lms.LMS.MOODLE, "Amy Smith_5_assignsubmission_file_"),
                                        (lms.LMS.MOODLE, "Amy Smith/hw.ipynb")])
def test_names_the_lms_never_writes_are_unrecognized(kind, name):
    assert lms.parse_upload(kind, name) is None


def test_canvas_roster_ids_points_and_columns(tmp_path):
    path = tmp_path / "canvas.csv"
    path.write_text("\ufeff" + CANVAS_ROSTER.replace("jnunez", ""), encoding="utf-8")  # BOM, one empty login
    roster = lms.read_roster(path, lms.LMS.CANVAS)
    assert [e.student_id for e in roster.entries] == ["S1001", "asmith", "lobrien", "zlee", "wchen"]  # falls back
    assert roster.points["00_toy (777)"] == "6" and roster.by_lms_id("1003")[0].name == "O'Brien, Liam"
    assert [e.student_id for e in lms.read_roster(path, lms.LMS.CANVAS, "SIS User ID").entries][:2] == ["S1001", "S1002"]


def test_moodle_worksheet_roster_matches_by_participant_identifier(tmp_path):
    path = tmp_path / "worksheet.csv"
    path.write_text("Identifier,Full name,Email address,Status,Grade,Maximum Grade\n"
                    "Participant 71001,José Núñez,jose.nunez@uni.example,Submitted,,6\n", encoding="utf-8")
    roster = lms.read_roster(path, lms.LMS.MOODLE)
    (entry,) = roster.entries
    assert (entry.student_id, entry.lms_id, entry.name) == ("jose.nunez@uni.example", "71001", "José Núñez")
    assert roster.has_lms_ids and roster.by_name("  josé   NÚÑEZ ") == [entry]


@pytest.mark.parametrize("kind, text, message", [
    (lms.LMS.CANVAS, "Name,Email\nx,y\n", "not a Canvas gradebook export"),
    (lms.LMS.MOODLE, "Name,Email\nx,y\n", "not a Moodle roster"),
    (lms.LMS.CANVAS, "Student,ID,SIS Login ID\nA,1,amy\nB,2,amy\n", "also on line 2"),
    (lms.LMS.CANVAS, "Student,ID,SIS Login ID\nA,1,../etc\n", "cannot be a folder name"),
    (lms.LMS.CANVAS, "", "empty roster"),
])
def test_bad_rosters_are_one_line_errors(tmp_path, kind, text, message):
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CourseError, match=message) as info:
        lms.read_roster(path, kind)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_lms_choices_of_the_cli_are_the_known_lms():
    assert LMS_CHOICES == tuple(x.value for x in lms.LMS)


# --- collect, without grading ------------------------------------------------------------------


def test_canvas_collect_accounts_for_every_file(course, tmp_path):
    download = _canvas_download(course, tmp_path / "submissions.zip")
    roster = tmp_path / "canvas.csv"
    roster.write_text(CANVAS_ROSTER, encoding="utf-8")
    out = tmp_path / "submitted"
    result = collect(course["root"], A, download, lms.LMS.CANVAS, roster, out)
    assert _statuses(result) == {
        "núñezjosé_1001_5001_00_toy.ipynb": "superseded",
        "núñezjosé_1001_5010_00_toy-1.ipynb": "collected",
        "smithamy_1002_5002_00_toy.ipynb": "superseded",
        "smithamy_1002_5002_00_toy-1.ipynb": "superseded",
        "smithamy_1002_5002_00_toy-2.ipynb": "collected",
        "smithamy_1002_5003_answers.pdf": "not a notebook",
        "o'brienliam_LATE_1003_5004_My Homework.ipynb": "late",
        "leezoe_1004_5005_00_toy.ipynb": "corrupt notebook",
        "ghoststudent_1999_5006_00_toy.ipynb": "no roster match",
        "README.txt": "unrecognized",
        "leezoe_1004_5007_passwd.ipynb": "refused",
    }
    assert [r.student for r in result.rows if r.status is FileStatus.NOT_SUBMITTED] == ["wchen"]
    assert [r.student for r in result.rows if r.status is FileStatus.REFUSED] == ["zlee"]  # whose, though unread
    assert sorted(result.written) == ["asmith", "jnunez", "lobrien", "zlee"] and result.needs_look
    assert (out / "jnunez" / A / NB).read_text() == course["full"]  # the resubmission, renamed to the notebook
    assert (out / "asmith" / A / NB).read_text() == course["wrong"]  # -2 beats -1 in the same submission
    assert (out / "lobrien" / A / NB).read_text() == course["full"]  # "My Homework.ipynb"
    assert (out / "zlee" / A / NB).read_text() == CORRUPT  # graded as handed in: invalid_notebook
    assert (out / "jnunez" / A / "timestamp.txt").read_text().strip() == _utc(_at(10))
    assert (out / "lobrien" / A / "timestamp.txt").read_text().strip() == _utc(_at(23, 59))
    assert sorted(p.name for p in out.iterdir()) == ["asmith", "jnunez", "lobrien", "zlee"]  # no staging left
    table = result.table()
    for text in ("ghoststudent_1999_5006_00_toy.ipynb", "Canvas user 1999 (ghoststudent) is not in canvas.csv",
                 "a symbolic link", "row(s) need a look", "superseded 3"):
        assert text in table


def test_moodle_collect_matches_names_and_keeps_every_file(course, tmp_path):
    download = _moodle_download(course, tmp_path / "moodle.zip")
    roster = tmp_path / "grades.csv"
    roster.write_text(MOODLE_ROSTER, encoding="utf-8")
    out = tmp_path / "submitted"
    result = collect(course["root"], A, download, lms.LMS.MOODLE, roster, out, zone="Europe/Berlin")
    folder = "_assignsubmission_file_/"
    assert _statuses(result) == {
        f"José Núñez_71001{folder}00_toy.ipynb": "collected",
        f"Amy Smith_71002{folder}homework.ipynb": "collected",
        f"Amy Smith_71002{folder}notes.txt": "not a notebook",
        f"Amy Smith_71002{folder}link.ipynb": "refused",
        "Liam O'Brien_71003_assignsubmission_onlinetext_onlinetext.html": "not a notebook",
        "Liam O'Brien_71003_assignsubmission_file_00_toy.ipynb": "collected",
        f"Zoe Lee_71004{folder}00_toy.ipynb": "corrupt notebook",
        f"Ghost Person_71999{folder}00_toy.ipynb": "no roster match",
    }
    assert sorted(result.written) == ["20001", "20002", "20003", "20004"]  # ID number
    assert (out / "20002" / A / NB).read_text() == course["wrong"]
    berlin = datetime(*_at(10), tzinfo=ZoneInfo("Europe/Berlin")).astimezone(timezone.utc)
    assert (out / "20001" / A / "timestamp.txt").read_text().strip() == berlin.strftime(TIMESTAMP_FORMAT)
    assert [r.student for r in result.rows if r.status is FileStatus.NOT_SUBMITTED] == ["20005"]
    assert [r.student for r in result.rows if r.status is FileStatus.REFUSED] == ["20002"]
    assert "matched by full name" in result.table()


def test_collect_without_roster_uses_lms_ids_and_a_folder_like_the_zip(course, tmp_path):
    download = _moodle_download(course, tmp_path / "moodle.zip")
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(download) as zf:
        for info in zf.infolist():
            if not (info.external_attr >> 16) & 0o120000 == 0o120000:
                zf.extract(info, unpacked)
    from_zip = collect(course["root"], A, download, lms.LMS.MOODLE, out=tmp_path / "a")
    from_folder = collect(course["root"], A, unpacked, lms.LMS.MOODLE, out=tmp_path / "b")
    assert sorted(from_zip.written) == sorted(from_folder.written) == ["71001", "71002", "71003", "71004", "71999"]
    zipped = {k: v for k, v in _statuses(from_zip).items() if v != "refused"}
    assert zipped == _statuses(from_folder)


def test_two_notebooks_in_one_submission_are_ambiguous_not_guessed(course, tmp_path):
    download = _zip(tmp_path / "m.zip", [
        ("Amy Smith_5_assignsubmission_file_/draft.ipynb", course["blank"], _at(9)),
        ("Amy Smith_5_assignsubmission_file_/final.ipynb", course["full"], _at(10)),
        ("Bo Li_6_assignsubmission_file_/final.ipynb", course["full"], _at(10)),
        ("Bo Li_6_assignsubmission_file_/00_toy.ipynb", course["wrong"], _at(9)),  # the notebook's own name wins
    ])
    result = collect(course["root"], A, download, lms.LMS.MOODLE, out=tmp_path / "out")
    assert _statuses(result) == {"Amy Smith_5_assignsubmission_file_/draft.ipynb": "ambiguous",
                                 "Amy Smith_5_assignsubmission_file_/final.ipynb": "ambiguous",
                                 "Bo Li_6_assignsubmission_file_/00_toy.ipynb": "collected",
                                 "Bo Li_6_assignsubmission_file_/final.ipynb": "superseded"}
    assert sorted(result.written) == ["6"] and result.needs_look


def test_identical_zip_times_are_not_taken_for_upload_times(course, tmp_path):
    download = _zip(tmp_path / "c.zip", [("a_1_1_00_toy.ipynb", course["full"], T0),
                                         ("b_2_2_00_toy.ipynb", course["full"], T0)])
    result = collect(course["root"], A, download, lms.LMS.CANVAS, out=tmp_path / "out")
    assert not result.needs_look and "no timestamp.txt was written" in result.table()
    assert not list((tmp_path / "out").rglob("timestamp.txt"))


def test_a_folder_unpacked_without_keeping_times_gives_no_timestamps(course, tmp_path):
    folder = tmp_path / "unpacked"
    folder.mkdir()
    for i, name in enumerate(("a_1_1_00_toy.ipynb", "b_2_2_00_toy.ipynb", "c_3_3_00_toy.ipynb")):
        (folder / name).write_text(course["full"], encoding="utf-8")
        os.utime(folder / name, (1_764_000_000 + i * 0.5, 1_764_000_000 + i * 0.5))  # "now", as unpacked
    result = collect(course["root"], A, folder, lms.LMS.CANVAS, out=tmp_path / "out")
    assert "no timestamp.txt was written" in result.table() and not list((tmp_path / "out").rglob("timestamp.txt"))
    os.utime(folder / "c_3_3_00_toy.ipynb", (1_764_000_000 + 3600, 1_764_000_000 + 3600))  # kept upload times
    result = collect(course["root"], A, folder, lms.LMS.CANVAS, out=tmp_path / "out")
    assert len(list((tmp_path / "out").rglob("timestamp.txt"))) == 3
    assert (tmp_path / "out" / "3" / A / "timestamp.txt").read_text().strip() == "2025-11-24 17:00:00.000000 UTC"


def test_collect_replaces_an_earlier_collect_of_the_same_assignment_only(course, tmp_path):
    out = tmp_path / "submitted"
    (out / "1" / "other_assignment").mkdir(parents=True)
    (out / "1" / A).mkdir()
    (out / "1" / A / "stale.ipynb").write_text("old")
    download = _zip(tmp_path / "c.zip", [("a_1_1_00_toy.ipynb", course["full"], T0)])
    collect(course["root"], A, download, lms.LMS.CANVAS, out=out)
    assert sorted(p.name for p in (out / "1" / A).iterdir()) == [NB, "timestamp.txt"]
    assert (out / "1" / "other_assignment").is_dir()


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b"PK\x03\x04 truncated download"), "not a readable zip"),
    (lambda p: None, "no such download"),
])
def test_unreadable_download_is_one_line_error_and_writes_nothing(course, tmp_path, capsys, monkeypatch, make, message):
    download = tmp_path / "submissions.zip"
    make(download)
    monkeypatch.chdir(course["root"])
    out = tmp_path / "submitted"
    assert main(["collect", A, str(download), "--lms", "canvas", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("course: error: ") and str(download) in err and message in err
    assert err.strip().count("\n") == 0 and not out.exists()


def test_bad_roster_stops_collect_before_anything_is_written(course, tmp_path, capsys, monkeypatch):
    download = _canvas_download(course, tmp_path / "submissions.zip")
    roster = tmp_path / "roster.csv"
    roster.write_text("Name,Email\nx,y\n", encoding="utf-8")
    monkeypatch.chdir(course["root"])
    out = tmp_path / "submitted"
    assert main(["collect", A, str(download), "--lms", "canvas", "--roster", str(roster), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert str(roster) in err and "not a Canvas gradebook export" in err and not out.exists()


def test_a_corrupt_entry_inside_the_download_is_a_row(course, tmp_path):
    download = _zip(tmp_path / "c.zip", [("a_1_1_00_toy.ipynb", course["full"], _at(9)),
                                         ("b_2_2_00_toy.ipynb", course["full"], _at(10))])
    data = bytearray(download.read_bytes())
    start = data.index(b"b_2_2_00_toy.ipynb") + len("b_2_2_00_toy.ipynb") + 40  # inside b's compressed data
    data[start:start + 20] = b"\x00" * 20
    download.write_bytes(bytes(data))
    result = collect(course["root"], A, download, lms.LMS.CANVAS, out=tmp_path / "out")
    statuses = _statuses(result)
    assert statuses["a_1_1_00_toy.ipynb"] == "collected" and statuses["b_2_2_00_toy.ipynb"] == "refused"
    assert "corrupt" in next(r.detail for r in result.rows if r.file == "b_2_2_00_toy.ipynb")


# --- the whole round trip: collect, grade (sandboxed), export ------------------------------------


def _course(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """`course ARGS` run in cwd: grading in its own process, as an instructor runs it; collect and export in this one."""
    if args[0] == "grade":
        return _run([COURSE, *args], cwd=cwd)
    out, err = io.StringIO(), io.StringIO()
    previous = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        os.chdir(previous)
    return subprocess.CompletedProcess([COURSE, *args], code, out.getvalue(), err.getvalue())


def _read_csv(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _gradebook_timestamps(db: Path) -> dict[str, str]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{db}") as gb:
        return {s.student.id: s.timestamp.strftime("%Y-%m-%d %H:%M:%S") for s in gb.assignment_submissions(A)
                if s.timestamp}


@pytest.mark.slow
@pytest.mark.xdist_group("grading_class")
@needs_bwrap
def test_canvas_round_trip(course, tmp_path):
    root = course["root"]
    download = _canvas_download(course, tmp_path / "submissions.zip")
    roster = tmp_path / "Grades-Toy_Course.csv"
    roster.write_text(CANVAS_ROSTER, encoding="utf-8")
    subs, gradebook, graded = tmp_path / "submitted", tmp_path / "gb" / "gradebook.db", tmp_path / "graded"

    proc = _course("collect", A, str(download), "--lms", "canvas", "--roster", str(roster), "--out", str(subs), cwd=root)
    assert proc.returncode == 1, proc.stderr  # a pdf, a stranger, a corrupt notebook, a link: need a look
    assert "no roster match" in proc.stdout and "ghoststudent" in proc.stdout
    visitor = subs / "visitor" / A  # graded, but never in Canvas's roster
    visitor.mkdir(parents=True)
    (visitor / NB).write_text(course["wrong"], encoding="utf-8")

    proc = _course("grade", A, str(subs), "--out", str(graded), "--gradebook", str(gradebook), "--workers", "2", cwd=root)
    assert proc.returncode == 0, proc.stderr[-2000:]
    grades = _grades(graded / "grades.csv")
    assert {s: (g["score"], g["status"]) for s, g in grades.items()} == {
        "jnunez": ("6", "ok"), "asmith": ("4", "ok"), "lobrien": ("6", "ok"), "zlee": ("0", "invalid_notebook"),
        "visitor": ("4", "ok")}
    stamps = _gradebook_timestamps(gradebook)
    assert stamps["jnunez"] == "2026-11-20 10:00:00" and stamps["lobrien"] == "2026-11-20 23:59:00"

    export = tmp_path / "canvas-import.csv"
    proc = _course("export", A, "--lms", "canvas", "--roster", str(roster), "--gradebook", str(gradebook),
                   "--out", str(export), cwd=root)
    assert proc.returncode == 1, proc.stderr  # visitor is graded but not in the roster
    assert "visitor was graded (4) but is not in" in proc.stderr and "not in roster" in proc.stdout
    rows = _read_csv(export)
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "00_toy (777)"]
    assert rows[1] == ["    Points Possible", "", "", "", "", "6"]
    exported = {r[3]: r[5] for r in rows[2:]}
    assert list(exported) == ["jnunez", "asmith", "lobrien", "zlee", "wchen"]  # roster order, roster only
    for student, score in exported.items():
        assert score == (grades[student]["score"] if student in grades else ""), student
    assert rows[2][:5] == ["Núñez, José", "1001", "S1001", "jnunez", "Section A"]

    proc = _course("export", A, "--lms", "canvas", "--roster", str(roster), "--gradebook", str(gradebook),
                   "--out", str(export), "--missing", "zero", cwd=root)
    assert {r[3]: r[5] for r in _read_csv(export)[2:]}["wchen"] == "0"

    other = tmp_path / "other.csv"  # Canvas thinks it is out of 10; then a roster without the column at all
    other.write_text(CANVAS_ROSTER.replace(",,,,,6,10,", ",,,,,10,10,"), encoding="utf-8")
    proc = _course("export", A, "--lms", "canvas", "--roster", str(other), "--gradebook", str(gradebook),
                   "--out", str(export), cwd=root)
    assert proc.returncode == 1 and "out of 10 points, nbgrader's maximum is 6" in proc.stdout
    assert _read_csv(export)[1][-1] == "10" and _read_csv(export)[2][-1] == "6"
    other.write_text(CANVAS_ROSTER.replace("00_toy (777)", "Quiz (779)"), encoding="utf-8")
    proc = _course("export", A, "--lms", "canvas", "--roster", str(other), "--gradebook", str(gradebook),
                   "--out", str(export), cwd=root)
    assert proc.returncode == 1 and "Canvas will create a new assignment" in proc.stdout
    assert _read_csv(export)[0][-1] == A and _read_csv(export)[1][-1] == "6"


@pytest.mark.slow
@pytest.mark.xdist_group("grading_class")
@needs_bwrap
def test_moodle_round_trip(course, tmp_path):
    root = course["root"]
    download = _moodle_download(course, tmp_path / "Toy-00_toy-12345.zip")
    roster = tmp_path / "Toy Grades.csv"
    roster.write_text(MOODLE_ROSTER, encoding="utf-8")
    subs, gradebook, graded = tmp_path / "submitted", tmp_path / "gb" / "gradebook.db", tmp_path / "graded"

    proc = _course("collect", A, str(download), "--lms", "moodle", "--roster", str(roster), "--out", str(subs), cwd=root)
    assert proc.returncode == 1, proc.stderr
    proc = _course("grade", A, str(subs), "--out", str(graded), "--gradebook", str(gradebook), "--workers", "2", cwd=root)
    assert proc.returncode == 0, proc.stderr[-2000:]
    grades = _grades(graded / "grades.csv")
    assert {s: (g["score"], g["status"]) for s, g in grades.items()} == {
        "20001": ("6", "ok"), "20002": ("4", "ok"), "20003": ("0", "ok"), "20004": ("0", "invalid_notebook")}

    export = tmp_path / "moodle-import.csv"
    proc = _course("export", A, "--lms", "moodle", "--roster", str(roster), "--gradebook", str(gradebook),
                   "--out", str(export), "--missing", "zero", cwd=root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = _read_csv(export)
    assert rows[0] == ["Email address", "First name", "Last name", "Assignment: 00_toy (Real)"]
    by_email = {r[0]: r[3] for r in rows[1:]}
    roster_rows = {r["ID number"]: r["Email address"] for r in csv.DictReader(MOODLE_ROSTER.splitlines())}
    for idnumber, email in roster_rows.items():
        assert by_email[email] == (grades[idnumber]["score"] if idnumber in grades else "0"), idnumber
    assert rows[1][:3] == ["jose.nunez@uni.example", "José", "Núñez"]

    proc = _course("export", A, "--lms", "moodle", "--roster", str(roster), "--gradebook", str(gradebook),
                   "--out", str(export), "--moodle-key", "idnumber", cwd=root)
    rows = _read_csv(export)
    assert rows[0][0] == "ID number" and {r[0]: r[3] for r in rows[1:]} == {
        "20001": "6", "20002": "4", "20003": "0", "20004": "0", "20005": ""}


def test_export_errors_are_one_line_and_write_nothing(course, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(course["root"])
    roster = tmp_path / "canvas.csv"
    roster.write_text(CANVAS_ROSTER, encoding="utf-8")
    out = tmp_path / "export.csv"
    cases = [
        (["--roster", str(roster), "--gradebook", str(tmp_path / "none.db")], "no such gradebook"),
        (["--roster", str(tmp_path / "missing.csv"), "--gradebook", str(tmp_path / "none.db")], "no such roster file"),
    ]
    bad_db = tmp_path / "bad.db"
    bad_db.write_text("not sqlite")
    cases.append((["--roster", str(roster), "--gradebook", str(bad_db)], "not a readable nbgrader gradebook"))
    for args, message in cases:
        assert main(["export", A, "--lms", "canvas", "--out", str(out), *args]) == 2
        err = capsys.readouterr().err
        assert err.startswith("course: error: ") and message in err and err.strip().count("\n") == 0, err
        assert not out.exists()


def test_collect_refuses_a_zip_bomb_before_writing(tmp_path):
    download = _zip(tmp_path / "c.zip", [("a_1_1_00_toy.ipynb", "0" * 50_000, T0)])  # compresses to ~100 bytes
    root = toy.write_toy_course(tmp_path / "course")
    with open(root / "nbgrader_config.py", "a", encoding="utf-8") as config:  # the course's own cap, set as documented
        config.write("c.CourseGrade.max_zip_bytes = 10_000\n")
    with pytest.raises(CourseError, match="once unpacked"):
        collect(root, A, download, lms.LMS.CANVAS, out=tmp_path / "out")
    assert not (tmp_path / "out").exists()
