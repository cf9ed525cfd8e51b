"""The diagnosis data a student release ships: what each catalogued mistake makes each VISIBLE check observe.

When a visible check fails in the student's own kernel (Validate, or running the test cell), the student
has neither mistakes/ (instructor material) nor the grader. `course release` therefore writes, next to the
release notebook, `course_utils.checks.DIAGNOSIS_FILE`: for every visible check a catalogued mistake fails
first, that mistake's observed value, its description and the section to reread. It is computed in one
live kernel: the source notebook executed with recording on, then, for each mistake, only the visible part
of each of its exercise's test cells (`strip_hidden_tests`, exactly what the release carries) is run with the
mistake defined. Hidden checks never run, so no hidden expectation can reach the file, and the file holds no
expected value at all (the student's kernel has the visible expectation in the test cell itself).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from course_utils import checks
from .nbtools import CourseError, is_test_cell, load_bugs, load_sections, nbgrader_meta, strip_hidden_tests

__all__ = ["DiagnosisBuild", "build_diagnosis", "diagnosis_digest", "diagnosis_text", "read_diagnosis",
           "write_diagnosis"]

FORMAT = 1


@dataclass
class DiagnosisBuild:
    """The file's data, and what a test needs to prove it leaks nothing hidden."""

    data: dict
    hidden_expected: list = field(default_factory=list)  # encoded expected values of the checks only hidden code makes
    visible_expected: list = field(default_factory=list)
    visible_checks: dict = field(default_factory=dict)  # grade_id -> [(kind, what)] of its visible part, in order


def diagnosis_digest(root: Path, assignment: str) -> str:
    """What the file depends on: the assignment's sources, its catalogue and the course's checks."""
    from .nbtools import source_digest

    h = hashlib.sha256(source_digest(root / "source" / assignment).encode())
    catalogue = root / "mistakes" / f"{assignment}.py"
    h.update(catalogue.read_bytes() if catalogue.is_file() else b"no catalogue")
    for module in ("checks.py", "symbolic.py"):
        h.update((Path(checks.__file__).parent / module).read_bytes())
    return h.hexdigest()[:32]


