"""Throughput of `course grade` against stock `nbgrader autograde` on the same generated class.

    .venv/bin/python benchmarks/grade_throughput.py                  # 24 submissions of 01_derivatives
    .venv/bin/python benchmarks/grade_throughput.py --students 8 --assignment 02_gradients

Builds a class from the course itself (full marks, partly wrong and blank submissions in turn),
times stock `nbgrader autograde` (serial, unsandboxed, the gradebook already prepared, as after
`nbgrader generate_assignment`) and the whole `course grade` command (sandboxed, parallel,
including its own gradebook preparation and the feedback HTML stock autograde does not write),
checks that both give every student the same score, and prints submissions per minute and the
speed-up. Not a test: timings depend on the machine; run it on an otherwise idle one.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from course_pipeline.grading import demo  # noqa: E402
from course_pipeline.grading.demo import answer_key, partly_wrong, release_notebooks, with_solutions  # noqa: E402
from course_pipeline.nbtools import load_bugs  # noqa: E402
from course_pipeline.release import tool_env  # noqa: E402

import nbformat  # noqa: E402


def make_class(assignment: str, n: int, dest: Path) -> list[str]:
    """n students cycling through full marks, partly wrong (bugs from mistakes/) and blank."""
    release = release_notebooks(ROOT, assignment)
    key = answer_key(ROOT, assignment)
    bugs = load_bugs(ROOT, assignment)
    full = {name: with_solutions(nb, key[name]) for name, nb in release.items()}
    variants = [full, partly_wrong(release, key, bugs), release]
    students = []
    for i in range(n):
        sid = f"student{i:03d}"
        folder = dest / sid / assignment
        folder.mkdir(parents=True)
        for name, nb in variants[i % len(variants)].items():
            nbformat.write(nb, str(folder / name))
        students.append(sid)
    return students


def run_stock(assignment: str, subs: Path, work: Path) -> tuple[float, dict[str, float]]:
    """Seconds of `nbgrader autograde` over the class, and each student's score from its gradebook."""
    from nbgrader.api import Gradebook

    course = work / "stock"
    shutil.copytree(ROOT / "source" / assignment, course / "source" / assignment)
    demo.write_stock_config(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
    shutil.copytree(subs, course / "submitted")
    base = [sys.executable, "-m", "nbgrader"]
    common = [f"--CourseDirectory.root={course}", "--log-level=ERROR"]
    subprocess.run([*base, "generate_assignment", assignment, "--force", *common], cwd=course, check=True,
                   capture_output=True, env=tool_env())
    start = time.perf_counter()
    proc = subprocess.run([*base, "autograde", assignment, "--force", "--OverwriteCells.add_missing_cells=True",
                           *common], cwd=course, capture_output=True, text=True, env=tool_env())
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        print(proc.stderr[-2000:], file=sys.stderr)
    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for sub in gb.assignment_submissions(assignment):
            scores[sub.student.id] = float(sub.score)
    return seconds, scores


def run_ours(assignment: str, subs: Path, work: Path, workers: int | None, sandbox: bool,
             extra: tuple[str, ...] = (), name: str = "ours") -> tuple[float, dict[str, float]]:
    """Seconds of the whole `course grade` command, and each student's score from grades.csv."""
    out = work / name
    cmd = [str(Path(sys.executable).parent / "course"), "grade", assignment, str(subs), "--out", str(out),
           "--gradebook", str(out / "gradebook.db"), *extra]
    if workers:
        cmd += ["--workers", str(workers)]
    if not sandbox:
        cmd.append("--no-sandbox")
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=tool_env())
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        print(proc.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"course grade failed (exit {proc.returncode})")
    with open(out / "grades.csv", newline="") as fh:
        scores = {row["student_id"]: float(row["score"]) for row in csv.DictReader(fh)}
    return seconds, scores


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assignment", default="01_derivatives")
    parser.add_argument("--students", type=int, default=24)
    parser.add_argument("--workers", type=int, default=None, help="passed to course grade (default: its own)")
    parser.add_argument("--no-sandbox", action="store_true", help="time course grade --no-sandbox too")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="grade-bench-") as tmp:
        work = Path(tmp)
        subs = work / "submitted"
        students = make_class(args.assignment, args.students, subs)
        print(f"{len(students)} submissions of {args.assignment}, {os.cpu_count()} CPUs, "
              f"load average {os.getloadavg()[0]:.2f} before the run", flush=True)
        stock_s, stock_scores = run_stock(args.assignment, subs, work)
        print(f"stock nbgrader autograde   {stock_s:7.1f} s  {60 * len(students) / stock_s:6.1f} submissions/min", flush=True)
        ours_s, ours_scores = run_ours(args.assignment, subs, work, args.workers, sandbox=True)
        print(f"course grade (sandboxed)   {ours_s:7.1f} s  {60 * len(students) / ours_s:6.1f} submissions/min"
              f"   speed-up {stock_s / ours_s:.2f}x", flush=True)
        if args.no_sandbox:
            shutil.rmtree(work / "ours")
            free_s, _ = run_ours(args.assignment, subs, work, args.workers, sandbox=False)
            print(f"course grade --no-sandbox  {free_s:7.1f} s  {60 * len(students) / free_s:6.1f} submissions/min"
                  f"   speed-up {stock_s / free_s:.2f}x")
        mismatched = sorted(s for s in students if abs(stock_scores.get(s, -1) - ours_scores.get(s, -2)) > 1e-9)
        print("scores identical to stock nbgrader" if not mismatched else f"SCORE MISMATCH for {mismatched}")
        return 0 if not mismatched else 1


if __name__ == "__main__":
    sys.exit(main())
