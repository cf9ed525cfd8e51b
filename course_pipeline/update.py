"""`course update`: bring a student's copy of the course up to date without ever losing what they wrote.

Students work in `work/` (git-ignored), a copy of the release in `notebooks/`. For every
notebook, `work/.course-base/` keeps the release version the student's copy was last brought
up to date with, so an update is a three-way, notebook-aware merge (nbdime) of the student's
copy and the new release against that base:

- a new assignment, or a notebook the student never changed, is copied as released;
- fixes to cells the student did not touch arrive, and the student's own cells stay as they are;
- when the course changed a cell the student also changed, the student's notebook is left
  exactly as it is and the new release is written beside it (`<name>.course-update.ipynb`).

Edits made in `notebooks/` itself (the course's old advice) are moved into `work/` before
`git pull`, so a pull never stops on them and nothing is lost.
"""

from __future__ import annotations

import argparse
import enum
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .nbtools import ASSIGNMENT_RE, CourseError

__all__ = ["Change", "Outcome", "WORK", "BASE", "SIDE_SUFFIX", "rescue_release_edits", "pull", "sync", "update"]

WORK = "work"
BASE = ".course-base"
SIDE_SUFFIX = ".course-update"


class Change(enum.Enum):
    """What an update did to one file of the student's copy."""

    NEW = "new"
    UPDATED = "updated"
    MERGED = "merged"
    KEPT_BOTH = "kept both"
    RESCUED = "moved to work/"

    @property
    def needs_look(self) -> bool:
        """True when the student should open the files named in the message."""
        return self is Change.KEPT_BOTH


@dataclass(frozen=True)
class Outcome:
    """One line of the update report."""

    path: Path
    change: Change
    message: str


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)


def _is_git_checkout(root: Path) -> bool:
    return shutil.which("git") is not None and _git(root, "rev-parse", "--is-inside-work-tree").returncode == 0


def _side_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}{SIDE_SUFFIX}{path.suffix}")


def rescue_release_edits(root: Path) -> list[Outcome]:
    """Move a student's edits of tracked files in notebooks/ into work/, then restore notebooks/."""
    if not _is_git_checkout(root):
        return []
    status = _git(root, "status", "--porcelain", "-z", "--", "notebooks")
    outcomes = []
    for entry in filter(None, status.stdout.split("\0")):
        code, rel = entry[:2], entry[3:]
        if code.strip() != "M":
            continue
        release_file = root / rel
        parts = Path(rel).parts  # notebooks/<assignment>/<file>
        if len(parts) < 3:
            continue
        target = root / WORK / Path(*parts[1:])
        base = root / WORK / BASE / Path(*parts[1:])
        original = subprocess.run(["git", "-C", str(root), "show", f"HEAD:{rel}"], capture_output=True).stdout
        if target.exists():
            target = target.with_name(f"{target.stem}.from-notebooks{target.suffix}")
            note = f"your edits in {rel} are saved as {target.relative_to(root)} (work/ already had this notebook)"
        else:
            _write_atomic(base, original)
            note = f"your edits in {rel} now live in {target.relative_to(root)}; keep working there"
        _write_atomic(target, release_file.read_bytes())
        restore = _git(root, "checkout", "--", rel)
        if restore.returncode != 0:
            raise CourseError(f"{release_file}: could not restore the release copy ({restore.stderr.strip().splitlines()[0]})")
        outcomes.append(Outcome(target, Change.RESCUED, note))
    return outcomes


def pull(root: Path) -> str:
    """`git pull --ff-only` in the course checkout; returns a one-line summary."""
    if not _is_git_checkout(root):
        return "not a git checkout: fetched nothing (download the course again to get its changes)"
    done = _git(root, "pull", "--ff-only", "--quiet")
    if done.returncode != 0:
        reason = (done.stderr.strip() or done.stdout.strip() or "git pull failed").splitlines()[0]
        raise CourseError(f"{root}: git pull --ff-only failed ({reason}); your work in {WORK}/ is untouched")
    head = _git(root, "log", "-1", "--format=%h %s").stdout.strip()
    return f"course is at {head}"


# Changing only these keys of a cell (running it, collapsing it) does not make it the student's own.
_RUN_KEYS = {"outputs", "execution_count", "metadata", "id"}


