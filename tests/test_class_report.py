"""The class report: a class of 01_derivatives whose students carry known catalogued mistakes, graded once.

Checked from every side: the diagnoses in verdicts.json are exactly the injected mistakes; item_analysis.csv
and class_report.html say what grades.csv, the gradebook (read here with nbgrader's own API) and verdicts.json
say; `course report` rebuilds identical files, and refuses a missing or malformed input in one line without
writing anything; the page opens in headless Chromium with no console error, no request and nothing from a
submission turned into markup.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from course_pipeline.grading import demo, judge
from course_pipeline.grading.classreport import ITEM_COLUMNS, TOP_MISTAKES, read_grades
from course_pipeline.grading.feedback import CONTENT_SECURITY_POLICY
from course_pipeline.grading.sandbox import bwrap_path
from course_pipeline.nbtools import CourseError, exercises, load_bugs, load_sections, nbgrader_meta, read_notebook

from conftest import ROOT, once_per_session

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("class_report")]

A = "01_derivatives"
NB = f"{A}.ipynb"
COURSE = str(Path(sys.executable).parent / "course")

# student -> exercise -> which catalogued mistake (its position in mistakes/01_derivatives.py) is in the answer; the
# rest is the answer key
SHARED = "Evaluates f' at x instead of at g(x)."  # chain_rule's first catalogued mistake, carried by ann and bob
CARRIES = {
    "ann": {"chain_rule": 0, "product_rule": 0},
    "bob": {"chain_rule": 0, "stationary_point": 0},
    "cyd": {"quotient_rule": 1, "central_difference": 0, "predict_tiny_step": 0},
    "full": {},
}
# A student id and a corrupt notebook that would be markup and script if the page echoed them as they are.
HOSTILE_ID = "eve<img src=x onerror=\"window.__pwned='id'\">"
HOSTILE_FILE = '{"cells": [ <script>window.__pwned="detail"</script><b onmouseover=alert(1)>bold</b>'


def _course(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([COURSE, *args], cwd=cwd, capture_output=True, text=True, timeout=900)


def _grade_class(tmp: Path) -> dict:
    release = demo.release_notebooks(ROOT, A)[NB]
    key = demo.answer_key(ROOT, A)[NB]
    bugs = load_bugs(ROOT, A)
    students: dict[str, dict[str, object]] = {}
    for sid, carried in CARRIES.items():
        answers = {**key, **{exercise: list(bugs[exercise].values())[k] for exercise, k in carried.items()}}
        students[sid] = {NB: demo.with_solutions(release, answers)}
    students["blank"] = {NB: release}
    students[HOSTILE_ID] = {NB: HOSTILE_FILE}
    students["nobody"] = {}
    subs, out, gb = tmp / "submitted", tmp / "out", tmp / "gradebook.db"
    demo.write_class(subs, A, students)
    sandbox = [] if bwrap_path() else ["--no-sandbox"]  # the notebooks are our own: trusted
    run = _course("grade", A, str(subs), "--out", str(out), "--gradebook", str(gb), "--workers", "2", *sandbox)
    return {"out": str(out), "gb": str(gb), "returncode": run.returncode, "stdout": run.stdout, "stderr": run.stderr,
            "students": sorted(students)}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The class, graded once with `course grade` (2 workers; sandboxed when bubblewrap is there).

    Once per test session even when xdist runs this module's tests in several rounds or on several workers
    (a lock file in the session's shared temporary folder, as tests/test_grading_class.py does).
    """
    data = once_per_session(tmp_path_factory, "class_report", _grade_class)
    assert data["returncode"] == 0, data["stderr"][-3000:]
    return {**data, "out": Path(data["out"]), "gb": Path(data["gb"])}


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _verdicts(graded) -> dict:
    return json.loads((graded["out"] / "verdicts.json").read_text(encoding="utf-8"))


def _tests_of() -> dict[str, str]:
    """test id -> exercise, from the source notebook."""
    nb = read_notebook(ROOT / "source" / A / NB)
    return {nbgrader_meta(nb.cells[i])["grade_id"]: name for name, ex in exercises(nb).items() for i in ex.test_indices}


def _failing_tests(exercise: str, description: str) -> set[str]:
    """The tests of an exercise where this catalogued mistake observes something the reference rejects."""
    reference = judge.load_reference(ROOT, A)
    found = set()
    for test, mistakes in reference["mistakes"][A].items():
        for mistake in mistakes:
            if mistake["exercise"] != exercise or mistake["description"] != description:
                continue
            records = reference["tests"][A][test]
            got = mistake["got"]
            if len(got) != len(records) or any(
                    g is None or judge.compare(r["kind"], judge.decode(g), r) for g, r in zip(got, records)):
                found.add(test)
    return found


