"""Throughput of `course grade` against stock `nbgrader autograde` on the same generated class.

    .venv/bin/python benchmarks/grade_throughput.py                  # 24 submissions of 01_derivatives
    .venv/bin/python benchmarks/grade_throughput.py --students 8 --assignment 02_gradients

Builds a class from the course itself (full marks, partly wrong and blank submissions in turn),
times stock `nbgrader autograde` (serial, unsandboxed, the gradebook already prepared, as after
`nbgrader generate_assignment`) and the whole `course grade` command (sandboxed, parallel,
including its own gradebook preparation and the feedback HTML stock autograde does not write),
checks that both give every student the same score, and prints submissions per minute and the
speed-up. Not a test: timings depend on the machine; run it on an otherwise idle one.

For `course grade` it also prints where each submission's time went (medians over the class, as
the grading workers measured them): kernel start-up (the kernel manager's creation until the
kernel answered), the notebook's execution (its cells), and nbgrader and the rest (the remainder
of the submission: private gradebook, nbgrader's preprocessors, reading and writing notebooks,
the sandbox's teardown), with how many kernels were pre-warmed and how many started cold, and the
CPU seconds each submission cost the grading process and the coordinator (the kernel's are the
rest of the command's). Where a
cgroup v1 cpuacct hierarchy is writable (root), each command runs in a cgroup of its own and its
CPU time is printed too, all its processes included: on a shared machine that figure moves much
less with other people's load than wall time. `--cold` times `course grade --cold-kernels` too.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CPUACCT = Path("/sys/fs/cgroup/cpuacct")
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


class CpuMeter:
    """CPU seconds of one command and everything it starts (a cpuacct cgroup; None where that is not possible)."""

    def __init__(self, name: str) -> None:
        self.path: Path | None = CPUACCT / f"grade-bench-{os.getpid()}-{name}"
        try:
            self.path.mkdir()
        except OSError:
            self.path = None

    def enter(self) -> None:
        """In the child, before exec: join the cgroup (its children then count too)."""
        if self.path is not None:
            (self.path / "cgroup.procs").write_text(str(os.getpid()))

    def seconds(self) -> float | None:
        """The CPU seconds counted, once the command has ended (the cgroup is removed)."""
        if self.path is None:
            return None
        value = int((self.path / "cpuacct.usage").read_text()) / 1e9
        try:
            self.path.rmdir()
        except OSError:
            pass
        return value


def run_stock(assignment: str, subs: Path, work: Path) -> tuple[float, dict[str, float], float | None]:
    """Seconds of `nbgrader autograde` over the class, each student's score from its gradebook, CPU seconds."""
    from nbgrader.api import Gradebook

    course = work / "stock"
    shutil.copytree(ROOT / "source" / assignment, course / "source" / assignment)
    demo.write_stock_config(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
    shutil.copytree(subs, course / "submitted")
    base = [sys.executable, "-m", "nbgrader"]
    common = [f"--CourseDirectory.root={course}", "--log-level=ERROR"]
    subprocess.run([*base, "generate_assignment", assignment, "--force", *common], cwd=course, check=True,
                   capture_output=True, env=tool_env())
    meter = CpuMeter("stock")
    start = time.perf_counter()
    proc = subprocess.run([*base, "autograde", assignment, "--force", "--OverwriteCells.add_missing_cells=True",
                           *common], cwd=course, capture_output=True, text=True, env=tool_env(), preexec_fn=meter.enter)
    seconds = time.perf_counter() - start
    cpu = meter.seconds()
    if proc.returncode != 0:
        print(proc.stderr[-2000:], file=sys.stderr)
    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for sub in gb.assignment_submissions(assignment):
            scores[sub.student.id] = float(sub.score)
    return seconds, scores, cpu


def run_ours(assignment: str, subs: Path, work: Path, workers: int | None, sandbox: bool,
             extra: tuple[str, ...] = (), name: str = "ours") -> tuple[float, dict[str, float], dict]:
    """Seconds of the whole `course grade` command, each student's score from grades.csv, and where the time went."""
    out = work / name
    timings = work / f"{name}-timings.jsonl"
    cmd = [str(Path(sys.executable).parent / "course"), "grade", assignment, str(subs), "--out", str(out),
           "--gradebook", str(out / "gradebook.db"), *extra]
    if workers:
        cmd += ["--workers", str(workers)]
    if not sandbox:
        cmd.append("--no-sandbox")
    meter = CpuMeter(name)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, preexec_fn=meter.enter,
                          env={**tool_env(), "COURSE_GRADE_TIMINGS": str(timings)})
    seconds = time.perf_counter() - start
    cpu = meter.seconds()
    if proc.returncode != 0:
        print(proc.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"course grade failed (exit {proc.returncode})")
    with open(out / "grades.csv", newline="") as fh:
        scores = {row["student_id"]: float(row["score"]) for row in csv.DictReader(fh)}
    return seconds, scores, {"cpu": cpu, **breakdown(timings)}


