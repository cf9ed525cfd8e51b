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
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
# Student code is untrusted wherever it runs. `nbgrader autograde` and formgrader's Autograde button
# use the same sandboxed executor as `course grade` (bubblewrap, no network, no course files, the
# same limits); without bubblewrap they refuse to run student code. Whatever the notebook displays
# is then made inert before it is stored, because formgrader shows it on the instructor's Jupyter
# origin (docs/grading.md, "Student content is data"). Named as strings, so nothing is imported
# unless autograding (students' Validate loads this file too, without the grader's packages).
c.Autograde.autograde_preprocessors = [
    "course_pipeline.grading.execution.CourseSandboxExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
    "course_pipeline.grading.sanitize.SanitizeNotebook",
]