def test_each_student_is_diagnosed_with_exactly_the_mistakes_they_carry(graded):
    verdicts = _verdicts(graded)
    tests_of = _tests_of()
    assert sorted(verdicts) == graded["students"]
    for sid, carried in CARRIES.items():
        expected = {test: [] for test in tests_of}
        for exercise, k in carried.items():
            description = list(load_bugs(ROOT, A)[exercise])[k]
            failing = _failing_tests(exercise, description)
            assert failing, f"{description} fails no test of {exercise}"
            for test in failing:
                expected[test] = [description]
        got = {test: v["mistakes"] for test, v in verdicts[sid][A].items()}
        assert got == expected, sid
        passed = {test for test, v in verdicts[sid][A].items() if v["passed"]}
        assert passed == {test for test, found in expected.items() if not found}, sid
    blank = verdicts["blank"][A]
    assert blank and all(not v["passed"] and v["mistakes"] == [] for v in blank.values())
    assert verdicts[HOSTILE_ID] == {} and verdicts["nobody"] == {}


def _recomputed(graded):
    """Per test, from grades.csv (who counts), nbgrader's gradebook API (scores) and verdicts.json (mistakes)."""
    from nbgrader.api import Gradebook

    students = [r["student_id"] for r in _csv(graded["out"] / "grades.csv")]
    verdicts = _verdicts(graded)
    per_test = {}
    with Gradebook(f"sqlite:///{graded['gb']}") as gb:
        for cell in gb.find_notebook(A, A).grade_cells:
            scores = [gb.find_grade(cell.name, A, A, sid).score for sid in students]
            mistakes = Counter(m for sid in students for m in verdicts[sid].get(A, {}).get(cell.name, {}).get("mistakes", []))
            per_test[cell.name] = {"points": cell.max_score, "scores": scores, "mistakes": mistakes}
        totals = {sid: gb.find_submission(A, sid).score for sid in students}
    return students, per_test, totals


def test_item_analysis_equals_what_the_gradebook_and_verdicts_say(graded):
    students, per_test, totals = _recomputed(graded)
    rows = _csv(graded["out"] / "item_analysis.csv")
    assert list(rows[0]) == ITEM_COLUMNS
    assert sorted(r["test"] for r in rows) == sorted(per_test) and len(rows) == len(per_test)
    tests_of = _tests_of()
    for row in rows:
        want = per_test[row["test"]]
        scores, points = want["scores"], want["points"]
        assert row["notebook"] == A and row["exercise"] == tests_of[row["test"]]
        assert float(row["points"]) == points and int(row["students"]) == len(students) == 7
        assert float(row["mean_score"]) == pytest.approx(sum(scores) / len(scores), abs=1e-4)
        assert float(row["full_marks_share"]) == pytest.approx(sum(s >= points for s in scores) / len(scores), abs=1e-4)
        top = [(row[f"mistake_{i}"], row[f"count_{i}"]) for i in range(1, TOP_MISTAKES + 1)]
        ranked = sorted(want["mistakes"].items(), key=lambda dc: (-dc[1], dc[0]))[:TOP_MISTAKES]
        assert [(d, int(c)) for d, c in top if d] == ranked
        assert all(c == "" for d, c in top if not d)
    # the chain rule mistake two students carry is counted twice on each test it fails
    assert per_test["test_chain_rule"]["mistakes"][SHARED] == 2
    # the gradebook's test scores add up to grades.csv's (no late penalty in this class)
    for row in _csv(graded["out"] / "grades.csv"):
        assert float(row["score"]) == pytest.approx(totals[row["student_id"]])
        assert float(row["score"]) == pytest.approx(sum(t["scores"][students.index(row["student_id"])]
                                                        for t in per_test.values()))


def _text(fragment: str) -> str:
    return re.sub(r"<[^>]+>", "", fragment).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"') \
        .replace("&#x27;", "'").replace("&amp;", "&").strip()


def _table(page: str, table_id: str) -> list[list[str]]:
    body = re.search(rf'<table id="{table_id}">.*?<tbody>(.*?)</tbody>', page, re.S)
    assert body, table_id
    return [[_text(td) for td in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
            for tr in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)]


