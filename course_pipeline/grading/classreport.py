"""The class report: where the class stands on an assignment, from what `course grade` wrote.

Two files next to grades.csv, rebuilt by `course report` without regrading:

* item_analysis.csv: one row per graded test (notebook, test id, exercise, points, mean score, share of
  students with full marks, and the three most frequent diagnosed mistakes with their counts);
* class_report.html: a self-contained page for the instructor (score distribution, pass rate per
  exercise, most frequent mistakes per exercise with the section to reteach, students whose notebooks
  did not run, summary numbers). It loads nothing and runs nothing: inline CSS, inline SVG, and the
  feedback pages' Content-Security-Policy.

Inputs: grades.csv (who counts: every row, whatever its status), verdicts.json (the judge's diagnoses)
and the nbgrader gradebook (the score of every test for every student; a test the student's notebook
never reached, or a notebook that is missing or unreadable, scores 0 there). Per-test scores are the
gradebook's (manual scores override automatic ones), before any late penalty; the score distribution
and the summary use grades.csv's scores (after the late penalty). Everything that comes from a
submission (student ids, details, and what verdicts.json says) is written as escaped text, never as markup.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import os
import sqlite3
import statistics
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..nbtools import CourseError, exercises, load_sections, notebook_paths, read_notebook
from .feedback import CONTENT_SECURITY_POLICY
from .gradebook import sqlite_path
from .status import Status

__all__ = ["ITEM_COLUMNS", "TOP_MISTAKES", "StudentRow", "Item", "ExerciseSummary", "ClassReport", "ReportFiles",
           "read_grades", "read_verdicts", "read_test_scores", "build_report", "item_analysis_csv",
           "class_report_html", "write_report", "summary_lines"]

TOP_MISTAKES = 3
ITEM_COLUMNS = ["notebook", "test", "exercise", "points", "students", "mean_score", "full_marks_share",
                *(f"{name}_{i}" for i in range(1, TOP_MISTAKES + 1) for name in ("mistake", "count"))]
EPS = 1e-9  # a score within this of the points is full marks


def _num(x: float) -> str:
    return f"{round(x, 4):g}"


def _short(x: float) -> str:
    return f"{round(x, 2):g}"


def _pct(x: float) -> str:
    return f"{100 * x:.0f} %"


# -- reading what course grade wrote -----------------------------------------------------------------------


@dataclass(frozen=True)
class StudentRow:
    """The part of one grades.csv row the report uses."""

    student_id: str
    score: float
    max_score: float
    status: Status
    detail: str


def read_grades(path: Path, assignment: str) -> list[StudentRow]:
    """Every row of grades.csv (CourseError naming the file when it is missing or malformed)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CourseError(f"{path}: no such file (grade the class first: course grade)") from None
    except (OSError, UnicodeDecodeError) as err:
        raise CourseError(f"{path}: cannot be read ({type(err).__name__}: {err})") from None
    reader = csv.DictReader(io.StringIO(text))
    needed = ["student_id", "assignment", "score", "max_score", "status", "detail"]
    missing = [c for c in needed if c not in (reader.fieldnames or [])]
    if missing:
        raise CourseError(f"{path}: not a grades.csv of course grade (no column {', '.join(missing)})")
    rows: list[StudentRow] = []
    seen: set[str] = set()
    try:
        for record in reader:
            line = reader.line_num
            if None in record or any(record[c] is None for c in needed):
                raise CourseError(f"{path}, line {line}: not {len(reader.fieldnames)} columns")
            sid = record["student_id"]
            if not sid or sid in seen:
                raise CourseError(f"{path}, line {line}: student id {sid!r} is {'repeated' if sid else 'empty'}")
            if record["assignment"] != assignment:
                raise CourseError(f"{path}, line {line}: a grade of {record['assignment']!r}, not of {assignment}")
            numbers = []
            for column in ("score", "max_score"):
                try:
                    value = float(record[column])
                except ValueError:
                    value = math.nan
                if not math.isfinite(value) or value < 0:
                    raise CourseError(f"{path}, line {line}: {column} {record[column]!r} is not a number")
                numbers.append(value)
            try:
                status = Status.parse(record["status"])
            except ValueError as err:
                raise CourseError(f"{path}, line {line}: {err}") from None
            seen.add(sid)
            rows.append(StudentRow(sid, numbers[0], numbers[1], status, record["detail"]))
    except csv.Error as err:
        raise CourseError(f"{path}: not a readable CSV ({err})") from None
    return rows


