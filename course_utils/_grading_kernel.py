"""The kernel `course grade` starts: ipykernel, with what a notebook prints capped by the bytes it writes.

The grader once counted output as it arrived, but ipykernel batches stream output by time, so how
much arrived before the grader reacted (and whether one batch broke the message-size limit) depended
on machine load: the same flood scored differently from run to run. Counting here, at the write,
makes the outcome a function of the notebook alone: the cell whose output crosses the budget keeps
what fits, gets a truncation note and is stopped with OutputLimitExceeded; later cells run as usual,
their output dropped (stderr leaves one marker, so a test cell that writes to stderr still fails).
The grader keeps a larger cap of its own as a backstop for kernels whose code removes this one.

Not for students: only grading kernels run it (`python -m course_utils._grading_kernel --budget=N -f FILE`).
"""

from __future__ import annotations

import sys

BUDGET_FLAG = "--budget="


class OutputLimitExceeded(BaseException):
    """Raised in the cell whose output went over the notebook's budget; it ends that cell only.

    A BaseException, like KeyboardInterrupt, so that `except Exception` in the flooding code does
    not swallow it and keep the cell running.
    """


class OutputCap:
    """Bytes written to stdout and stderr by one notebook, against its budget."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.used = 0
        self.stopped_cell: object = None
        self.stderr_marked: set[object] = set()

    def note(self, cell: object) -> str:
        return f"\n[output truncated: this notebook wrote more than {self.budget} bytes; cell {cell} was stopped]\n"


def _current_cell() -> object:
    from IPython import get_ipython

    shell = get_ipython()
    return getattr(shell, "execution_count", None)


def install(budget: int) -> OutputCap:
    """Wrap ipykernel's output streams so that writes beyond budget bytes are cut as described above."""
    from ipykernel.iostream import OutStream

    cap = OutputCap(budget)
    original = OutStream.write

    def write(self, string):  # noqa: ANN001 - the signature of TextIOBase.write
        if not isinstance(string, str):
            return original(self, string)
        size = len(string.encode("utf-8", "surrogatepass"))
        if cap.used + size <= cap.budget:
            cap.used += size
            return original(self, string)
        cell = _current_cell()
        if cap.stopped_cell is None:
            room = max(cap.budget - cap.used, 0)
            cap.used = cap.budget
            cap.stopped_cell = cell
            kept = string.encode("utf-8", "surrogatepass")[:room].decode("utf-8", "ignore")
            original(self, kept + cap.note(cell))
            raise OutputLimitExceeded(f"output over {cap.budget} bytes")
        if getattr(self, "name", "") == "stderr" and cell not in cap.stderr_marked:
            cap.stderr_marked.add(cell)
            original(self, "[stderr truncated]\n")
        if cell == cap.stopped_cell:
            raise OutputLimitExceeded(f"output over {cap.budget} bytes")
        return len(string)

    OutStream.write = write
    return cap


def argv(python: str, budget: int) -> list[str]:
    """The kernel command line for a kernelspec: this module, the budget, then ipykernel's own flags."""
    return [python, "-m", __name__, f"{BUDGET_FLAG}{int(budget)}", "-f", "{connection_file}"]


def main() -> None:
    """Install the cap given by --budget=N (bytes; 0: no cap), then run ipykernel with the other arguments."""
    flags = [a for a in sys.argv[1:] if a.startswith(BUDGET_FLAG)]
    sys.argv[1:] = [a for a in sys.argv[1:] if not a.startswith(BUDGET_FLAG)]
    budget = int(flags[-1][len(BUDGET_FLAG):]) if flags else 0
    run(budget)


def run(budget: int, prewarmed: bool = False) -> None:
    """Install the cap (0: none), then run ipykernel on the arguments in sys.argv.

    prewarmed: this process is a fork of course_utils._zygote, which imported the notebooks' modules
    before any IPython shell existed; matplotlib's inline backend, if it was imported then, is hooked
    into this kernel's shell now, as importing it in a cell would have done.
    """
    if budget > 0:
        install(budget)
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    app.initialize()
    if prewarmed and "matplotlib_inline.backend_inline" in sys.modules:
        sys.modules["matplotlib_inline.backend_inline"]._enable_matplotlib_integration()
    app.start()


if __name__ == "__main__":
    main()
