"""`course grade` on a toy class with every hostile submission, graded once and checked from every side.

The class is graded once per module (all tests share one xdist group); stock `nbgrader autograde`
grades the well-behaved part of it for comparison.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import nbformat
import pytest

import toy_course as toy
from conftest import once_per_session
from course_pipeline.grading import demo
from course_pipeline.grading.sandbox import UID_BASE, bwrap_path
from course_pipeline.release import tool_env

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grading_class")]

A = toy.TOY_ASSIGNMENT
NB = f"{A}.ipynb"
COURSE = str(Path(sys.executable).parent / "course")
TIMEOUT = 3  # per cell, seconds
MEMORY_MB = 400
INSTRUCTOR_SECRET = "instructor-only-3e1d"

needs_bwrap = pytest.mark.skipif(bwrap_path() is None, reason="bubblewrap is not installed (make test installs it)")


def _snoop_code(root: Path, subs: Path, home_secret: Path, port: int) -> str:
    reads = [root / "source" / A / NB, root / "gradebook.db", subs / "full" / A / NB, root / "nbgrader_config.py",
             home_secret, Path("/root/.bashrc"), Path("/etc/shadow")]
    writes = [root / "hacked.txt", home_secret.parent / "hacked.txt", Path("/tmp/scratch_ok.txt"), Path("hacked_cwd.txt")]
    return f"""import os, socket
for path in {[str(p) for p in reads]!r} + [{NB!r}]:
    try:
        text = open(path, errors="replace").read()
        print("READ", path, len(text), text)
    except Exception as err:
        print("DENIED", path, type(err).__name__)
for path in {[str(p) for p in writes]!r}:
    try:
        with open(path, "w") as fh:
            fh.write("x")
        print("WROTE", path)
    except Exception as err:
        print("NOWRITE", path, type(err).__name__)
for host, port in [("127.0.0.1", {port}), ("1.1.1.1", 53)]:
    try:
        socket.create_connection((host, port), timeout=2).close()
        print("CONNECTED", host, port)
    except Exception as err:
        print("NOCONNECT", host, port, type(err).__name__)
import subprocess
nested = subprocess.run(["unshare", "-Ur", "true"], capture_output=True)
print("UNSHARE", nested.returncode, "uid", os.getuid())
get_ipython().events.register("pre_run_cell", lambda info: print("SPY", info.raw_cell))
try:
    import course_pipeline.grading.judge
    print("PIPELINE", course_pipeline.grading.judge.__file__)
except ImportError as err:
    print("NOPIPELINE", type(err).__name__)
from course_utils import checks
print("HELPERS", checks.__name__)
"""


def _write_class(root: Path, subs: Path, home_secret: Path, port: int) -> dict[str, object]:
    release = demo.release_notebooks(root, A)[NB]
    full = demo.with_solutions(release, toy.TOY_SOLUTIONS)
    wrong = demo.with_solutions(release, {**toy.TOY_SOLUTIONS,
                                          "square": toy.WRONG_SQUARE})
    fork_flood = """import os, time
kids = 0
try:
    while True:
        if os.fork() == 0:
            time.sleep(600)
            os._exit(0)
        kids += 1
