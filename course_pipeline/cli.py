"""The `course` command: release, check, collect from an LMS, grade, report, export to an LMS; update a student's copy."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path

from .nbtools import CourseError, assignments, find_course_root

__all__ = ["main", "build_parser", "LMS_CHOICES"]

LMS_CHOICES = ("canvas", "moodle")  # course_pipeline.grading.lms.LMS (not imported here: --help stays fast)
# The modules of pyproject.toml's `grade` extra: a student install lacks them.
GRADE_EXTRAS = frozenset({"distributed", "nh3", "latex2mathml"})
# course grade's options for the CourseGrade settings whose option is not named after them (--max-processes...).
GRADE_OPTIONS = {"cell_timeout": "--timeout", "sandbox": "--no-sandbox"}
# What giving a flag does, where the setting's own help says what the default does.
FLAG_HELP = {"sandbox": "run student code WITHOUT bubblewrap isolation (only for trusted notebooks or machines without "
                        "bwrap); time, output and dead-kernel handling still apply, memory and process limits do not"}


def _selected(root: Path, names: Sequence[str]) -> list[str]:
    known = assignments(root)
    if not names:
        return known
    unknown = [n for n in names if n not in known]
    if unknown:
        raise CourseError(f"{root / 'source'}: no assignment named {', '.join(unknown)} (known: {', '.join(known)})")
    return list(names)


def _require_grade_extras() -> None:
    """The instructor's commands need the grader's extras: a student install is told at once, in main's one line."""
    missing = next((name for name in sorted(GRADE_EXTRAS) if importlib.util.find_spec(name) is None), None)
    if missing is not None:
        raise ModuleNotFoundError(f"No module named {missing!r}", name=missing)


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

    _require_grade_extras()
    root = find_course_root()
    results = []
    for name in _selected(root, args.assignments):
        print(f"checking {name} ...", file=sys.stderr, flush=True)
        results.append(check_assignment(root, name))
    print(format_table(results))
    return 0 if all(r.ok for r in results) else 1


