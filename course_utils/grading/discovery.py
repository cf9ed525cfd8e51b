"""Find the submissions to grade: nbgrader's submitted layout, as a folder or a .zip, copied safely."""

from __future__ import annotations

import os
import shutil
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..nbtools import CourseError

__all__ = ["Submission", "find_submissions", "unpack_zip", "safe_copy_tree", "read_tree", "write_tree", "replace_tree",
           "MAX_SUBMISSION_BYTES"]

MAX_SUBMISSION_BYTES = 200 * 1024 * 1024  # per student folder, counted while copying
MAX_ZIP_BYTES = 4 * 1024 * 1024 * 1024  # whole archive, uncompressed
MAX_ZIP_MEMBERS = 200_000


@dataclass(frozen=True)
class Submission:
    """One student folder found in SUBMISSIONS (folder is None when the assignment folder is missing)."""

    student_id: str
    folder: Path | None


def _is_student_name(name: str) -> bool:
    return bool(name) and not name.startswith((".", "_")) and name not in {"__MACOSX"}


def _layout_root(top: Path, assignment: str) -> Path:
    """The folder holding student folders; a single wrapping folder (e.g. submitted/ in a zip) is skipped."""
    entries = [p for p in top.iterdir() if _is_student_name(p.name)]
    dirs = [p for p in entries if p.is_dir()]
    if len(dirs) == 1 and not (dirs[0] / assignment).is_dir():
        inner = [p for p in dirs[0].iterdir() if p.is_dir() and _is_student_name(p.name)]
        if inner and any((p / assignment).is_dir() for p in inner):
            return dirs[0]
    return top


def find_submissions(top: Path, assignment: str) -> list[Submission]:
    """Every student folder under top, sorted by id, with its SUBMISSIONS/<student>/<assignment> folder."""
    if not top.is_dir():
        raise CourseError(f"{top}: not a folder of submissions")
    try:
        root = _layout_root(top, assignment)
        # The top two levels are the instructor's layout (links allowed); what is inside a student's
        # assignment folder is the student's, and is copied without following links.
        students = sorted(p for p in root.iterdir() if p.is_dir() and _is_student_name(p.name))
    except OSError as err:
        raise CourseError(f"{top}: cannot read submissions ({err.strerror or err})") from None
    found = []
    for student in students:
        folder = student / assignment
        found.append(Submission(student.name, folder if folder.is_dir() else None))
    return found


def unpack_zip(archive: Path, dest: Path) -> Path:
    """Extract a zip of submissions into dest, refusing absolute paths, '..', links and zip bombs."""
    try:
        with zipfile.ZipFile(archive) as zf:
            members = zf.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                raise CourseError(f"{archive}: more than {MAX_ZIP_MEMBERS} files")
            if sum(m.file_size for m in members) > MAX_ZIP_BYTES:
                raise CourseError(f"{archive}: more than {MAX_ZIP_BYTES // 2**30} GiB once unpacked")
            for member in members:
                name = PurePosixPath(member.filename.replace("\\", "/"))
                if name.is_absolute() or ".." in name.parts or not name.parts:
                    continue
                mode = member.external_attr >> 16
                if stat.S_ISLNK(mode):
                    continue
                target = dest.joinpath(*name.parts)
                if member.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(member) as src, open(target, "wb") as out:
                    shutil.copyfileobj(src, out, 1024 * 1024)
    except (zipfile.BadZipFile, OSError) as err:
        raise CourseError(f"{archive}: not a readable zip ({err})") from None
    return dest


def _regular_files(src: Path, limit: int, skipped: list[str]):
    """Walk src without following links: yield (relative path, path, is_dir) of what may be copied."""
    total = 0
    for folder, dirnames, filenames in os.walk(src, followlinks=False):
        rel = Path(folder).relative_to(src)
        for d in list(dirnames):
            if (Path(folder) / d).is_symlink():
                dirnames.remove(d)
                skipped.append(f"{rel / d} (link)")
            else:
                yield rel / d, Path(folder) / d, True
        for name in filenames:
            path = Path(folder) / name
            info = path.lstat()
            if not stat.S_ISREG(info.st_mode):
                skipped.append(f"{rel / name} (not a regular file)")
                continue
            if total + info.st_size > limit:
                skipped.append(f"{rel / name} (over the {limit // 2**20} MiB per submission)")
                continue
            total += info.st_size
            yield rel / name, path, False


def safe_copy_tree(src: Path, dest: Path, limit: int = MAX_SUBMISSION_BYTES) -> list[str]:
    """Copy regular files and folders only (no links, devices, fifos); return what was skipped and why."""
    skipped: list[str] = []
    dest.mkdir(parents=True, exist_ok=True)
    for rel, path, is_dir in _regular_files(src, limit, skipped):
        if is_dir:
            (dest / rel).mkdir(exist_ok=True)
        else:
            shutil.copyfile(path, dest / rel, follow_symlinks=False)
    return skipped


def read_tree(src: Path, limit: int = MAX_SUBMISSION_BYTES) -> tuple[dict[str, bytes], list[str]]:
    """The regular files below src as {posix relative path: bytes} (as safe_copy_tree copies them), and what was skipped."""
    skipped: list[str] = []
    files = {rel.as_posix(): path.read_bytes() for rel, path, is_dir in _regular_files(src, limit, skipped) if not is_dir}
    return files, skipped


def write_tree(files: dict[str, bytes], dest: Path) -> None:
    """Write {relative path: bytes} below dest; refuse absolute paths and '..' (CourseError)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        rel = PurePosixPath(name)
        if rel.is_absolute() or ".." in rel.parts or not rel.parts or rel.parts[0] in ("", "."):
            raise CourseError(f"{dest}: refusing to write {name!r} outside the folder")
        target = dest.joinpath(*rel.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def replace_tree(dest: Path, fill: Callable[[Path], object] | None = None) -> None:
    """Swap in a new dest that fill(folder) populates beside it, so dest is never half-written; no fill: remove dest."""
    staged = dest.with_name(dest.name + ".grading-tmp")
    shutil.rmtree(staged, ignore_errors=True)
    if fill is None:
        shutil.rmtree(dest, ignore_errors=True)
        return
    staged.parent.mkdir(parents=True, exist_ok=True)
    fill(staged)
    if dest.exists():
        shutil.rmtree(dest)
    staged.rename(dest)
