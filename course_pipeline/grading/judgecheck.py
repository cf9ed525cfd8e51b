"""Prove an assignment's tests hold under the judge, in one live kernel.

The kernel executes the source notebook top to bottom with recording on (the reference run).
Then each test cell's observing form is run again on the reference solution and judged (it
must pass), and each catalogued wrong answer is defined in turn, the exercise's observing test
cells are re-run and judged (at least one must fail, and the judge's diagnosis, made with what every
catalogued mistake observes, must name that very mistake on at least one failing test), and the solution
is restored.
`course check` and the test suite use it; `python -m course_pipeline.grading.judgecheck A` prints it.
"""

from __future__ import annotations

import os
import queue
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from nbformat import NotebookNode

from course_utils import checks
from ..nbtools import (CourseError, exercises, find_course_root, is_test_cell, load_bugs, load_sections,
                       nbgrader_meta, notebook_paths, read_notebook)
from . import judge
from .prewarm import trusted_zygote

CELL_TIMEOUT = 120


@dataclass
class LiveRun:
    """What one execution in the live kernel produced."""

    ok: bool
    outputs: list = field(default_factory=list)
    error: str = ""

    def as_cell(self, source: str = "") -> NotebookNode:
        """The outputs as a code cell, for the judge."""
        return NotebookNode(cell_type="code", source=source, metadata={}, outputs=self.outputs)


class LiveKernel:
    """A python3 kernel in a scratch copy of the course's assignments, run cell by cell."""

    def __init__(self, root: Path, assignment: str, record: bool = True, warm: bool = True) -> None:
        """warm: fork the kernel from this process's trusted kernel server (prewarm.trusted_zygote); else cold."""
        from ..release import _ignore_junk

        self._tmp = tempfile.mkdtemp(prefix="course-judgecheck-")
        src = root / "source" / assignment
        for folder in (p for p in src.parent.iterdir() if p.is_dir()):  # later notebooks reuse earlier ones
            shutil.copytree(folder, Path(self._tmp) / "course" / folder.name, ignore=_ignore_junk)
        home = Path(self._tmp) / "home"  # the kernel's own: nothing lands in the instructor's home
        home.mkdir()
        # BLAS on one thread, as in the students' sandboxed kernels the reference is compared with; it also keeps
        # the pre-warmed kernel server single-threaded, which forking needs.
        env = {**os.environ, "MPLBACKEND": "agg", checks.RECORD_ENV: "1" if record else "0", "HOME": str(home),
               "IPYTHONDIR": str(home / ".ipython"), "MPLCONFIGDIR": str(home / ".matplotlib"),
               "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        self.km = judge.plain_kernel_manager(trusted_zygote(root, env) if warm else None)
        self.km.start_kernel(cwd=str(Path(self._tmp) / "course" / assignment), env=env,
                             extra_arguments=["--IPKernelApp.log_level=ERROR"])
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)

    def run(self, code: str, timeout: float = CELL_TIMEOUT) -> LiveRun:
        """Execute code; collect its outputs as notebook outputs."""
        outputs: list = []

        def hook(msg: dict) -> None:
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                outputs.append(NotebookNode(output_type="stream", name=content["name"], text=content["text"]))
            elif kind == "display_data":
                outputs.append(NotebookNode(output_type="display_data", data=content["data"], metadata={}))
            elif kind == "error":
                outputs.append(NotebookNode(output_type="error", ename=content["ename"], evalue=content["evalue"],
                                            traceback=[]))

        try:
            reply = self.kc.execute_interactive(code, store_history=False, timeout=timeout, output_hook=hook)
        except (TimeoutError, queue.Empty):
            self.km.interrupt_kernel()
            return LiveRun(False, outputs, f"timed out after {timeout} s")
        content = reply["content"]
        if content["status"] == "ok":
            return LiveRun(True, outputs)
        return LiveRun(False, outputs, f"{content.get('ename')}: {content.get('evalue')}")

    def close(self) -> None:
        """Stop the kernel and remove the scratch folder."""
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)
        shutil.rmtree(self._tmp, ignore_errors=True)


@dataclass
class JudgeProof:
    """The outcome of proving one assignment's tests under the judge."""

    assignment: str
    seconds: float = 0.0
    execute_seconds: float = 0.0  # the reference run: the notebook top to bottom in a fresh kernel
    problems: list[str] = field(default_factory=list)
    bugs_caught: int = 0
    bugs_total: int = 0
    bugs_diagnosed: int = 0  # caught and named: a failing test's verdict says "Likely mistake: <this one>"
    reference: dict = field(default_factory=dict)  # grade_id -> records
    bug_verdicts: dict = field(default_factory=dict)  # (exercise, bug) -> {grade_id: Verdict}

    @property
    def ok(self) -> bool:
        return not self.problems