def cmd_grade(args: argparse.Namespace) -> int:
    """Autograde a class of submissions in parallel, sandboxed; write grades.csv, feedback and the gradebook."""
    from .grading import GradeOptions, grade_assignment
    from .grading.settings import grade_settings, setting_names

    _require_grade_extras()
    root = find_course_root()
    given = {name: (_grade_option(name), getattr(args, name)) for name in setting_names()
             if getattr(args, name) is not None}
    settings = grade_settings(root, given)  # nbgrader_config.py's c.CourseGrade, then the options given
    if args.dask is not None and args.workers is not None:
        raise CourseError("--workers sets local grading processes; with --dask the cluster's workers grade "
                          "(start more `dask worker` processes instead)")
    options = GradeOptions(out=args.out, settings=settings, gradebook=args.gradebook, dask=args.dask)
    summary = grade_assignment(root, args.assignment, args.submissions, options)
    print(summary.table)
    print(f"grades:    {summary.csv}")
    print(f"feedback:  {summary.feedback_root}")
    print(f"gradebook: {summary.db_url}  (nbgrader export / formgrader read it)")
    if summary.report is not None:
        print(f"report:    {summary.report.html}")
        print(f"items:     {summary.report.csv}")
    else:
        print(f"course: warning: no class report ({summary.report_error}); the grades stand, "
              f"`course report {args.assignment}` makes it again", file=sys.stderr)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Rebuild item_analysis.csv and class_report.html from a grading folder, without regrading."""
    from .grading.classreport import summary_lines, write_report
    from .grading.gradebook import course_settings

    _require_grade_extras()
    root = find_course_root()
    _selected(root, [args.assignment])
    folder = (args.out or root / "grading" / args.assignment).resolve()
    if not folder.is_dir():
        raise CourseError(f"{folder}: no such grading folder (course grade writes it; --out names another)")
    db_url = f"sqlite:///{args.gradebook.resolve()}" if args.gradebook else course_settings(root).db_url
    files = write_report(root, args.assignment, folder, db_url)
    for line in summary_lines(files):
        print(line)
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


def _os_error(err: OSError) -> CourseError:
    """An OSError as the one-line error naming the file."""
    return CourseError(f"{err.filename or 'file'}: {err.strerror or err}")


def cmd_collect(args: argparse.Namespace) -> int:
    """Turn a Canvas or Moodle bulk download into nbgrader's submitted layout; print one row per file."""
    from .grading.collect import collect
    from .grading.lms import LMS

    _require_grade_extras()
    root = find_course_root()
    try:
        result = collect(root, args.assignment, args.download, LMS(args.lms), args.roster, args.out,
                         zone=args.timezone, timestamps=not args.no_timestamps, id_column=args.id_column)
    except OSError as err:
        raise _os_error(err) from None
    print(result.table())
    return 1 if result.needs_look else 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write the assignment's scores from the gradebook as the LMS's grade import CSV."""
    from .grading.export import ExportStatus, export_grades
    from .grading.gradebook import course_settings
    from .grading.lms import LMS

    _require_grade_extras()
    root = find_course_root()
    db_url = f"sqlite:///{args.gradebook.resolve()}" if args.gradebook else course_settings(root).db_url
    try:
        result = export_grades(root, args.assignment, LMS(args.lms), args.roster, db_url, args.out,
                               missing_zero=args.missing == "zero", moodle_key=args.moodle_key,
                               id_column=args.id_column)
    except OSError as err:
        raise _os_error(err) from None
    print(result.table())
    for row in result.rows:
        if row.status is ExportStatus.NOT_IN_ROSTER:
            print(f"course: {row.student} was graded ({row.score}) but is not in {args.roster}: not exported",
                  file=sys.stderr)
    return 1 if result.needs_look else 0


def _grade_option(name: str) -> str:
    """The option of course grade that sets CourseGrade setting name."""
    return GRADE_OPTIONS.get(name, "--" + name.replace("_", "-"))


def _add_grade_settings(grd: argparse.ArgumentParser) -> None:
    """One option per CourseGrade setting, default None (the course's setting), help and default read from the trait."""
    from .grading.settings import CourseGrade, setting_names, shown_default

    from traitlets import Bool

    traits = CourseGrade.class_traits()
    for name in setting_names():
        if isinstance(traits[name], Bool):  # a flag: giving it sets the opposite of the default
            const = not traits[name].default_value
            grd.add_argument(_grade_option(name), dest=name, action="store_const", const=const, default=None,
                             help=f"{FLAG_HELP.get(name, traits[name].help)} (c.CourseGrade.{name} = {const} in "
                                  f"nbgrader_config.py; default: {shown_default(name)})")
            continue
        where = f"default: {shown_default(name)}; c.CourseGrade.{name} in nbgrader_config.py"
        metavar = "SECONDS" if "timeout" in name else name.rsplit("_", 1)[-1].upper().replace("WORKERS", "N")
        grd.add_argument(_grade_option(name), dest=name, metavar=metavar, default=None,
                         help=f"{traits[name].help} ({where})")


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
                                     "<ASSIGNMENT>/<notebook>.html (hidden tests never shown), DIR/verdicts.json, the class "
                                     "report DIR/item_analysis.csv and DIR/class_report.html (see course report), and "
                                     "the scores into the nbgrader gradebook. Exit 0 when every student has a row. "
                                     "Every limit below is also c.CourseGrade.<name> in nbgrader_config.py; an option "
                                     "given here overrides the file.")
    grd.add_argument("assignment", metavar="ASSIGNMENT", help="assignment id in source/, e.g. 01_derivatives")
    grd.add_argument("submissions", metavar="SUBMISSIONS", type=Path,
                     help="folder SUBMISSIONS/<student>/<ASSIGNMENT>/*.ipynb, or a .zip of such a folder")
    grd.add_argument("--out", metavar="DIR", type=Path, default=None,
                     help="where grades.csv, the class report and feedback/ go (default: grading/<ASSIGNMENT>/)")
    grd.add_argument("--dask", metavar="ADDRESS", default=None,
                     help="grade on the workers of the Dask cluster whose scheduler is at ADDRESS (e.g. "
                          "tcp://10.0.0.5:8786) instead of local processes; each worker needs the course package "
                          "installed and bwrap, nothing else (see docs/grading.md). This machine still writes the "
                          "gradebook, grades.csv and feedback")
    grd.add_argument("--gradebook", metavar="FILE", type=Path, default=None,
                     help="SQLite gradebook to write (default: the course's, from nbgrader_config.py); autograded "
                          "notebooks go next to it in autograded/")
    _add_grade_settings(grd)
    grd.set_defaults(func=cmd_grade)

    rep = sub.add_parser("report", help="rebuild the class report (item_analysis.csv, class_report.html) without regrading",
                         description="Rebuild DIR/item_analysis.csv (one row per graded test: points, mean score, share "
                                     "of full marks, the most frequent diagnosed mistakes) and DIR/class_report.html "
                                     "(a self-contained page: score distribution, pass rate per exercise, frequent "
                                     "mistakes and the section to reteach, notebooks that did not run) from what "
                                     "course grade wrote: DIR/grades.csv, DIR/verdicts.json and the gradebook. Nothing "
                                     "is regraded. Exit 0 when both files are written, 2 with a one-line error naming "
                                     "the missing or malformed file (nothing written).")
    rep.add_argument("assignment", metavar="ASSIGNMENT", help="assignment id in source/, e.g. 01_derivatives")
    rep.add_argument("--out", metavar="DIR", type=Path, default=None,
                     help="the grading folder, as given to course grade --out (default: grading/<ASSIGNMENT>/)")
    rep.add_argument("--gradebook", metavar="FILE", type=Path, default=None,
                     help="SQLite gradebook the class was graded into (default: the course's, from "
                          "nbgrader_config.py), as for course grade")
    rep.set_defaults(func=cmd_report)

    upd = sub.add_parser("update", help="students: pull the course and merge its changes into work/, keeping everything you wrote",
                         description="Bring your copy of the course up to date: new assignments appear in work/, fixes to cells "
                                     "you did not change arrive, your own cells stay as they are, and when the course changed a "
                                     "cell you also changed, your notebook is kept and the new version is written beside it.")
    upd.add_argument("--offline", action="store_true", help="do not run git pull; only copy and merge what notebooks/ holds")
    upd.set_defaults(func=cmd_update)

    col = sub.add_parser("collect", help="turn a Canvas or Moodle bulk download into nbgrader's submitted layout",
                         description="Turn an LMS bulk download (the .zip as downloaded, or its unpacked folder) into "
                                     "OUT/<student>/<ASSIGNMENT>/<notebook>.ipynb with timestamp.txt, ready for course "
                                     "grade. The newest notebook per student is kept. Every file gets a row: collected, "
                                     "late, superseded, not a notebook, corrupt notebook, no roster match, ambiguous, "
                                     "unrecognized or refused. Exit 0 when nothing needs a look, 1 when some row does, "
                                     "2 on an error (nothing written).")
    col.add_argument("assignment", metavar="ASSIGNMENT", help="assignment id in source/, e.g. 01_derivatives")
    col.add_argument("download", metavar="DOWNLOAD", type=Path,
                     help="Canvas 'Download Submissions' or Moodle 'Download all submissions' (.zip or folder)")
    col.add_argument("--lms", required=True, choices=LMS_CHOICES, help="which LMS made DOWNLOAD")
    col.add_argument("--roster", metavar="ROSTER.csv", type=Path, default=None,
                     help="the LMS's gradebook export (Canvas) or grades export / grading worksheet (Moodle): student "
                          "ids come from it (default: the LMS user or participant id)")
    col.add_argument("--id-column", metavar="COLUMN", default=None,
                     help="roster column holding the student ids (default: Canvas SIS Login ID, SIS User ID, ID; "
                          "Moodle ID number, Email address, Username: the first that is filled)")
    col.add_argument("--out", metavar="DIR", type=Path, default=None, help="submitted layout to write (default: submitted/)")
    col.add_argument("--timezone", metavar="ZONE", default="UTC",
                     help="time zone of the zip's DOS times when the zip has no UTC times (default: UTC)")
    col.add_argument("--no-timestamps", action="store_true", help="write no timestamp.txt (no late penalties)")
    col.set_defaults(func=cmd_collect)

    exp = sub.add_parser("export", help="write the assignment's scores as the CSV Canvas or Moodle imports",
                         description="Read ASSIGNMENT's scores (after late penalties) from nbgrader's gradebook and "
                                     "write the LMS's import CSV for the students of ROSTER: Canvas's gradebook columns "
                                     "with its Points Possible row and the assignment's column, or Moodle's CSV grade "
                                     "import keyed by --moodle-key. Students graded but not in the roster are listed, "
                                     "not exported. Exit 0 when nothing needs a look, 1 when something does, 2 on an error.")
    exp.add_argument("assignment", metavar="ASSIGNMENT", help="assignment id, e.g. 01_derivatives")
    exp.add_argument("--lms", required=True, choices=LMS_CHOICES, help="which LMS imports the file")
    exp.add_argument("--roster", metavar="ROSTER.csv", type=Path, required=True,
                     help="the LMS's gradebook export (Canvas) or grades export (Moodle), as for collect")
    exp.add_argument("--id-column", metavar="COLUMN", default=None, help="roster column holding the student ids "
                     "(as for collect)")
    exp.add_argument("--out", metavar="FILE", type=Path, default=None,
                     help="CSV to write (default: grading/<ASSIGNMENT>/<lms>-grades.csv)")
    exp.add_argument("--gradebook", metavar="FILE", type=Path, default=None,
                     help="SQLite gradebook to read (default: the course's, from nbgrader_config.py), as for course grade")
    exp.add_argument("--missing", choices=["blank", "zero"], default="blank",
                     help="score of roster students with no submission (default: blank)")
    exp.add_argument("--moodle-key", choices=["email", "idnumber", "username"], default="email",
                     help="Moodle: the roster column the import matches users on (default: email)")
    exp.set_defaults(func=cmd_export)
    return parser



def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `course` command."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CourseError as err:
        print(f"course: error: {err}", file=sys.stderr)
        return 2
    except ModuleNotFoundError as err:
        if err.name not in GRADE_EXTRAS:
            raise
        print(f"course: error: this command needs the grader's packages ({err.name} is not installed): "
              f"`make check` installs them, or `pip install -e '.[grade]' -c constraints.txt`", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("course: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
