"""The instructor pipeline of the Gradient Descent course: release, check, grade, collect, export, and the `course` CLI.

Students' notebooks never import it (they import `course_utils`); the grading sandbox does not even
let a student's kernel see it. `course update`, the one command for students, lives here too.
"""