class LiveNotebook:
    """A live kernel that executed an assignment's source notebook with recording on."""

    def __init__(self, root: Path, assignment: str, warm: bool = True) -> None:
        (path,) = notebook_paths(root / "source" / assignment)
        self.path = path
        self.nb = read_notebook(path)
        self.exercises = exercises(self.nb)
        self.kernel = LiveKernel(root, assignment, warm=warm)
        self.errors: list[str] = []
        self.reference: dict[str, list[dict]] = {}
        self.observing: dict[int, str] = {}
        self._mistake_runs: dict[tuple[str, str], tuple[str, dict[str, LiveRun | None]]] = {}
        start = time.perf_counter()
        for index, cell in enumerate(self.nb.cells):
            if cell.cell_type != "code":
                continue
            outcome = self.kernel.run(cell.source)
            if not outcome.ok:
                self.errors.append(f"cell {index}: {outcome.error}")
            if is_test_cell(cell):
                grade_id = nbgrader_meta(cell).get("grade_id", "")
                self.reference[grade_id] = judge.observations(outcome.as_cell())
                try:
                    self.observing[index] = judge.observing_source(cell.source, f"{path.name}, test {grade_id}")
                except judge.AuthoringError as err:
                    self.errors.append(str(err))
        self.seconds = time.perf_counter() - start
        self.kernel.run("from course_utils import checks as _judge_checks; _judge_checks.record_reference(False)")

    def run_tests(self, indices: list[int]) -> dict[str, LiveRun | None]:
        """Run the observing form of the given test cells now (None for a cell that has none)."""
        runs: dict[str, LiveRun | None] = {}
        for index in indices:
            grade_id = nbgrader_meta(self.nb.cells[index]).get("grade_id", "")
            runs[grade_id] = self.kernel.run(self.observing[index]) if index in self.observing else None
        return runs

    def judge_tests(self, indices: list[int], mistakes: dict | None = None) -> dict[str, judge.Verdict]:
        """Run the observing form of the given test cells now and judge each (diagnosing with `mistakes`)."""
        return self._judge_runs(self.run_tests(indices), mistakes)

    def _judge_runs(self, runs: dict[str, LiveRun | None], mistakes: dict | None) -> dict[str, judge.Verdict]:
        verdicts = {}
        for grade_id, run in runs.items():
            if run is None:
                verdicts[grade_id] = judge.Verdict(False, ["no observing form"])
            else:
                verdicts[grade_id] = judge.judge_cell(run.as_cell(), self.reference.get(grade_id, []),
                                                      (mistakes or {}).get(grade_id, []))
        return verdicts

    def reference_problems(self) -> list[str]:
        """Why the reference solution does not pass its own tests, in either form ([] when it does)."""
        problems = list(self.errors)
        for grade_id, records in self.reference.items():
            failing = [r.get("message") for r in records if isinstance(r, dict) and r.get("message")]
            if failing:
                problems.append(f"{grade_id}: the reference solution fails: {failing[0]}")
            elif not records:
                problems.append(f"{grade_id}: makes no check the grader can observe")
        tests = [i for i, c in enumerate(self.nb.cells) if is_test_cell(c)]
        for grade_id, verdict in self.judge_tests(tests).items():
            if not verdict.passed:
                problems.append(f"{grade_id}: the reference solution's observations do not pass the judge: "
                                f"{'; '.join(verdict.reasons)[:300]}")
        return problems

    def try_answer(self, exercise: str, code: str, mistakes: dict | None = None) -> tuple[str, dict[str, judge.Verdict]]:
        """Define another answer to an exercise, judge its tests, restore the reference; (error, verdicts)."""
        error, runs = self._answer_runs(exercise, code)
        return error, ({} if error else self._judge_runs(runs, mistakes))

    def _answer_runs(self, exercise: str, code: str) -> tuple[str, dict[str, LiveRun | None]]:
        ex = self.exercises[exercise]
        error = self._define(exercise, code)
        runs = {} if error else self.run_tests(list(ex.test_indices))
        self._restore(exercise)
        return error, runs

    def mistake_table(self, bugs: dict[str, dict[str, str]], sections: dict[str, str]) -> dict[str, list[dict]]:
        """What every catalogued mistake makes each of its exercise's tests observe (the judge's diagnosis data).

        grade_id -> [{"exercise", "description", "section", "got": [one encoded value per observation],
        "what": [the label each observation carried], "stopped": the error that stopped the test, "" if none}]
        (a mistake that modifies the test's inputs changes labels; one that raises stops the test where it raises).
        The runs are kept: `judge_mistake` judges them without running the tests again. A mistake that does not
        define is left out of the table (`judge_mistake` reports its error).
        """
        table: dict[str, list[dict]] = {}
        for exercise, wrongs in bugs.items():
            if exercise not in self.exercises:
                continue
            for description, code in wrongs.items():
                error, runs = self._answer_runs(exercise, code)
                self._mistake_runs[(exercise, description)] = (error, runs)
                for grade_id, run in runs.items():
                    records = judge.observations(run.as_cell()) if run else []
                    table.setdefault(grade_id, []).append({
                        "exercise": exercise, "description": description, "section": sections.get(exercise, ""),
                        "got": [r.get("got") if isinstance(r, dict) else None for r in records],
                        "what": [r.get("what") if isinstance(r, dict) else None for r in records],
                        "stopped": judge._stopping_error(run.as_cell()) if run else ""})
        return table

    def judge_mistake(self, exercise: str, description: str, table: dict) -> tuple[str, dict[str, judge.Verdict]]:
        """(error, verdicts) of a catalogued mistake whose tests `mistake_table` ran, judged with the table."""
        if (exercise, description) not in self._mistake_runs:
            raise KeyError(f"{exercise}: '{description}' was not run by mistake_table")
        error, runs = self._mistake_runs[(exercise, description)]
        return error, ({} if error else self._judge_runs(runs, table))

    def _define(self, exercise: str, code: str) -> str:
        self.kernel.run(f"globals().pop({exercise!r}, None)")
        defined = self.kernel.run(code)
        return "" if defined.ok or "NotImplementedError" in defined.error else defined.error

    def _restore(self, exercise: str) -> None:
        restored = self.kernel.run(self.nb.cells[self.exercises[exercise].solution_index].source)
        if not restored.ok:
            raise CourseError(f"{self.path}: could not restore the solution of {exercise}: {restored.error}")

    def blank_problems(self) -> list[str]:
        """The tests that give points to the blank release's stub of their exercise ([] when none does)."""
        problems = []
        for name, ex in self.exercises.items():
            _, verdicts = self.try_answer(name, blank_solution(self.nb.cells[ex.solution_index].source))
            problems += [f"{grade_id}: the blank release's {name} passes it" for grade_id, v in verdicts.items()
                         if v.passed]
        return problems

    def close(self) -> None:
        self.kernel.close()