except OSError as err:
    print(f"fork refused after {kids} children: {err}")"""
    class_ = {
        "full": full,
        "blank": release,
        "wrong_square": wrong,
        "tests_deleted": demo.drop_test_cells(full),
        "tests_edited": demo.edit_test_cells(release),
        "tests_edited_full": demo.edit_test_cells(full, "print('all good')"),
        "loop": demo.insert_after(full, "square", "while True:\n    pass"),
        "stubborn_loop": demo.insert_after(full, "test_square_hidden",
                                       "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"),
        "os_exit": demo.insert_after(full, "test_square_hidden", "import os\nos._exit(1)"),
        "sys_exit": demo.insert_after(full, "square", "import sys\nsys.exit(3)"),
        "memory_hog": demo.insert_after(full, "square", "hog = []\nwhile True:\n    hog.append(bytearray(32 * 2**20))"),
        "fork_flood": demo.insert_after(full, "square", fork_flood),
        "big_output": demo.insert_after(full, "square", "for i in range(10**8):\n    print('spam' * 25)"),
        "huge_print": demo.insert_after(full, "test_square_hidden", "print('x' * 20_000_000)"),
        "chunked_flood": demo.insert_after(full, "shout", "import sys\nfor _ in range(200):\n    sys.stdout.write('y' * 2**20)"),
        "huge_message": demo.insert_after(full, "test_square_hidden",
                                          "from IPython.display import display\ndisplay({'text/plain': 'x' * 20_000_000}, raw=True)"),
        "snoop": demo.insert_after(full, "square", _snoop_code(root, subs, home_secret, port)),
        **{f"forge_{name}": demo.insert_after(wrong, "square", code) for name, code in toy.FORGERIES.items()},
        **{f"forge_{name}_at_call": demo.with_solutions(release, {**toy.TOY_SOLUTIONS, "square": toy.at_call(code)})
           for name, code in toy.FORGERIES.items()},
        "corrupt": '{"cells": [ this is not JSON',
        "nothing": None,
    }
    demo.write_class(subs, A, {student: {} if nb is None else {NB: nb} for student, nb in class_.items()})
    return class_


def _run(args: list[str], cwd: Path, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env or tool_env())


def _grade_class(shared: Path) -> dict:
    """Write the toy course and its class under shared/, grade it once, record what happened (JSON-able)."""
    root = toy.write_toy_course(shared / "course")
    home = shared / "instructor_home"
    home.mkdir()
    home_secret = home / "secret.txt"
    home_secret.write_text(INSTRUCTOR_SECRET)
    subs = shared / "submitted"
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    class_ = _write_class(root, subs, home_secret, port)
    tmpdir = shared / "tmp"  # the grader's temporary folders (and kernels' command lines) live here
    tmpdir.mkdir()
    start = time.monotonic()
    proc = _run([COURSE, "grade", A, str(subs), "--timeout", str(TIMEOUT), "--memory-mb", str(MEMORY_MB),
                 "--workers", "2"], cwd=root, env={**tool_env(), "TMPDIR": str(tmpdir),
                                                   "COURSE_GRADE_TIMINGS": str(shared / "timings.jsonl")})
    seconds = time.monotonic() - start
    try:
        listener.accept()
        connected = True
    except BlockingIOError:
        connected = False
    listener.close()
    ps = subprocess.run(["ps", "-ww", "-eo", "uid=,stat=,args="], capture_output=True, text=True).stdout.splitlines()
    leftovers = [ln for ln in ps if ln.split() and int(ln.split()[0]) >= UID_BASE and not ln.split()[1].startswith("Z")
                 and str(tmpdir) in ln]
    return {"root": str(root), "subs": str(subs), "students": sorted(class_), "seconds": seconds,
            "returncode": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr,
            "connected": connected, "leftovers": leftovers, "home_secret": str(home_secret)}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The toy course, its hostile class, one sandboxed `course grade` run, and what it left behind.

    Graded once per test session even when xdist spreads this module over several workers (a
    lock file in the session's shared temporary folder).
    """
    if bwrap_path() is None:
        pytest.skip("bubblewrap is not installed (make test installs it)")
    data = once_per_session(tmp_path_factory, "grading_class", _grade_class)
    root = Path(data["root"])
    out = root / "grading" / A
    with open(out / "grades.csv", newline="") as fh:
        rows = {r["student_id"]: r for r in csv.DictReader(fh)}
    proc = subprocess.CompletedProcess([], data["returncode"], data["stdout"], data["stderr"])
    return {**data, "root": root, "subs": Path(data["subs"]), "home_secret": Path(data["home_secret"]),
            "proc": proc, "rows": rows, "out": out, "class": data["students"]}


def _row(graded, student):
    row = graded["rows"][student]
    return float(row["score"]), float(row["max_score"]), row["status"], row["detail"]


