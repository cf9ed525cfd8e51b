"""The `course` command: release the course, check it, grade a class; bring a student's copy up to date."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .nbtools import CourseError, assignments, find_course_root

__all__ = ["main", "build_parser"]


def _selected(root: Path, names: Sequence[str]) -> list[str]:
    known = assignments(root)
    if not names:
        return known
    unknown = [n for n in names if n not in known]
    if unknown:
        raise CourseError(f"{root / 'source'}: no assignment named {', '.join(unknown)} (known: {', '.join(known)})")
    return list(names)


def cmd_release(args: argparse.Namespace) -> int:
    """Regenerate notebooks/ and solutions/ from source/."""
    from .release import release_assignment

    root = find_course_root()
    for name in _selected(root, args.assignments):
        status = release_assignment(root, name, force=args.force, execute=not args.no_execute)
        print(f"{name}: {status}", flush=True)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Execute sources, autograde answer keys and blank releases, print one table."""
    from .selfcheck import check_assignment, format_table

    root = find_course_root()
    results = []
    for name in _selected(root, args.assignments):
        print(f"checking {name} ...", file=sys.stderr, flush=True)
        results.append(check_assignment(root, name))
    print(format_table(results))
    return 0 if all(r.ok for r in results) else 1


def cmd_grade(args: argparse.Namespace) -> int:
    """Autograde a class of submissions in parallel, sandboxed; write grades.csv, feedback and the gradebook."""
    from .grading import GradeOptions, Limits, grade_assignment

    root = find_course_root()
    for name, value in (("--workers", args.workers), ("--timeout", args.timeout), ("--memory-mb", args.memory_mb),
                        ("--notebook-timeout", args.notebook_timeout)):
        if value is not None and value <= 0:
            raise CourseError(f"{name} must be positive (got {value})")
    if args.dask is not None and args.workers is not None:
        raise CourseError("--workers sets local grading processes; with --dask the cluster's workers grade "
                          "(start more `dask worker` processes instead)")
    notebook_timeout = args.notebook_timeout if args.notebook_timeout is not None else max(4 * args.timeout, 60)
    limits = Limits(cell_timeout=args.timeout, notebook_timeout=notebook_timeout, memory_mb=args.memory_mb)
    options = GradeOptions(out=args.out, workers=args.workers, limits=limits, sandbox=not args.no_sandbox,
                           gradebook=args.gradebook, dask=args.dask)
    summary = grade_assignment(root, args.assignment, args.submissions, options)
    print(summary.table)
    print(f"grades:    {summary.csv}")
    print(f"feedback:  {summary.feedback_root}")
    print(f"gradebook: {summary.db_url}  (nbgrader export / formgrader read it)")
    return 0


def cmd_update(args: argparse.Namespace) -> int:
    """Pull the course and merge its changes into the student's work/ without losing anything."""
    from .update import WORK, update

    root = find_course_root()
    lines, needs_look = update(root, offline=args.offline)
    for line in lines:
        print(line)
    if needs_look:
        print("Nothing of yours was lost or overwritten. Open the files named above to see the course's changes.")
    elif lines and not args.offline:
        print(f"Your work is in {WORK}/ (make lab opens it).")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="course", description="Author, release, check and grade the Gradient Descent course.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    rel = sub.add_parser("release", help="regenerate notebooks/ (student release) and solutions/ (answer key) from source/",
                         description="Regenerate the student release with nbgrader and the executed answer key. "
                                     "Assignments whose source did not change are skipped unless --force is given.")
    rel.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="assignment ids such as 01_derivatives (default: all)")
    rel.add_argument("--force", action="store_true", help="regenerate even when the source did not change")
    rel.add_argument("--no-execute", action="store_true", help="write the answer key without executing it (no outputs)")
    rel.set_defaults(func=cmd_release)

    chk = sub.add_parser("check", help="execute every source notebook; the answer key must score full marks, the blank release zero",
                         description="For each assignment: execute the source notebook in a fresh kernel, autograde the answer key "
                                     "and the blank student release with nbgrader, and print one table. Exit 1 on any problem.")
    chk.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="assignment ids (default: all)")
    chk.set_defaults(func=cmd_check)

    grd = sub.add_parser("grade", help="autograde a class of submissions in parallel, each kernel sandboxed",
                         description="Autograde every student folder of SUBMISSIONS (nbgrader's submitted layout "
                                     "SUBMISSIONS/<student>/<ASSIGNMENT>/<notebook>.ipynb, or a .zip of it) with nbgrader: "
                                     "test cells restored from the gradebook, kernels run in parallel under bubblewrap "
                                     "(no network, no course files, bounded time, memory, processes and output). Writes "
                                     "DIR/grades.csv (one row per student, whatever happened), DIR/feedback/<student>/"
                                     "<ASSIGNMENT>/<notebook>.html (hidden tests never shown), and the scores into the "
                                     "nbgrader gradebook. Exit 0 when every student has a row.")
    grd.add_argument("assignment", metavar="ASSIGNMENT", help="assignment id in source/, e.g. 01_derivatives")
    grd.add_argument("submissions", metavar="SUBMISSIONS", type=Path,
                     help="folder SUBMISSIONS/<student>/<ASSIGNMENT>/*.ipynb, or a .zip of such a folder")
    grd.add_argument("--out", metavar="DIR", type=Path, default=None,
                     help="where grades.csv and feedback/ go (default: grading/<ASSIGNMENT>/)")
    grd.add_argument("--workers", metavar="N", type=int, default=None,
                     help="submissions graded at once (default: the number of CPUs + 1)")
    grd.add_argument("--dask", metavar="ADDRESS", default=None,
                     help="grade on the workers of the Dask cluster whose scheduler is at ADDRESS (e.g. "
                          "tcp://10.0.0.5:8786) instead of local processes; each worker needs the course package "
                          "installed and bwrap, nothing else (see docs/grading.md). This machine still writes the "
                          "gradebook, grades.csv and feedback")
    grd.add_argument("--timeout", metavar="SECONDS", type=float, default=60.0,
                     help="wall-time limit per cell: the cell is interrupted and ends in an error, later cells still run "
                          "(default: 60)")
    grd.add_argument("--notebook-timeout", metavar="SECONDS", type=float, default=None,
                     help="wall-time limit per notebook, kernel start included: the kernel is killed and tests not run "
                          "score zero (default: 4 x --timeout, at least 60)")
    grd.add_argument("--memory-mb", metavar="MB", type=int, default=1024,
                     help="address-space limit of each sandboxed student kernel in MiB (default: 1024)")
    grd.add_argument("--gradebook", metavar="FILE", type=Path, default=None,
                     help="SQLite gradebook to write (default: the course's, from nbgrader_config.py); autograded "
                          "notebooks go next to it in autograded/")
    grd.add_argument("--no-sandbox", action="store_true",
                     help="run student code WITHOUT bubblewrap isolation (only for trusted notebooks or machines "
                          "without bwrap); time, output and dead-kernel handling still apply, memory and process limits do not")
    grd.set_defaults(func=cmd_grade)

    upd = sub.add_parser("update", help="students: pull the course and merge its changes into work/, keeping everything you wrote",
                         description="Bring your copy of the course up to date: new assignments appear in work/, fixes to cells "
                                     "you did not change arrive, your own cells stay as they are, and when the course changed a "
                                     "cell you also changed, your notebook is kept and the new version is written beside it.")
    upd.add_argument("--offline", action="store_true", help="do not run git pull; only copy and merge what notebooks/ holds")
    upd.set_defaults(func=cmd_update)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `course` command."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CourseError as err:
        print(f"course: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("course: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