def _touched_cells(base: nbformat.NotebookNode, other: nbformat.NotebookNode, sources_only: bool) -> set[int]:
    """Indices of base cells that other changed or removed (sources_only: ignore outputs and metadata)."""
    from nbdime.diffing.notebooks import diff_notebooks

    touched: set[int] = set()
    for top in diff_notebooks(base, other):
        if top["key"] != "cells":
            continue
        for op in top.get("diff", []):
            if op["op"] == "removerange":
                touched.update(range(op["key"], op["key"] + op["length"]))
            elif op["op"] == "replace":
                touched.add(op["key"])
            elif op["op"] == "patch":
                keys = {inner["key"] for inner in op.get("diff", [])}
                if not sources_only or keys - _RUN_KEYS:
                    touched.add(op["key"])
    return touched


def _merge(base: Path, local: Path, remote: Path) -> tuple[nbformat.NotebookNode | None, bool]:
    """Three-way notebook merge: (merged notebook, conflicted). None when a file is not a notebook.

    A cell the student wrote in (its source, not just its outputs) that the course also changed
    is a conflict, even when the lines could be merged: the student's cells stay as they are.
    """
    from nbdime.merging import merge_notebooks

    try:
        nbs = [nbformat.read(str(p), as_version=4) for p in (base, local, remote)]
    except Exception:  # noqa: BLE001 - an unreadable notebook is kept, never merged
        return None, True
    if _touched_cells(nbs[0], nbs[1], sources_only=True) & _touched_cells(nbs[0], nbs[2], sources_only=False):
        return None, True
    args = argparse.Namespace(merge_strategy="inline", input_strategy=None, output_strategy=None,
                              ignore_transients=True, log_level="WARNING")
    merged, decisions = merge_notebooks(*nbs, args=args)
    return merged, any(d.conflict for d in decisions)


def _sync_file(root: Path, release: Path, work: Path, base: Path) -> Outcome | None:
    """Bring one file of work/ up to date with its release; None when nothing changed."""
    rel = work.relative_to(root)
    new = release.read_bytes()
    if not work.exists():
        _write_atomic(work, new)
        _write_atomic(base, new)
        return Outcome(work, Change.NEW, f"{rel}: new")
    if not base.exists():  # a copy made by hand: adopt it when it is the release, never overwrite it
        if work.read_bytes() == new:
            _write_atomic(base, new)
            return None
        _write_atomic(_side_path(work), new)
        return Outcome(work, Change.KEPT_BOTH, f"{rel}: kept yours; the course's version is {_side_path(work).relative_to(root)}")
    old = base.read_bytes()
    if new == old:
        return None
    mine = work.read_bytes()
    if mine == old:
        _write_atomic(work, new)
        _write_atomic(base, new)
        return Outcome(work, Change.UPDATED, f"{rel}: updated (you had not changed it)")
    if work.suffix == ".ipynb":
        merged, conflicted = _merge(base, work, release)
        if merged is not None and not conflicted:
            _write_atomic(work, nbformat.writes(merged).encode())
            _write_atomic(base, new)
            _side_path(work).unlink(missing_ok=True)
            return Outcome(work, Change.MERGED, f"{rel}: course fixes merged in, your answers kept")
    side = _side_path(work)
    _write_atomic(side, new)
    return Outcome(work, Change.KEPT_BOTH,
                   f"{rel}: the course changed cells you also changed, so your file is untouched; "
                   f"the new version is {side.relative_to(root)}: copy what you need from it")


def sync(root: Path) -> list[Outcome]:
    """Copy new assignments into work/ and merge course changes into the student's copies."""
    release_root = root / "notebooks"
    if not release_root.is_dir():
        raise CourseError(f"{release_root}: no student release here (is this the course folder?)")
    outcomes = []
    for folder in sorted(p for p in release_root.iterdir() if p.is_dir() and ASSIGNMENT_RE.match(p.name)):
        for release in sorted(p for p in folder.rglob("*") if p.is_file() and ".ipynb_checkpoints" not in p.parts):
            rel = release.relative_to(release_root)
            outcome = _sync_file(root, release, root / WORK / rel, root / WORK / BASE / rel)
            if outcome is not None:
                outcomes.append(outcome)
    return outcomes


def update(root: Path, offline: bool = False) -> tuple[list[str], bool]:
    """Rescue edits in notebooks/, pull the course (unless offline), sync work/; (report lines, needs a look)."""
    outcomes = rescue_release_edits(root)
    lines = [] if offline else [pull(root)]
    outcomes += sync(root)
    lines += [o.message for o in outcomes]
    needs_look = any(o.change.needs_look for o in outcomes)
    if not outcomes and not offline:
        lines.append(f"{WORK}/ is up to date")
    return lines, needs_look
