"""The Validate button, verdict first: a Jupyter server extension `make lab` loads (LAB_FLAGS in the Makefile).

nbgrader's Validate dialog (its lab extension) renders each failing cell as "The following cell failed:", the
cell's whole source, then the error: every stderr line the cell printed (NumPy's RuntimeWarnings) and the
traceback, in output order. Its message templates (`Validator.failed_warning` ...) are traitlets, but they only
word the text of `nbgrader validate` on a terminal; the dialog shows the JSON fields `source` and `error`, in
that order, and the validate handler builds its `Validator` from nbgrader's config files (the course root's
nbgrader_config.py: `make lab` runs the server from the course root) with no way to configure the class.

So the handler gets this subclass instead. A failing cell's `source` field becomes the verdict (what was
checked, expected, got, the likely mistake and the section to reread: the text `course_utils.checks.CheckFailed`
renders, with no frame of course_utils), and its `error` field the test cell's code and, last, whatever the
cell printed to stderr. An error that is not a check's (the stub's NotImplementedError, a TypeError in the
student's code) puts its one-line summary first and its traceback after it.
"""

from __future__ import annotations

import html

from nbconvert.filters import strip_ansi
from .nbgrader_adapter import Validator, validate_handlers

__all__ = ["VerdictFirstValidator", "verdict_first"]

CHECK_FAILED = "CheckFailed"


def verdict_first(cell) -> tuple[str, str]:
    """(the verdict, what follows it) of a failing cell's outputs, as plain text."""
    verdicts, details, printed = [], [], []
    for out in cell.get("outputs", []):
        kind = out.get("output_type")
        if kind == "error":
            lines = [strip_ansi(line) for line in out.get("traceback", [])]
            if out.get("ename") == CHECK_FAILED:
                verdicts.append("\n".join(lines).strip())
            else:
                verdicts.append(f"{out.get('ename', 'Error')}: {strip_ansi(str(out.get('evalue', '')))}".strip())
                details.append("\n".join(lines))
        elif kind == "stream" and out.get("name") == "stderr":
            printed.append(strip_ansi(out.get("text", "")))
    if not verdicts:  # a graded cell that scored less without an error (partial credit), or no response
        verdicts.append("Partial credit: passed some but not all of the tests." if cell.cell_type == "code"
                        else "You did not provide a response.")
    after = ["In this test cell:", cell.source.strip()] if cell.cell_type == "code" else []
    if details:
        after += ["", "Where it happened:", *details]
    if printed:
        after += ["", "The cell also printed:", "".join(printed).rstrip()]
    return "\n\n".join(verdicts), "\n".join(after)


class VerdictFirstValidator(Validator):
    """nbgrader's Validator whose failing cells read verdict first (see the module docstring)."""

    def validate(self, filename: str):
        self._failed_cells: list = []
        results = super().validate(filename)
        failed = results.get("failed")
        if failed and len(failed) == len(self._failed_cells):
            rewritten = []
            for cell in self._failed_cells:
                verdict, after = verdict_first(cell)
                rewritten.append({"source": verdict, "error": html.escape(after), "raw_error": after})
            results["failed"] = rewritten
        return results

    def _get_failed_cells(self, nb):
        failed = super()._get_failed_cells(nb)
        self._failed_cells = list(failed)
        return failed

    def _print_error(self, source: str, error: str) -> None:  # `nbgrader validate`'s text: same order
        self.stream.write("\n" + "=" * self.width + "\n")
        self.stream.write("The following cell failed:\n\n")
        self.stream.write(self._indent(source) + "\n\n")
        self.stream.write(self._indent(error) + "\n\n")


def _jupyter_server_extension_points():
    return [{"module": "course_pipeline.labvalidate"}]


def _load_jupyter_server_extension(serverapp) -> None:
    """Make nbgrader's validate handler use VerdictFirstValidator."""
    validate_handlers().Validator = VerdictFirstValidator
    serverapp.log.info("course: the Validate button shows each failing test's verdict first")