def test_the_page_shows_the_numbers_of_grades_csv_the_gradebook_and_verdicts(graded):
    page = (graded["out"] / "class_report.html").read_text(encoding="utf-8")
    grades = _csv(graded["out"] / "grades.csv")
    students, per_test, _ = _recomputed(graded)
    verdicts = _verdicts(graded)
    scores = [float(r["score"]) for r in grades]
    top = float(grades[0]["max_score"])
    shown = dict(re.findall(r'<dd data-key="(\w+)">([^<]*)</dd>', page))
    not_ok = [r for r in grades if r["status"] != "ok"]
    assert shown["students"] == str(len(grades)) and shown["did_not_run"] == str(len(not_ok)) == "2"
    assert shown["ran"] == str(len(grades) - len(not_ok))
    assert float(shown["mean_score"]) == pytest.approx(sum(scores) / len(scores), abs=0.005)
    assert shown["full_marks"] == str(sum(s == top for s in scores)) and shown["zero"] == str(scores.count(0))
    # histogram: students per tenth of the maximum (the last tenth includes full marks)
    bins = [int(n) for n in re.findall(r'class="bin" data-count="(\d+)"', page)]
    assert bins == [sum(min(9, int(s / top * 10)) == k for s in scores) for k in range(10)] and sum(bins) == 7
    # pass rate per exercise: full marks on every test of the exercise
    tests_of = _tests_of()
    passed = dict(re.findall(r'class="pass" data-exercise="([^"]+)" data-passed="(\d+)"', page))
    assert set(passed) == set(tests_of.values())
    for exercise, n in passed.items():
        own = [t for t, e in tests_of.items() if e == exercise]
        want = sum(all(per_test[t]["scores"][k] >= per_test[t]["points"] for t in own) for k in range(len(students)))
        assert int(n) == want, exercise
    # most frequent mistakes per exercise: each student once per exercise, with the section to reteach
    counted = Counter()
    for sid in students:
        for exercise in set(tests_of.values()):
            counted.update((exercise, m) for m in {m for t, e in tests_of.items() if e == exercise
                                                   for m in verdicts[sid].get(A, {}).get(t, {}).get("mistakes", [])})
    rows = _table(page, "mistake-table")
    assert {(r[0], r[1]): int(r[2].split()[0]) for r in rows} == dict(counted)
    assert counted[("chain_rule", SHARED)] == 2
    sections = load_sections(ROOT, A)
    for exercise, _, _, section in rows:
        assert section and section != "—" and section == sections.get(exercise, section)
    # the notebooks that did not run, with their detail, as text
    rows = _table(page, "not-run-table")
    assert sorted((r[0], r[1], r[3]) for r in rows) == sorted((r["student_id"], r["status"], r["detail"]) for r in not_ok)
    assert {r["status"] for r in not_ok} == {"invalid_notebook", "missing_notebook"}


def test_nothing_from_a_submission_is_markup(graded):
    page = (graded["out"] / "class_report.html").read_text(encoding="utf-8")
    assert f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}" />' in page
    assert "<script" not in page and "<img" not in page and "<b " not in page
    assert HOSTILE_ID not in page and "onmouseover=alert(1)>" not in page
    assert "eve&lt;img src=x onerror=&quot;window.__pwned=&#x27;id&#x27;&quot;&gt;" in page
    assert "&lt;script&gt;window.__pwned=" in page  # the corrupt file's start, quoted in the detail, as text
    bare = page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "http://" not in bare and "https://" not in bare and "url(" not in bare  # nothing to fetch


def test_course_grade_prints_where_the_report_is(graded):
    out = graded["out"]
    assert f"report:    {out.resolve() / 'class_report.html'}" in graded["stdout"]
    assert f"items:     {out.resolve() / 'item_analysis.csv'}" in graded["stdout"]
    assert "warning" not in graded["stderr"]


def test_course_report_rebuilds_identical_files(graded, tmp_path):
    folder = tmp_path / "again"
    folder.mkdir()
    for name in ("grades.csv", "verdicts.json"):
        shutil.copy(graded["out"] / name, folder / name)
    run = _course("report", A, "--out", str(folder), "--gradebook", str(graded["gb"]))
    assert run.returncode == 0, run.stderr
    for name in ("item_analysis.csv", "class_report.html"):
        assert (folder / name).read_bytes() == (graded["out"] / name).read_bytes(), name
    lines = run.stdout.splitlines()
    assert lines[0] == f"class report:  {folder.resolve() / 'class_report.html'}"
    assert lines[1].startswith(f"item analysis: {folder.resolve() / 'item_analysis.csv'} (18 tests)")
    assert lines[2].startswith("7 students, 2 did not run; mean ")
    assert any(line.startswith(f"most frequent mistakes: chain_rule: {SHARED} (2 students)")
               for line in lines)
    # in place, over the files course grade wrote: the same bytes again
    before = {n: (graded["out"] / n).read_bytes() for n in ("item_analysis.csv", "class_report.html")}
    assert _course("report", A, "--out", str(graded["out"]), "--gradebook", str(graded["gb"])).returncode == 0
    assert before == {n: (graded["out"] / n).read_bytes() for n in before}