def _outputs(graded, student: str, cell_marker: str) -> str:
    nb = nbformat.read(str(graded["root"] / "autograded" / student / A / NB), as_version=4)
    texts = []
    for cell in nb.cells:
        if cell.cell_type == "code" and cell_marker in cell.source:
            for out in cell.outputs:
                texts.append(out.get("text", "") + out.get("ename", "") + ": " + out.get("evalue", ""))
    return "\n".join(texts)


def _feedback(graded, student: str) -> str:
    return (graded["out"] / "feedback" / student / A / f"{A}.html").read_text()


# --- the command and its outputs ---------------------------------------------------------------


@needs_bwrap
def test_exit_zero_and_one_row_per_student(graded):
    assert graded["proc"].returncode == 0, graded["proc"].stderr[-2000:]
    assert sorted(graded["rows"]) == sorted(graded["class"])
    assert all(r["assignment"] == A and float(r["max_score"]) == 6 for r in graded["rows"].values())
    assert "sandboxed (bubblewrap)" in graded["proc"].stderr
    n = len(graded["class"])
    assert f"[{n}/{n}]" in graded["proc"].stderr and "ETA" in graded["proc"].stderr  # plain log lines off a terminal
    table = graded["proc"].stdout
    assert "ok " in table and "mean score" in table and re.search(rf"^total\s+{n}$", table, re.M)


@needs_bwrap
def test_every_kernel_was_pre_warmed(graded):
    """The hostile class grades with kernels forked from the pre-warmed server, none of them cold."""
    lines = (Path(graded["root"]).parent / "timings.jsonl").read_text().splitlines()
    kernels = {json.loads(line)["student"]: [t.get("kernel") for t in json.loads(line)["notebooks"].values()]
               for line in lines}
    assert set(kernels) == set(graded["class"])
    started = {sid: kinds for sid, kinds in kernels.items() if kinds}
    assert set(started) == set(graded["class"]) - {"corrupt", "nothing"}
    assert all(kinds == ["warm"] for kinds in started.values()), kernels


@needs_bwrap
def test_the_batch_finishes_in_bounded_time(graded):
    # 19 students, two of them looping until killed: well under the per-notebook budgets.
    assert graded["seconds"] < 300


@needs_bwrap
def test_well_behaved_submissions_score_as_expected(graded):
    assert _row(graded, "full")[:3] == (6, 6, "ok")
    assert _row(graded, "blank")[:3] == (0, 6, "ok")
    assert _row(graded, "wrong_square")[:3] == (4, 6, "ok")  # visible square test passes, hidden fails


@needs_bwrap
def test_deleted_tests_are_restored_and_edited_tests_earn_nothing(graded):
    assert _row(graded, "tests_deleted")[:3] == (6, 6, "ok")
    assert _row(graded, "tests_edited")[:3] == (0, 6, "ok")
    assert _row(graded, "tests_edited_full")[:3] == (6, 6, "ok")
    restored = nbformat.read(str(graded["root"] / "autograded" / "tests_edited" / A / NB), as_version=4)
    sources = "\n".join(c.source for c in restored.cells)
    assert "tests? what tests?" not in sources and "checks.assert_equal(square(3), 9" in sources


@needs_bwrap
def test_tampering_never_raises_a_score(graded):
    """Patched numpy, checks, IPython hooks, tracers and lying results, at top level or at call time: no gain."""
    base = _row(graded, "wrong_square")
    forged = [s for s in graded["class"] if s.startswith("forge_")]
    assert len(forged) == 2 * len(toy.FORGERIES)
    for student in forged:
        score, _, status, detail = _row(graded, student)
        assert score <= base[0], f"{student} scored {score} > {base[0]} ({status}: {detail})"
    html = _feedback(graded, "forge_checks")
    assert "nothing was reported" in html


@needs_bwrap
def test_feedback_for_every_readable_notebook_only(graded):
    feedback = graded["out"] / "feedback"
    readable = {s for s in graded["class"] if s not in ("corrupt", "nothing")}
    assert {p.parent.parent.name for p in feedback.glob(f"*/{A}/{A}.html")} == readable


