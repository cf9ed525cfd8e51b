"""Demo classes generated from the course itself (full marks, blank, partly wrong...).

    python -m course_pipeline.grading.demo 01_derivatives grading/demo/submitted

writes SUBMISSIONS/<student>/<assignment>/<notebook>.ipynb for a handful of made-up students.
"""

from __future__ import annotations

import argparse
import copy
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell

from ..nbtools import (CourseError, find_course_root, is_solution_cell, is_test_cell, load_bugs, nbgrader_meta,
                       notebook_paths, read_notebook)

__all__ = ["release_notebooks", "answer_key", "with_solutions", "partly_wrong", "drop_test_cells", "edit_test_cells",
           "insert_after", "make_demo_class", "write_class", "write_stock_config", "main"]

STUB = "# YOUR CODE HERE\nraise NotImplementedError()"


def release_notebooks(root: Path, assignment: str) -> dict[str, NotebookNode]:
    """The student release of an assignment, generated fresh with nbgrader from source/ (name -> notebook)."""
    from ..release import generate_release

    with tempfile.TemporaryDirectory(prefix="course-demo-") as tmp:
        paths = generate_release(root / "source" / assignment, Path(tmp) / assignment, root)
        return {p.name: read_notebook(p) for p in paths}


def answer_key(root: Path, assignment: str) -> dict[str, dict[str, str]]:
    """Solution code per notebook and solution grade_id (markers dropped), from source/."""
    from ..release import solution_notebook

    key: dict[str, dict[str, str]] = {}
    for path in notebook_paths(root / "source" / assignment):
        nb = solution_notebook(read_notebook(path))
        key[path.name] = {nbgrader_meta(c)["grade_id"]: c.source for c in nb.cells if is_solution_cell(c)}
    return key


def with_solutions(release: NotebookNode, solutions: dict[str, str]) -> NotebookNode:
    """A copy of the release with the given solution cells filled in (by grade_id)."""
    nb = copy.deepcopy(release)
    for cell in nb.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if is_solution_cell(cell) and grade_id in solutions:
            cell.source = solutions[grade_id]
    return nb


def drop_test_cells(nb: NotebookNode) -> NotebookNode:
    """A copy without any test cell (nbgrader must put them back)."""
    out = copy.deepcopy(nb)
    out.cells = [c for c in out.cells if not is_test_cell(c)]
    return out


def edit_test_cells(nb: NotebookNode, replacement: str = "pass  # tests? what tests?") -> NotebookNode:
    """A copy whose test cells were rewritten to pass (nbgrader must restore them)."""
    out = copy.deepcopy(nb)
    for cell in out.cells:
        if is_test_cell(cell):
            cell.source = replacement
    return out


def partly_wrong(release: dict[str, NotebookNode], key: dict[str, dict[str, str]],
                 bugs: dict[str, dict[str, str]]) -> dict[str, NotebookNode]:
    """Every other exercise right; the others get their first wrong answer from mistakes/ (or stay blank)."""
    partly: dict[str, NotebookNode] = {}
    for name, nb in release.items():
        chosen = {}
        for i, (grade_id, code) in enumerate(sorted(key[name].items())):
            if i % 2 == 0:
                chosen[grade_id] = code
            elif bugs.get(grade_id):
                chosen[grade_id] = next(iter(bugs[grade_id].values())).strip() + "\n"
        partly[name] = with_solutions(nb, chosen)
    return partly


def make_demo_class(root: Path, assignment: str, dest: Path) -> dict[str, str]:
    """Write a small class into dest (nbgrader's submitted layout); return student -> what it shows."""
    release = release_notebooks(root, assignment)
    key = answer_key(root, assignment)
    bugs = load_bugs(root, assignment)
    students: dict[str, tuple[str, dict[str, NotebookNode | str]]] = {}

    full = {name: with_solutions(nb, key[name]) for name, nb in release.items()}
    partly = partly_wrong(release, key, bugs)
    students["demo_full_marks"] = ("every exercise right: full marks", full)
    students["demo_blank"] = ("the release handed in untouched: zero", dict(release))
    students["demo_partly_wrong"] = ("every other exercise right, the others wrong or blank", partly)
    students["demo_tests_deleted"] = ("right answers, test cells deleted: tests restored, full marks",
                                      {n: drop_test_cells(nb) for n, nb in full.items()})
    students["demo_tests_edited"] = ("blank answers, tests rewritten to pass: restored, zero",
                                     {n: edit_test_cells(nb) for n, nb in release.items()})
    students["demo_corrupt"] = ("a notebook that is not JSON: invalid_notebook",
                                {name: '{"cells": [ this is not JSON' for name in release})
    students["demo_nothing"] = ("an empty assignment folder: missing_notebook", {})

    shutil.rmtree(dest, ignore_errors=True)
    write_class(dest, assignment, {student: notebooks for student, (_, notebooks) in students.items()})
    return {student: what for student, (what, _) in students.items()}


def write_class(dest: Path, assignment: str, students: dict[str, dict[str, NotebookNode | str]]) -> None:
    """Write dest/<student>/<assignment>/<name> for each notebook (a str is written as is: a corrupt file)."""
    for student, notebooks in students.items():
        folder = dest / student / assignment
        folder.mkdir(parents=True)
        for name, nb in notebooks.items():
            if isinstance(nb, str):
                (folder / name).write_text(nb, encoding="utf-8")
            else:
                nbformat.write(nb, str(folder / name))


def insert_after(nb: NotebookNode, grade_id: str, code: str) -> NotebookNode:
    """A copy with a new code cell right after the cell with this grade_id (a hostile or slow submission)."""
    out = copy.deepcopy(nb)
    idx = next(i for i, c in enumerate(out.cells) if nbgrader_meta(c).get("grade_id") == grade_id)
    out.cells.insert(idx + 1, new_code_cell(code))
    return out


STOCK_EXECUTION = (
    "\n# Benchmarks and comparisons only: nbgrader's own, unsandboxed executor.\n"
    "from nbgrader.converters import Autograde as _Autograde\n"
    "c.Autograde.autograde_preprocessors = _Autograde.class_traits()['autograde_preprocessors'].default()\n"
)


def write_stock_config(course_config: Path, dest: Path) -> Path:
    """The course's nbgrader_config.py with nbgrader's stock executor put back (for comparisons with stock)."""
    dest.write_text(course_config.read_text(encoding="utf-8") + STOCK_EXECUTION, encoding="utf-8")
    return dest


def main(argv: list[str] | None = None) -> int:
    """Command line: write a demo class of ASSIGNMENT into DEST."""
    parser = argparse.ArgumentParser(prog="python -m course_pipeline.grading.demo",
                                     description="Write a small demo class (nbgrader submitted layout) generated from the course.")
    parser.add_argument("assignment", help="assignment id, e.g. 01_derivatives")
    parser.add_argument("dest", type=Path, help="folder to (re)create: DEST/<student>/<assignment>/<notebook>.ipynb")
    args = parser.parse_args(argv)
    try:
        root = find_course_root()
        if not (root / "source" / args.assignment).is_dir():
            raise CourseError(f"{root / 'source'}: no assignment named {args.assignment}")
        students = make_demo_class(root, args.assignment, args.dest.resolve())
    except CourseError as err:
        print(f"demo: error: {err}", file=sys.stderr)
        return 2
    for student, what in students.items():
        print(f"{student:<20} {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
