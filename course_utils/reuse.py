"""Reuse what a student wrote in an earlier assignment: run the cells of a sibling notebook that define given names.

A later notebook can then show the student's own `Var` or `adam_step` at work. When the notebook is missing,
unreadable, or the definition is still the blank `raise NotImplementedError()`, the caller gets a one-line
reason instead of an exception, so a demo can skip itself without failing the notebook.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Reused", "reuse_from_notebook"]


@dataclass
class Reused:
    """The objects found in a sibling notebook, or the reason they are not available."""

    objects: dict[str, Any] = field(default_factory=dict)
    reason: str = ""

    @property
    def available(self) -> bool:
        """True when every requested name was defined and none is still a blank exercise."""
        return not self.reason

    def __getitem__(self, name: str) -> Any:
        """The object called `name`; KeyError with the reason when it is not available."""
        if name not in self.objects:
            raise KeyError(f"{name} is not available: {self.reason or 'it was not requested'}")
        return self.objects[name]


def _code_cells(path: Path) -> list[str]:
    """Source of every code cell of a notebook file, read as plain JSON."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            cells.append("".join(source) if isinstance(source, list) else str(source))
    return cells


def _parse(source: str) -> ast.Module | None:
    """The cell's syntax tree, or None for cells that are not plain Python (magics, syntax errors)."""
    try:
        return ast.parse(source)
    except SyntaxError:
        return None


def _top_level_names(tree: ast.Module) -> set[str]:
    """Names a cell defines at module level with def or class."""
    return {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}


def _bound_names(statement: ast.Import | ast.ImportFrom) -> set[str]:
    """Names an import statement binds (`import numpy as np` binds np, `import os.path` binds os)."""
    return {alias.asname or alias.name.split(".")[0] for alias in statement.names}


def _imports_used_by(trees: list[ast.Module], defining: list[ast.Module]) -> list[ast.stmt]:
    """The notebook's top-level imports that bind a name the defining cells use, in notebook order."""
    used = {node.id for tree in defining for node in ast.walk(tree) if isinstance(node, ast.Name)}
    return [node for tree in trees for node in tree.body
            if isinstance(node, (ast.Import, ast.ImportFrom)) and _bound_names(node) & used]


def _blank(tree: ast.Module) -> bool:
    """True when a cell still raises NotImplementedError somewhere (an exercise not yet done)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(target, ast.Name) and target.id == "NotImplementedError":
                return True
    return False


def reuse_from_notebook(path: str | Path, names: list[str] | tuple[str, ...]) -> Reused:
    """Run the cells defining `names` in the notebook at `path`, after the imports they use, in a fresh namespace."""
    path = Path(path)
    wanted = list(names)
    if not wanted:
        raise ValueError("reuse_from_notebook needs at least one name to look for, e.g. ['Var']")
    if not path.is_file():
        return Reused(reason=f"{path} was not found (open this notebook in the course folder to reuse it)")
    try:
        cells = _code_cells(path)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, AttributeError, TypeError) as err:
        return Reused(reason=f"{path} could not be read as a notebook ({type(err).__name__}: {err})")
    trees = [tree for tree in map(_parse, cells) if tree is not None]
    defining = [tree for tree in trees if _top_level_names(tree) & set(wanted)]
    missing = [name for name in wanted if not any(name in _top_level_names(tree) for tree in defining)]
    if missing:
        return Reused(reason=f"{path.name} defines no {', '.join(missing)}")
    blank = sorted(set(wanted) & {name for tree in defining if _blank(tree) for name in _top_level_names(tree)})
    if blank:
        verb = "is" if len(blank) == 1 else "are"
        return Reused(reason=f"{', '.join(blank)} in {path.name} {verb} not finished yet (the cell still raises "
                             "NotImplementedError)")
    namespace: dict[str, Any] = {"__name__": f"reused_{path.stem}"}
    for statement in _imports_used_by(trees, defining):
        try:
            exec(compile(ast.Module(body=[statement], type_ignores=[]), str(path), "exec"), namespace)
        except Exception:  # noqa: BLE001 - an import the definitions may not need
            continue
    for tree in defining:
        try:
            exec(compile(tree, str(path), "exec"), namespace)
        except Exception as err:  # noqa: BLE001 - reported, never raised
            return Reused(reason=f"running the cell that defines {', '.join(sorted(_top_level_names(tree)))} in "
                                 f"{path.name} raised {type(err).__name__}: {err}")
    return Reused(objects={name: namespace[name] for name in wanted})