@needs_bwrap
def test_feedback_shows_failures_and_messages_never_hidden_source(graded):
    html = _feedback(graded, "wrong_square")
    assert "square(-2) returned -4; expected 4." in html  # the judge's message for the hidden test
    assert "Score: 4" in html
    for student in graded["class"]:
        path = graded["out"] / "feedback" / student / A / f"{A}.html"
        if path.exists():
            assert toy.TOY_SECRET not in path.read_text(), student
    blank = _feedback(graded, "blank")
    assert "NotImplementedError" in blank


@needs_bwrap
def test_gradebook_has_the_scores_and_nbgrader_export_reads_it(graded):
    from nbgrader.api import Gradebook

    root = graded["root"]
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        scores = {s.student.id: float(s.score) for s in gb.assignment_submissions(A)}
    assert scores["full"] == 6 and scores["blank"] == 0 and scores["os_exit"] == 3 and scores["corrupt"] == 0
    assert set(scores) == set(graded["class"])
    proc = _run([sys.executable, "-m", "nbgrader", "export", f"--CourseDirectory.root={root}", "--to=export.csv"], cwd=root)
    assert proc.returncode == 0, proc.stderr[-1000:]
    with open(root / "export.csv", newline="") as fh:
        exported = {r["student_id"]: float(r["score"]) for r in csv.DictReader(fh)}
    assert exported["full"] == 6 and exported["wrong_square"] == 4


# --- hostile submissions -----------------------------------------------------------------------


@needs_bwrap
def test_infinite_loop_is_interrupted_and_later_tests_still_run(graded):
    score, _, status, detail = _row(graded, "loop")
    assert (score, status) == (6, "timeout") and "interrupted" in detail


@needs_bwrap
def test_loop_ignoring_interrupts_is_killed_and_unrun_tests_score_zero(graded):
    score, _, status, detail = _row(graded, "stubborn_loop")
    assert (score, status) == (3, "timeout") and "killed" in detail


@needs_bwrap
def test_os_exit_kills_the_kernel_but_not_the_row(graded):
    score, _, status, detail = _row(graded, "os_exit")
    assert (score, status) == (3, "kernel_died") and "died" in detail


@needs_bwrap
def test_sys_exit_is_just_an_error_in_its_cell(graded):
    assert _row(graded, "sys_exit")[:3] == (6, 6, "ok")


@needs_bwrap
def test_memory_hog_hits_the_limit(graded):
    score, _, status, detail = _row(graded, "memory_hog")
    assert (score, status) == (6, "memory_limit") and f"{MEMORY_MB} MB" in detail
    assert "MemoryError" in _outputs(graded, "memory_hog", "hog.append")


@needs_bwrap
def test_process_flood_is_bounded_and_cleaned_up(graded):
    assert _row(graded, "fork_flood")[:3] == (6, 6, "ok")
    text = _outputs(graded, "fork_flood", "os.fork()")
    kids = int(text.split("fork refused after ")[1].split()[0])
    assert kids < 64
    assert graded["leftovers"] == []  # every sandboxed process is gone


@needs_bwrap
def test_gigantic_output_is_cut_and_the_grader_survives(graded):
    score, _, status, detail = _row(graded, "big_output")
    assert (score, status) == (6, "output_limit") and "that cell was stopped" in detail
    assert (graded["out"] / "feedback" / "big_output" / A / f"{A}.html").stat().st_size < 1_000_000
    assert "output truncated" in _outputs(graded, "big_output", "spam").lower()


@needs_bwrap
def test_a_flood_ends_its_own_cell_and_nothing_else(graded):
    """Capped where it is written, a flood scores the same whatever the machine's load (issue 14)."""
    for student in ("huge_print", "chunked_flood"):
        score, _, status, detail = _row(graded, student)
        assert (score, status) == (6, "output_limit"), (student, score, status, detail)
        assert "that cell was stopped" in detail and "cell" in detail


