"""The same class gets the same grades on an idle machine and on a machine whose cores are all busy.

The class holds output floods and some forgeries of the hostile class (at top level and at call time);
rows of grades.csv and the judge's verdicts.json must be identical.

Output floods were the measured case (issue 14): ipykernel batches stream output by time, so a
grader that counts output as it arrives decides differently under load. The kernel now counts
bytes as they are written; this test grades a class of floods twice, once while other processes
load every core, and requires identical rows.
"""

from __future__ import annotations

import csv
import multiprocessing
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import toy_course as toy
from course_pipeline.grading import demo
from course_pipeline.grading.sandbox import bwrap_path
from course_pipeline.release import tool_env

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grading_determinism"),
              pytest.mark.skipif(bwrap_path() is None, reason="bubblewrap is not installed (make test installs it)")]

A = toy.TOY_ASSIGNMENT
NB = f"{A}.ipynb"
COURSE = str(Path(sys.executable).parent / "course")


def _burn(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def _class(root: Path, subs: Path) -> None:
    release = demo.release_notebooks(root, A)[NB]
    full = demo.with_solutions(release, toy.TOY_SOLUTIONS)
    wrong = demo.with_solutions(release, {**toy.TOY_SOLUTIONS, "square": toy.WRONG_SQUARE})
    demo.write_class(subs, A, {
        "full": {NB: full},
        "chunked_flood": {NB: demo.insert_after(full, "square",
                                                "import sys\nfor _ in range(200):\n    sys.stdout.write('z' * 2**20)")},
        "line_flood": {NB: demo.insert_after(full, "shout", "for i in range(10**7):\n    print('spam' * 25)")},
        "one_big_print": {NB: demo.insert_after(full, "test_square_hidden", "print('x' * 20_000_000)")},
        "stderr_flood": {NB: demo.insert_after(full, "square",
                                               "import sys\nfor _ in range(10**6):\n    sys.stderr.write('e' * 1000)")},
        "caught_flood": {NB: demo.insert_after(full, "square", "for _ in range(10**6):\n    try:\n"
                                                               "        print('c' * 1000)\n    except Exception:\n"
                                                               "        pass")},
        # a few of the hostile class's forgeries (that class has them all): their verdicts must not depend on load
        **{f"forge_{name}": {NB: demo.insert_after(wrong, "square", toy.FORGERIES[name])} for name in ("numpy", "checks")},
        **{f"forge_{name}_at_call": {NB: demo.with_solutions(release, {**toy.TOY_SOLUTIONS,
                                                                        "square": toy.at_call(toy.FORGERIES[name])})}
           for name in ("transformer", "liar")},
    })


def _grade(folder: Path, load: bool) -> tuple[dict[str, tuple[str, str, str]], str]:
    root = toy.write_toy_course(folder / "course", shared_reference=False)  # the reference runs under load too
    subs = folder / "submitted"
    _class(root, subs)
    burners = [multiprocessing.Process(target=_burn, args=(600,)) for _ in range(os.cpu_count() or 2)] if load else []
    for proc in burners:
        proc.start()
    try:
        done = subprocess.run([COURSE, "grade", A, str(subs), "--timeout", "20", "--workers", "2"], cwd=root,
                              capture_output=True, text=True, timeout=900, env=tool_env())
    finally:
        for proc in burners:
            proc.kill()
    assert done.returncode == 0, done.stderr[-2000:]
    with open(root / "grading" / A / "grades.csv", newline="") as fh:
        rows = {r["student_id"]: (r["score"], r["status"], r["detail"]) for r in csv.DictReader(fh)}
    return rows, (root / "grading" / A / "verdicts.json").read_text()


def test_floods_and_forgeries_grade_identically_idle_and_under_load(tmp_path):
    idle, idle_verdicts = _grade(tmp_path / "idle", load=False)
    busy, busy_verdicts = _grade(tmp_path / "busy", load=True)
    assert idle == busy
    assert idle_verdicts == busy_verdicts
    assert idle["full"][:2] == ("6", "ok")
    for student in ("chunked_flood", "line_flood", "one_big_print", "stderr_flood", "caught_flood"):
        score, status, detail = idle[student]
        assert (score, status) == ("6", "output_limit"), (student, idle[student])
        assert "that cell was stopped" in detail
    forged = [s for s in idle if s.startswith("forge_")]
    assert len(forged) == 4
    assert all(float(idle[s][0]) <= 4 for s in forged), {s: idle[s] for s in forged}
    shutil.rmtree(tmp_path, ignore_errors=True)
