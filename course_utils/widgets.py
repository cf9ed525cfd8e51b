"""Interactive explorers that degrade gracefully: always a static figure, plus ipywidgets sliders when a frontend can show them.

Executing a notebook headless (nbclient, nbgrader, CI) never waits for a frontend: widgets are only built
inside a Jupyter kernel that a Jupyter Server session started for an open notebook (it sets JPY_SESSION_NAME;
nbclient and nbgrader do not), with a matplotlib backend that can display figures. Nothing here blocks.
Set COURSE_WIDGETS=1 to force widgets (another frontend) or COURSE_HEADLESS=1 to switch them off.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["HEADLESS_ENV", "FORCE_ENV", "SESSION_ENV", "frontend_available", "make_control", "explorer"]

HEADLESS_ENV = "COURSE_HEADLESS"
FORCE_ENV = "COURSE_WIDGETS"
SESSION_ENV = "JPY_SESSION_NAME"
_TRUTHY = {"1", "true", "yes", "on"}
_DISPLAY_BACKENDS = ("inline", "ipympl", "widget", "nbagg")


def _env_true(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in _TRUTHY


def frontend_available() -> bool:
    """True when widgets can be shown: not headless, ipywidgets importable, a kernel of an open notebook, figures displayable."""
    if _env_true(HEADLESS_ENV) or _env_true("CI"):
        return False
    try:
        import ipywidgets  # noqa: F401
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return False
    import matplotlib

    backend = matplotlib.get_backend().lower()
    if not any(tag in backend for tag in _DISPLAY_BACKENDS):
        return False
    return _env_true(FORCE_ENV) or bool(os.environ.get(SESSION_ENV))


def make_control(name: str, spec: Any) -> Any:
    """An ipywidgets control from a spec: (min, max, step, value) -> FloatSlider, a list of options -> Dropdown, a widget as is."""
    import ipywidgets as w

    if isinstance(spec, w.Widget):
        return spec
    if isinstance(spec, tuple) and len(spec) == 4 and all(isinstance(v, (int, float)) for v in spec):
        lo, hi, step, value = (float(v) for v in spec)
        if not lo <= value <= hi or step <= 0:
            raise ValueError(f"control {name!r}: need min <= value <= max and step > 0; got {spec}")
        return w.FloatSlider(min=lo, max=hi, step=step, value=value, description=name, continuous_update=False,
                             readout_format=".3g", style={"description_width": "initial"})
    if isinstance(spec, (list, tuple)) and spec:
        return w.Dropdown(options=list(spec), value=spec[0], description=name)
    raise ValueError(f"control {name!r}: expected (min, max, step, value), a non-empty list of options or a widget; got {spec!r}")


def explorer(
    draw: Callable[..., Any],
    controls: Mapping[str, Any],
    static: Callable[[], Any] | None = None,
    show_widget: bool | None = None,
    note: str = "Move the sliders to redraw.",
) -> Any | None:
    """Always call static(); then, if show_widget (default: frontend_available()), show sliders calling draw(**values); return the box or None."""
    if static is not None:
        static()
    wanted = frontend_available() if show_widget is None else bool(show_widget)
    if not wanted:
        return None
    try:
        import ipywidgets as w
        from IPython.display import display
    except ImportError:
        return None
    built = {name: make_control(name, spec) for name, spec in controls.items()}
    output = w.interactive_output(draw, built)
    box = w.VBox([w.HTML(f"<b>Explorer.</b> {note}"), w.HBox(list(built.values())), output])
    display(box)
    return box
