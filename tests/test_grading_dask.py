"""`course grade --dask`: the toy class graded on a real Dask cluster (a LocalCluster of worker processes).

The cluster's workers are separate processes that talk to the scheduler over loopback TCP, as
`dask worker` processes on other machines would. Scores, statuses and files must equal local
grading, and killing a worker mid-submission must not lose the student.
"""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest

from conftest import free_port
import toy_course as toy
from course_pipeline.cli import main
from course_pipeline.grading import CourseGrade, GradeOptions, Limits, demo, grade_assignment
from course_pipeline.grading import cluster as dask_grading
from course_pipeline.grading.discovery import Submission
from course_pipeline.grading.sandbox import bwrap_path
from course_pipeline.nbtools import CourseError
from course_pipeline.release import tool_env

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grading_dask"),
              pytest.mark.skipif(bwrap_path() is None, reason="bubblewrap is not installed (make test installs it)")]

A = toy.TOY_ASSIGNMENT
NB = f"{A}.ipynb"
COURSE = str(Path(sys.executable).parent / "course")
SLOW_SECONDS = 8


def _write(subs: Path, class_: dict) -> None:
    """One notebook per student (None: an empty assignment folder)."""
    demo.write_class(subs, A, {student: {} if nb is None else {NB: nb} for student, nb in class_.items()})


def _rows(csv_path: Path) -> dict[str, dict]:
    with open(csv_path, newline="") as fh:
        return {r["student_id"]: r for r in csv.DictReader(fh)}


def _cell_scores(db: Path) -> dict:
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{db}") as gb:
        for sub in gb.assignment_submissions(A):
            for nb in sub.notebooks:
                for grade in nb.grades:
                    scores[(sub.student.id, nb.name, grade.name)] = (grade.auto_score, grade.needs_manual_grade)
    return scores


@pytest.fixture(scope="module")
def cluster():
    """Three single-threaded worker processes and a scheduler on loopback, as `dask worker` would run them."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=3, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0",
                      host="127.0.0.1") as local:
        with Client(local.scheduler_address, set_as_default=False) as client:
            client.wait_for_workers(3, timeout=60)
            yield local, client


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The toy course, its release and the notebooks of a few typical students."""
    base = tmp_path_factory.mktemp("dask_course")
    root = toy.write_toy_course(base / "course")
    release = demo.release_notebooks(root, A)[NB]
    full = demo.with_solutions(release, toy.TOY_SOLUTIONS)
    wrong = demo.with_solutions(release, {**toy.TOY_SOLUTIONS,
                                          "square": 'def square(x):\n    """x squared."""\n    return x * abs(x)'})
    return {"root": root, "base": base, "release": release, "full": full, "wrong": wrong}


@pytest.fixture(scope="module")
def both(course, cluster):
    """One class graded twice: by local processes and on the cluster, into separate gradebooks."""
    local, _ = cluster
    root, base = course["root"], course["base"]
    subs = base / "class"
    _write(subs, {"full": course["full"], "blank": course["release"], "wrong_square": course["wrong"],
                  "tests_deleted": demo.drop_test_cells(course["full"]),
                  "tests_edited": demo.edit_test_cells(course["release"]),
                  "sys_exit": demo.insert_after(course["full"], "square", "import sys\nsys.exit(3)"),
                  "reads_course": demo.insert_after(course["full"], "square",
                                                   f"print(open({str(root / 'source' / A / NB)!r}).read())"),
                  "os_exit": demo.insert_after(course["full"], "test_square_hidden", "import os\nos._exit(1)"),
                  "memory_hog": demo.insert_after(course["full"], "square",
                                                 "hog = []\nwhile True:\n    hog.append(bytearray(32 * 2**20))"),
                  "corrupt": '{"cells": [ not JSON', "nothing": None})
    (subs / "full" / A / "notes.txt").write_text("my own notes")
    os.symlink("/etc/hostname", subs / "full" / A / "link.txt")
    runs = {}
    for name, extra in (("local", ["--workers", "2"]), ("dask", ["--dask", local.scheduler_address])):
        out = base / name
        proc = subprocess.run([COURSE, "grade", A, str(subs), "--timeout", "10", "--out", str(out),
                               "--gradebook", str(out / "gradebook.db"), *extra],
                              cwd=root, capture_output=True, text=True, timeout=600,
                              env={**tool_env(), "COURSE_GRADE_TIMINGS": str(base / f"{name}-timings.jsonl")})
        runs[name] = {"proc": proc, "out": out, "rows": _rows(out / "grades.csv") if proc.returncode == 0 else {},
                      "timings": base / f"{name}-timings.jsonl"}
    return runs