def build_diagnosis(root: Path, assignment: str, live=None) -> DiagnosisBuild:
    """Run the visible test cells with every catalogued mistake in one live kernel; the file's data.

    `live`: a judgecheck.LiveNotebook that already executed the notebook (the test suite shares its kernels);
    it is left as it was found (reference solutions in place, recording off). Without it, one is started.
    """
    from .grading import judge
    from .grading.judgecheck import LiveNotebook
    from .nbtools import notebook_paths

    paths = notebook_paths(root / "source" / assignment)
    if not load_bugs(root, assignment) or len(paths) != 1:  # nothing catalogued (or no single notebook to key on)
        return DiagnosisBuild(data={"format": FORMAT, "assignment": assignment,
                                    "notebook": paths[0].name if len(paths) == 1 else "",
                                    "digest": diagnosis_digest(root, assignment), "checks": []})
    own = live is None
    live = LiveNotebook(root, assignment) if own else live
    try:
        if live.errors:
            raise CourseError(f"{live.path}: {live.errors[0]}")
        live.kernel.run("_judge_checks.record_reference(True)")
        sections = load_sections(root, assignment)
        visible: dict[int, str] = {}
        build = DiagnosisBuild(data={})
        for index, cell in enumerate(live.nb.cells):
            if is_test_cell(cell):
                visible[index] = strip_hidden_tests(cell.source)
        shown: dict[str, list[dict]] = {}
        for index, source in visible.items():
            grade_id = nbgrader_meta(live.nb.cells[index]).get("grade_id", "")
            run = live.kernel.run(source)
            records = judge.observations(run.as_cell())
            if not run.ok or any(r.get("message") for r in records):
                raise CourseError(f"{live.path}: the reference solution fails the visible part of {grade_id}: "
                                  f"{run.error or [r['message'] for r in records if r.get('message')][0]}")
            shown[grade_id] = records
            build.visible_checks[grade_id] = [(r["kind"], r["what"]) for r in records]
            build.visible_expected += [r["expected"] for r in records]
            unmatched = [json.dumps(r["expected"], sort_keys=True) for r in records]
            for full in live.reference.get(grade_id, []):
                key = json.dumps(full.get("expected"), sort_keys=True)
                if key in unmatched:
                    unmatched.remove(key)
                else:
                    build.hidden_expected.append(full.get("expected"))
        entries: dict[tuple[str, int], dict] = {}
        for exercise, wrongs in load_bugs(root, assignment).items():
            if exercise not in live.exercises:
                continue
            cells = [i for i in live.exercises[exercise].test_indices if i in visible]
            for description, code in wrongs.items():
                error = live._define(exercise, code)
                if error:
                    live._restore(exercise)
                    raise CourseError(f"mistakes/{assignment}.py: '{description}' does not define: {error}")
                for index in cells:
                    grade_id = nbgrader_meta(live.nb.cells[index]).get("grade_id", "")
                    records = judge.observations(live.kernel.run(visible[index]).as_cell())
                    failing = [(i, r) for i, r in enumerate(records) if isinstance(r, dict) and r.get("message")]
                    if not failing:
                        continue
                    position, record = failing[0]
                    expected = shown[grade_id]
                    if position >= len(expected) or (record.get("kind"), record.get("what")) != (
                            expected[position]["kind"], expected[position]["what"]):
                        continue  # the mistake changed which checks run: nothing the student's kernel could key on
                    entry = entries.setdefault((grade_id, position), {
                        "test": grade_id, "position": position, "kind": record["kind"], "what": record["what"],
                        "mistakes": []})
                    entry["mistakes"].append({"description": description, "section": sections.get(exercise, ""),
                                              "got": record.get("got")})
                live._restore(exercise)
        live.kernel.run("_judge_checks.record_reference(False)")
        build.data = {"format": FORMAT, "assignment": assignment, "notebook": live.path.name,
                      "digest": diagnosis_digest(root, assignment),
                      "checks": [entries[k] for k in sorted(entries, key=lambda k: (_order(live, k[0]), k[1]))]}
        return build
    finally:
        live.kernel.run("_judge_checks.record_reference(False)")
        if own:
            live.close()


def _order(live, grade_id: str) -> int:
    for index, cell in enumerate(live.nb.cells):
        if nbgrader_meta(cell).get("grade_id") == grade_id:
            return index
    return -1


def diagnosis_text(data: dict) -> str:
    """The file's text: stable JSON, one catalogued mistake of one check per line (a catalogue change is a small diff)."""
    def line(value) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)

    head = {k: v for k, v in data.items() if k != "checks"}
    out = ["{"] + [f" {line(k)}: {line(v)}," for k, v in sorted(head.items())] + [' "checks": [']
    for n, entry in enumerate(data.get("checks", [])):
        fields = [f"{line(k)}: {line(v)}" for k, v in sorted(entry.items()) if k != "mistakes"]
        mistakes = ",\n".join(f"    {line(m)}" for m in entry.get("mistakes", []))
        out.append("  {" + ", ".join(fields) + ', "mistakes": [\n' + mistakes + "\n  ]}" +
                   ("," if n + 1 < len(data["checks"]) else ""))
    out += [" ]", "}"]
    text = "\n".join(out) + "\n"
    assert json.loads(text) == data
    return text


def read_diagnosis(folder: Path) -> dict | None:
    """The diagnosis data shipped in a release folder (None when there is none or it does not parse)."""
    try:
        return json.loads((folder / checks.DIAGNOSIS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_diagnosis(root: Path, assignment: str, folder: Path) -> Path:
    """Compute the diagnosis data of an assignment and write it into a release folder."""
    path = folder / checks.DIAGNOSIS_FILE
    path.write_text(diagnosis_text(build_diagnosis(root, assignment).data), encoding="utf-8")
    return path
