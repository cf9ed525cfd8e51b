"""The judge's parts: the observing form of a test cell, values as data, and decisions that fail closed."""

from __future__ import annotations

import json

import numpy as np
import pytest
import sympy as sp
from nbformat import NotebookNode

from course_pipeline.grading import judge
from course_utils import checks


def _observing(source: str) -> str:
    return judge.observing_source(source, "test")


def test_expectations_and_oracles_leave_the_observing_form():
    source = (
        "_rng = np.random.default_rng(1)\n"
        "_x = _rng.uniform(size=3)\n"
        "_exact = sp.lambdify(_t, sp.diff(_t**3, _t))  # oracle\n"
        "_want = _exact(_x)\n"
        "checks.assert_close(f(_x), _want, what=f'f at {_x}', rtol=1e-6, hint='SECRET_HINT')\n"
        "checks.assert_raises_value_error(f, -1, what='f(-1)', why='SECRET_WHY')\n"
    )
    out = _observing(source)
    assert "_exact" not in out and "_want" not in out and "SECRET" not in out and "rtol" not in out
    assert "checks.observe('close', f(_x), what=f'f at {_x}')" in out
    assert "checks.observe_call('raises_value_error', f, -1, what='f(-1)')" in out
    assert "_x = _rng.uniform(size=3)" in out  # inputs stay, in the same order


def test_hidden_block_comments_and_markers_are_gone():
    source = "# expects 2.00001\n### BEGIN HIDDEN TESTS\nchecks.assert_close(f(1.0), 2.00001, what='f(1)')\n### END HIDDEN TESTS\n"
    out = _observing(source)
    assert "2.00001" not in out and "HIDDEN" not in out


@pytest.mark.parametrize("source, reason", [
    ("checks.assert_true(f(1) < 2, 'too big')", "assert_true"),
    ("assert f(1) == 2", "plain `assert`"),
    ("raise AssertionError('no')", "raises by itself"),
    ("checks.assert_equal(f(1) == 2, True, what='f')", "comparison"),
    ("checks.assert_equal(np.allclose(f(1), 2), True, what='f')", "comparison"),
    ("for x, want in [(1, 2), (3, 6)]:\n    checks.assert_equal(f(x), want, what=str(x))", "only feed expectations"),
    ("print('no checks here')", "no check"),
    ("checks.assert_close(*args)", "name the arguments"),
])
def test_cells_the_judge_cannot_observe_are_refused(source, reason):
    with pytest.raises(judge.AuthoringError, match=reason if reason != "plain `assert`" else "plain"):
        _observing(source)


def _roundtrip(value):
    return judge.decode(json.loads(json.dumps(checks.encode(value), allow_nan=False)))


def test_values_cross_as_typed_data():
    assert _roundtrip(1.5) == 1.5 and type(_roundtrip(1.5)) is float
    assert type(_roundtrip(np.float64(2.0))) is np.float64
    assert _roundtrip(True) is True and isinstance(_roundtrip(np.bool_(True)), np.bool_)
    assert np.isnan(_roundtrip(float("nan"))) and _roundtrip(float("-inf")) == float("-inf")
    arr = np.arange(6, dtype=float).reshape(2, 3)
    back = _roundtrip(arr)
    assert back.dtype == arr.dtype and back.shape == (2, 3) and np.array_equal(back, arr)
    assert _roundtrip((1, [2, "a"], {"k": None})) == (1, [2, "a"], {"k": None})
    outcome = _roundtrip(checks.Outcome(raised="ValueError", message="bad"))
    assert outcome == checks.Outcome(raised="ValueError", message="bad")


def test_symbolic_results_compare_by_value():
    x = sp.Symbol("x")
    got, want = _roundtrip(sp.sin(x) ** 2 + sp.cos(x) ** 2), _roundtrip(sp.Integer(1))
    assert judge.compare("sym_equal", got, {"kind": "sym_equal", "expected": checks.encode(sp.Integer(1))}) == ""
    assert judge.compare("sym_equal", _roundtrip(2 * x), {"kind": "sym_equal", "expected": checks.encode(x)})
    assert want.samples is not None


