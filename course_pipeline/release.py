"""Generate the student release (notebooks/) and the answer key (solutions/) from source/."""

from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbformat import NotebookNode

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
    "run_nbgrader",
    "generate_release",
    "solution_notebook",
    "execute_notebook",
    "release_assignment",
]


def run_nbgrader(args: list[str], course_root: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run an nbgrader subcommand with course_root as its course directory; raise CourseError on failure."""
    cmd = [sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.root={course_root}", "--log-level=WARN"]
    proc = subprocess.run(cmd, cwd=course_root, capture_output=True, text=True, timeout=timeout, env=tool_env())
    if proc.returncode != 0:
        raise CourseError(f"nbgrader {args[0]} failed in {course_root}: {_reason(proc.stderr + proc.stdout)}")
    return proc


def tool_env() -> dict[str, str]:
    """The environment for nbgrader and kernels: this interpreter's bin folder first on PATH (nbgrader runs `alembic`)."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def _reason(output: str) -> str:
    """The most telling line of a tool's output: the last exception line, else the last line."""
    lines = [ln.strip() for ln in output.splitlines() if ln.strip()]
    errors = [ln for ln in lines if re.match(r"^[\w.]+(Error|Exception|Exit)\b.*:", ln)]
    return (errors or lines or ["no output"])[-1]


def generate_release(source_folder: Path, dest_folder: Path) -> list[Path]:
    """Run nbgrader generate_assignment on one source folder in a scratch course; copy the release to dest."""
    assignment = source_folder.name
    with tempfile.TemporaryDirectory(prefix="course-release-") as tmp:
        scratch = Path(tmp)
        shutil.copytree(source_folder, scratch / "source" / assignment, ignore=_ignore_junk)
        run_nbgrader(["generate_assignment", assignment, "--force"], scratch)
        produced = scratch / "release" / assignment
        staged = dest_folder.with_name(dest_folder.name + ".tmp")
        shutil.rmtree(staged, ignore_errors=True)
        shutil.copytree(produced, staged)
        _replace_dir(staged, dest_folder)
    return notebook_paths(dest_folder)


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
    generate_release(src, release_folder)
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
