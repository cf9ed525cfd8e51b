"""Unit tests for course_utils.widgets: the static fallback always draws; widgets only when asked or shown."""

from __future__ import annotations

import time

import ipywidgets as w
import pytest

from course_utils import widgets


def test_no_frontend_outside_a_kernel():
    assert widgets.frontend_available() is False


@pytest.mark.parametrize("var", [widgets.HEADLESS_ENV, "CI"])
def test_headless_environment_variables_disable_widgets(monkeypatch, var):
    monkeypatch.setenv(var, "1")
    assert widgets.frontend_available() is False


class _FakeShell:
    kernel = object()


@pytest.fixture
def in_kernel(monkeypatch):
    """Pretend to run inside a Jupyter kernel with the inline backend, with no session variables set."""
    import IPython
    import matplotlib

    monkeypatch.setattr(IPython, "get_ipython", lambda: _FakeShell())
    monkeypatch.setattr(matplotlib, "get_backend", lambda: "module://matplotlib_inline.backend_inline")
    for var in (widgets.HEADLESS_ENV, "CI", widgets.FORCE_ENV, widgets.SESSION_ENV):
        monkeypatch.delenv(var, raising=False)
    return monkeypatch


def test_kernel_of_an_open_notebook_shows_widgets(in_kernel):
    assert widgets.frontend_available() is False, "a kernel started by nbclient/nbgrader has no JPY_SESSION_NAME"
    in_kernel.setenv(widgets.SESSION_ENV, "04_gradient_descent.ipynb")
    assert widgets.frontend_available() is True
    in_kernel.setenv(widgets.HEADLESS_ENV, "1")
    assert widgets.frontend_available() is False


def test_force_variable_and_non_display_backend(in_kernel):
    in_kernel.setenv(widgets.FORCE_ENV, "yes")
    assert widgets.frontend_available() is True
    import matplotlib

    in_kernel.setattr(matplotlib, "get_backend", lambda: "agg")
    assert widgets.frontend_available() is False


def test_session_variable_alone_is_not_enough_outside_a_kernel(monkeypatch):
    monkeypatch.setenv(widgets.SESSION_ENV, "x.ipynb")
    assert widgets.frontend_available() is False


def test_explorer_headless_draws_static_once_and_builds_nothing():
    calls = []
    result = widgets.explorer(lambda lr: calls.append(("draw", lr)), {"lr": (0.0, 1.0, 0.1, 0.5)},
                              static=lambda: calls.append("static"))
    assert result is None
    assert calls == ["static"], "headless: only the static figure, the draw callback is never called"


def test_explorer_forced_builds_controls_and_draws_initial_values():
    seen = []
    start = time.perf_counter()
    box = widgets.explorer(lambda lr, start: seen.append((lr, start)),
                           {"lr": (0.01, 1.0, 0.01, 0.2), "start": [3.0, -2.0]}, static=lambda: seen.append("static"),
                           show_widget=True)
    assert time.perf_counter() - start < 5
    assert isinstance(box, w.VBox)
    controls = box.children[1].children
    assert isinstance(controls[0], w.FloatSlider) and controls[0].value == pytest.approx(0.2)
    assert isinstance(controls[1], w.Dropdown) and controls[1].value == 3.0
    assert seen[0] == "static"
    controls[0].value = 0.5
    assert seen[-1] == (pytest.approx(0.5), 3.0), "moving a slider must redraw with the new value"


def test_explorer_forced_off_even_when_static_missing():
    assert widgets.explorer(lambda lr: None, {"lr": (0.0, 1.0, 0.1, 0.5)}, show_widget=False) is None


def test_make_control_variants_and_errors():
    slider = widgets.make_control("lr", (0, 2, 0.5, 1))
    assert (slider.min, slider.max, slider.step, slider.value) == (0.0, 2.0, 0.5, 1.0)
    existing = w.IntSlider()
    assert widgets.make_control("n", existing) is existing
    with pytest.raises(ValueError, match="min <= value <= max"):
        widgets.make_control("lr", (0.0, 1.0, 0.1, 3.0))
    with pytest.raises(ValueError, match="expected"):
        widgets.make_control("lr", 0.3)
