"""Plotting helpers shared by the notebooks: every function takes `ax=None` and returns the axes."""

from .basics import *  # noqa: F401,F403
from .basics import __all__ as _basics_all

__all__ = [*_basics_all]
