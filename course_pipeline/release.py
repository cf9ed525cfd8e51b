"""Generate the student release (notebooks/) and the answer key (solutions/) from source/."""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbformat import NotebookNode

from .nbgrader_adapter import course_config, generate_assignment, run_or_explain
from .nbgrader_adapter import tool_env  # noqa: F401 - where the tests and benchmarks import it from
from .nbtools import (
    CourseError,
    notebook_paths,
    read_notebook,
    source_digest,
    strip_hidden_tests,
    strip_outputs,
    strip_solution_markers,
)

__all__ = [
    "generate_in_scratch",
    "scratch_config",
    "generate_release",
    "solution_notebook",
    "execute_notebook",
    "release_assignment",
]


def generate_release(source_folder: Path, dest_folder: Path, root: Path | None = None) -> list[Path]:
    """nbgrader's GenerateAssignment (in-process) on one source folder in a scratch course; copy the release to dest.

    root is the course whose nbgrader_config.py applies (None: nbgrader's defaults).
    """
    with tempfile.TemporaryDirectory(prefix="course-release-") as tmp:
        produced = generate_in_scratch(source_folder, Path(tmp), root)
        staged = dest_folder.with_name(dest_folder.name + ".tmp")
        shutil.rmtree(staged, ignore_errors=True)
        shutil.copytree(produced, staged)
        _replace_dir(staged, dest_folder)
    return notebook_paths(dest_folder)


def generate_in_scratch(source_folder: Path, scratch: Path, root: Path | None = None) -> Path:
    """Copy one source folder into the scratch course and run GenerateAssignment there; the release folder."""
    assignment = source_folder.name
    shutil.copytree(source_folder, scratch / "source" / assignment, ignore=_ignore_junk)
    run_or_explain(generate_assignment, scratch_config(root, scratch, assignment),
                   f"nbgrader generate_assignment failed for {source_folder}")
    return scratch / "release" / assignment


def scratch_config(root: Path | None, scratch: Path, assignment: str):
    """root's nbgrader configuration pointed at a scratch course: its folders, its own gradebook, --force."""
    folders = {"root": str(scratch), "source_directory": "source", "release_directory": "release",
               "submitted_directory": "submitted", "autograded_directory": "autograded",
               "db_url": f"sqlite:///{scratch / 'gradebook.db'}", "assignment_id": assignment}
    return course_config(root, CourseDirectory=folders, GenerateAssignment={"force": True}, Autograde={"force": True})


def _ignore_junk(folder: str, names: list[str]) -> set[str]:
    return {n for n in names if n in {".ipynb_checkpoints", "__pycache__"}}


def _replace_dir(staged: Path, dest: Path) -> None:
    """Swap a fully written folder into place so a failure never leaves a half-written view."""
    old = dest.with_name(dest.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if dest.exists():
        dest.rename(old)
    staged.rename(dest)
    shutil.rmtree(old, ignore_errors=True)


def solution_notebook(source_nb: NotebookNode) -> NotebookNode:
    """The answer key's cells: the source with hidden tests removed and solution markers dropped, no outputs."""
    nb = copy.deepcopy(source_nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = strip_solution_markers(strip_hidden_tests(cell.source))
    return strip_outputs(nb)


# What an execution adds that says when and where it ran, not what the notebook computed: dropped so
# that the answer key changes only where its source or its results do.
VOLATILE_CELL_METADATA = ("execution",)


def execute_notebook(nb: NotebookNode, cwd: Path, timeout: int = 120) -> NotebookNode:
    """Execute a notebook in a fresh python3 kernel with cwd as its folder; CourseError on a failing cell.

    The notebook keeps its own metadata (not the kernel's language_info) and no timing metadata.
    """
    metadata = copy.deepcopy(nb.metadata)
    kernel_env = {**os.environ, "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    try:
        # The kernel's own log (ipykernel 7 warns that local TCP is unencrypted) is noise in `course` output.
        NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(cwd)}},
                       record_timing=False, extra_arguments=["--IPKernelApp.log_level=ERROR"]).execute(env=kernel_env)
    except CellExecutionError as err:
        first = str(err).strip().splitlines()
        raise CourseError(f"{cwd}: a cell failed while executing ({first[-1] if first else err})") from None
    nb.metadata = metadata
    for cell in nb.cells:
        for key in VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs = merge_adjacent_streams(cell.outputs)
    return nb