def test_dask_run_exits_zero_and_says_where_it_graded(both):
    proc = both["dask"]["proc"]
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "on the Dask cluster at tcp://127.0.0.1:" in proc.stderr and "3 worker(s)" in proc.stderr
    assert "sandboxed (bubblewrap)" in proc.stderr
    assert "[11/11]" in proc.stderr and "total                    11" in proc.stdout


def test_dask_rows_equal_local_rows(both):
    local, dask = both["local"]["rows"], both["dask"]["rows"]
    assert sorted(dask) == sorted(local) and len(dask) == 11
    for student, row in local.items():
        for column in ("score", "max_score", "status", "detail", "attempts"):
            assert dask[student][column] == row[column], (student, column)
    assert (dask["full"]["score"], dask["wrong_square"]["score"], dask["blank"]["score"]) == ("6", "4", "0")
    assert dask["tests_deleted"]["score"] == "6" and dask["tests_edited"]["score"] == "0"
    assert dask["corrupt"]["status"] == "invalid_notebook" and dask["nothing"]["status"] == "missing_notebook"
    assert dask["os_exit"]["status"] == "kernel_died" and dask["memory_hog"]["status"] == "memory_limit"
    assert "link.txt (not a regular file)" in dask["full"]["detail"]  # what the coordinator did not send is still reported


def test_dask_gradebook_equals_local_gradebook_cell_by_cell(both):
    local = _cell_scores(both["local"]["out"] / "gradebook.db")
    dask = _cell_scores(both["dask"]["out"] / "gradebook.db")
    assert len(local) == 4 * 11  # four graded cells, eleven students
    assert dask == local


def test_dask_writes_the_same_files_as_local_grading(both):
    def files(out: Path) -> set[str]:
        return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.suffix != ".db"}

    assert files(both["dask"]["out"]) == files(both["local"]["out"])
    autograded = both["dask"]["out"] / "autograded" / "full" / A
    assert (autograded / "notes.txt").read_text() == "my own notes"
    assert (autograded / "greeting.txt").is_file()  # the source data file travelled with the task
    html = (both["dask"]["out"] / "feedback" / "wrong_square" / A / f"{A}.html").read_text()
    assert "square(-2) returned -4; expected 4." in html and toy.TOY_SECRET not in html


def test_dask_workers_grade_with_pre_warmed_kernels(both):
    """Each Dask worker process forks its kernels from a kernel server of its own, as local grading does."""
    import json

    for name in ("local", "dask"):
        rows = [json.loads(line) for line in both[name]["timings"].read_text().splitlines()]
        kinds = {row["student"]: [t.get("kernel") for t in row["notebooks"].values()] for row in rows}
        assert len(kinds) == 11, (name, kinds)
        started = {sid: k for sid, k in kinds.items() if k}
        assert set(started) == set(kinds) - {"corrupt", "nothing"}, (name, kinds)
        assert all(k == ["warm"] for k in started.values()), (name, kinds)


