"""nbgrader configuration for the course directory (this folder is the course root)."""

c = get_config()  # noqa: F821 - provided by nbgrader

c.CourseDirectory.course_id = "gradient-descent"
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "notebooks"
# Student work never goes into git: submissions, autograded copies and feedback live in
# the git-ignored folders below, the gradebook in gradebook.db (also ignored).
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]
# Generous but finite: a student's infinite loop must not stall grading.
c.ExecutePreprocessor.timeout = 120
# A student who deletes a test cell does not skip its test: autograding (formgrader's button,
# `nbgrader autograde`) puts it back from the gradebook and runs it, as `course grade` does.
c.OverwriteCells.add_missing_cells = True
# formgrader shows the autograded notebooks in the browser, on the instructor's Jupyter origin: whatever a
# student's notebook displays is made inert before it is stored (docs/grading.md, "Student content is data").
# `course grade` sets its own list and sanitises in its coordinator; this covers formgrader's Autograde
# button and `nbgrader autograde`.
from nbgrader.converters import Autograde  # noqa: E402
from course_utils.grading.sanitize import SanitizeNotebook  # noqa: E402

c.Autograde.autograde_preprocessors = [*Autograde.class_traits()["autograde_preprocessors"].default(), SanitizeNotebook]
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
