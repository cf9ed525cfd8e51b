"""The `course` command: release the course, check it, grade a class."""

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