def blank_solution(source: str) -> str:
    """A solution cell as the student release has it: each solution block replaced by the stub."""
    out, inside = [], False
    for line in source.splitlines():
        if judge_marker(line, "### BEGIN SOLUTION"):
            indent = line[: len(line) - len(line.lstrip())]
            out += [f"{indent}# YOUR CODE HERE", f"{indent}raise NotImplementedError()"]
            inside = True
        elif judge_marker(line, "### END SOLUTION"):
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def judge_marker(line: str, marker: str) -> bool:
    """nbgrader's rule: a delimiter counts anywhere within a line."""
    return marker in line


def prove(root: Path, assignment: str, bugs: dict[str, dict[str, str]] | None = None) -> JudgeProof:
    """Reference run, observing re-run on the reference, the blank stubs and every catalogued wrong answer, judged."""
    proof = JudgeProof(assignment)
    start = time.perf_counter()
    live = LiveNotebook(root, assignment)
    try:
        proof.reference = live.reference
        proof.execute_seconds = live.seconds
        proof.problems += live.reference_problems()
        proof.problems += live.blank_problems()
        bugs = load_bugs(root, assignment) if bugs is None else bugs
        unknown = [e for e in bugs if e not in live.exercises]
        proof.problems += [f"mistakes/{assignment}.py names {e}, which {assignment} does not have" for e in unknown]
        table = live.mistake_table({e: w for e, w in bugs.items() if e not in unknown}, load_sections(root, assignment))
        for exercise, wrongs in bugs.items():
            if exercise in unknown:
                continue
            for name in wrongs:
                proof.bugs_total += 1
                error, verdicts = live.judge_mistake(exercise, name, table)
                proof.bug_verdicts[(exercise, name)] = verdicts
                if error:
                    proof.problems.append(f"{exercise}: the wrong answer '{name}' does not define: {error}")
                elif all(v.passed for v in verdicts.values()):
                    proof.problems.append(f"{exercise}: the judge accepts the wrong answer '{name}'")
                else:
                    proof.bugs_caught += 1
                    if not any(name in v.mistakes for v in verdicts.values() if not v.passed):
                        named = sorted({m for v in verdicts.values() for m in v.mistakes})
                        proof.problems.append(f"{exercise}: the wrong answer '{name}' loses points but is not diagnosed "
                                              f"as itself" + (f" (diagnosed as {named})" if named else ""))
                    else:
                        proof.bugs_diagnosed += 1
    finally:
        live.close()
    proof.seconds = time.perf_counter() - start
    return proof


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = find_course_root()
    status = 0
    for assignment in args:
        try:
            proof = prove(root, assignment)
        except CourseError as err:
            print(f"{assignment}: {err}")
            status = 1
            continue
        print(f"{assignment}: {len(proof.reference)} tests, {proof.bugs_caught}/{proof.bugs_total} wrong answers "
              f"caught, {proof.bugs_diagnosed} diagnosed as themselves, {proof.seconds:.1f} s")
        for problem in proof.problems:
            print(f"  - {problem}")
        status |= 0 if proof.ok else 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
