"""A toy course for the grader's tests: tiny, fast, with a hidden test, a secret and a data file."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

TOY_ASSIGNMENT = "00_toy"
TOY_SECRET = "ORACLE_7f3a9c"  # appears only inside the toy course's hidden tests (never in a student's kernel)


def _meta(grade_id: str, *, solution: bool = False, grade: bool = False, points: float = 0) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": not solution, "schema_version": 3,
            "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def _toy_notebook() -> NotebookNode:
    cells = [
        new_markdown_cell("# 00 · Toy\nA two-exercise notebook used to test the grader."),
        new_code_cell("from pathlib import Path\nfrom course_utils import checks\n"
                      "GREETING = Path('greeting.txt').read_text().strip()"),
        new_code_cell('def square(x):\n    """x squared."""\n    ### BEGIN SOLUTION\n    return x * x\n    ### END SOLUTION',
                      metadata=_meta("square", solution=True)),
        new_code_cell('checks.assert_equal(square(3), 9, what="square(3)")\nprint("square: visible test passed")',
                      metadata=_meta("test_square", grade=True, points=1)),
        new_code_cell("# Hidden tests check negative numbers and floats.\n### BEGIN HIDDEN TESTS\n"
                      f"_{TOY_SECRET} = {{-2: 4, 0.5: 0.25}}\n"
                      "for x in (-2, 0.5):\n"
                      f'    checks.assert_close(square(x), _{TOY_SECRET}[x], what=f"square({{x}})")\n'
                      "### END HIDDEN TESTS",
                      metadata=_meta("test_square_hidden", grade=True, points=2)),
        new_code_cell('def shout(word):\n    """The word in capitals with a greeting."""\n    ### BEGIN SOLUTION\n'
                      '    return f"{GREETING} {word.upper()}"\n    ### END SOLUTION',
                      metadata=_meta("shout", solution=True)),
        new_code_cell('checks.assert_equal(shout("hi"), "hello HI", what="shout(\'hi\')")',
                      metadata=_meta("test_shout", grade=True, points=1)),
        new_code_cell("### BEGIN HIDDEN TESTS\n"
                      f'_{TOY_SECRET} = "hello OK"\nchecks.assert_equal(shout("ok"), _{TOY_SECRET}, what="shout(\'ok\')")\n'
                      "### END HIDDEN TESTS",
                      metadata=_meta("test_shout_hidden", grade=True, points=2)),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


TOY_SOLUTIONS = {
    "square": 'def square(x):\n    """x squared."""\n    return x * x',
    "shout": 'def shout(word):\n    """The word in capitals with a greeting."""\n    return f"{GREETING} {word.upper()}"',
}


# Where the toy courses of one test session keep the judge's reference records (set by conftest): every toy
# course's .course_cache/reference links there, so `course grade` runs the toy reference once per session, as an
# instructor's course does once per assignment (the cache is keyed by the digest of source/ and the packages).
REFERENCE_CACHE: Path | None = None


def write_toy_course(root: Path, *, shared_reference: bool = True) -> Path:
    """A minimal course root (nbgrader_config.py, source/00_toy/ with a notebook and a data file).

    shared_reference=False: the course keeps its own reference cache (its first `course grade` runs the reference).
    """
    if shared_reference and REFERENCE_CACHE is not None:
        (root / ".course_cache").mkdir(parents=True, exist_ok=True)
        (root / ".course_cache" / "reference").symlink_to(REFERENCE_CACHE, target_is_directory=True)
    folder = root / "source" / TOY_ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(_toy_notebook(), str(folder / f"{TOY_ASSIGNMENT}.ipynb"))
    (folder / "greeting.txt").write_text("hello\n", encoding="utf-8")
    (root / "nbgrader_config.py").write_text(
        'c = get_config()  # noqa: F821\nc.CourseDirectory.course_id = "toy-course"\n'
        'c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\\nraise NotImplementedError()"}\n',
        encoding="utf-8")
    return root


# Ways student code has turned failures into passes in graders that judge inside the kernel. Each is added
# to the wrong answer WRONG_SQUARE: at top level, and from inside square itself when a test calls it.
FORGERIES = {
    "numpy": """import math, numpy as _np
_np.allclose = lambda *a, **k: True
_np.isclose = lambda *a, **k: True
_np.array_equal = lambda *a, **k: True
_np.testing.assert_allclose = lambda *a, **k: None
_np.testing.assert_array_equal = lambda *a, **k: None
math.isclose = lambda *a, **k: True""",
    "checks": """from course_utils import checks as _c
for _name in [n for n in dir(_c) if n.startswith(("assert_", "message_"))]:
    setattr(_c, _name, (lambda *a, **k: None) if _name.startswith("assert_") else (lambda *a, **k: ""))
_c.observe = _c.observe_call = lambda *a, **k: None""",
    "showtraceback": """_ip = get_ipython()
_ip.showtraceback = lambda *a, **k: None
_ip._showtraceback = lambda *a, **k: None""",
    "transformer": """get_ipython().input_transformers_cleanup.append(lambda lines: ["pass\\n"])""",
    "custom_exc": """get_ipython().set_custom_exc((BaseException,), lambda shell, etype, value, tb, tb_offset=None: None)""",
    "settrace": """import sys
def _tracer(frame, event, arg):
    if event == "exception":
        frame.f_locals["message"] = ""
    return _tracer
sys.settrace(_tracer)
get_ipython().events.register("pre_run_cell", lambda info: sys.settrace(_tracer))""",
    "liar": """class _Liar(float):
    __eq__ = lambda self, other: True
    __ne__ = lambda self, other: False
    __array__ = lambda self, dtype=None, copy=None: __import__("numpy").asarray(4.0)
    __float__ = lambda self: 4.0
_square = square
square = lambda x: _Liar(_square(x))""",
}


def at_call(tamper: str) -> str:
    """The wrong square with a tampering that runs the first time a test calls it."""
    tamper = tamper.replace("square = lambda", "globals()['square'] = lambda").replace("_square = square",
                                                                                     "globals()['_square'] = square")
    body = "\n".join("        " + line for line in tamper.splitlines())
    return ('def square(x):\n    """x squared."""\n    global _TAMPERED\n'
            '    if not globals().get("_TAMPERED"):\n        _TAMPERED = True\n' + body + "\n"
            '    return x * abs(x)')


WRONG_SQUARE = 'def square(x):\n    """x squared."""\n    return x * abs(x)'