@needs_bwrap
def test_one_oversized_message_stops_the_kernel_not_the_grader(graded):
    score, _, status, detail = _row(graded, "huge_message")
    assert (score, status) == (3, "output_limit") and "kernel stopped" in detail


@needs_bwrap
def test_corrupt_and_missing_notebooks_get_rows(graded):
    score, _, status, detail = _row(graded, "corrupt")
    assert (score, status) == (0, "invalid_notebook") and "JSON" in detail
    assert _row(graded, "nothing")[:3] == (0, 6, "missing_notebook")


@needs_bwrap
def test_student_code_cannot_read_course_files_or_other_students(graded):
    text = _outputs(graded, "snoop", "create_connection")
    denied = [ln.split()[1] for ln in text.splitlines() if ln.startswith("DENIED")]
    root, subs = graded["root"], graded["subs"]
    for path in [root / "source" / A / NB, root / "gradebook.db", subs / "full" / A / NB, root / "nbgrader_config.py",
                 graded["home_secret"], "/root/.bashrc", "/etc/shadow"]:
        assert str(path) in denied, path
    read = [ln for ln in text.splitlines() if ln.startswith("READ")]
    assert len(read) == 1 and read[0].startswith(f"READ {NB}")  # only its own notebook, as submitted
    assert toy.TOY_SECRET not in text and INSTRUCTOR_SECRET not in text
    assert "NOPIPELINE" in text and "PIPELINE /" not in text and "HELPERS course_utils.checks" in text
    assert _row(graded, "snoop")[:3] == (6, 6, "ok")


@needs_bwrap
def test_student_code_writes_only_to_throwaway_scratch(graded):
    text = _outputs(graded, "snoop", "create_connection")
    root = graded["root"]
    assert f"NOWRITE {root / 'hacked.txt'}" in text
    assert f"NOWRITE {graded['home_secret'].parent / 'hacked.txt'}" in text
    assert "WROTE /tmp/scratch_ok.txt" in text and "WROTE hacked_cwd.txt" in text
    assert not (root / "hacked.txt").exists() and not (graded["home_secret"].parent / "hacked.txt").exists()
    assert not list(root.rglob("hacked_cwd.txt")) and not list(graded["subs"].rglob("hacked_cwd.txt"))


@needs_bwrap
def test_student_code_has_no_network(graded):
    text = _outputs(graded, "snoop", "create_connection")
    assert "NOCONNECT 127.0.0.1" in text and "NOCONNECT 1.1.1.1 53" in text
    unshare = next(ln for ln in text.splitlines() if ln.startswith("UNSHARE")).split()
    assert unshare[1] != "0" and int(unshare[3]) >= UID_BASE  # no nested namespaces; an unprivileged uid
    assert not [ln for ln in text.splitlines() if ln.startswith("CONNECTED")]
    assert graded["connected"] is False


@needs_bwrap
def test_spying_on_hidden_test_cells_reveals_nothing_in_feedback(graded):
    html = _feedback(graded, "snoop")
    assert "SPY" in html and toy.TOY_SECRET not in html and "hidden test code removed" in html


# --- same scores as stock nbgrader -------------------------------------------------------------


