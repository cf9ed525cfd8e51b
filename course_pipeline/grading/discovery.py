"""Find the submissions to grade: nbgrader's submitted layout, as a folder or a .zip, copied safely."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..nbtools import CourseError
from .settings import default

__all__ = ["Submission", "Refused", "Unpacked", "find_submissions", "unclaimed_entries", "unpack_zip",
           "zip_entry_name", "zip_entry_time", "safe_copy_tree", "read_tree", "write_tree", "replace_tree"]


@dataclass(frozen=True)
class Submission:
    """One student folder found in SUBMISSIONS (folder is None when the assignment folder is missing).

    note says what of this student's zip entries was not extracted, and why ('' when nothing was refused).
    """

    student_id: str
    folder: Path | None
    note: str = ""


@dataclass(frozen=True)
class Refused:
    """A zip entry that was not extracted: its name as stored, the safe folders leading to it, and why."""

    name: str
    parts: tuple[str, ...]  # the folders before the first '..' (without a leading '/'): whose entry it was
    reason: str


@dataclass(frozen=True)
class Unpacked:
    """An extracted zip: the folder, every entry that was not extracted, and each regular file's zip time."""

    top: Path
    refused: tuple[Refused, ...] = ()
    times: dict[str, tuple[int, ...]] = field(default_factory=dict)  # relative posix path -> zip date_time or (utc,)


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


def _refused_by_student(root_parts: tuple[str, ...], refused: Sequence[Refused]) -> tuple[dict[str, list[str]], list[Refused]]:
    """Refused entries grouped by the student folder they name, and those that name none."""
    mine: dict[str, list[str]] = {}
    nobody: list[Refused] = []
    depth = len(root_parts)
    for entry in refused:
        student = entry.parts[depth] if len(entry.parts) > depth and entry.parts[:depth] == root_parts else ""
        if _is_student_name(student):
            mine.setdefault(student, []).append(f"{entry.name}: {entry.reason}")
        else:
            nobody.append(entry)
    return mine, nobody


def find_submissions(top: Path, assignment: str, refused: Sequence[Refused] = ()) -> list[Submission]:
    """Every student folder under top, sorted by id, with its SUBMISSIONS/<student>/<assignment> folder.

    A student whose zip entries were refused (links, '..', absolute paths) is listed too, with a note
    saying which and why, even when nothing of theirs was extracted.
    """
    if not top.is_dir():
        raise CourseError(f"{top}: not a folder of submissions")
    try:
        root = _layout_root(top, assignment)
        # The top two levels are the instructor's layout (links allowed); what is inside a student's
        # assignment folder is the student's, and is copied without following links.
        students = {p.name for p in root.iterdir() if p.is_dir() and _is_student_name(p.name)}
    except OSError as err:
        raise CourseError(f"{top}: cannot read submissions ({err.strerror or err})") from None
    notes, _ = _refused_by_student(root.relative_to(top).parts, refused)
    found = []
    for name in sorted(students | set(notes)):
        folder = root / name / assignment
        note = ""
        if name in notes:
            shown = notes[name]
            note = "; ".join(shown[:3]) + (f" (and {len(shown) - 3} more)" if len(shown) > 3 else "")
        found.append(Submission(name, folder if folder.is_dir() else None, note))
    return found


def unclaimed_entries(top: Path, assignment: str, refused: Sequence[Refused] = ()) -> list[str]:
    """What of an extracted zip belongs to no student: refused entries of nobody and loose files (one line each)."""
    root = _layout_root(top, assignment)
    _, nobody = _refused_by_student(root.relative_to(top).parts, refused)
    lines = [f"{entry.name}: {entry.reason} (in no student folder)" for entry in nobody]
    loose = [p for p in top.iterdir() if p.is_file()]
    if root != top:
        loose += [p for p in root.iterdir() if p.is_file() or not _is_student_name(p.name)]
    lines += [f"{p.relative_to(top).as_posix()}: in no student folder, ignored" for p in sorted(loose)]
    return lines


def zip_entry_name(member: zipfile.ZipInfo) -> str:
    """The entry's name, decoded as UTF-8 when the archiver wrote UTF-8 without saying so (common), else as stored."""
    name = member.filename
    if not member.flag_bits & 0x800:
        try:
            raw = name.encode("cp437")
            if any(b >= 0x80 for b in raw):
                name = raw.decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name


def zip_entry_time(member: zipfile.ZipInfo) -> tuple[int, ...]:
    """(unix seconds UTC,) from the entry's extended-timestamp field when present, else its DOS date_time (local)."""
    extra = member.extra
    i = 0
    while i + 4 <= len(extra):
        tag, size = int.from_bytes(extra[i:i + 2], "little"), int.from_bytes(extra[i + 2:i + 4], "little")
        body = extra[i + 4:i + 4 + size]
        if tag == 0x5455 and len(body) >= 5 and body[0] & 1:
            return (int.from_bytes(body[1:5], "little", signed=True),)
        i += 4 + size
    return tuple(member.date_time)