def breakdown(path: Path) -> dict:
    """Medians per submission of kernel start-up, execution and the rest (nbgrader's own overhead), and kernel kinds."""
    if not path.is_file():
        return {}
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    start, execute, rest, kinds = [], [], [], []
    for row in rows:
        notebooks = [t for t in row["notebooks"].values() if "kernel_start" in t]
        k = sum(t["kernel_start"] for t in notebooks)
        e = sum(t.get("execute", 0.0) for t in notebooks)
        start.append(k)
        execute.append(e)
        rest.append(row["seconds"] - k - e)
        kinds += [t["kernel"] for t in notebooks]
    return {"kernel_start": _median(start), "execute": _median(execute), "overhead": _median(rest),
            "submission": _median([r["seconds"] for r in rows]), "warm": kinds.count("warm"),
            "cold": kinds.count("cold"), "worker_cpu": _median([r.get("worker_cpu", 0.0) for r in rows]),
            "coordinator_cpu": _median([r.get("coordinator_cpu", 0.0) for r in rows])}


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(label: str, seconds: float, n: int, stock_s: float, stock_cpu: float | None, info: dict) -> None:
    """One line per command (speed-up against stock, CPU time when measured), then its per-submission breakdown."""
    cpu = info.get("cpu")
    print(f"{label:<27}{seconds:7.1f} s  {60 * n / seconds:6.1f} submissions/min   speed-up {stock_s / seconds:.2f}x"
          + (f"   cpu {cpu:6.1f} s ({stock_cpu / cpu:.2f}x less)" if cpu and stock_cpu else ""), flush=True)
    if "submission" in info:
        print(f"    per submission (median, in its worker): {info['submission']:.2f} s = kernel start-up "
              f"{info['kernel_start']:.2f} s + execution {info['execute']:.2f} s + nbgrader and the rest "
              f"{info['overhead']:.2f} s; kernels: {info['warm']} pre-warmed, {info['cold']} cold", flush=True)
        print(f"    CPU per submission (median): grading process {info['worker_cpu']:.2f} s (its kernel not included), "
              f"coordinator {info['coordinator_cpu']:.2f} s (sanitising, recording, the feedback page)", flush=True)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assignment", default="01_derivatives")
    parser.add_argument("--students", type=int, default=24)
    parser.add_argument("--workers", type=int, default=None, help="passed to course grade (default: its own)")
    parser.add_argument("--no-sandbox", action="store_true", help="time course grade --no-sandbox too")
    parser.add_argument("--cold", action="store_true", help="time course grade --cold-kernels too")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="grade-bench-") as tmp:
        work = Path(tmp)
        subs = work / "submitted"
        students = make_class(args.assignment, args.students, subs)
        print(f"{len(students)} submissions of {args.assignment}, {os.cpu_count()} CPUs, "
              f"load average {os.getloadavg()[0]:.2f} before the run", flush=True)
        n = len(students)
        stock_s, stock_scores, stock_cpu = run_stock(args.assignment, subs, work)
        print(f"stock nbgrader autograde   {stock_s:7.1f} s  {60 * n / stock_s:6.1f} submissions/min"
              + (f"                     cpu {stock_cpu:6.1f} s" if stock_cpu else ""), flush=True)
        ours_s, ours_scores, info = run_ours(args.assignment, subs, work, args.workers, sandbox=True)
        report("course grade (sandboxed)", ours_s, n, stock_s, stock_cpu, info)
        others = []
        if args.cold:
            cold_s, cold_scores, cold_info = run_ours(args.assignment, subs, work, args.workers, sandbox=True,
                                                      extra=("--cold-kernels",), name="cold")
            report("  ... --cold-kernels", cold_s, n, stock_s, stock_cpu, cold_info)
            others.append(cold_scores)
        if args.no_sandbox:
            free_s, free_scores, free_info = run_ours(args.assignment, subs, work, args.workers, sandbox=False,
                                                      name="free")
            report("course grade --no-sandbox", free_s, n, stock_s, stock_cpu, free_info)
            others.append(free_scores)
        print(f"load average {os.getloadavg()[0]:.2f} after the run")
        mismatched = sorted({s for s in students for scores in [ours_scores, *others]
                             if abs(stock_scores.get(s, -1) - scores.get(s, -2)) > 1e-9})
        print("scores identical to stock nbgrader" if not mismatched else f"SCORE MISMATCH for {mismatched}")
        return 0 if not mismatched else 1


if __name__ == "__main__":
    sys.exit(main())
