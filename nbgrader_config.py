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
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
