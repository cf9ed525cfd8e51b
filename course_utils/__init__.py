"""Helpers for the Gradient Descent course: plotting, objectives, data, checks and the release/grading pipeline.

Notebooks import what they need, e.g. `from course_utils import plotting, objectives, checks`.
Nothing in this package answers an exercise.
"""

__version__ = "0.1.0"
