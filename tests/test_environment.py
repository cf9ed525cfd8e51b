"""One set of pins: pyproject ranges, constraints.txt, environment.yml and the installed .venv agree."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from conftest import ROOT


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def pins():
    found = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            found[re.sub(r"[-_.]+", "-", name).lower()] = version
    return found


def test_every_dependency_is_pinned_within_its_range():
    table = pins()
    for spec in pyproject()["project"]["dependencies"]:
        req = Requirement(spec)
        key = re.sub(r"[-_.]+", "-", req.name).lower()
        assert key in table, f"constraints.txt does not pin {req.name}"
        assert req.specifier.contains(table[key]), f"{req.name}=={table[key]} is outside pyproject's {req.specifier}"


def test_environment_yml_installs_the_project_with_the_same_pins():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    python = next(d for d in deps if isinstance(d, str) and d.startswith("python="))
    version = python.split("=")[1]
    assert SpecifierSet(pyproject()["project"]["requires-python"]).contains(version + ".0")
    pip_section = next(d["pip"] for d in deps if isinstance(d, dict))
    assert "-c constraints.txt" in pip_section and "-e ." in pip_section


def test_installed_environment_matches_the_pins():
    table = pins()
    for name in ["jupyterlab", "nbgrader", "numpy", "sympy", "matplotlib", "ipywidgets", "nbclient", "pytest"]:
        assert importlib.metadata.version(name) == table[name], f"{name} installed differs from constraints.txt"
