"""course_utils.checks: passes what is right and explains what is wrong."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils import checks


def test_assert_close_accepts_close_values():
    checks.assert_close(np.array([1.0, 2.0]), [1.0, 2.0 + 1e-12], what="f(x)")
    checks.assert_close(3, 3.0)


def test_assert_close_message_names_call_result_and_expectation():
    with pytest.raises(AssertionError) as err:
        checks.assert_close(np.array([9.0, 7.0]), [10.0, 7.0], what="gradient_f([1, 2])")
    assert str(err.value) == "gradient_f([1, 2]) returned [9., 7.]; expected [10., 7.]."


def test_assert_close_reports_shape_none_and_type():
    with pytest.raises(AssertionError, match=r"shape \(3,\); expected shape \(2,\)"):
        checks.assert_close(np.zeros(3), np.zeros(2), what="f")
    with pytest.raises(AssertionError, match="returned None.*forget `return`"):
        checks.assert_close(None, 1.0, what="f(1)")
    with pytest.raises(AssertionError, match="of type str"):
        checks.assert_close("one", 1.0, what="f(1)")
    with pytest.raises(AssertionError, match="expected"):
        checks.assert_close(np.nan, 1.0)


def test_assert_close_hint_is_appended():
    with pytest.raises(AssertionError, match="Divide by h.$"):
        checks.assert_close(1.0, 2.0, what="g", hint="Divide by h.")


def test_assert_equal_requires_a_real_bool_for_bool_expectations():
    checks.assert_equal(np.bool_(True), True)
    with pytest.raises(AssertionError, match="expected the bool True"):
        checks.assert_equal(1, True, what="verify")
    with pytest.raises(AssertionError, match="returned 3; expected 4"):
        checks.assert_equal(3, 4)


def test_assert_raises_value_error():
    def bad(x):
        if x == 0:
            raise ValueError("x must not be zero")
        return 1 / x

    assert checks.assert_raises_value_error(bad, 0) == "x must not be zero"
    with pytest.raises(AssertionError, match="returned 1; expected it to raise ValueError"):
        checks.assert_raises_value_error(bad, 1, what="bad(1)")
    with pytest.raises(AssertionError, match="raised ZeroDivisionError"):
        checks.assert_raises_value_error(lambda: 1 / 0, what="div")
    with pytest.raises(AssertionError, match="empty message"):
        checks.assert_raises_value_error(lambda: (_ for _ in ()).throw(ValueError()), what="silent")


def test_assert_inputs_unchanged_detects_in_place_edits():
    def scale_in_place(x):
        x *= 2
        return x

    def scale(x):
        return 2 * x

    np.testing.assert_array_equal(checks.assert_inputs_unchanged(scale, np.ones(2)), [2.0, 2.0])
    with pytest.raises(AssertionError, match="modified its argument 1: it was \\[1., 1.\\] and is now \\[2., 2.\\]"):
        checks.assert_inputs_unchanged(scale_in_place, np.ones(2), what="scale_in_place")


def test_assert_shape_and_finite():
    checks.assert_shape(np.zeros((2, 3)), (2, 3))
    with pytest.raises(AssertionError, match="a list; expected a NumPy array"):
        checks.assert_shape([1, 2], (2,))
    with pytest.raises(AssertionError, match="nan or inf"):
        checks.assert_finite([1.0, np.inf])


def test_describe_is_compact():
    assert checks.describe(None) == "None"
    assert checks.describe(np.arange(100.0)).count("...") == 1
    assert checks.describe(0.1 + 0.2) == "0.3"


def test_assert_choice_accepts_an_offered_choice_and_names_them_otherwise():
    checks.assert_choice("diverges", ("converges", "diverges"))
    with pytest.raises(AssertionError, match="'converges', 'diverges'"):
        checks.assert_choice("blows up", ("converges", "diverges"))
    with pytest.raises(AssertionError, match="a string"):
        checks.assert_choice(3, ("converges", "diverges"))


# -- the verdict first, and the diagnosis of visible checks in the student's kernel ---------------------------


def test_a_failed_check_renders_its_verdict_alone():
    """IPython shows _render_traceback_: the verdict first, then the test cell's line, no frame of course_utils."""
    def test_cell():
        checks.assert_close(np.array([9.0, 7.0]), [10.0, 7.0], what="gradient_f([1, 2])", hint="Check df/dx1.")

    with pytest.raises(checks.CheckFailed) as err:
        test_cell()
    lines = [ln.replace("\x1b[1;31m", "").replace("\x1b[0m", "") for ln in err.value._render_traceback_()]
    assert lines[0] == "gradient_f([1, 2]) returned [9., 7.]; expected [10., 7.]. Check df/dx1."
    assert "checks.assert_close(np.array([9.0, 7.0])" in lines[-1] and "checks.py" not in "\n".join(lines)
    assert isinstance(err.value, AssertionError)