def test_objects_that_lie_are_just_data():
    class Liar(float):
        def __eq__(self, other):
            return True

        __hash__ = float.__hash__

    got = _roundtrip(Liar(-4.0))
    assert type(got) is float and got == -4.0
    assert judge.compare("close", got, {"kind": "close", "expected": checks.encode(4.0), "opts": {}})


@pytest.mark.parametrize("data", [{"t": "float", "v": "1e5"}, {"t": "ndarray", "dtype": "float64", "shape": [3],
                                  "data": [1.0]}, {"t": "int", "v": "9" * 500}, "text", {"t": "nope"},
                                  {"t": "ndarray", "dtype": "V100", "shape": [1], "data": [1]}])
def test_malformed_evidence_is_refused(data):
    with pytest.raises(judge.MalformedEvidence):
        judge.decode(data)


def _cell(*records, error: str = "") -> NotebookNode:
    outputs = [NotebookNode(output_type="display_data", data={checks.OBSERVATION_MIME: r}, metadata={}) for r in records]
    if error:
        outputs.append(NotebookNode(output_type="error", ename="TypeError", evalue=error, traceback=[]))
    return NotebookNode(cell_type="code", source="", metadata={}, outputs=outputs)


REF = [{"kind": "close", "what": "f(1)", "expected": checks.encode(2.0), "opts": {"rtol": 1e-7, "atol": 1e-9}},
       {"kind": "equal", "what": "len(g())", "expected": checks.encode(3), "opts": {}}]


def _obs(kind, what, value):
    return {"kind": kind, "what": what, "got": checks.encode(value)}


def test_a_test_passes_only_with_every_observation_in_order():
    good = [_obs("close", "f(1)", 2.0), _obs("equal", "len(g())", 3)]
    assert judge.judge_cell(_cell(*good), REF).passed
    assert not judge.judge_cell(_cell(good[0]), REF).passed  # missing
    assert not judge.judge_cell(_cell(*good, good[1]), REF).passed  # extra
    assert not judge.judge_cell(_cell(good[1], good[0]), REF).passed  # reordered
    assert not judge.judge_cell(_cell(good[0], {"kind": "equal", "what": "len(g())", "got": "3"}), REF).passed
    assert not judge.judge_cell(_cell(good[0], "not a record"), REF).passed
    stopped = judge.judge_cell(_cell(good[0], error="boom"), REF)
    assert not stopped.passed and "TypeError: boom" in stopped.reasons[0]
    wrong = judge.judge_cell(_cell(_obs("close", "f(1)", 2.5), good[1]), REF)
    assert not wrong.passed and wrong.reasons == ["f(1) returned 2.5; expected 2."]


def test_a_failing_observation_that_matches_a_catalogued_mistake_is_diagnosed():
    mistakes = [{"description": "Doubles instead of squaring.", "section": "Squares", "got": [checks.encode(2.0), None]},
                {"description": "Adds a half.", "section": "Halves", "got": [checks.encode(2.5), None]}]
    verdict = judge.judge_cell(_cell(_obs("close", "f(1)", 2.5), _obs("equal", "len(g())", 3)), REF, mistakes)
    assert verdict.mistakes == ["Adds a half."]
    assert verdict.reasons[0].endswith("Likely mistake: Adds a half.\nReread the section “Halves”.")
    unknown = judge.judge_cell(_cell(_obs("close", "f(1)", 7.0), _obs("equal", "len(g())", 3)), REF, mistakes)
    assert unknown.mistakes == [] and "Likely mistake" not in unknown.reasons[0]
    right = judge.judge_cell(_cell(_obs("close", "f(1)", 2.0), _obs("equal", "len(g())", 3)), REF, mistakes)
    assert right.passed and right.mistakes == []  # a correct answer is never diagnosed


def test_the_verdict_decides_what_nbgrader_scores():
    cell = _cell(_obs("close", "f(1)", 2.0), error="forged later")
    cell.outputs.insert(0, NotebookNode(output_type="stream", name="stdout", text="hello\n"))
    judge.apply_verdict(cell, judge.Verdict(True))
    assert [o.output_type for o in cell.outputs] == ["stream"]
    judge.apply_verdict(cell, judge.Verdict(False, ["f(1) returned 3; expected 2."]))
    assert cell.outputs[-1].output_type == "error" and "expected 2" in cell.outputs[-1].evalue
