"""Unit tests for course_utils.reuse: definitions come back from a sibling notebook, or a reason why they cannot."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from course_utils.reuse import reuse_from_notebook


def write_notebook(path, cells):
    """A minimal .ipynb with the given cells: a str is a code cell, ("markdown", text) a markdown cell."""
    body = []
    for cell in cells:
        kind, text = cell if isinstance(cell, tuple) else ("code", cell)
        entry = {"cell_type": kind, "metadata": {}, "source": text.splitlines(keepends=True)}
        if kind == "code":
            entry.update(outputs=[], execution_count=None)
        body.append(entry)
    path.write_text(json.dumps({"cells": body, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return path


DONE = [
    ("markdown", "# 99 · Earlier work\n\ndef not_code(): this is markdown"),
    "import math\nimport numpy as np\nrng = np.random.default_rng(0)",
    "%matplotlib inline",
    "def twice(x):\n    return 2 * x\n\n\ndef root(x):\n    return math.sqrt(x)",
    "print('a demo cell that must not run')\nraise RuntimeError('demo cells are not executed')",
    "class Box:\n    def __init__(self, v):\n        self.v = np.asarray(v)\n\n    def total(self):\n        return float(self.v.sum())",
]


def test_returns_the_requested_definitions_with_the_notebook_imports(tmp_path):
    path = write_notebook(tmp_path / "earlier.ipynb", DONE)
    got = reuse_from_notebook(path, ["twice", "root", "Box"])
    assert got.available and got.reason == ""
    assert got["twice"](21) == 42
    assert got["root"](9.0) == 3.0  # uses `math`, imported in another cell
    assert got["Box"]([1, 2, 3]).total() == 6.0  # uses `np`


def test_namespace_is_fresh_each_time(tmp_path):
    path = write_notebook(tmp_path / "earlier.ipynb", DONE)
    first, second = reuse_from_notebook(path, ["Box"]), reuse_from_notebook(path, ["Box"])
    assert first["Box"] is not second["Box"]


def test_missing_file_gives_a_reason_not_an_error(tmp_path):
    got = reuse_from_notebook(tmp_path / "nowhere" / "08_autodiff.ipynb", ["Var"])
    assert not got.available
    assert "was not found" in got.reason and "08_autodiff.ipynb" in got.reason
    with pytest.raises(KeyError, match="not available"):
        got["Var"]


def test_blank_exercise_is_reported_as_not_done(tmp_path):
    blank = "def twice(x):\n    \"\"\"Twice x.\"\"\"\n    # YOUR CODE HERE\n    raise NotImplementedError()"
    path = write_notebook(tmp_path / "blank.ipynb", ["import math", blank])
    got = reuse_from_notebook(path, ["twice"])
    assert not got.available
    assert "twice" in got.reason and "NotImplementedError" in got.reason


def test_blank_method_inside_a_class_is_reported(tmp_path):
    blank = "class Node:\n    def __init__(self, v):\n        raise NotImplementedError\n\n\ndef helper(n):\n    return n"
    path = write_notebook(tmp_path / "blank.ipynb", [blank])
    got = reuse_from_notebook(path, ["Node", "helper"])
    assert not got.available and "Node" in got.reason and "helper" in got.reason


def test_name_not_defined_anywhere(tmp_path):
    path = write_notebook(tmp_path / "earlier.ipynb", DONE)
    got = reuse_from_notebook(path, ["twice", "adam_step"])
    assert not got.available and "adam_step" in got.reason and "twice" not in got.reason


def test_a_cell_that_raises_while_defining_is_reported(tmp_path):
    broken = "def twice(x):\n    return 2 * x\n\nundefined_name + 1"
    path = write_notebook(tmp_path / "broken.ipynb", [broken])
    got = reuse_from_notebook(path, ["twice"])
    assert not got.available and "NameError" in got.reason


def test_unreadable_notebook(tmp_path):
    path = tmp_path / "garbled.ipynb"
    path.write_text("{ not json")
    got = reuse_from_notebook(path, ["twice"])
    assert not got.available and "could not be read" in got.reason


def test_an_import_that_fails_is_skipped(tmp_path):
    path = write_notebook(tmp_path / "earlier.ipynb", ["import no_such_module_here\nimport math",
                                                       "def root(x):\n    return math.sqrt(x)"])
    assert reuse_from_notebook(path, ["root"])["root"](4.0) == 2.0


def test_asks_for_at_least_one_name(tmp_path):
    path = write_notebook(tmp_path / "earlier.ipynb", DONE)
    with pytest.raises(ValueError, match="at least one name"):
        reuse_from_notebook(path, [])


@pytest.mark.parametrize("folder, names", [("source", ["Var", "var_exp", "var_log"]), ("notebooks", ["Var"])])
def test_course_notebooks_08(folder, names):
    got = reuse_from_notebook(ROOT / folder / "08_autodiff" / "08_autodiff.ipynb", names)
    if folder == "notebooks":  # the student release: the exercise is blank
        assert not got.available and "NotImplementedError" in got.reason
        return
    x = got["Var"](2.0)
    y = got["var_exp"](x * x) + got["var_log"](x)
    y.backward()
    assert abs(x.grad - (4 * 2.718281828459045**4 + 0.5)) < 1e-9


def test_course_notebook_07_adam_step():
    import numpy as np

    got = reuse_from_notebook(ROOT / "source" / "07_optimizers" / "07_optimizers.ipynb", ["adam_step"])
    theta, v, s = got["adam_step"](np.array([1.0]), np.array([0.5]), np.zeros(1), np.zeros(1), 1, 0.1)
    assert abs(theta[0] - (1 - 0.1 * 0.5 / np.sqrt(0.25 + 1e-8))) < 1e-12


def test_only_the_imports_the_definitions_use_are_run(tmp_path):
    path = write_notebook(tmp_path / "earlier.ipynb", ["import math\nimport json as js\nimport numpy as np",
                                                       "def root(x):\n    return math.sqrt(x)"])
    scope = reuse_from_notebook(path, ["root"])["root"].__globals__
    assert "math" in scope and "js" not in scope and "np" not in scope
