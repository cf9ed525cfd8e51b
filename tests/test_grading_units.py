"""Unit tests of course_pipeline.grading that start no kernel: discovery, sandbox command, feedback, report."""

from __future__ import annotations

import ast
import inspect
import io
import os
import re
import struct
import subprocess
import tempfile
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from course_pipeline.grading import cluster, discovery, feedback, report, sandbox, worker
from course_pipeline.grading.execution import RunLog
from course_pipeline.grading.status import Status
from course_pipeline.nbtools import CourseError

A = "03_demo"


def _student(top: Path, sid: str, files: dict[str, str]) -> Path:
    folder = top / sid / A
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def test_find_submissions_lists_every_student_folder_sorted(tmp_path):
    _student(tmp_path, "zoe", {"03_demo.ipynb": "{}"})
    _student(tmp_path, "adam", {"03_demo.ipynb": "{}"})
    (tmp_path / "no_assignment").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "stray.txt").write_text("x")
    found = discovery.find_submissions(tmp_path, A)
    assert [s.student_id for s in found] == ["adam", "no_assignment", "zoe"]
    assert found[0].folder == tmp_path / "adam" / A
    assert found[1].folder is None  # still a row: missing_notebook


def test_find_submissions_rejects_a_file(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("")
    with pytest.raises(CourseError, match="not a folder"):
        discovery.find_submissions(path, A)


def test_zip_with_wrapping_folder_and_hostile_members(tmp_path):
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"submitted/ann/{A}/{A}.ipynb", "{}")
        zf.writestr(f"submitted/bob/{A}/{A}.ipynb", "{}")
        zf.writestr("../escape.txt", "owned")
        zf.writestr("/abs.txt", "owned")
        link = zipfile.ZipInfo(f"submitted/bob/{A}/link")
        link.external_attr = (0o120777 << 16)
        zf.writestr(link, "/etc/passwd")
    unpacked = discovery.unpack_zip(archive, tmp_path / "out")
    found = discovery.find_submissions(unpacked.top, A, unpacked.refused)
    assert [s.student_id for s in found] == ["ann", "bob"]
    assert not (tmp_path / "escape.txt").exists()
    assert not (tmp_path / "out" / "abs.txt").exists()
    assert not (tmp_path / "out" / "submitted" / "bob" / A / "link").exists()
    assert found[0].note == "" and found[1].note == f"submitted/bob/{A}/link: not extracted: a symbolic link"
    unclaimed = discovery.unclaimed_entries(unpacked.top, A, unpacked.refused)
    assert unclaimed == ["../escape.txt: not extracted: a '..' path leading out of the folder (in no student folder)",
                         "/abs.txt: not extracted: an absolute path (in no student folder)"]


def test_zip_students_whose_every_entry_was_refused_are_still_found(tmp_path):
    """A link, a '..' path, a linked assignment folder, an absolute path: each student is listed with the reason."""
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"ann/{A}/{A}.ipynb", "{}")
        link = zipfile.ZipInfo(f"bob/{A}/{A}.ipynb")
        link.external_attr = (0o120777 << 16)
        zf.writestr(link, "/etc/passwd")
        zf.writestr(f"carl/{A}/../../../{A}.ipynb", "{}")
        folder_link = zipfile.ZipInfo(f"dan/{A}")
        folder_link.external_attr = (0o120777 << 16)
        zf.writestr(folder_link, "/root")
        zf.writestr(f"/erin/{A}/{A}.ipynb", "{}")
        fifo = zipfile.ZipInfo(f"fay/{A}/pipe")
        fifo.external_attr = (0o010644 << 16)
        zf.writestr(fifo, "")
    unpacked = discovery.unpack_zip(archive, tmp_path / "out")
    found = {s.student_id: s for s in discovery.find_submissions(unpacked.top, A, unpacked.refused)}
    assert sorted(found) == ["ann", "bob", "carl", "dan", "erin", "fay"]
    assert found["ann"].note == "" and found["ann"].folder is not None
    for student, reason in (("bob", "a symbolic link"), ("carl", "a '..' path"), ("dan", "a symbolic link"),
                            ("erin", "an absolute path"), ("fay", "not a regular file")):
        assert "not extracted: " + reason in found[student].note, found[student]
    assert found["dan"].folder is None  # a row: missing_notebook, with the note
    assert [p.name for p in (tmp_path / "out").rglob("*") if p.is_file()] == [f"{A}.ipynb"]  # only ann's file