@needs_bwrap
def test_scores_identical_to_stock_nbgrader(graded, tmp_path):
    """Stock `nbgrader autograde` gives every cell the same score, deleted tests included.

    It runs with the course's own nbgrader_config.py (what formgrader uses), which must be what
    makes nbgrader restore deleted test cells, with nbgrader's own executor put back.
    """
    from nbgrader.api import Gradebook

    students = ["full", "blank", "wrong_square", "tests_deleted", "tests_edited"]
    course = tmp_path / "stock"
    shutil.copytree(graded["root"] / "source", course / "source")
    demo.write_stock_config(Path(__file__).resolve().parents[1] / "nbgrader_config.py", course / "nbgrader_config.py")
    for s in students:
        shutil.copytree(graded["subs"] / s, course / "submitted" / s)
    common = [f"--CourseDirectory.root={course}", "--log-level=ERROR"]
    for args in (["generate_assignment", A, "--force"], ["autograde", A, "--force"]):
        proc = _run([sys.executable, "-m", "nbgrader", *args, *common], cwd=course)
        assert proc.returncode == 0, proc.stderr[-2000:]

    def cell_scores(db: Path) -> dict[tuple[str, str], float]:
        with Gradebook(f"sqlite:///{db}") as gb:
            return {(s, g.name): float(g.score) for s in students
                    for nb in gb.find_submission(A, s).notebooks for g in nb.grades}

    stock = cell_scores(course / "gradebook.db")
    ours = cell_scores(graded["root"] / "gradebook.db")
    assert len(stock) == 4 * len(students)
    assert ours == stock


# --- interface errors and --no-sandbox ---------------------------------------------------------


def test_unknown_assignment_and_unreadable_submissions_are_one_line_errors(tmp_path, monkeypatch, capsys):
    from course_pipeline.cli import main

    root = toy.write_toy_course(tmp_path / "course")
    monkeypatch.chdir(root)
    bad = tmp_path / "bad.zip"
    bad.write_text("nope")
    for args, message in ([["99_nope", str(tmp_path)], "no assignment named 99_nope"],
                          [[A, str(tmp_path / "missing")], "no such folder"],
                          [[A, str(bad), "--no-sandbox"], "not a readable zip"],
                          [[A, str(tmp_path), "--workers", "0"], "--workers must be positive"]):
        assert main(["grade", *args]) == 2
        err = capsys.readouterr().err
        assert err.startswith("course: error:") and message in err and err.strip().count("\n") == 0


def test_refuses_without_bwrap_unless_no_sandbox(tmp_path, monkeypatch, capsys):
    from course_pipeline.cli import main

    root = toy.write_toy_course(tmp_path / "course")
    (tmp_path / "subs").mkdir()
    monkeypatch.chdir(root)
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent))  # no /usr/bin: no bwrap
    assert main(["grade", A, str(tmp_path / "subs")]) == 2
    err = capsys.readouterr().err
    assert "bubblewrap" in err and "--no-sandbox" in err and err.strip().count("\n") == 0
    assert not (root / "grading").exists()


@needs_bwrap
def test_no_sandbox_grades_a_zip_of_submissions(graded, tmp_path):
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for student, alias in (("full", "amy"), ("blank", "ben")):
            zf.write(graded["subs"] / student / A / NB, f"submitted/{alias}/{A}/{NB}")
    out = tmp_path / "out"
    proc = _run([COURSE, "grade", A, str(archive), "--no-sandbox", "--out", str(out), "--workers", "2",
                 "--gradebook", str(tmp_path / "gb" / "gradebook.db")], cwd=graded["root"])
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "WITHOUT sandbox" in proc.stderr
    rows = (out / "grades.csv").read_text().splitlines()
    assert rows[1:] == [f"amy,{A},6,6,ok,1,", f"ben,{A},0,6,ok,1,"]
    assert (tmp_path / "gb" / "autograded" / "amy" / A / NB).is_file()
    assert (out / "feedback" / "ben" / A / f"{A}.html").is_file()
    assert not (graded["root"] / "autograded" / "amy").exists()  # --gradebook kept the course's folders untouched


def test_help_describes_every_option(capsys):
    from course_pipeline.cli import main

    with pytest.raises(SystemExit):
        main(["grade", "--help"])
    text = capsys.readouterr().out
    for option in ("--out", "--workers", "--dask", "--timeout", "--notebook-timeout", "--memory-mb", "--gradebook",
                   "--no-sandbox", "--cold-kernels"):
        assert option in text