def test_public_checks_hide_their_frames():
    import inspect

    for name in checks.__all__:
        func = getattr(checks, name)
        if name.startswith("assert_"):
            assert "__tracebackhide__ = True" in inspect.getsource(func), f"{name} shows its frame in tracebacks"


def _write_diagnosis(folder, what="adagrad_step(theta, grad, s, lr)", got=(0.9, 1.9), kind="close"):
    import json

    entry = {"test": "test_x", "position": 0, "kind": kind, "what": what,
             "mistakes": [{"description": "Adds eps outside the square root instead of inside it.",
                           "section": "3. Adagrad: a step size per coordinate",
                           "got": checks.encode(np.array(got))}]}
    (folder / checks.DIAGNOSIS_FILE).write_text(json.dumps({"format": 1, "checks": [entry]}))


def test_a_visible_check_names_the_catalogued_mistake_it_matches(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _write_diagnosis(tmp_path)
    what = "adagrad_step(theta, grad, s, lr)"
    with pytest.raises(checks.CheckFailed) as err:
        checks.assert_close(np.array([0.9, 1.9 + 1e-12]), [1.0, 2.0], what=what)
    assert str(err.value).splitlines() == [
        f"{what} returned [0.9, 1.9]; expected [1., 2.].",
        "Likely mistake: Adds eps outside the square root instead of inside it.",
        "Reread the section “3. Adagrad: a step size per coordinate”."]


def test_no_diagnosis_for_a_right_answer_or_an_unknown_wrong_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _write_diagnosis(tmp_path, got=(1.0, 2.0))  # even a catalogued value equal to the right one never diagnoses it
    what = "adagrad_step(theta, grad, s, lr)"
    checks.assert_close(np.array([1.0, 2.0]), [1.0, 2.0], what=what)
    with pytest.raises(checks.CheckFailed) as err:
        checks.assert_close(np.array([5.0, 2.0]), [1.0, 2.0], what=what)
    assert str(err.value) == f"{what} returned [5., 2.]; expected [1., 2.]."
    with pytest.raises(checks.CheckFailed) as err:  # another check's label: not this mistake's
        checks.assert_close(np.array([1.0, 2.0]), [1.0, 3.0], what="something else")
    assert "Likely mistake" not in str(err.value)


def test_a_missing_or_broken_diagnosis_file_leaves_the_plain_message(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(checks.CheckFailed, match=r"^f returned 1; expected 2\.$"):
        checks.assert_close(1.0, 2.0, what="f")
    (tmp_path / checks.DIAGNOSIS_FILE).write_text("{not json")
    with pytest.raises(checks.CheckFailed, match=r"^f returned 1; expected 2\.$"):
        checks.assert_close(1.0, 2.0, what="f")


def test_same_failure_rules():
    enc = checks.encode
    assert checks.same_failure("close", enc(np.array([1.0, 2.0])), enc(np.array([1.0, 2.0 + 1e-10])), {})
    assert not checks.same_failure("close", enc(np.array([1.0, 2.0])), enc(np.array([1.0, 2.1])), {})
    assert checks.same_failure("close", enc(np.array([1.0, 2.0])), enc(np.array([1.0, 2.1])), {"rtol": 0.1})
    returned, other = enc(checks.Outcome(value=1.0)), enc(checks.Outcome(value=2.0))
    raised = enc(checks.Outcome(raised="TypeError", message="no"))
    assert not checks.same_failure("raises_value_error", returned, other, {})  # strict: the same value
    assert checks.same_failure("raises_value_error", returned, other, {}, strict=False)  # both returned
    assert not checks.same_failure("raises_value_error", returned, raised, {}, strict=False)
    before = enc([("argument 1", np.zeros(2)), ("argument 2", 3.0)])
    after_a = enc([("argument 1", np.ones(2)), ("argument 2", 3.0)])
    after_b = enc([("argument 1", np.full(2, 5.0)), ("argument 2", 3.0)])
    assert checks.same_failure("inputs_unchanged", after_a, after_b, {}, before, strict=False)
    assert not checks.same_failure("inputs_unchanged", after_a, after_b, {}, before, strict=True)
