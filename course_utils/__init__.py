"""Helpers the Gradient Descent notebooks import: plotting, objectives, data, friendly checks, symbolic checks.

Notebooks import what they need, e.g. `from course_utils import plotting, objectives, checks`.
Nothing in this package answers an exercise, and nothing of the grader lives here (see course_pipeline).
"""

__version__ = "0.1.0"