def read_verdicts(path: Path, students: list[str]) -> dict[str, dict[str, dict[str, list[str]]]]:
    """The diagnosed mistakes of verdicts.json: student -> notebook -> test -> descriptions."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CourseError(f"{path}: no such file (grade the class first: course grade)") from None
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise CourseError(f"{path}: not readable JSON ({type(err).__name__}: {str(err)[:120]})") from None
    if not isinstance(data, dict):
        raise CourseError(f"{path}: not a verdicts.json of course grade (not an object of students)")
    out: dict[str, dict[str, dict[str, list[str]]]] = {}
    for sid in students:
        if sid not in data:
            raise CourseError(f"{path}: no entry for {sid}, who has a row in grades.csv (files of different runs?)")
        notebooks = data[sid]
        if not isinstance(notebooks, dict):
            raise CourseError(f"{path}: the entry of {sid} is not an object of notebooks")
        out[sid] = {}
        for notebook, tests in notebooks.items():
            if not isinstance(tests, dict):
                raise CourseError(f"{path}: {sid} / {notebook} is not an object of tests")
            out[sid][notebook] = {}
            for test, verdict in tests.items():
                found = verdict.get("mistakes", []) if isinstance(verdict, dict) else None
                if not isinstance(found, list) or not all(isinstance(m, str) for m in found):
                    raise CourseError(f"{path}: {sid} / {notebook} / {test} is not a verdict with a list of mistakes")
                out[sid][notebook][test] = list(dict.fromkeys(found))
    return out


def _check_gradebook_file(path: Path) -> None:
    """The file is an nbgrader gradebook (checked read-only: opening an empty file would create tables)."""
    if not path.is_file():
        raise CourseError(f"{path}: no such gradebook (--gradebook names the one the class was graded into)")
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            con.close()
    except sqlite3.Error as err:
        raise CourseError(f"{path}: not a readable SQLite gradebook ({err})") from None
    if not {"assignment", "grade_cells", "grade", "submitted_assignment"} <= tables:
        raise CourseError(f"{path}: not an nbgrader gradebook (no assignment, grade_cells or grade table)")


def read_test_scores(db_url: str, assignment: str, students: list[str]
                     ) -> tuple[list[tuple[str, str, float]], dict[tuple[str, str, str], float]]:
    """([(notebook, test, points)] in the gradebook's order, {(student, notebook, test): score}) of the gradebook."""
    path = sqlite_path(db_url)
    _check_gradebook_file(path)
    with warnings.catch_warnings():  # nbgrader's own SQLAlchemy warnings
        warnings.simplefilter("ignore")
        from ..nbgrader_adapter import Gradebook, MissingEntry

        try:
            gb = Gradebook(db_url)
        except Exception as err:  # noqa: BLE001 - a broken database is one line naming it
            raise CourseError(f"{path}: not a readable nbgrader gradebook ({type(err).__name__})") from None
        try:
            try:
                found = gb.find_assignment(assignment)
            except MissingEntry:
                raise CourseError(f"{path}: no assignment {assignment} in this gradebook") from None
            tests = [(nb.name, cell.name, float(cell.max_score or 0)) for nb in found.notebooks
                     for cell in nb.grade_cells]
            scores: dict[tuple[str, str, str], float] = {}
            for sid in students:
                try:
                    submission = gb.find_submission(assignment, sid)
                except MissingEntry:
                    raise CourseError(f"{path}: no submission of {assignment} by {sid}, who has a row in grades.csv "
                                      "(is it the gradebook this class was graded into? --gradebook)") from None
                for snb in submission.notebooks:
                    for grade in snb.grades:
                        scores[(sid, snb.name, grade.name)] = float(grade.score or 0.0)
        except CourseError:
            raise
        except Exception as err:  # noqa: BLE001
            raise CourseError(f"{path}: cannot be read ({type(err).__name__}: {str(err)[:120]})") from None
        finally:
            gb.close()
    return tests, scores


# -- the numbers --------------------------------------------------------------------------------------------


@dataclass
class Item:
    """One graded test: its scores (one per student who counts) and the mistakes diagnosed on it."""

    notebook: str
    test: str
    exercise: str
    points: float
    scores: list[float]
    mistakes: Counter = field(default_factory=Counter)  # description -> number of students

    @property
    def mean(self) -> float:
        return sum(self.scores) / len(self.scores) if self.scores else 0.0

    @property
    def full_marks_share(self) -> float:
        return sum(s >= self.points - EPS for s in self.scores) / len(self.scores) if self.scores else 0.0

    def top(self, n: int = TOP_MISTAKES) -> list[tuple[str, int]]:
        """The n most frequent diagnosed mistakes (ties: by description)."""
        return _ranked(self.mistakes)[:n]


def _ranked(counter: Counter) -> list[tuple[str, int]]:
    return sorted(((d, c) for d, c in counter.items() if c > 0), key=lambda dc: (-dc[1], dc[0]))


@dataclass
class ExerciseSummary:
    """One exercise: its tests, how many students have full marks on all of them, the mistakes behind the rest."""

    notebook: str
    name: str
    tests: list[str]
    points: float
    passed: int  # students with full marks on every test of the exercise
    mean_score: float
    section: str
    mistakes: list[tuple[str, int]]  # description, number of students (any test of the exercise)


@dataclass
class ClassReport:
    """Everything both files show."""

    assignment: str
    students: list[StudentRow]
    items: list[Item]
    exercises: list[ExerciseSummary]

    @property
    def max_score(self) -> float:
        return max((s.max_score for s in self.students), default=sum(i.points for i in self.items))

    @property
    def not_run(self) -> list[StudentRow]:
        return [s for s in self.students if s.status is not Status.OK]

    def numbers(self) -> dict[str, str]:
        """The summary numbers, as shown (key -> text)."""
        scores = [s.score for s in self.students]
        top = self.max_score
        mean = sum(scores) / len(scores) if scores else 0.0
        return {
            "students": str(len(scores)),
            "ran": str(len(scores) - len(self.not_run)),
            "did_not_run": str(len(self.not_run)),
            "max_score": _num(top),
            "mean_score": _short(mean),
            "mean_percent": f"{100 * mean / top:.1f} %" if top else "-",
            "median_score": _short(statistics.median(scores)) if scores else "-",
            "full_marks": str(sum(s.score >= s.max_score - EPS and s.max_score > 0 for s in self.students)),
            "zero": str(sum(s.score <= EPS for s in self.students)),
        }

    def histogram(self, bins: int = 10) -> list[int]:
        """Students per tenth of the maximum score: [0, 10 %), [10 %, 20 %) ... [90 %, 100 %] ."""
        counts = [0] * bins
        for s in self.students:
            share = s.score / s.max_score if s.max_score else 0.0
            counts[min(bins - 1, max(0, int(math.floor(share * bins + EPS))))] += 1
        return counts


def _section_heading(nb, index: int) -> str:
    """The last level-1 or level-2 heading above a cell: the section of the notebook that holds it."""
    for cell in reversed(nb.cells[:index]):
        if cell.cell_type != "markdown":
            continue
        for line in reversed(cell.source.splitlines()):
            stripped = line.strip()
            if stripped.startswith(("# ", "## ")):
                return stripped.lstrip("#").strip()
    return ""


def build_report(root: Path, assignment: str, folder: Path, db_url: str) -> ClassReport:
    """The class report of a grading folder (grades.csv, verdicts.json) and its gradebook."""
    source = root / "source" / assignment
    paths = notebook_paths(source) if source.is_dir() else []
    if not paths:
        raise CourseError(f"{source}: no notebook of assignment {assignment}")
    students = read_grades(folder / "grades.csv", assignment)
    ids = [s.student_id for s in students]
    verdicts = read_verdicts(folder / "verdicts.json", ids)
    tests, scores = read_test_scores(db_url, assignment, ids)
    catalogue = load_sections(root, assignment)

    owner: dict[tuple[str, str], str] = {}  # (notebook, test) -> exercise
    position: dict[tuple[str, str], int] = {}
    sections: dict[tuple[str, str], str] = {}
    order: list[tuple[str, str]] = []
    for nb_index, path in enumerate(paths):
        nb = read_notebook(path)
        for name, ex in exercises(nb).items():
            order.append((path.stem, name))
            sections[(path.stem, name)] = catalogue.get(name) or _section_heading(nb, ex.solution_index)
            for i in ex.test_indices:
                test = nb.cells[i].metadata["nbgrader"]["grade_id"]
                owner[(path.stem, test)] = name
                position[(path.stem, test)] = nb_index * 100000 + i

    gradebook_order = {key[:2]: n for n, key in enumerate(tests)}
    tests = sorted(tests, key=lambda t: (position.get(t[:2], 10**9), gradebook_order[t[:2]]))
    items = []
    for notebook, test, points in tests:
        item = Item(notebook, test, owner.get((notebook, test), ""), points,
                    [scores.get((sid, notebook, test), 0.0) for sid in ids])
        for sid in ids:
            item.mistakes.update(verdicts[sid].get(notebook, {}).get(test, []))
        items.append(item)

    summaries = []
    for notebook, name in sorted(order, key=lambda k: min((position[(k[0], t.test)] for t in items
                                                            if (t.notebook, t.exercise) == k), default=10**9)):
        own = [i for i in items if i.notebook == notebook and i.exercise == name]
        if not own:
            continue
        passed = sum(all(i.scores[k] >= i.points - EPS for i in own) for k in range(len(ids)))
        mistakes: Counter = Counter()
        for sid in ids:
            mistakes.update({m for i in own for m in verdicts[sid].get(notebook, {}).get(i.test, [])})
        points = sum(i.points for i in own)
        mean = sum(i.mean for i in own)
        summaries.append(ExerciseSummary(notebook, name, [i.test for i in own], points, passed, mean,
                                         sections.get((notebook, name), ""), _ranked(mistakes)))
    return ClassReport(assignment, students, items, summaries)


# -- item_analysis.csv ---------------------------------------------------------------------------------------


def item_analysis_csv(report: ClassReport) -> str:
    """The text of item_analysis.csv."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(ITEM_COLUMNS)
    for item in report.items:
        top = item.top() + [("", 0)] * TOP_MISTAKES
        mistakes = [x for desc, count in top[:TOP_MISTAKES] for x in (desc, count if desc else "")]
        writer.writerow([item.notebook, item.test, item.exercise, _num(item.points), len(item.scores),
                         _num(item.mean), _num(item.full_marks_share), *mistakes])
    return buf.getvalue()


# -- class_report.html ---------------------------------------------------------------------------------------


def _e(value: object) -> str:
    """Text as HTML (and SVG) character data or attribute value: never markup."""
    return html.escape(str(value), quote=True)


STYLE = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; margin: 0; }
main { max-width: 980px; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #d0d7de; }
p.lead { color: #57606a; margin-top: 0; }
dl.numbers { display: grid; grid-template-columns: repeat(auto-fill, minmax(140px, 1fr)); gap: .5rem; margin: 1rem 0; }
dl.numbers div { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: .5rem .75rem; }
dl.numbers dt { font-size: .8rem; color: #57606a; } dl.numbers dd { margin: 0; font-size: 1.3rem; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: .9rem; }
th, td { border-bottom: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; } td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.detail { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .8rem; white-space: pre-wrap;
  word-break: break-word; }
.muted { color: #57606a; } .bad { color: #b42318; } .ok { color: #1a7f37; }
svg { max-width: 100%; height: auto; } svg text { font: 12px system-ui, sans-serif; fill: #1f2328; }
footer { margin-top: 2.5rem; font-size: .85rem; color: #57606a; }
"""


def _histogram_svg(report: ClassReport) -> str:
    counts = report.histogram()
    width, height, left, bottom, top = 640, 260, 40, 40, 20
    plot_w, plot_h = width - left - 10, height - bottom - top
    peak = max(counts + [1])
    bar_w = plot_w / len(counts)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" role="img" aria-labelledby="hist-title">',
             '<title id="hist-title">Number of students per score band (percent of the maximum score)</title>',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#57606a"/>']
    for k in range(peak + 1):
        if peak <= 10 or k % math.ceil(peak / 10) == 0:
            y = top + plot_h - plot_h * k / peak
            parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{k}</text>')
            parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#eaeef2"/>')
    for i, n in enumerate(counts):
        x = left + i * bar_w
        h = plot_h * n / peak
        band = f"{10 * i}–{10 * (i + 1)} %"
        parts.append(f'<rect class="bin" data-count="{n}" x="{x + 3:.1f}" y="{top + plot_h - h:.1f}" '
                     f'width="{bar_w - 6:.1f}" height="{h:.1f}" fill="#2f6fb0"><title>{n} student(s) scored '
                     f'{_e(band)} of the maximum</title></rect>')
        if n:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h - h - 4:.1f}" text-anchor="middle">{n}</text>')
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 16:.1f}" text-anchor="middle">'
                     f'{10 * i}–{10 * (i + 1)}</text>')
    parts.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle">score, % of the maximum '
                 '(the last band includes 100 %)</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _pass_rate_svg(report: ClassReport) -> str:
    n = len(report.students)
    rows = report.exercises
    label_w, bar_max, row_h, width = 230, 330, 26, 640
    height = row_h * len(rows) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" role="img" aria-labelledby="pass-title">',
             '<title id="pass-title">Share of students with full marks on every test of each exercise</title>']
    for i, ex in enumerate(rows):
        y = 10 + i * row_h
        rate = ex.passed / n if n else 0.0
        colour = "#1a7f37" if rate >= 0.75 else "#bf8700" if rate >= 0.4 else "#b42318"
        parts.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{_e(ex.name)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 2}" width="{bar_max}" height="{row_h - 8}" fill="#eaeef2"/>')
        parts.append(f'<rect class="pass" data-exercise="{_e(ex.name)}" data-passed="{ex.passed}" x="{label_w}" '
                     f'y="{y + 2}" width="{bar_max * rate:.1f}" height="{row_h - 8}" fill="{colour}">'
                     f'<title>{_e(ex.name)}: {ex.passed} of {n} student(s) have full marks</title></rect>')
        parts.append(f'<text x="{label_w + bar_max + 8}" y="{y + 15}">{ex.passed}/{n} ({_pct(rate)})</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def class_report_html(report: ClassReport) -> str:
    """The text of class_report.html (no script, no network, nothing from a submission as markup)."""
    numbers = report.numbers()
    n = len(report.students)
    labels = {"students": "students (rows of grades.csv)", "ran": "notebooks that ran", "did_not_run": "did not run",
              "mean_score": f"mean score / {numbers['max_score']}", "mean_percent": "mean score, %",
              "median_score": "median score", "full_marks": "full marks", "zero": "scored zero"}
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8" />',
           f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}" />',
           '<meta name="viewport" content="width=device-width, initial-scale=1" />',
           f"<title>Class report: {_e(report.assignment)}</title>", f"<style>{STYLE}</style>", "</head>", "<body><main>",
           f"<h1>Class report: {_e(report.assignment)}</h1>",
           f'<p class="lead">{n} student(s), every row of grades.csv counts (a notebook that is missing or did not run '
           "scores what the gradebook gives it, usually 0).</p>",
           '<h2 id="summary">Summary</h2>', '<dl class="numbers">']
    out += [f'<div><dt>{_e(labels[k])}</dt><dd data-key="{k}">{_e(numbers[k])}</dd></div>' for k in labels]
    out += ["</dl>", '<h2 id="distribution">Score distribution</h2>', _histogram_svg(report)]

    out += ['<h2 id="exercises">Pass rate per exercise</h2>',
            '<p class="muted">Passed: full marks on every test of the exercise, hidden tests included.</p>',
            _pass_rate_svg(report) if report.exercises else "<p>No exercise.</p>",
            '<table id="exercise-table"><thead><tr><th>exercise</th><th class="n">points</th>'
            '<th class="n">mean score</th><th class="n">passed</th><th>tests</th></tr></thead><tbody>']
    for ex in report.exercises:
        out.append(f"<tr><td>{_e(ex.name)}</td><td class=\"n\">{_num(ex.points)}</td><td class=\"n\">"
                   f"{_short(ex.mean_score)}</td><td class=\"n\">{ex.passed}/{n}</td><td>{_e(', '.join(ex.tests))}</td></tr>")
    out.append("</tbody></table>")

    out += ['<h2 id="mistakes">Most frequent mistakes per exercise</h2>',
            '<p class="muted">Students whose answers fail a test exactly as a catalogued wrong answer does '
            "(mistakes/). Each student counts once per exercise.</p>"]
    rows = [(ex, desc, count) for ex in report.exercises for desc, count in ex.mistakes[:5]]
    if rows:
        out.append('<table id="mistake-table"><thead><tr><th>exercise</th><th>likely mistake</th>'
                   '<th class="n">students</th><th>section to reteach</th></tr></thead><tbody>')
        for ex, desc, count in rows:
            out.append(f'<tr><td>{_e(ex.name)}</td><td>{_e(desc)}</td><td class="n">{count} of {n}</td>'
                       f"<td>{_e(ex.section) if ex.section else '—'}</td></tr>")
        out.append("</tbody></table>")
    else:
        out.append("<p>No catalogued mistake was diagnosed.</p>")

    out += ['<h2 id="not-run">Notebooks that did not run</h2>']
    if report.not_run:
        out.append('<table id="not-run-table"><thead><tr><th>student</th><th>status</th><th class="n">score</th>'
                   "<th>detail</th></tr></thead><tbody>")
        for s in sorted(report.not_run, key=lambda s: s.student_id):
            out.append(f'<tr><td>{_e(s.student_id)}</td><td class="bad">{_e(s.status.value)}</td><td class="n">'
                       f'{_num(s.score)}</td><td class="detail">{_e(s.detail)}</td></tr>')
        out.append("</tbody></table>")
    else:
        out.append('<p class="ok">Every notebook ran to the end.</p>')

    out += ['<h2 id="items">Every test</h2>', '<table id="item-table"><thead><tr><th>test</th><th>exercise</th>'
            '<th class="n">points</th><th class="n">mean</th><th class="n">full marks</th>'
            "<th>most frequent mistakes</th></tr></thead><tbody>"]
    for item in report.items:
        top = "; ".join(f"{desc} ({count})" for desc, count in item.top())
        out.append(f"<tr><td>{_e(item.test)}</td><td>{_e(item.exercise or '—')}</td><td class=\"n\">"
                   f"{_num(item.points)}</td><td class=\"n\">{_short(item.mean)}</td><td class=\"n\">"
                   f"{_pct(item.full_marks_share)}</td><td>{_e(top)}</td></tr>")
    out += ["</tbody></table>",
            "<footer>Written by <code>course grade</code>; <code>course report</code> rebuilds it from grades.csv, "
            "verdicts.json and the gradebook. Test scores are the gradebook's, before late penalties; the summary "
            "and the distribution use grades.csv. item_analysis.csv holds the per-test numbers.</footer>",
            "</main></body>", "</html>", ""]
    return "\n".join(out)


