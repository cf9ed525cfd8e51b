"""`course update`: a student's work survives course updates (new assignments, fixes, conflicts, old habits)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from course_pipeline.update import BASE, SIDE_SUFFIX, WORK, Change, update

GIT_ENV = {**os.environ, "GIT_AUTHOR_NAME": "course", "GIT_AUTHOR_EMAIL": "course@example.org",
           "GIT_COMMITTER_NAME": "course", "GIT_COMMITTER_EMAIL": "course@example.org"}
SOLUTION = "def square(x):\n    \"\"\"x squared.\"\"\"\n    # YOUR CODE HERE\n    raise NotImplementedError()"
ANSWER = "def square(x):\n    \"\"\"x squared.\"\"\"\n    return x * x"


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, text=True, env=GIT_ENV).stdout


def release_notebook(title: str = "# 01 · Squares", solution: str = SOLUTION, test: str = "assert square(3) == 9") -> nbformat.NotebookNode:
    nb = new_notebook(cells=[new_markdown_cell(title), new_code_cell(solution), new_code_cell(test),
                             new_markdown_cell("That is all.")])
    nb.cells[1].metadata["nbgrader"] = {"grade_id": "square", "solution": True, "grade": False, "locked": False}
    nb.cells[2].metadata["nbgrader"] = {"grade_id": "test_square", "grade": True, "points": 1, "locked": True,
                                        "solution": False}
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
    return nb


def write(path: Path, nb: nbformat.NotebookNode) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))


@pytest.fixture
def course(tmp_path):
    """An upstream course repository and a student's clone of it: (upstream, clone)."""
    upstream = tmp_path / "upstream"
    (upstream / "source" / "01_squares").mkdir(parents=True)
    (upstream / "source" / "01_squares" / ".keep").write_text("")
    (upstream / "nbgrader_config.py").write_text("c = get_config()\n")
    write(upstream / "notebooks" / "01_squares" / "01_squares.ipynb", release_notebook())
    git(upstream, "init", "-q", "-b", "main")
    git(upstream, "add", "-A")
    git(upstream, "commit", "-qm", "course")
    clone = tmp_path / "student"
    subprocess.run(["git", "clone", "-q", str(upstream), str(clone)], check=True, env=GIT_ENV)
    return upstream, clone


def student_answers(clone: Path) -> Path:
    """The student starts exercise 1 in work/ (and runs the cell): returns the notebook's path."""
    lines, _ = update(clone, offline=True)
    assert lines == [f"{WORK}/01_squares/01_squares.ipynb: new"]
    path = clone / WORK / "01_squares" / "01_squares.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    nb.cells[1].source = ANSWER
    nb.cells[2].outputs = [new_output("stream", text="ok\n")]
    nb.cells[2].execution_count = 2
    nbformat.write(nb, str(path))
    return path


def publish(upstream: Path, changes: dict[str, nbformat.NotebookNode], message: str) -> None:
    for rel, nb in changes.items():
        write(upstream / rel, nb)
    git(upstream, "add", "-A")
    git(upstream, "commit", "-qm", message)


def test_a_fix_to_another_cell_and_a_new_assignment_arrive_and_the_answers_stay(course):
    upstream, clone = course
    path = student_answers(clone)
    publish(upstream, {
        "notebooks/01_squares/01_squares.ipynb": release_notebook(title="# 01 · Squares (typo fixed)"),
        "notebooks/02_cubes/02_cubes.ipynb": release_notebook(title="# 02 · Cubes"),
    }, "fix a typo, add 02")

    lines, needs_look = update(clone)

    assert not needs_look, lines
    nb = nbformat.read(str(path), as_version=4)
    assert nb.cells[0].source == "# 01 · Squares (typo fixed)", "the course's fix did not arrive"
    assert nb.cells[1].source == ANSWER, "the student's answer was lost"
    assert nb.cells[2].outputs and nb.cells[2].outputs[0]["text"] == "ok\n", "the student's outputs were lost"
    assert nb.cells[1].metadata["nbgrader"]["grade_id"] == "square", "nbgrader metadata was lost (Validate needs it)"
    assert (clone / WORK / "02_cubes" / "02_cubes.ipynb").is_file(), "the new assignment did not appear"
    assert any("merged" in line for line in lines) and any("02_cubes.ipynb: new" in line for line in lines), lines
    assert not git(clone, "status", "--porcelain", "--", "notebooks"), "the release copy must stay pristine"


