"""Throughput of `course grade --dask` on a LocalCluster against local `course grade --workers N`.

    .venv/bin/python benchmarks/grade_dask.py                       # 24 submissions of 01, 2 workers, 2 rounds
    .venv/bin/python benchmarks/grade_dask.py --students 48 --workers 3 --rounds 3

Builds a class from the course itself (as benchmarks/grade_throughput.py does), starts a Dask
LocalCluster of N single-threaded worker processes on loopback, then times the whole `course grade`
command in alternating rounds: local processes (--workers N) and the cluster (--dask ADDRESS).
Checks that both give every student the same score. Not a test: timings depend on the machine;
run it on an otherwise idle one.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from grade_throughput import make_class, run_ours  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assignment", default="01_derivatives")
    parser.add_argument("--students", type=int, default=24)
    parser.add_argument("--workers", type=int, default=2, help="local processes, and Dask worker processes")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds of each (default: 2)")
    args = parser.parse_args(argv)
    from distributed import LocalCluster

    with tempfile.TemporaryDirectory(prefix="grade-dask-bench-") as tmp:
        work = Path(tmp)
        subs = work / "submitted"
        students = make_class(args.assignment, args.students, subs)
        start = time.perf_counter()
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0",
                          host="127.0.0.1") as cluster:
            print(f"{len(students)} submissions of {args.assignment}, {os.cpu_count()} CPUs, load average "
                  f"{os.getloadavg()[0]:.2f}; LocalCluster of {args.workers} worker processes started in "
                  f"{time.perf_counter() - start:.1f} s", flush=True)
            modes = {"local": ("--workers", str(args.workers)), "dask": ("--dask", cluster.scheduler_address)}
            times: dict[str, list[float]] = {m: [] for m in modes}
            scores: dict[str, dict[str, float]] = {}
            for rnd in range(args.rounds):
                for mode, extra in modes.items():
                    shutil.rmtree(work / mode, ignore_errors=True)
                    before = resource.getrusage(resource.RUSAGE_CHILDREN)
                    seconds, scores[mode] = run_ours(args.assignment, subs, work, None, True, extra, mode)
                    after = resource.getrusage(resource.RUSAGE_CHILDREN)
                    times[mode].append(seconds)
                    label = f"--workers {args.workers}" if mode == "local" else f"--dask ({args.workers} workers)"
                    # With --dask the course grade process is the coordinator alone: its CPU is what a class costs it.
                    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
                    print(f"round {rnd + 1}  {label:<22} {seconds:7.1f} s  {60 * len(students) / seconds:6.1f} "
                          f"submissions/min" + (f"  coordinator CPU {cpu:.1f} s" if mode == "dask" else ""), flush=True)
        best = {m: min(t) for m, t in times.items()}
        print(f"best of {args.rounds}: local {best['local']:.1f} s, dask {best['dask']:.1f} s; "
              f"dask / local = {best['dask'] / best['local']:.2f}")
        same = scores["local"] == scores["dask"] and len(scores["dask"]) == len(students)
        print("scores identical" if same else "SCORE MISMATCH")
        return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