def _refusal(name: str, member: zipfile.ZipInfo) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """(the safe leading parts naming whose entry it is, the folders that may be created for it, why it is
    refused); the reason is '' when the entry may be extracted."""
    path = PurePosixPath(name.replace("\\", "/"))
    parts = tuple(p for p in path.parts if p not in ("/", ""))
    if "\x00" in name:
        return (), (), "a NUL byte in the name"
    if ".." in parts:
        safe = parts[:parts.index("..")]
        return safe, safe, "a '..' path leading out of the folder"
    mode = member.external_attr >> 16
    if path.is_absolute():
        reason = "an absolute path"
    elif stat.S_ISLNK(mode):
        reason = "a symbolic link"
    elif not parts:
        reason = "an empty name"
    elif stat.S_IFMT(mode) and stat.S_IFMT(mode) not in (stat.S_IFREG, stat.S_IFDIR):
        reason = "not a regular file (device, fifo or socket)"
    else:
        return parts, parts, ""
    return parts, parts[:-1], reason


def unpack_zip(archive: Path, dest: Path, max_bytes: int = default("max_zip_bytes"),
               max_members: int = default("max_zip_members")) -> Unpacked:
    """Extract a zip into dest, refusing absolute paths, '..', links, special files and zip bombs (CourseGrade's caps).

    Nothing is dropped silently: every entry not extracted is returned with the reason, and the
    folders leading to it are created so the student it belongs to still has a folder (and a row).
    """
    refused: list[Refused] = []
    times: dict[str, tuple[int, ...]] = {}
    try:
        with zipfile.ZipFile(archive) as zf:
            members = zf.infolist()
            if len(members) > max_members:
                raise CourseError(f"{archive}: more than {max_members} files (c.CourseGrade.max_zip_members)")
            if sum(m.file_size for m in members) > max_bytes:
                raise CourseError(f"{archive}: more than {_size(max_bytes)} once unpacked (c.CourseGrade.max_zip_bytes)")
            dest.mkdir(parents=True, exist_ok=True)
            for member in members:
                name = zip_entry_name(member)
                parts, folders, reason = _refusal(name, member)
                if reason:
                    _make_dirs(dest, folders)  # the student it belongs to keeps a folder, hence a row
                    refused.append(Refused(name, parts, f"not extracted: {reason}"))
                    continue
                target = dest.joinpath(*parts)
                if not member.is_dir() and (target.exists() or target.is_symlink()):
                    refused.append(Refused(name, parts, "not extracted: a second entry with the same name "
                                                        "(the first was kept)"))
                    continue
                try:
                    if member.is_dir():
                        target.mkdir(parents=True, exist_ok=True)
                        continue
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with zf.open(member) as src, open(target, "xb") as out:
                        shutil.copyfileobj(src, out, 1024 * 1024)
                except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError, RuntimeError) as err:
                    target.unlink(missing_ok=True)
                    _make_dirs(dest, parts[:-1])
                    refused.append(Refused(name, parts, f"not extracted: corrupt or unsupported in the zip ({err})"))
                    continue
                except OSError as err:
                    if err.errno in (errno.ENOSPC, errno.EDQUOT):
                        raise CourseError(f"{dest}: no space left to unpack {archive}") from None
                    refused.append(Refused(name, parts, "not extracted: cannot be written here "
                                                        f"({err.strerror or err})"))
                    continue
                times["/".join(parts)] = zip_entry_time(member)
    except (zipfile.BadZipFile, OSError) as err:
        raise CourseError(f"{archive}: not a readable zip ({err})") from None
    return Unpacked(dest, tuple(refused), times)


def _make_dirs(dest: Path, parts: Sequence[str]) -> None:
    """Create dest/parts... when that is a plain folder path (a file in the way is left alone)."""
    if parts:
        try:
            dest.joinpath(*parts).mkdir(parents=True, exist_ok=True)
        except OSError:
            pass


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


def _size(n: int) -> str:
    """A byte count for people: GiB or MiB when whole, else bytes."""
    for unit, size in (("GiB", 2**30), ("MiB", 2**20)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return f"{n} bytes"


def safe_copy_tree(src: Path, dest: Path, limit: int = default("max_submission_bytes")) -> list[str]:
    """Copy regular files and folders only (no links, devices, fifos); return what was skipped and why."""
    skipped: list[str] = []
    dest.mkdir(parents=True, exist_ok=True)
    for rel, path, is_dir in _regular_files(src, limit, skipped):
        if is_dir:
            (dest / rel).mkdir(exist_ok=True)
        else:
            shutil.copyfile(path, dest / rel, follow_symlinks=False)
    return skipped


def read_tree(src: Path, limit: int = default("max_submission_bytes")) -> tuple[dict[str, bytes], list[str]]:
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