def test_a_conflicting_change_keeps_both_versions_and_says_where(course):
    upstream, clone = course
    path = student_answers(clone)
    before = path.read_bytes()
    changed = SOLUTION.replace("def square(x):", "def square(x, power=2):")
    publish(upstream, {"notebooks/01_squares/01_squares.ipynb": release_notebook(solution=changed)}, "new signature")

    lines, needs_look = update(clone)

    assert needs_look
    assert path.read_bytes() == before, "the student's notebook must be left exactly as it was"
    side = path.with_name(f"01_squares{SIDE_SUFFIX}.ipynb")
    assert nbformat.read(str(side), as_version=4).cells[1].source == changed, "the course's new version is not kept"
    assert any(str(side.relative_to(clone)) in line for line in lines), lines

    lines_again, needs_look_again = update(clone)  # stable: nothing is lost on a second run either
    assert needs_look_again and path.read_bytes() == before and side.is_file()


def test_an_untouched_notebook_is_simply_replaced(course):
    upstream, clone = course
    update(clone, offline=True)
    fixed = release_notebook(test="assert square(4) == 16")
    publish(upstream, {"notebooks/01_squares/01_squares.ipynb": fixed}, "better test")

    lines, needs_look = update(clone)

    assert not needs_look
    work = clone / WORK / "01_squares" / "01_squares.ipynb"
    assert work.read_bytes() == (upstream / "notebooks" / "01_squares" / "01_squares.ipynb").read_bytes()
    assert (clone / WORK / BASE / "01_squares" / "01_squares.ipynb").read_bytes() == work.read_bytes()
    assert any("updated" in line for line in lines)


def test_edits_made_in_notebooks_move_to_work_so_git_pull_never_stops(course):
    upstream, clone = course
    release = clone / "notebooks" / "01_squares" / "01_squares.ipynb"
    nb = nbformat.read(str(release), as_version=4)
    nb.cells[1].source = ANSWER
    nbformat.write(nb, str(release))  # the old advice: work in notebooks/
    publish(upstream, {"notebooks/01_squares/01_squares.ipynb": release_notebook(title="# 01 · Squares, fixed")},
            "fix the title")

    lines, needs_look = update(clone)

    assert not needs_look, lines
    work = nbformat.read(str(clone / WORK / "01_squares" / "01_squares.ipynb"), as_version=4)
    assert work.cells[1].source == ANSWER and work.cells[0].source == "# 01 · Squares, fixed"
    assert not git(clone, "status", "--porcelain", "--", "notebooks")
    assert any("now live in work/01_squares/01_squares.ipynb" in line for line in lines), lines


def test_cli_update_prints_what_it_did_and_a_failed_pull_is_one_line(course):
    upstream, clone = course
    done = subprocess.run([sys.executable, "-m", "course_pipeline.cli", "update"], cwd=clone, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "work/01_squares/01_squares.ipynb: new" in done.stdout
    git(clone, "remote", "set-url", "origin", str(upstream.parent / "gone"))
    failed = subprocess.run([sys.executable, "-m", "course_pipeline.cli", "update"], cwd=clone, capture_output=True, text=True)
    assert failed.returncode == 2
    assert len(failed.stderr.strip().splitlines()) == 1 and "git pull --ff-only failed" in failed.stderr
    assert (clone / WORK / "01_squares" / "01_squares.ipynb").is_file(), "a failed pull must leave work/ alone"
