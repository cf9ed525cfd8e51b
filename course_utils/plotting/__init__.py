"""Plotting helpers shared by the notebooks: every function takes `ax=None` and returns the axes."""

from .basics import *  # noqa: F401,F403
from .basics import __all__ as _basics_all

from .graphs import *  # noqa: F401,F403
from .graphs import __all__ as _graphs_all

from .optim import *  # noqa: F401,F403
from .optim import __all__ as _optim_all

from .vectors import *  # noqa: F401,F403
from .vectors import __all__ as _vectors_all

from .descent import *  # noqa: F401,F403
from .descent import __all__ as _descent_all

__all__ = [*_basics_all, *_descent_all, *_graphs_all, *_optim_all, *_vectors_all]
