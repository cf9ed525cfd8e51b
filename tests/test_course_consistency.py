"""Hygiene of the authoring source: layout, metadata, catalog names, no outputs, seeded randomness."""

from __future__ import annotations

import re

import pytest

from catalog import CATALOG, COMPANIONS
from conftest import ASSIGNMENTS, ROOT
from course_pipeline.nbtools import (
    exercises,
    has_hidden_tests,
    is_solution_cell,
    is_test_cell,
    nbgrader_meta,
    notebook_paths,
    read_notebook,
)


def source_nb(assignment):
    (path,) = notebook_paths(ROOT / "source" / assignment)
    return read_notebook(path)


def test_course_has_assignments_and_they_are_in_the_catalog():
    assert ASSIGNMENTS, "source/ holds no assignment"
    assert set(ASSIGNMENTS) <= set(CATALOG), f"assignments outside the catalog: {set(ASSIGNMENTS) - set(CATALOG)}"


@pytest.mark.parametrize("view", ["notebooks", "solutions"])
def test_generated_views_have_the_same_zero_padded_names(view):
    names = sorted(p.name for p in (ROOT / view).iterdir() if p.is_dir())
    assert names == ASSIGNMENTS, f"{view}/ has {names}, source/ has {ASSIGNMENTS}: run `make release`"
    for name in names:
        assert [p.name for p in notebook_paths(ROOT / view / name)] == [f"{name}.ipynb"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_one_notebook_named_after_its_folder(assignment):
    assert [p.name for p in notebook_paths(ROOT / "source" / assignment)] == [f"{assignment}.ipynb"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_has_no_outputs_and_python3_kernel(assignment):
    nb = source_nb(assignment)
    with_outputs = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not with_outputs, f"source/{assignment}: cells {with_outputs} carry outputs; clear them before committing"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_catalog_exercises_are_present_with_exact_names(assignment):
    nb = source_nb(assignment)
    found = set(exercises(nb))
    missing = [name for name in CATALOG[assignment] if name not in found]
    assert not missing, f"source/{assignment} lacks the catalog exercises {missing}"
    for name in CATALOG[assignment]:
        cell = nb.cells[exercises(nb)[name].solution_index]
        defined = re.findall(r"^(?:def|class)\s+(\w+)", cell.source, flags=re.M)
        assert name in defined, f"the solution cell {name!r} does not define {name}"
        for companion in COMPANIONS.get(name, []):
            assert companion in defined, f"the solution cell {name!r} does not define {companion}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_nbgrader_metadata_is_sound(assignment):
    nb = source_nb(assignment)
    ids = [nbgrader_meta(c).get("grade_id") for c in nb.cells if nbgrader_meta(c)]
    assert all(ids), "every nbgrader cell needs a grade_id"
    assert len(ids) == len(set(ids)), f"duplicate grade_ids: {sorted({i for i in ids if ids.count(i) > 1})}"
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if is_solution_cell(cell):
            assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source, meta["grade_id"]
        if is_test_cell(cell):
            assert meta.get("locked"), f"test cell {meta['grade_id']} must be locked"
            assert float(meta.get("points", 0)) > 0, f"test cell {meta['grade_id']} must carry points"
            assert meta["grade_id"].startswith("test_"), meta["grade_id"]
    orphans = [nbgrader_meta(c)["grade_id"] for i, c in enumerate(nb.cells) if is_test_cell(c)
               and not any(i in ex.test_indices for ex in exercises(nb).values())]
    assert not orphans, f"test cells that belong to no exercise: {orphans}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_exercise_has_visible_and_hidden_tests(assignment):
    nb = source_nb(assignment)
    for name, ex in exercises(nb).items():
        cells = [nb.cells[i] for i in ex.test_indices]
        visible = [c for c in cells if not has_hidden_tests(c)]
        hidden = [c for c in cells if has_hidden_tests(c)]
        assert visible, f"{assignment}: {name} has no visible test cell"
        assert hidden, f"{assignment}: {name} has no hidden tests"
        for cell in hidden:
            shown = cell.source.split("### BEGIN HIDDEN TESTS")[0]
            code = [ln for ln in shown.splitlines() if ln.strip() and not ln.strip().startswith("#")]
            assert any(name in ln for ln in code), (
                f"{assignment}: {nbgrader_meta(cell)['grade_id']} shows no visible call of {name}, so in the student "
                "release it passes while the function is blank; start it with one visible check")


LEGACY_RANDOM = re.compile(r"np\.random\.(seed|rand|randn|randint|random|normal|uniform|choice|shuffle|permutation)\(")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_randomness_is_seeded_generators_only(assignment):
    nb = source_nb(assignment)
    offenders = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and LEGACY_RANDOM.search(c.source)]
    assert not offenders, f"{assignment}: cells {offenders} use NumPy's global random state; use np.random.default_rng(seed)"
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    if any(re.search(r"\brng\b", src) for src in code):
        assert any("default_rng(" in src for src in code), f"{assignment} uses an rng but never seeds one"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_placeholder_text(assignment):
    nb = source_nb(assignment)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            assert not re.search(r"\b(TODO|TBD|FIXME|lorem ipsum)\b", cell.source, flags=re.I), f"{assignment} cell {i}"


def test_course_utils_contains_no_exercise_answer():
    names = {n for names in CATALOG.values() for n in names} | {c for cs in COMPANIONS.values() for c in cs}
    for path in (ROOT / "course_utils").rglob("*.py"):
        defined = set(re.findall(r"^\s*(?:def|class)\s+(\w+)", path.read_text(), flags=re.M))
        assert not defined & names, f"{path.relative_to(ROOT)} defines exercise answers {sorted(defined & names)}"


def test_readme_course_map_lists_every_assignment():
    readme = (ROOT / "README.md").read_text()
    for name in CATALOG:
        assert f"`{name}`" in readme, f"README course map lacks {name}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_readme_course_map_counts_are_the_notebooks(assignment):
    row = next((ln for ln in (ROOT / "README.md").read_text().splitlines() if f"| `{assignment}` |" in ln), None)
    assert row, f"README course map lacks {assignment}"
    exercises_, predictions, points = [c.strip() for c in row.strip("|").split("|")][3:6]
    found = exercises(source_nb(assignment))
    predicted = [n for n in found if n.startswith("predict_")]
    total = sum(ex.points(source_nb(assignment)) for ex in found.values())
    assert (int(exercises_), int(predictions), float(points)) == (len(found) - len(predicted), len(predicted), total), (
        f"README's row for {assignment} says {exercises_} exercises, {predictions} predictions, {points} points; "
        f"the notebook has {len(found) - len(predicted)}, {len(predicted)}, {total:g}")