# -- writing ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFiles:
    """What write_report wrote."""

    csv: Path
    html: Path
    report: ClassReport


def write_report(root: Path, assignment: str, folder: Path, db_url: str) -> ReportFiles:
    """Build the report, then write item_analysis.csv and class_report.html (each to a temp file, then renamed)."""
    report = build_report(root, assignment, folder, db_url)
    texts = {folder / "item_analysis.csv": item_analysis_csv(report), folder / "class_report.html": class_report_html(report)}
    temps = []
    try:
        for path, text in texts.items():
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            temps.append(tmp)
            tmp.write_text(text, encoding="utf-8")
        for tmp, path in zip(temps, texts):
            os.replace(tmp, path)
    except OSError as err:
        raise CourseError(f"{err.filename or folder}: cannot be written ({err.strerror or err})") from None
    finally:
        for tmp in temps:
            tmp.unlink(missing_ok=True)
    return ReportFiles(folder / "item_analysis.csv", folder / "class_report.html", report)


def summary_lines(files: ReportFiles, hardest: int = 3) -> list[str]:
    """A few lines for the terminal: where the files are, the class's numbers, the hardest tests and mistakes."""
    report = files.report
    numbers = report.numbers()
    lines = [f"class report:  {files.html}",
             f"item analysis: {files.csv} ({len(report.items)} tests)",
             f"{numbers['students']} students, {numbers['did_not_run']} did not run; mean {numbers['mean_score']}/"
             f"{numbers['max_score']} ({numbers['mean_percent']}), {numbers['full_marks']} with full marks"]
    worst = sorted(report.items, key=lambda i: (i.mean / i.points if i.points else 1.0, i.test))[:hardest]
    if worst:
        lines.append("hardest tests: " + ", ".join(f"{i.test} (mean {_short(i.mean)}/{_num(i.points)}, "
                                                   f"{_pct(i.full_marks_share)} full marks)" for i in worst))
    frequent = sorted(((count, ex.name, desc) for ex in report.exercises for desc, count in ex.mistakes),
                      key=lambda t: (-t[0], t[1], t[2]))[:hardest]
    if frequent:
        lines.append("most frequent mistakes: " + "; ".join(f"{name}: {desc} ({count} student{'s' * (count != 1)})"
                                                            for count, name, desc in frequent))
    return lines