def test_zip_names_written_as_utf8_without_the_flag_are_decoded(tmp_path):
    archive = tmp_path / "class.zip"
    raw = "Jos\u00e9 N\u00fa\u00f1ez/a.txt".encode("utf-8")
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("X" * len(raw), "hi")
    archive.write_bytes(archive.read_bytes().replace(b"X" * len(raw), raw))  # UTF-8 bytes, no UTF-8 flag
    assert zipfile.ZipFile(archive).namelist() != ["Jos\u00e9 N\u00fa\u00f1ez/a.txt"]  # zipfile alone reads cp437
    unpacked = discovery.unpack_zip(archive, tmp_path / "out")
    assert (tmp_path / "out" / "Jos\u00e9 N\u00fa\u00f1ez" / "a.txt").read_text() == "hi"
    assert list(unpacked.times) == ["Jos\u00e9 N\u00fa\u00f1ez/a.txt"]


def test_unreadable_zip_is_a_course_error(tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip at all")
    with pytest.raises(CourseError, match="not a readable zip"):
        discovery.unpack_zip(bad, tmp_path / "out")


def test_safe_copy_tree_skips_links_and_oversized_files(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "ok.txt").write_text("fine")
    (src / "big.bin").write_bytes(b"x" * 5000)
    (src / "leak").symlink_to("/etc/passwd")
    (src / "sub").mkdir()
    (src / "sub" / "inner.txt").write_text("inner")
    skipped = discovery.safe_copy_tree(src, tmp_path / "dest", limit=4000)
    dest = tmp_path / "dest"
    assert (dest / "ok.txt").read_text() == "fine"
    assert (dest / "sub" / "inner.txt").read_text() == "inner"
    assert not (dest / "leak").exists() and not (dest / "big.bin").exists()
    assert any("leak" in s for s in skipped) and any("big.bin" in s for s in skipped)


def test_kernel_argv_isolates_network_pids_and_course_files(tmp_path):
    spec = sandbox.SandboxSpec(bwrap="/usr/bin/bwrap", notebook_dir=tmp_path / "view", runtime_dir=tmp_path / "run",
                               assignment=A, limits=sandbox.Limits(memory_mb=300, max_processes=40), uid=201234)
    argv = sandbox.kernel_argv(spec)
    for flag in ("--unshare-net", "--unshare-pid", "--unshare-ipc", "--die-with-parent", "--new-session", "--clearenv"):
        assert flag in argv
    binds = {argv[i + 1] for i, a in enumerate(argv) if a in ("--bind", "--ro-bind")}
    root = Path(__file__).resolve().parents[1]
    assert str(root) not in binds and str(root / "source") not in binds and str(Path.home()) not in binds
    assert str(tmp_path / "view") in binds  # the student's own folder, read-only at /submission
    writable = [argv[i + 1] for i, a in enumerate(argv) if a == "--bind"]
    assert writable == [str(tmp_path / "run")]  # sockets only; /tmp is a size-limited tmpfs
    assert f"--as={300 * 2**20}:{300 * 2**20}" in argv and "--nproc=40:40" in argv
    assert "--reuid=201234" in argv and "--no-new-privs" in argv
    assert argv[-2:] == ["-f", "{connection_file}"]
    env = {argv[i + 1]: argv[i + 2] for i, a in enumerate(argv) if a == "--setenv"}
    assert "JPY_PARENT_PID" not in env and env["HOME"].startswith("/tmp")


def test_sandbox_env_leaks_nothing_of_the_grader(monkeypatch):
    monkeypatch.setenv("SECRET_TOKEN", "hunter2")
    env = sandbox.sandbox_env(A)
    assert "SECRET_TOKEN" not in env and "hunter2" not in env.values()
    assert env["HOME"].startswith(sandbox.SCRATCH) and env["NBGRADER_EXECUTION"] == "autograde"


def test_seccomp_filter_is_a_whole_bpf_program():
    program = sandbox.seccomp_filter()
    if program is None:
        pytest.skip("no seccomp table for this CPU")
    assert len(program) % 8 == 0 and len(program) // 8 >= 10
    code, _, _, k = struct.unpack("=HBBI", program[-8:])
    assert code == 0x06 and k == 0x7FFF0000  # ends with RET ALLOW


def test_missing_bwrap_is_refused_with_a_hint(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(CourseError, match="--no-sandbox"):
        sandbox.require_bwrap()


def _hidden_nb():
    hidden = new_code_cell("# checks more\n### BEGIN HIDDEN TESTS\nassert secret_oracle_value(2) == 4, 'f(2) should be 4'\n"
                           "### END HIDDEN TESTS", metadata={"nbgrader": {"grade": True, "grade_id": "t_hidden",
                                                                          "points": 2, "locked": True, "solution": False}})
    hidden.outputs = [
        new_output("stream", name="stdout", text="spy: assert secret_oracle_value(2) == 4, 'f(2) should be 4'\nkept line\n"),
        new_output("error", ename="AssertionError", evalue="f(2) should be 4",
                   traceback=["----> 3 assert secret_oracle_value(2) == 4, 'f(2) should be 4'", "AssertionError: f(2) should be 4"]),
    ]
    later = new_code_cell("print(stolen)")
    later.outputs = [new_output("stream", name="stdout", text="assert secret_oracle_value(2) == 4, 'f(2) should be 4'\n"),
                     new_output("error", ename="ValueError", evalue="boom", traceback=[
                         "\x1b[0;32m----> 1\x1b[0m \x1b[38;5;28;01massert\x1b[39;00m secret_oracle_value(\x1b[38;5;241m2\x1b[39m) "
                         "\x1b[38;5;241m==\x1b[39m \x1b[38;5;241m4\x1b[39m, \x1b[38;5;124m'f(2) should be 4'\x1b[39m",
                         "ValueError: boom"])]
    return new_notebook(cells=[hidden, later])


def test_feedback_keeps_messages_but_never_hidden_source():
    nb = feedback.hide_hidden_tests(_hidden_nb())
    text = str(nb)
    assert "secret_oracle_value" not in text
    assert "### BEGIN HIDDEN TESTS" not in nb.cells[0].source and "# checks more" in nb.cells[0].source
    error = nb.cells[0].outputs[1]
    assert error.evalue == "f(2) should be 4" and error.traceback == ["AssertionError: f(2) should be 4"]
    assert "kept line" in nb.cells[0].outputs[0].text
    assert feedback.HIDDEN_PLACEHOLDER in nb.cells[1].outputs[0].text
    assert nb.cells[1].outputs[1].traceback == [feedback.HIDDEN_PLACEHOLDER, "ValueError: boom"]  # colours no disguise


def test_unterminated_hidden_block_is_hidden_to_the_end_of_its_cell():
    nb = new_notebook(cells=[new_code_cell("x = 1\n### BEGIN HIDDEN TESTS\nassert secret_oracle_value(3) == 9")])
    assert feedback.hide_hidden_tests(nb).cells[0].source == "x = 1"


def test_run_log_reports_the_most_severe_event():
    log = RunLog()
    assert log.status is Status.OK
    log.add(Status.OUTPUT_LIMIT, "a")
    log.add(Status.TIMEOUT, "b")
    log.add(Status.MEMORY_LIMIT, "c")
    assert log.status is Status.TIMEOUT


def test_csv_has_one_sorted_row_per_student(tmp_path):
    rows = [report.Row("bob", A, 2.5, 6, Status.TIMEOUT, "cell 3 exceeded 3 s", 2), report.Row("amy", A, 6, 6, Status.OK, "")]
    path = report.write_csv(tmp_path / "g" / "grades.csv", rows)
    lines = path.read_text().splitlines()
    assert lines[0] == ",".join(report.CSV_COLUMNS) == "student_id,assignment,score,max_score,status,attempts,detail"
    assert lines[1] == f"amy,{A},6,6,ok,1," and lines[2] == f"bob,{A},2.5,6,timeout,2,cell 3 exceeded 3 s"


def test_progress_log_lines_off_a_terminal_and_bar_on_one():
    plain = io.StringIO()
    prog = report.Progress(2, stream=plain, tty=False)
    prog.begin("grading 2")
    prog.update(report.Row("amy", A, 6, 6, Status.OK, ""), 1.0)
    prog.update(report.Row("bob", A, 0, 6, Status.KERNEL_DIED, "the kernel died"), 1.0)
    out = plain.getvalue()
    assert "\r" not in out and "[1/2] amy: ok 6/6" in out and "[2/2] bob: kernel_died" in out and "ETA" in out
    term = io.StringIO()
    prog = report.Progress(3, stream=term, tty=True)
    prog.begin("grading 3")
    prog.update(report.Row("amy", A, 6, 6, Status.OK, ""), 1.0)
    prog.end()
    out = term.getvalue()
    assert "\r" in out and "1/3" in out and "/min" in out and "ETA" in out and "#" in out


def test_summary_table_counts_statuses_and_mean():
    rows = [report.Row("a", A, 6, 6, Status.OK, ""), report.Row("b", A, 0, 6, Status.TIMEOUT, ""),
            report.Row("c", A, 3, 6, Status.OK, "")]
    table = report.summary_table(rows, 30.0, 2)
    assert "ok                        2" in table and "timeout                   1" in table
    assert "mean score 3/6 (50.0 %)" in table and "3 submissions in 0:30 with 2 worker(s)" in table
    assert "graded again" not in table
    retried = report.summary_table([*rows, report.Row("d", A, 6, 6, Status.OK, "retried", attempts=2)], 30.0, 2)
    assert "1 submission(s) graded again after a worker died or failed" in retried


def test_duration_format():
    assert report.format_duration(75) == "1:15" and report.format_duration(3725) == "1:02:05"


@pytest.mark.skipif(os.geteuid() != 0 or sandbox.bwrap_path() is None, reason="needs root and bwrap")
def test_bwrap_works_here():
    assert sandbox.require_bwrap().endswith("bwrap")


# --- the Dask path's pure parts (the cluster itself: tests/test_grading_dask.py) -----------------


def test_read_tree_and_write_tree_round_trip_regular_files_only(tmp_path):
    src = tmp_path / "src"
    (src / "data").mkdir(parents=True)
    (src / "nb.ipynb").write_text("{}")
    (src / "data" / "x.csv").write_bytes(b"1,2\n")
    os.symlink("/etc/hostname", src / "link.txt")
    files, skipped = discovery.read_tree(src)
    assert files == {"nb.ipynb": b"{}", "data/x.csv": b"1,2\n"} and skipped == ["link.txt (not a regular file)"]
    discovery.write_tree(files, tmp_path / "dest")
    assert (tmp_path / "dest" / "data" / "x.csv").read_bytes() == b"1,2\n"
    big, skipped = discovery.read_tree(src, limit=3)
    assert big == {"nb.ipynb": b"{}"} and any("over the" in s for s in skipped)


@pytest.mark.parametrize("name", ["../escape.txt", "/etc/passwd", "a/../../b"])
def test_write_tree_refuses_paths_outside_the_folder(tmp_path, name):
    with pytest.raises(CourseError, match="refusing to write"):
        discovery.write_tree({name: b"x"}, tmp_path / "dest")
    assert not (tmp_path / "escape.txt").exists()


def test_sweep_stale_removes_folders_of_dead_processes_only(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = tmp_path / f"course-grade-{dead.pid}-abc"
    live = tmp_path / f"course-grade-{os.getppid()}-abc"
    mine = tmp_path / f"course-grade-{os.getpid()}-abc"
    for folder in (stale, live, mine):
        (folder / "sub").mkdir(parents=True)
    assert worker.sweep_stale() == 1
    assert not stale.exists() and live.exists() and mine.exists()


class _FakeClient:
    """What preflight asks of a Dask client, with canned answers."""

    def __init__(self, facts=None, error=None, joined=True, nthreads=None, scheduler=None, scheduler_error=None):
        self.facts, self.error, self.joined = facts or {}, error, joined
        self.threads = nthreads or {w: 1 for w in self.facts}
        self.scheduler, self.scheduler_error = scheduler, scheduler_error

    def run_on_scheduler(self, fn):
        if self.scheduler_error:
            raise self.scheduler_error
        return self.scheduler or fn()

    def wait_for_workers(self, n, timeout=None):
        if not self.joined:
            raise TimeoutError()

    def run(self, fn, *args):
        if self.error:
            raise self.error
        return self.facts

    def nthreads(self):
        return self.threads


def _facts(**changes):
    return {"fingerprint": {**cluster.grader_fingerprint(), **changes}, "sandbox_problem": "", "host": "node1"}


def test_preflight_accepts_identical_workers_and_notes_threads():
    client = _FakeClient({"tcp://a:1": _facts(), "tcp://b:1": _facts()}, nthreads={"tcp://a:1": 1, "tcp://b:1": 4})
    count, notes = cluster.preflight(client, "tcp://s:8786", sandbox=True)
    assert count == 2 and len(notes) == 1 and "tcp://b:1" in notes[0] and "--nthreads 1" in notes[0]


@pytest.mark.parametrize("client, message", [
    (_FakeClient(joined=False), "no worker joined the cluster"),
    (_FakeClient(error=ModuleNotFoundError("No module named 'course_utils'")), "install the course package on every worker"),
    (_FakeClient({"tcp://a:1": _facts(nbgrader="0.8.0")}), "tcp://a:1 (node1) runs different grading code: nbgrader"),
    (_FakeClient({"tcp://a:1": _facts(course_utils="0000")}), "course_utils sources"),
    (_FakeClient({"tcp://a:1": _facts()}, scheduler_error=RuntimeError("No module named 'course_utils'")),
     "the scheduler cannot load the grader (RuntimeError: No module named 'course_utils')"),
    (_FakeClient({"tcp://a:1": _facts()}, scheduler={**cluster.grader_fingerprint(), "sympy": "1.0"}),
     "the scheduler runs different grading code: sympy"),
    (_FakeClient({"tcp://a:1": {**_facts(), "sandbox_problem": "no sandbox: bubblewrap (bwrap) is needed"}}),
     "tcp://a:1 (node1): no sandbox: bubblewrap"),
])
def test_preflight_refuses_workers_that_would_grade_differently(client, message):
    with pytest.raises(CourseError, match=re.escape(message)):
        cluster.preflight(client, "tcp://s:8786", sandbox=True)


def test_worker_facts_report_this_machines_code_and_versions():
    facts = cluster.worker_facts(sandbox=False)
    assert facts["sandbox_problem"] == "" and facts["host"]
    assert facts["fingerprint"] == cluster.grader_fingerprint() and len(facts["fingerprint"]["course_utils"]) == 16


def test_demo_class_command_writes_every_kind_of_student(tmp_path, monkeypatch, capsys):
    """`python -m course_pipeline.grading.demo` (what `make grade` runs) writes the documented class."""
    from course_pipeline.grading import demo
    from course_pipeline.nbtools import find_course_root, is_solution_cell, load_bugs

    root = find_course_root(Path(__file__).resolve().parent)
    monkeypatch.chdir(root)
    a = "01_derivatives"
    assert demo.main([a, str(tmp_path / "class")]) == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    folders = sorted(p.name for p in (tmp_path / "class").iterdir())
    assert sorted(listed) == folders and len(folders) == 7
    nb_name = f"{a}.ipynb"

    def solutions(student: str) -> list[str]:
        nb = nbformat.read(str(tmp_path / "class" / student / a / nb_name), as_version=4)
        return [c.source for c in nb.cells if is_solution_cell(c)]

    full, blank, partly = solutions("demo_full_marks"), solutions("demo_blank"), solutions("demo_partly_wrong")
    assert all("NotImplementedError" not in s for s in full) and all("NotImplementedError" in s for s in blank)
    wrong_answers = {src.strip() for per_exercise in load_bugs(root, a).values() for src in per_exercise.values()}
    assert any(s.strip() in wrong_answers for s in partly) and any(s in full for s in partly)
    assert not list((tmp_path / "class" / "demo_nothing" / a).iterdir())
    with pytest.raises(Exception):
        nbformat.read(str(tmp_path / "class" / "demo_corrupt" / a / nb_name), as_version=4)


def test_zip_duplicate_names_and_files_in_the_way_are_refused_not_fatal(tmp_path):
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as zf, pytest.warns(UserWarning, match="Duplicate name"):
        zf.writestr(f"ann/{A}/{A}.ipynb", "first")
        zf.writestr(f"ann/{A}/{A}.ipynb", "second")
        zf.writestr(f"ann/{A}/{A}.ipynb/inner.txt", "x")
    unpacked = discovery.unpack_zip(archive, tmp_path / "out")
    assert (tmp_path / "out" / "ann" / A / f"{A}.ipynb").read_text() == "first"
    reasons = [r.reason for r in unpacked.refused]
    assert reasons[0] == "not extracted: a second entry with the same name (the first was kept)"
    assert reasons[1].startswith("not extracted: cannot be written here")
    (found,) = discovery.find_submissions(unpacked.top, A, unpacked.refused)
    assert found.student_id == "ann" and found.note.count("not extracted") == 2


# --- the coordinator and the backend protocol, with a fake in-memory backend ---------------------


class _FakeBackend:
    """A third Backend: grades in memory; students in `crash` lose their first `crash[sid]` runs."""

    def __init__(self, crash: dict[str, int]) -> None:
        self.crash = dict(crash)
        self.rounds: list[list[str]] = []

    def describe(self) -> str:
        return "in memory"

    def notes(self) -> list[str]:
        return []

    def workers(self, tasks: int) -> int:
        return 1

    def staging(self):
        return None

    def warm(self, spec, scratch) -> None:
        pass

    def start(self, shared, scratch) -> None:
        pass

    def run(self, tasks, on_outcome, tick) -> None:
        from course_pipeline.grading.backend import Outcome
        from course_pipeline.grading.worker import SubmissionResult

        self.rounds.append([t.student_id for t in tasks])
        tick()
        for task in tasks:
            sid = task.student_id
            if self.crash.get(sid, 0) > 0:
                self.crash[sid] -= 1
                on_outcome(Outcome(SubmissionResult(sid, Status.ERROR, "lost"), lost=True))
            else:
                on_outcome(Outcome(SubmissionResult(sid, Status.OK, ""), note="graded in memory"))

    def close(self) -> None:
        pass


class _FakeRecorder:
    """What drive needs of the gradebook writer: record, close, progress.tick."""

    def __init__(self) -> None:
        self.recorded: list[tuple[str, Status, str, int, str]] = []
        self.progress = type("P", (), {"tick": lambda self: None})()

    def record(self, result, attempts: int = 1, note: str = "") -> None:
        self.recorded.append((result.student_id, result.status, result.detail, attempts, note))

    def close(self) -> None:
        pass


def _tasks(*students: str) -> list:
    from course_pipeline.grading.backend import Shared, Task
    from course_pipeline.grading.worker import GradingSpec
    from course_pipeline.grading.discovery import Submission

    spec = GradingSpec(assignment=A, notebooks=(A,), course_id="course", ignore=(), limits=sandbox.Limits(),
                       sandbox=False)
    shared = Shared(spec=spec, course=Path("c"), config_file=None, template_db=Path("t.db"),
                    staged_source=Path("s") / A, autograded_root=Path("a"), feedback_root=Path("f"))
    return [Task(submission=Submission(sid, None), shared=shared) for sid in students]


def test_coordinator_records_every_outcome_once_and_retries_lost_tasks_once():
    from course_pipeline.grading.runner import MAX_ATTEMPTS, drive

    backend, recorder = _FakeBackend({"crashy": 1, "doomed": 5}), _FakeRecorder()
    drive(backend, _tasks("amy", "crashy", "doomed"), recorder)
    assert MAX_ATTEMPTS == 2 and backend.rounds == [["amy", "crashy", "doomed"], ["crashy", "doomed"]]
    assert sorted(r[0] for r in recorder.recorded) == ["amy", "crashy", "doomed"]  # each exactly once
    by = {r[0]: r[1:] for r in recorder.recorded}
    assert by["amy"] == (Status.OK, "", 1, "graded in memory")
    assert by["crashy"] == (Status.OK, "", 2, "graded in memory")  # the backend's own note wins
    assert by["doomed"] == (Status.ERROR, "lost; gave up after 2 attempts", 2, "")  # the backend's reason, and the count


def test_coordinator_notes_a_retry_the_backend_said_nothing_about():
    from course_pipeline.grading.backend import Outcome
    from course_pipeline.grading.runner import drive

    class Quiet(_FakeBackend):
        def run(self, tasks, on_outcome, tick) -> None:
            super().run(tasks, lambda o: on_outcome(o if o.lost else Outcome(o.result)), tick)

    recorder = _FakeRecorder()
    drive(Quiet({"bob": 1}), _tasks("bob"), recorder)
    assert recorder.recorded == [("bob", Status.OK, "", 2, "retried: the first attempt was lost (lost)")]


def test_coordinator_imports_no_backend_it_does_not_use():
    import sys

    code = ("import sys\n"
            "from course_pipeline.grading import CourseGrade\n"
            "from course_pipeline.grading.runner import GradeOptions, open_backend\n"
            "assert 'course_pipeline.grading.local_backend' not in sys.modules\n"
            "backend = open_backend(GradeOptions(settings=CourseGrade(sandbox=False)))\n"
            "assert type(backend).__name__ == 'LocalBackend'\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'distributed'\n"
            "             or m in ('course_pipeline.grading.dask_backend', 'course_pipeline.grading.cluster')))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "[]"


# -- the executor stays on nbclient's public seams (issue 13) ------------------------------------

def _upstream_classes() -> list[type]:
    """The nbclient/nbconvert/nbgrader/jupyter_client classes the executor and its kernel managers extend."""
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbconvert.preprocessors import ExecutePreprocessor, Preprocessor
    from nbgrader.preprocessors import Execute

    return [NotebookClient, ExecutePreprocessor, Preprocessor, Execute, AsyncKernelManager]


def _is_private(name: str) -> bool:
    """A leading underscore that is not a dunder."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _own_names(tree: ast.AST) -> set[str]:
    """Names execution.py defines itself: functions, classes, module variables and attributes it assigns."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
    return names


def _execution_tree() -> ast.AST:
    """The parsed source of course_pipeline/grading/execution.py."""
    from course_pipeline.grading import execution

    return ast.parse(Path(execution.__file__).read_text())


def test_executor_uses_no_private_nbclient_names():
    tree = _execution_tree()
    upstream = {n for cls in _upstream_classes() for n in dir(cls) if _is_private(n)}
    own = _own_names(tree) - upstream
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _is_private(node.attr) and node.attr not in own:
            bad.append(f"line {node.lineno}: .{node.attr}")
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in upstream:
            bad.append(f"line {node.lineno}: def {node.name}")
    assert not bad, "execution.py reaches into nbclient/nbconvert internals: " + ", ".join(bad)


def test_executor_rebinds_no_public_nbclient_method():
    from nbclient import NotebookClient

    methods = {n for n in dir(NotebookClient) if not n.startswith("_")
               and inspect.isfunction(inspect.getattr_static(NotebookClient, n))}
    bad = []
    for node in ast.walk(_execution_tree()):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        for target in targets:
            name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", None)
            if name in methods:
                bad.append(f"line {node.lineno}: {name} = ...")
    assert not bad, "execution.py rebinds nbclient methods instead of using its traits and hooks: " + ", ".join(bad)


def test_the_guard_catches_what_it_should():
    tree = ast.parse("class X:\n    async def _async_handle_timeout(self): self._check_assign_resources(1)\n")
    upstream = {n for cls in _upstream_classes() for n in dir(cls) if _is_private(n)}
    assert {"_async_handle_timeout", "_check_assign_resources"} <= upstream
    assert "_check_assign_resources" not in _own_names(tree) - upstream


def test_nbclient_seams_the_executor_relies_on_still_exist():
    """kernel_manager_class, timeout_func, interrupt_on_timeout, error_on_timeout and the hooks are traits."""
    from nbclient import NotebookClient
    from traitlets import TraitType

    for name in ["kernel_manager_class", "timeout_func", "interrupt_on_timeout", "error_on_timeout", "kernel_name",
                 "on_cell_execute", "on_notebook_start"]:
        assert isinstance(inspect.getattr_static(NotebookClient, name), TraitType), name


def test_nbclient_interrupts_a_timed_out_cell_through_the_kernel_manager():
    """The timeout log rests on this: with interrupt_on_timeout, nbclient calls km.interrupt_kernel() on a timeout.

    A fake kernel whose reply never comes; if nbclient stops interrupting through the kernel manager
    (or the interrupt listener stops hearing it), GradingExecute would stop logging cell timeouts.
    """
    import asyncio
    from queue import Empty

    from nbclient import NotebookClient
    from jupyter_client.manager import AsyncKernelManager
    from nbclient.exceptions import CellTimeoutError

    from course_pipeline.grading.execution import GuardedKernelManager

    heard = []

    class NoKernel(AsyncKernelManager):
        async def interrupt_kernel(self):
            heard.append("interrupt")  # the fake kernel has nothing to interrupt

    class FakeManager(GuardedKernelManager, NoKernel):
        pass

    km = FakeManager(interrupt_listener=lambda: heard.append("timeout"))

    class Channel:
        async def get_msg(self, timeout=None):
            await asyncio.sleep(min(timeout or 0.05, 0.05))
            raise Empty

    class Client:
        shell_channel = iopub_channel = Channel()

        def execute(self, *args, **kwargs):
            return "msg-1"

        async def is_alive(self):
            return True

    nb = new_notebook(cells=[new_code_cell("while True: pass")])
    client = NotebookClient(nb, km=km, timeout=1, interrupt_on_timeout=True, iopub_timeout=1,
                            raise_on_iopub_timeout=True, error_on_timeout={"ename": "T", "evalue": "", "traceback": []})
    client.kc = Client()
    with pytest.raises(CellTimeoutError):  # the fake kernel's outputs never finish either
        asyncio.run(client.async_execute_cell(nb.cells[0], 0))
    assert heard == ["timeout", "interrupt"]


def test_the_output_cap_interrupts_without_reporting_a_timeout():
    import asyncio

    from jupyter_client.manager import AsyncKernelManager

    from course_pipeline.grading.execution import GradingExecute, GuardedKernelManager

    heard = []

    class NoKernel(AsyncKernelManager):
        async def interrupt_kernel(self):
            heard.append("interrupt")

    class FakeManager(GuardedKernelManager, NoKernel):
        pass

    km = FakeManager(interrupt_listener=lambda: heard.append("timeout"))

    async def cap():
        await GradingExecute._interrupt_for_output(km)

    asyncio.run(cap())
    assert heard == ["interrupt"]
