"""Pieces of the release pipeline: exercise discovery and the answer-key transformation."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course_pipeline.nbtools import exercises, strip_hidden_tests
from course_pipeline.release import execute_notebook, release_assignment, solution_notebook


def cell(source, **meta):
    c = new_code_cell(source)
    if meta:
        c.metadata["nbgrader"] = {"schema_version": 3, "locked": False, "solution": False, "grade": False, **meta}
    return c


def test_tests_go_to_the_longest_matching_exercise():
    nb = new_notebook(cells=[
        cell("def gradient_descent(): ...", solution=True, grade_id="gradient_descent"),
        cell("def gradient_descent_until(): ...", solution=True, grade_id="gradient_descent_until"),
        cell("", grade=True, locked=True, points=1, grade_id="test_gradient_descent"),
        cell("", grade=True, locked=True, points=2, grade_id="test_gradient_descent_until_hidden"),
        cell("", grade=True, locked=True, points=1, grade_id="test_gradient_descent_hidden"),
    ])
    found = exercises(nb)
    assert found["gradient_descent"].test_indices == [2, 4]
    assert found["gradient_descent_until"].test_indices == [3]
    assert found["gradient_descent"].points(nb) == 2


def test_answer_key_drops_hidden_tests_and_markers_only():
    src = new_notebook(cells=[
        cell("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION", solution=True, grade_id="f"),
        cell("assert f() == 1\n### BEGIN HIDDEN TESTS\nassert f() != 2\n### END HIDDEN TESTS",
             grade=True, locked=True, points=1, grade_id="test_f"),
    ])
    src.cells[0].outputs = [{"output_type": "stream", "name": "stdout", "text": "x"}]
    key = solution_notebook(src)
    assert key.cells[0].source == "def f():\n    return 1"
    assert key.cells[1].source == "assert f() == 1"
    assert key.cells[0].outputs == [] and src.cells[0].outputs, "the source must not be modified"
    assert key.cells[1].metadata["nbgrader"]["grade_id"] == "test_f"


def test_executing_a_notebook_keeps_outputs_and_the_terminal_quiet(tmp_path, capfd):
    nb = new_notebook(cells=[new_code_cell("print(6 * 7)")])
    execute_notebook(nb, cwd=tmp_path)
    assert nb.cells[0].outputs[0]["text"] == "42\n"
    assert "WARNING" not in capfd.readouterr().err  # no kernel log lines in `course check` output


def _toy_course(root: Path, intro: str = "# 00 · Toy\n\nOne exercise.") -> Path:
    (root / "source" / "00_toy").mkdir(parents=True)
    (root / "nbgrader_config.py").write_text("c = get_config()\n")
    nb = new_notebook(cells=[
        new_markdown_cell(intro),
        cell("import numpy as np\nprint(np.arange(3))"),
        cell("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION", solution=True, grade_id="f"),
        cell("assert f() == 1\n### BEGIN HIDDEN TESTS (edge cases)\nassert f() != 'SECRET_EDGE'\n### END HIDDEN TESTS",
             grade=True, locked=True, points=1, grade_id="test_f"),
        new_markdown_cell("The end."),
    ])
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    for i, c in enumerate(nb.cells):
        c.id = f"cell-{i}"
    nbformat.write(nb, str(root / "source" / "00_toy" / "00_toy.ipynb"))
    return root


def _views(root: Path) -> dict[str, bytes]:
    return {view: (root / view / "00_toy" / "00_toy.ipynb").read_bytes() for view in ("notebooks", "solutions")}


@pytest.mark.slow
def test_a_marker_variant_reaches_neither_the_release_nor_the_answer_key(tmp_path):
    root = _toy_course(tmp_path)
    release_assignment(root, "00_toy", force=True)
    for view, data in _views(root).items():
        assert b"SECRET_EDGE" not in data and b"edge cases" not in data, f"{view}/ leaks the hidden test"
    key = nbformat.read(str(root / "solutions" / "00_toy" / "00_toy.ipynb"), as_version=4)
    assert key.cells[3].source == "assert f() == 1"
    assert strip_hidden_tests("a\n# BEGIN HIDDEN TESTS\nb\n# END HIDDEN TESTS\nc") == "a\nc"


@pytest.mark.slow
def test_releases_are_byte_reproducible_and_an_edit_changes_only_its_cell(tmp_path):
    root = _toy_course(tmp_path)
    release_assignment(root, "00_toy", force=True)
    first = _views(root)
    release_assignment(root, "00_toy", force=True)
    assert _views(root) == first, "regenerating unchanged sources changed the generated views"

    path = root / "source" / "00_toy" / "00_toy.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    nb.cells[0].source += " A new sentence."
    nbformat.write(nb, str(path))
    release_assignment(root, "00_toy")
    for view, data in _views(root).items():
        old, new = json.loads(first[view]), json.loads(data)
        changed = [i for i, (a, b) in enumerate(zip(old["cells"], new["cells"])) if a != b]
        assert changed == [0], f"{view}/: one sentence in cell 0 changed cells {changed}"
        if view == "solutions":  # the recorded source digest changes, nothing else
            old["metadata"]["course"] = new["metadata"]["course"] = None
        assert old["metadata"] == new["metadata"], f"{view}/: notebook metadata changed"