def merge_adjacent_streams(outputs: list) -> list:
    """Join consecutive stream outputs of the same stream: how the kernel batched the text is timing, not content.

    Text on either side of a figure stays on its side (the kernel flushes its streams before any display).
    """
    merged: list = []
    for out in outputs:
        last = merged[-1] if merged else None
        if (out.get("output_type") == "stream" and last is not None and last.get("output_type") == "stream"
                and last.get("name") == out.get("name")):
            last["text"] = last["text"] + out["text"]
        else:
            merged.append(out)
    return merged


def release_assignment(root: Path, assignment: str, force: bool = False, execute: bool = True) -> str:
    """Regenerate notebooks/<a>/ and solutions/<a>/ from source/<a>/; return 'up to date' or 'regenerated'."""
    src = root / "source" / assignment
    if not src.is_dir():
        raise CourseError(f"{src}: no such assignment in source/")
    for path in notebook_paths(src) or [src / f"{assignment}.ipynb"]:
        read_notebook(path)  # a missing or broken source fails here, naming the file, before anything is written
    digest = source_digest(src)
    sol_folder = root / "solutions" / assignment
    release_folder = root / "notebooks" / assignment
    if not force and _is_current(src, sol_folder, release_folder, digest):
        if _diagnosis_is_current(root, assignment):
            return "up to date"
        from .diagnosis import write_diagnosis

        write_diagnosis(root, assignment, release_folder)  # only the catalogue (or the checks) changed
        return "regenerated"
    generate_release(src, release_folder, root)
    from .diagnosis import write_diagnosis

    write_diagnosis(root, assignment, release_folder)  # what Validate needs to name a visible check's likely mistake
    staged = sol_folder.with_name(sol_folder.name + ".tmp")
    shutil.rmtree(staged, ignore_errors=True)
    shutil.copytree(src, staged, ignore=lambda d, names: {n for n in names if n.endswith(".ipynb")} | _ignore_junk(d, names))
    with tempfile.TemporaryDirectory(prefix="course-exec-") as tmp:
        workdir = Path(tmp) / assignment
        shutil.copytree(src, workdir, ignore=_ignore_junk)  # files a notebook writes stay out of solutions/
        for sibling in (p for p in src.parent.iterdir() if p.is_dir() and p.name != assignment):
            # later notebooks reuse earlier ones' functions (../07_optimizers/...): the answer key shows them at work
            shutil.copytree(sibling, Path(tmp) / sibling.name, ignore=_ignore_junk)
        for path in notebook_paths(src):
            nb = solution_notebook(read_notebook(path))
            if execute:
                execute_notebook(nb, cwd=workdir)
            nb.metadata["course"] = {"source_sha256": digest}
            nbformat.write(nb, str(staged / path.name))
    _replace_dir(staged, sol_folder)
    return "regenerated"


def _diagnosis_is_current(root: Path, assignment: str) -> bool:
    """The release's diagnosis data was made from this source, this catalogue and these checks."""
    from .diagnosis import diagnosis_digest, read_diagnosis

    data = read_diagnosis(root / "notebooks" / assignment)
    return bool(data) and data.get("digest") == diagnosis_digest(root, assignment)


def _is_current(src: Path, sol_folder: Path, release_folder: Path, digest: str) -> bool:
    names = [p.name for p in notebook_paths(src)]
    for name in names:
        if not (release_folder / name).is_file() or not (sol_folder / name).is_file():
            return False
        try:
            stored = read_notebook(sol_folder / name).metadata.get("course", {}).get("source_sha256")
        except CourseError:
            return False
        if stored != digest:
            return False
    return bool(names)