@needs_bwrap
def test_stock_nbgrader_autograde_in_this_course_runs_student_code_in_the_sandbox(graded, tmp_path):
    """`nbgrader autograde` (and formgrader's button, the same converter) uses the course's sandbox (issue 14)."""
    from nbgrader.api import Gradebook

    course = tmp_path / "formgrader"
    shutil.copytree(graded["root"] / "source", course / "source")
    shutil.copy(Path(__file__).resolve().parents[1] / "nbgrader_config.py", course)
    home = tmp_path / "instructor_home"
    home.mkdir()
    source_nb = course / "source" / A / NB
    hostile = demo.insert_after(nbformat.read(str(graded["subs"] / "full" / A / NB), as_version=4), "square",
                                "import os, pathlib\n"
                                f"for target in [os.path.expanduser('~/PWNED'), {str(home / 'PWNED-direct')!r}]:\n"
                                "    try:\n        pathlib.Path(target).write_text('x')\n        print('WROTE', target)\n"
                                "    except Exception as err:\n        print('NOWRITE', type(err).__name__)\n"
                                f"try:\n    print('LEAK', open({str(source_nb)!r}).read())\n"
                                "except Exception as err:\n    print('DENIED', type(err).__name__)")
    forgers = ["forge_checks", "forge_numpy_at_call", "forge_liar_at_call", "forge_showtraceback"]
    for s in ("full", "wrong_square", *forgers):
        shutil.copytree(graded["subs"] / s, course / "submitted" / s)
    demo.write_class(course / "submitted", A, {"intruder": {NB: hostile}})
    env = {**tool_env(), "HOME": str(home)}
    common = [f"--CourseDirectory.root={course}", "--log-level=ERROR"]
    for args in (["generate_assignment", A, "--force"], ["autograde", A, "--force"]):
        proc = _run([sys.executable, "-m", "nbgrader", *args, *common], cwd=course, env=env)
        assert proc.returncode == 0, proc.stderr[-2000:]
    assert list(home.iterdir()) == [], "student code wrote into the instructor's home"
    out = _outputs({"root": course}, "intruder", "PWNED")
    assert "DENIED" in out and "LEAK" not in out and toy.TOY_SECRET not in out
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        scores = {s: float(gb.find_submission(A, s).score) for s in ("full", "wrong_square", "intruder", *forgers)}
    assert {s: scores[s] for s in ("full", "wrong_square", "intruder")} == {"full": 6.0, "wrong_square": 4.0, "intruder": 6.0}
    assert all(scores[s] <= 4.0 for s in forgers), scores  # the same judge decides here too


def test_html_exporter_settings_of_nbgrader_config_shape_the_feedback(tmp_path):
    """`c.HTMLExporter` options in the course's nbgrader_config.py apply to `course grade`'s pages (issue 13),
    which keep their Content-Security-Policy, verdicts and hidden tests hidden."""
    from course_pipeline.grading.feedback import CONTENT_SECURITY_POLICY, write_feedback

    root = toy.write_toy_course(tmp_path / "course")
    with open(root / "nbgrader_config.py", "a", encoding="utf-8") as fh:
        fh.write('c.HTMLExporter.exclude_input_prompt = True\nc.HTMLExporter.anchor_link_text = "anchor-of-issue-13"\n')
    subs = tmp_path / "submitted"
    demo.write_class(subs, A, {"ben": {NB: demo.release_notebooks(root, A)[NB]}})  # the blank release: tests fail
    proc = _run([COURSE, "grade", A, str(subs), "--no-sandbox", "--workers", "1"], cwd=root)
    assert proc.returncode == 0, proc.stderr[-2000:]
    page = (root / "grading" / A / "feedback" / "ben" / A / f"{A}.html").read_text()
    assert "anchor-of-issue-13" in page and "In&nbsp;[" not in page
    assert CONTENT_SECURITY_POLICY in page and "course-verdict" in page and toy.TOY_SECRET not in page
    stock = write_feedback(root / "autograded" / "ben" / A / NB, f"sqlite:///{root / 'gradebook.db'}", A, "ben",
                           tmp_path / "stock.html")  # no course: nbgrader's defaults
    assert "In&nbsp;[" in stock.read_text() and "anchor-of-issue-13" not in stock.read_text()
