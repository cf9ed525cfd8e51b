"""The verdict comes first: in the Validate dialog's answer and in the feedback page's failing test cell.

The real dialog, in JupyterLab and headless Chromium, is tests/test_lab.py::test_validate_dialog_shows_the_verdict_first.
"""

from __future__ import annotations

import html

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from course_pipeline.grading import feedback
from course_pipeline.labvalidate import verdict_first

VERDICT = ("the returned v returned [0.5, -2.]; expected [0.05, -0.2].\n"
           "Likely mistake: Returns the bias-corrected moments instead of the raw ones.\n"
           "Reread the section “5. Adam: momentum and RMSprop, bias-corrected”.")
SOURCE = "out = adam_step(np.ones(2), np.ones(2), np.zeros(2), np.zeros(2), 1, 0.1)\nchecks.assert_close(out[1], [0.05, -0.2])"


def _test_cell(outputs, grade_id="test_adam_step", score=0):
    cell = new_code_cell(SOURCE)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "grade_id": grade_id, "points": 1,
                                 "score": score}
    cell.outputs = outputs
    return cell


def test_validate_answer_puts_the_checks_verdict_first_and_the_warnings_last():
    cell = _test_cell([new_output("stream", name="stderr", text="/tmp/x.py:5: RuntimeWarning: divide by zero\n"),
                       new_output("error", ename="CheckFailed", evalue=VERDICT,
                                  traceback=["\x1b[1;31m" + VERDICT.splitlines()[0] + "\x1b[0m", *VERDICT.splitlines()[1:],
                                             "", "(checked by line 2 of the test cell: checks.assert_close(...))"])])
    verdict, after = verdict_first(cell)
    assert verdict.splitlines()[:3] == VERDICT.splitlines()
    assert after.startswith("In this test cell:\n" + SOURCE)
    assert after.rstrip().endswith("RuntimeWarning: divide by zero")


def test_validate_answer_for_an_error_in_the_students_code_starts_with_its_one_line_summary():
    tb = ["\x1b[31m---------------------------------------------------------------------------\x1b[0m",
          "\x1b[31mNotImplementedError\x1b[0m  Traceback (most recent call last)", "Cell In[3], line 4", "NotImplementedError: "]
    cell = _test_cell([new_output("error", ename="NotImplementedError", evalue="", traceback=tb)])
    verdict, after = verdict_first(cell)
    assert verdict == "NotImplementedError:"
    assert "Where it happened:" in after and "Traceback (most recent call last)" in after and "\x1b" not in after


def test_feedback_page_shows_the_verdict_above_the_failing_tests_code():
    nb = new_notebook()
    failing = _test_cell([new_output("stream", name="stderr", text="RuntimeWarning: divide by zero\n"),
                          new_output("error", ename="AssertionError", evalue=VERDICT, traceback=["AssertionError: ..."])])
    passing = _test_cell([], grade_id="test_ok", score=1)
    passing.metadata["course_verdict"] = "<b>forged by a submission</b>"
    nb.cells = [new_markdown_cell("# Adam"), failing, passing]
    resources = {"nbgrader": {"notebook": "demo", "score": 1, "max_score": 2, "late_penalty": 0}}
    page, _ = feedback._exporter().from_notebook_node(feedback.mark_verdicts(nbformat.from_dict(nb)), resources=resources)
    cell = page[page.index('<div class="course-verdict-cell"'):]
    verdict_at = cell.index(html.escape(VERDICT.splitlines()[0], quote=False))
    assert verdict_at < cell.index("Grade cell:") < cell.index("highlight hl-ipython3") < cell.index("RuntimeWarning")
    assert html.escape(VERDICT.splitlines()[1], quote=False) in cell[:cell.index("Grade cell:")]
    assert page.count('class="course-verdict-cell"') == 1 and "forged by a submission" not in page
