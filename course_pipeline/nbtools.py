"""Reading course notebooks: assignments, exercises and their test cells, nbgrader metadata."""

from __future__ import annotations

import hashlib
import importlib.util
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode

__all__ = [
    "CourseError",
    "find_course_root",
    "assignments",
    "notebook_paths",
    "read_notebook",
    "nbgrader_meta",
    "is_solution_cell",
    "is_test_cell",
    "has_hidden_tests",
    "strip_hidden_tests",
    "split_hidden_tests",
    "strip_solution_markers",
    "HIDDEN_DELIMITERS",
    "SOLUTION_DELIMITERS",
    "Exercise",
    "exercises",
    "strip_outputs",
    "cell_signature",
    "source_digest",
    "load_bugs",
]

ASSIGNMENT_RE = re.compile(r"^\d{2}_[a-z0-9_]+$")
# nbgrader's own delimiters (ClearHiddenTests, ClearSolutions), matched as nbgrader matches them: a line
# that *contains* one, so `### BEGIN HIDDEN TESTS (edge cases)` opens a hidden block everywhere.
HIDDEN_DELIMITERS = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
SOLUTION_DELIMITERS = ("BEGIN SOLUTION", "END SOLUTION")
HIDDEN_BEGIN = HIDDEN_DELIMITERS[0]


class CourseError(Exception):
    """A problem the `course` command reports as one line (file and reason) before exiting non-zero."""


def find_course_root(start: Path | None = None) -> Path:
    """The nearest folder at or above start holding nbgrader_config.py and source/."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "nbgrader_config.py").is_file() and (folder / "source").is_dir():
            return folder
    raise CourseError(f"{here}: not inside the course (no nbgrader_config.py with a source/ folder above it)")


def assignments(root: Path) -> list[str]:
    """Assignment ids (folder names like 01_derivatives) found in source/, in order."""
    return sorted(p.name for p in (root / "source").iterdir() if p.is_dir() and ASSIGNMENT_RE.match(p.name))


def notebook_paths(folder: Path) -> list[Path]:
    """The .ipynb files directly inside an assignment folder, in order."""
    return sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))


def read_notebook(path: Path) -> NotebookNode:
    """Read a notebook, turning a broken file into a CourseError that names it."""
    try:
        return nbformat.read(str(path), as_version=4)
    except FileNotFoundError:
        raise CourseError(f"{path}: no such notebook") from None
    except Exception as err:  # noqa: BLE001 - any parse failure becomes one line
        raise CourseError(f"{path}: not a readable notebook ({type(err).__name__}: {err})") from None


def nbgrader_meta(cell: NotebookNode) -> dict:
    """The cell's nbgrader metadata ({} when it has none)."""
    return dict(cell.get("metadata", {}).get("nbgrader", {}))


def is_solution_cell(cell: NotebookNode) -> bool:
    """A code cell the student fills in."""
    return cell.cell_type == "code" and bool(nbgrader_meta(cell).get("solution"))


def is_test_cell(cell: NotebookNode) -> bool:
    """An autograded, locked code cell holding tests."""
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def has_hidden_tests(cell: NotebookNode) -> bool:
    """True when the cell has a hidden-tests block."""
    return HIDDEN_BEGIN in cell.source  # a delimiter is matched within a line, as nbgrader does


def split_hidden_tests(source: str) -> tuple[list[str], list[str]]:
    """(lines outside hidden-test blocks, lines inside them), delimiter lines in neither (nbgrader's rule)."""
    begin, end = HIDDEN_DELIMITERS
    kept: list[str] = []
    hidden: list[str] = []
    hiding = False
    for line in source.split("\n"):
        if begin in line:
            hiding = True
        elif end in line and hiding:
            hiding = False
        else:
            (hidden if hiding else kept).append(line)
    return kept, hidden


def strip_hidden_tests(source: str) -> str:
    """The source without its hidden-test blocks, delimiter lines included (nbgrader's ClearHiddenTests)."""
    return "\n".join(split_hidden_tests(source)[0]).rstrip("\n")


def strip_solution_markers(source: str) -> str:
    """The source without its solution delimiter lines; the solution itself stays (the answer key)."""
    return "\n".join(line for line in source.split("\n") if not any(d in line for d in SOLUTION_DELIMITERS))


@dataclass
class Exercise:
    """One exercise: its solution cell and the test cells graded for it."""

    name: str
    solution_index: int
    test_indices: list[int] = field(default_factory=list)

    def points(self, nb: NotebookNode) -> float:
        """Total points of the exercise's test cells."""
        return sum(float(nbgrader_meta(nb.cells[i]).get("points", 0)) for i in self.test_indices)


def exercises(nb: NotebookNode) -> dict[str, Exercise]:
    """Exercises by name: a solution cell's grade_id names it; tests are `test_<name>` or `test_<name>_<suffix>`.

    A test id is attributed to the longest exercise name that matches, so tests of
    `gradient_descent_until` never count for `gradient_descent`.
    """
    found: dict[str, Exercise] = {}
    for i, cell in enumerate(nb.cells):
        if is_solution_cell(cell) and nbgrader_meta(cell).get("grade_id"):
            name = nbgrader_meta(cell)["grade_id"]
            found[name] = Exercise(name, i)
    names = sorted(found, key=len, reverse=True)
    for i, cell in enumerate(nb.cells):
        if not is_test_cell(cell):
            continue
        grade_id = nbgrader_meta(cell).get("grade_id", "")
        for name in names:
            if grade_id == f"test_{name}" or grade_id.startswith(f"test_{name}_"):
                found[name].test_indices.append(i)
                break
    return found


def strip_outputs(nb: NotebookNode) -> NotebookNode:
    """Remove outputs and execution counts in place; return the notebook."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def cell_signature(nb: NotebookNode) -> list[tuple[str, str, dict]]:
    """What must agree between a generated view and a regeneration: type, source and nbgrader metadata."""
    return [(c.cell_type, c.source, nbgrader_meta(c)) for c in nb.cells]


def source_digest(folder: Path) -> str:
    """SHA-256 over every file of an assignment's source folder (names and bytes)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and ".ipynb_checkpoints" not in p.parts):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _mistakes_module(root: Path, assignment: str):
    path = root / "mistakes" / f"{assignment}.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location(f"mistakes_{assignment}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_bugs(root: Path, assignment: str) -> dict[str, dict[str, str]]:
    """The catalogued mistakes of mistakes/<assignment>.py: exercise -> description -> code ({} without a file)."""
    module = _mistakes_module(root, assignment)
    return dict(getattr(module, "MISTAKES", {})) if module else {}


def load_sections(root: Path, assignment: str) -> dict[str, str]:
    """Where the notebook explains each exercise (exercise -> section title) for mistakes/<assignment>.py."""
    module = _mistakes_module(root, assignment)
    return dict(getattr(module, "SECTIONS", {})) if module else {}
