"""Pieces of the release pipeline: exercise discovery and the answer-key transformation."""

from __future__ import annotations

from nbformat.v4 import new_code_cell, new_notebook

from course_utils.nbtools import exercises
from course_utils.release import execute_notebook, solution_notebook


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