def test_dask_workers_are_sandboxed(both):
    nb = nbformat.read(str(both["dask"]["out"] / "autograded" / "reads_course" / A / NB), as_version=4)
    outputs = "".join(str(o) for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "FileNotFoundError" in outputs and toy.TOY_SECRET not in outputs


def test_a_killed_worker_does_not_lose_its_student(course, cluster, tmp_path):
    local, client = cluster
    subs = tmp_path / "class"
    slow = demo.insert_after(course["full"], "square", f"import time\ntime.sleep({SLOW_SECONDS})")
    _write(subs, {"slow": slow, "full": course["full"], "blank": course["release"], "wrong": course["wrong"],
                  "full2": course["full"], "blank2": course["release"]})
    options = GradeOptions(out=tmp_path / "out", gradebook=tmp_path / "out" / "gradebook.db", dask=local.scheduler_address,
                           settings=CourseGrade(cell_timeout=SLOW_SECONDS + 20, notebook_timeout=120))
    outcome: dict = {}

    def grade() -> None:
        try:
            outcome["summary"] = grade_assignment(course["root"], A, subs, options, progress_stream=open(os.devnull, "w"))
        except BaseException as err:  # noqa: BLE001 - reported by the assertion below
            outcome["error"] = err

    thread = threading.Thread(target=grade)
    thread.start()
    victim, deadline = None, time.monotonic() + 120
    while victim is None and time.monotonic() < deadline and thread.is_alive():
        starts = [msg for _, msg in client.get_events(dask_grading.ATTEMPT_TOPIC) if msg["student"] == "slow"]
        if starts:
            victim = starts[-1]["worker"]
        time.sleep(0.2)
    assert victim is not None, "the slow submission never started"
    time.sleep(2)  # well inside its sleeping cell
    pid = client.run(os.getpid, workers=[victim])[victim]
    os.kill(pid, signal.SIGKILL)
    thread.join(timeout=300)
    assert not thread.is_alive() and "error" not in outcome, outcome.get("error")
    rows = _rows(tmp_path / "out" / "grades.csv")
    assert sorted(rows) == ["blank", "blank2", "full", "full2", "slow", "wrong"]
    assert rows["slow"]["status"] == "ok" and rows["slow"]["score"] == "6"
    assert int(rows["slow"]["attempts"]) >= 2 and victim in rows["slow"]["detail"] and "retried" in rows["slow"]["detail"]
    assert {s: r["score"] for s, r in rows.items() if s != "slow"} == \
        {"blank": "0", "blank2": "0", "full": "6", "full2": "6", "wrong": "4"}
    assert "graded again after a worker died" in outcome["summary"].table
    scores = _cell_scores(tmp_path / "out" / "gradebook.db")
    assert sum(v[0] for k, v in scores.items() if k[0] == "slow") == 6
    client.wait_for_workers(3, timeout=60)  # the nanny restarts the killed worker for the next test


def test_a_task_that_always_fails_becomes_an_error_row_after_the_coordinators_retry(course, cluster, tmp_path):
    from course_pipeline.grading.backend import Task
    from course_pipeline.grading.runner import MAX_ATTEMPTS, drive
    from course_pipeline.grading.worker import GradingSpec

    _, client = cluster
    subs = tmp_path / "class"
    _write(subs, {"amy": course["full"]})
    spec = GradingSpec(assignment=A, notebooks=(A,), course_id="course", ignore=(), limits=Limits(), sandbox=True)
    bundle = dask_grading.Bundle(spec=spec, config_text=None, template_db=b"", source_files={},
                                 fingerprint={**dask_grading.grader_fingerprint(), "nbgrader": "0.0.0-other"})

    class Mismatched:  # the Dask backend's run, with a bundle no worker accepts
        rounds: list[int] = []

        def run(self, tasks, on_outcome, tick) -> None:
            self.rounds.append(len(tasks))
            dask_grading.run_on_dask(client, [t.submission for t in tasks], bundle, tmp_path / "autograded",
                                     tmp_path / "feedback", on_outcome, tick, len(self.rounds))

    class Recorder:
        progress = type("P", (), {"tick": lambda self: None})()
        recorded: list = []

        def record(self, result, attempts: int = 1, note: str = "") -> None:
            self.recorded.append((result, attempts))

        def close(self) -> None:
            pass

    backend, recorder = Mismatched(), Recorder()
    drive(backend, [Task(submission=Submission("amy", subs / "amy" / A), shared=None)], recorder)
    (result, attempts), = recorder.recorded
    assert backend.rounds == [1, 1]  # Dask ran it once per round: the coordinator did the retrying
    assert result.status == "error" and attempts == MAX_ATTEMPTS
    assert "runs different grading code: nbgrader 0.0.0-other on the coordinator" in result.detail
    assert result.detail.endswith(f"gave up after {MAX_ATTEMPTS} attempts")


# --- the worker's half, without Dask: everything it needs travels in the task -------------------


def test_grade_parcel_needs_no_course_folder(course, tmp_path):
    root = tmp_path / "course"
    shutil.copytree(course["root"], root)
    subs = tmp_path / "class"
    _write(subs, {"wrong": course["wrong"]})
    from course_pipeline.grading.gradebook import course_settings, prepare_assignment, snapshot
    from course_pipeline.grading.judge import load_reference

    settings = course_settings(root)
    prepare_assignment(settings, A, settings.db_url)
    staged = tmp_path / "staged"
    shutil.copytree(root / "source" / A, staged, ignore=shutil.ignore_patterns("*.ipynb"))
    from course_pipeline.grading.worker import GradingSpec

    spec = GradingSpec(assignment=A, notebooks=(A,), course_id=settings.course_id, ignore=settings.ignore,
                       limits=Limits(), sandbox=True, reference=load_reference(root, A))
    bundle = dask_grading.make_bundle(spec, settings.config_file, snapshot(settings.db_url, tmp_path / "template.db"),
                                      staged)
    parcel = dask_grading.pack_submission(Submission("wrong", subs / "wrong" / A), Limits().max_submission_bytes)
    shutil.rmtree(root)
    shutil.rmtree(staged)
    shutil.rmtree(subs)  # nothing of the course or the class is left on disk: the task carries it all
    returned = dask_grading.grade_parcel(bundle, parcel)
    assert returned.result.status == "ok", returned.result.detail
    scores = {g: s for nb in returned.result.notebooks for g, (s, _) in nb.grades.items()}
    assert sum(scores.values()) == 4 and scores["test_square_hidden"] == 0
    assert set(returned.autograded) == {NB, "greeting.txt"} and returned.result.feedback == [f"{A}.html"]
    assert b"square(-2) returned -4; expected 4." in returned.feedback[f"{A}.html"]


# --- the coordinator's checks --------------------------------------------------------------------


@pytest.mark.parametrize("address", ["localhost", "tcp://", "http://host:8786", "tcp://host:99999", "host:port"])
def test_malformed_scheduler_addresses_are_refused(address):
    with pytest.raises(CourseError, match="not a scheduler address"):
        dask_grading.check_address(address)


def test_scheduler_addresses_get_a_protocol():
    assert dask_grading.check_address("10.0.0.5:8786") == "tcp://10.0.0.5:8786"
    assert dask_grading.check_address("tls://grader.example.org:8786") == "tls://grader.example.org:8786"


def test_unreachable_scheduler_is_a_one_line_error_and_writes_nothing(course, tmp_path, monkeypatch, capsys):
    port = free_port()  # nobody listens there
    monkeypatch.setattr(dask_grading, "CONNECT_TIMEOUT", 2.0)
    root = toy.write_toy_course(tmp_path / "course")
    monkeypatch.chdir(root)
    subs = tmp_path / "class"
    _write(subs, {"amy": course["full"]})
    assert main(["grade", A, str(subs), "--dask", f"tcp://127.0.0.1:{port}"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith(f"course: error: --dask tcp://127.0.0.1:{port}: no Dask scheduler answered")
    assert not (root / "grading").exists() and not (root / "gradebook.db").exists()


def test_dask_and_workers_together_are_refused(capsys):
    assert main(["grade", A, "class", "--dask", "tcp://127.0.0.1:8786", "--workers", "2"]) == 2
    assert "with --dask the cluster's workers grade" in capsys.readouterr().err


# --- the documented deployment: `dask scheduler` and `dask worker` processes --------------------


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_dask_commands_as_documented_and_a_lost_scheduler(course, tmp_path):
    """`dask scheduler` and `dask worker --nthreads 1 --nworkers 2` (started in an empty folder, as on another
    machine); a class graded through them; then the scheduler killed mid-run: every student still gets a row."""
    dask = str(Path(sys.executable).parent / "dask")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    elsewhere = tmp_path / "worker_machine"
    elsewhere.mkdir()
    common = {"cwd": elsewhere, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "start_new_session": True}
    # --dashboard-address: even without a dashboard the scheduler serves health checks over HTTP (8787 by default).
    scheduler = subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard",
                                  "--dashboard-address", "127.0.0.1:0"], **common)
    workers = subprocess.Popen([dask, "worker", address, "--nthreads", "1", "--nworkers", "2", "--no-dashboard"],
                               **common)
    try:
        subs = tmp_path / "class"
        _write(subs, {"full": course["full"], "wrong": course["wrong"], "blank": course["release"]})
        proc = subprocess.run([COURSE, "grade", A, str(subs), "--dask", address, "--out", str(tmp_path / "one"),
                               "--gradebook", str(tmp_path / "one" / "gradebook.db")],
                              cwd=course["root"], capture_output=True, text=True, timeout=300, env=tool_env())
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert {s: r["score"] for s, r in _rows(tmp_path / "one" / "grades.csv").items()} == \
            {"full": "6", "wrong": "4", "blank": "0"}

        slow = tmp_path / "slow_class"
        _write(slow, {"full": course["full"], "blank": course["release"],
                      "slow": demo.insert_after(course["full"], "square", "import time\ntime.sleep(60)")})
        grading = subprocess.Popen([COURSE, "grade", A, str(slow), "--dask", address, "--timeout", "90",
                                    "--out", str(tmp_path / "two"), "--gradebook", str(tmp_path / "two" / "gradebook.db")],
                                   cwd=course["root"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env=tool_env())
        seen = []
        for line in grading.stderr:
            seen.append(line)
            if line.startswith("[2/3]"):  # full and blank are done; slow is sleeping on a worker
                os.killpg(scheduler.pid, signal.SIGKILL)
                break
        out, err = grading.communicate(timeout=120)
        assert grading.returncode == 0, "".join(seen) + err[-3000:]
        rows = _rows(tmp_path / "two" / "grades.csv")
        assert sorted(rows) == ["blank", "full", "slow"]
        assert (rows["full"]["score"], rows["blank"]["score"]) == ("6", "0")
        assert rows["slow"]["status"] == "error" and "grade again" in rows["slow"]["detail"]
        assert "Traceback" not in err  # Dask's reconnection noise stays out of the instructor's terminal
        assert _cell_scores(tmp_path / "two" / "gradebook.db")[("full", A, "test_square_hidden")][0] == 2
    finally:
        _stop(workers)
        _stop(scheduler)


def test_make_targets_start_the_documented_commands():
    root = Path(__file__).resolve().parents[1]
    dry = subprocess.run(["make", "-n", "--no-print-directory", "grade-scheduler", "grade-worker",
                          "SCHEDULER=tcp://10.0.0.5:9000", "WORKERS=3"], cwd=root, capture_output=True, text=True)
    assert dry.returncode == 0, dry.stderr
    assert ".venv/bin/dask scheduler --port 9000 --no-dashboard" in dry.stdout
    assert ".venv/bin/dask worker tcp://10.0.0.5:9000 --nthreads 1 --nworkers 3 --no-dashboard" in dry.stdout
