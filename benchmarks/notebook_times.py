"""Benchmark: execute every source notebook top to bottom in a fresh kernel, as `course release` does.

Usage: .venv/bin/python benchmarks/notebook_times.py [--repeat N] [ASSIGNMENT ...]

Prints the best-of-N wall time per notebook and the course total, against the bars of
COURSE_SPEC.md (20 s per notebook, 90 s for the course). Figures are rendered inline, as
for students. A benchmark, not a test: run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from course_pipeline.nbtools import assignments, notebook_paths, read_notebook
from course_pipeline.release import execute_notebook

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_BAR, COURSE_BAR = 20.0, 90.0


def time_assignment(name: str) -> float:
    """Seconds to execute the assignment's source notebook(s) in a fresh kernel, in a scratch copy."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / name
        shutil.copytree(ROOT / "source" / name, work)
        start = time.perf_counter()
        for path in notebook_paths(work):
            execute_notebook(read_notebook(path), cwd=work)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", help="default: all")
    parser.add_argument("--repeat", type=int, default=1, help="runs per notebook; the best is kept")
    args = parser.parse_args()
    names = args.assignments or assignments(ROOT)
    total = 0.0
    print(f"{'assignment':<24} {'seconds':>8}  bar {NOTEBOOK_BAR:g} s")
    for name in names:
        best = min(time_assignment(name) for _ in range(args.repeat))
        total += best
        print(f"{name:<24} {best:8.1f}  {'ok' if best <= NOTEBOOK_BAR else 'OVER'}", flush=True)
    print(f"{'course':<24} {total:8.1f}  {'ok' if total <= COURSE_BAR else 'OVER'} (bar {COURSE_BAR:g} s)")


if __name__ == "__main__":
    main()