def _broken_copies(graded, tmp_path):
    """(name, folder, gradebook, the file the error must name) for each missing or malformed input."""
    def copy(name: str, **replace: str | None) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        for f in ("grades.csv", "verdicts.json"):
            if f in replace and replace[f] is None:
                continue
            if f in replace:
                (folder / f).write_text(replace[f], encoding="utf-8")
            else:
                shutil.copy(graded["out"] / f, folder / f)
        return folder

    grades = (graded["out"] / "grades.csv").read_text()
    gb = graded["gb"]
    not_db = tmp_path / "not-a-db.db"
    not_db.write_text("hello")
    empty_db = tmp_path / "empty.db"
    empty_db.write_bytes(b"")
    yield "no grades.csv", copy("a", **{"grades.csv": None}), gb, "grades.csv"
    yield "no verdicts.json", copy("b", **{"verdicts.json": None}), gb, "verdicts.json"
    yield "verdicts.json not JSON", copy("c", **{"verdicts.json": "{nope"}), gb, "verdicts.json"
    yield "a student missing from verdicts.json", copy("d", **{"verdicts.json": json.dumps({"ann": {}})}), gb, "verdicts.json"
    yield "a score that is not a number", copy("e", **{"grades.csv": grades.replace(
        "\nann,01_derivatives,", "\nann,01_derivatives,x", 1)}), gb, "grades.csv"
    yield "grades.csv without its columns", copy("f", **{"grades.csv": "name,points\nann,3\n"}), gb, "grades.csv"
    yield "no gradebook", copy("g"), tmp_path / "missing.db", "missing.db"
    yield "a gradebook that is not a database", copy("h"), not_db, "not-a-db.db"
    yield "an empty gradebook file", copy("i"), empty_db, "empty.db"


def test_course_report_refuses_missing_or_malformed_inputs_in_one_line_writing_nothing(graded, tmp_path, monkeypatch,
                                                                                       capsys):
    from course_pipeline.cli import main

    monkeypatch.chdir(ROOT)  # in-process: the same main() the command runs, without starting Python ten times
    for what, folder, gb, named in _broken_copies(graded, tmp_path):
        before = gb.read_bytes() if gb.exists() else None
        code = main(["report", A, "--out", str(folder), "--gradebook", str(gb)])
        out, err = capsys.readouterr()
        assert code == 2, (what, out, err)
        assert out == "" and err.count("\n") == 1 and err.startswith("course: error: "), (what, err)
        assert named in err, (what, err)
        assert {p.name for p in folder.iterdir()} <= {"grades.csv", "verdicts.json"}, what  # no report, no temp file
        assert (gb.read_bytes() if gb.exists() else None) == before, what  # the gradebook is only read
    run = _course("report", A, "--out", str(tmp_path / "nowhere"), "--gradebook", str(graded["gb"]))
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and "nowhere: no such grading folder" in run.stderr



def test_the_page_opens_in_chromium_without_errors_or_requests(graded, browser):
    path = graded["out"] / "class_report.html"
    page = browser.new_page()
    console, requests, errors = [], [], []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_timeout(300)
    page.mouse.move(200, 200)
    assert console == [] and errors == [], (console, errors)
    assert requests == [path.as_uri()], requests
    assert page.evaluate("window.__pwned === undefined")
    assert page.eval_on_selector_all("script, img, iframe, object, embed, form", "els => els.length") == 0
    assert page.locator("h1").inner_text() == f"Class report: {A}"
    # the figures are there and drawn: a histogram bar per tenth, a pass-rate bar per exercise
    assert page.locator("svg rect.bin").count() == 10
    assert page.locator("svg rect.pass").count() == len(set(_tests_of().values()))
    assert page.locator("svg").first.bounding_box()["width"] > 300
    # the hostile student id and detail are shown as text
    cells = page.locator("#not-run-table td").all_inner_texts()
    assert HOSTILE_ID in cells and any("<script>window.__pwned" in c for c in cells), cells
    page.close()


def test_read_grades_names_the_line_of_a_malformed_row(tmp_path):
    path = tmp_path / "grades.csv"
    path.write_text("student_id,assignment,score,max_score,status,attempts,detail\n"
                    "ann,01_derivatives,3,25,ok,1,\nann,01_derivatives,4,25,ok,1,\n")
    with pytest.raises(CourseError, match=r"grades.csv, line 3: student id 'ann' is repeated"):
        read_grades(path, A)
    path.write_text("student_id,assignment,score,max_score,status,attempts,detail\nann,02_gradients,3,25,ok,1,\n")
    with pytest.raises(CourseError, match=r"line 2: a grade of '02_gradients', not of 01_derivatives"):
        read_grades(path, A)
    path.write_text("student_id,assignment,score,max_score,status,attempts,detail\nann,01_derivatives,nan,25,ok,1,\n")
    with pytest.raises(CourseError, match=r"line 2: score 'nan' is not a number"):
        read_grades(path, A)
