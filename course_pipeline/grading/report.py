"""Progress while grading (a bar on a terminal, log lines otherwise), grades.csv and the summary table."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from .status import Status

__all__ = ["Row", "Progress", "write_csv", "summary_table", "format_duration", "CSV_COLUMNS"]

CSV_COLUMNS = ["student_id", "assignment", "score", "max_score", "status", "attempts", "detail"]


@dataclass(frozen=True)
class Row:
    """One line of grades.csv."""

    student_id: str
    assignment: str
    score: float
    max_score: float
    status: Status
    detail: str
    attempts: int = 1  # more than one: a grading worker died (or failed) and the submission was graded again


def _num(x: float) -> str:
    return f"{round(x, 4):g}"


def format_duration(seconds: float) -> str:
    """Seconds as m:ss (or h:mm:ss)."""
    seconds = max(0, int(round(seconds)))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class Progress:
    """Submissions done / total, rate and ETA: a redrawn bar on a TTY, one log line per submission otherwise."""

    def __init__(self, total: int, stream: TextIO | None = None, tty: bool | None = None, width: int = 28) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.width = width
        self.done = 0
        self.start = time.monotonic()

    def _rate_eta(self) -> tuple[float, float]:
        elapsed = max(time.monotonic() - self.start, 1e-9)
        rate = self.done / elapsed
        eta = (self.total - self.done) / rate if rate > 0 else float("nan")
        return rate, eta

    def bar(self) -> str:
        """The current progress line (without carriage return)."""
        rate, eta = self._rate_eta()
        filled = int(self.width * self.done / self.total) if self.total else self.width
        eta_s = format_duration(eta) if eta == eta else "?"
        elapsed = format_duration(time.monotonic() - self.start)
        return (f"grading [{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total} "
                f"{rate * 60:5.1f}/min  elapsed {elapsed}  ETA {eta_s}")

    def tick(self) -> None:
        """Redraw the bar (on a terminal) so elapsed time moves while a long submission runs."""
        if self.tty:
            self.stream.write("\r\x1b[2K" + self.bar())
            self.stream.flush()

    def begin(self, message: str) -> None:
        """Say what is being graded, and draw an empty bar on a terminal."""
        self.start = time.monotonic()
        self.stream.write(message + "\n")
        if self.tty:
            self.stream.write(self.bar())
        self.stream.flush()

    def update(self, row: Row, seconds: float) -> None:
        """Count one finished submission."""
        self.done += 1
        notable = row.status is not Status.OK or row.attempts > 1
        line = f"[{self.done}/{self.total}] {row.student_id}: {row.status.value} {_num(row.score)}/{_num(row.max_score)} " \
               f"({seconds:.1f} s)" + (f" - {row.detail}" if row.detail and notable else "")
        if self.tty:
            self.stream.write("\r\x1b[2K")
            if notable:
                self.stream.write(line + "\n")
            self.stream.write(self.bar())
        else:
            rate, eta = self._rate_eta()
            eta_s = format_duration(eta) if eta == eta else "?"
            self.stream.write(f"{line}  [{rate * 60:.1f}/min, ETA {eta_s}]\n")
        self.stream.flush()

    def end(self) -> None:
        """Finish the bar line."""
        if self.tty:
            self.stream.write("\r\x1b[2K" + self.bar() + "\n")
            self.stream.flush()


def write_csv(path: Path, rows: list[Row]) -> Path:
    """grades.csv: one row per student, sorted by id (written atomically)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in sorted(rows, key=lambda r: r.student_id):
        writer.writerow([r.student_id, r.assignment, _num(r.score), _num(r.max_score), r.status.value, r.attempts,
                         r.detail])
    tmp = path.with_suffix(".csv.tmp")
    tmp.write_text(buf.getvalue(), encoding="utf-8")
    os.replace(tmp, path)
    return path


def write_verdicts(path: Path, verdicts: dict[str, dict]) -> Path:
    """verdicts.json: student -> notebook -> test -> the judge's decision (passed, reasons, diagnosed mistakes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(verdicts, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def summary_table(rows: list[Row], seconds: float, workers: int) -> str:
    """Count per status, mean score, elapsed time and throughput."""
    counts = Counter(r.status.value for r in rows)
    lines = [f"{'status':<18} {'students':>8}", "-" * 27]
    for status, n in sorted(counts.items(), key=lambda kv: (kv[0] != Status.OK.value, kv[0])):  # ok, then by name
        lines.append(f"{status:<18} {n:>8}")
    lines.append("-" * 27)
    lines.append(f"{'total':<18} {len(rows):>8}")
    if rows:
        mean = sum(r.score for r in rows) / len(rows)
        top = max(r.max_score for r in rows)
        lines.append(f"mean score {_num(mean)}/{_num(top)} ({100 * mean / top:.1f} %)" if top else f"mean score {_num(mean)}")
    retried = sum(r.attempts > 1 for r in rows)
    if retried:
        lines.append(f"{retried} submission(s) graded again after a worker died or failed (see attempts in grades.csv)")
    rate = len(rows) / seconds * 60 if seconds > 0 else 0.0
    lines.append(f"{len(rows)} submissions in {format_duration(seconds)} with {workers} worker(s) ({rate:.1f}/min)")
    return "\n".join(lines)
