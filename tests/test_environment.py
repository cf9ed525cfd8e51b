"""One lock for every supported Python: pyproject ranges, constraints.txt, environment.yml, the Makefile and .venv agree."""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from conftest import ROOT

# Interpreters a student may have: the oldest 3.11 (Debian 12 ships 3.11.2), the newest of each minor.
SUPPORTED = ["3.11.0", "3.11.2", "3.11.4", "3.11.5", "3.11.7", "3.12.0", "3.12.1", "3.13.0", "3.13.9"]
STUDENT_ONLY_NOT = {"distributed", "dask", "pytest", "pytest-xdist"}


def key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def lock() -> list[tuple[str, str, Marker | None]]:
    """(name, version, marker) for every line of constraints.txt."""
    rows = []
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        req = Requirement(line)
        (spec,) = req.specifier
        assert spec.operator == "==", f"constraints.txt: {line!r} is not an exact pin"
        rows.append((key(req.name), spec.version, req.marker))
    return rows


def environment(python: str, platform: str = "linux") -> dict[str, str]:
    """Marker environment of a CPython of that version on Linux (or macOS / Windows)."""
    major_minor = ".".join(python.split(".")[:2])
    env = {"python_version": major_minor, "python_full_version": python, "implementation_name": "cpython",
           "platform_python_implementation": "CPython", "sys_platform": platform, "platform_system": "Linux",
           "os_name": "nt" if platform == "win32" else "posix", "platform_machine": "x86_64", "extra": ""}
    return env


def pins_for(python: str, platform: str = "linux") -> dict[str, str]:
    """The pins pip applies on that Python: exactly one per package name."""
    chosen: dict[str, list[str]] = {}
    for name, version, marker in lock():
        if marker is None or marker.evaluate(environment(python, platform)):
            chosen.setdefault(name, []).append(version)
    doubled = {n: v for n, v in chosen.items() if len(v) > 1}
    assert not doubled, f"constraints.txt pins these twice for Python {python}: {doubled}"
    return {n: v[0] for n, v in chosen.items()}


def requirements(extra: str | None = None) -> list[Requirement]:
    project = pyproject()["project"]
    specs = project["dependencies"] if extra is None else project["optional-dependencies"][extra]
    return [Requirement(s) for s in specs if not s.startswith(project["name"])]


@pytest.mark.parametrize("python", SUPPORTED)
def test_every_dependency_is_pinned_once_within_its_range_on_every_supported_python(python):
    assert SpecifierSet(pyproject()["project"]["requires-python"]).contains(python)
    table = pins_for(python)
    for extra in (None, "grade", "test"):
        for req in requirements(extra):
            assert key(req.name) in table, f"constraints.txt pins no {req.name} for Python {python}"
            assert req.specifier.contains(table[key(req.name)]), \
                f"{req.name}=={table[key(req.name)]} is outside pyproject's {req.specifier}"


def test_supported_range_is_what_the_readme_and_makefile_say():
    assert pyproject()["project"]["requires-python"] == ">=3.11,<3.14"
    readme = (ROOT / "README.md").read_text()
    assert "3.11" in readme and "3.13" in readme
    finder = (ROOT / "scripts" / "find-python").read_text()
    assert "(3, 11)" in finder and "(3, 14)" in finder


def test_students_install_what_students_need_and_no_grader():
    student = {key(r.name) for r in requirements()}
    assert "nbgrader" in student, "the Validate button needs nbgrader in the student install"
    assert not student & STUDENT_ONLY_NOT, f"grader/test packages in the student install: {student & STUDENT_ONLY_NOT}"
    extras = pyproject()["project"]["optional-dependencies"]
    assert {key(Requirement(s).name) for s in extras["grade"]} >= {"distributed"}
    assert {key(Requirement(s).name) for s in extras["test"]} >= {"pytest", "pytest-xdist"}


def test_environment_yml_installs_the_project_with_the_same_lock():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    python = next(d for d in deps if isinstance(d, str) and d.startswith("python="))
    minor = python.split("=")[1]
    assert any(v.startswith(minor + ".") for v in SUPPORTED), f"environment.yml asks for {python}, not a supported Python"
    pip_section = next(d["pip"] for d in deps if isinstance(d, dict))
    assert "-c constraints.txt" in pip_section and "-e ." in pip_section


def test_installed_environment_matches_the_lock():
    table = pins_for(".".join(map(str, sys.version_info[:3])))
    for name in ["jupyterlab", "nbgrader", "numpy", "sympy", "matplotlib", "ipywidgets", "nbclient", "nbdime",
                 "pytest", "distributed"]:
        assert importlib.metadata.version(name) == table[key(name)], f"{name} installed differs from constraints.txt"


def test_makefile_installs_students_without_extras_and_ci_with_them():
    def dry(target: str) -> str:
        done = subprocess.run(["make", "-n", "-B", target, "VENV=.venv-dry-run"], cwd=ROOT, capture_output=True,
                              text=True, env={**os.environ, "MAKEFLAGS": ""})
        return done.stdout + done.stderr

    lab, test = dry("lab"), dry("test")
    assert "-c constraints.txt -e ." in lab and "[test]" not in lab, lab
    assert "course update --offline" in lab and "--ServerApp.root_dir=work" in lab, lab
    assert "-e '.[test]'" in test, test
    assert not (ROOT / ".venv-dry-run").exists()


def fake_python(tmp_path: Path, hide: str) -> Path:
    """A wrapper around this interpreter in which the stdlib module `hide` cannot be imported."""
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / f"{hide}.py").write_text("raise ImportError('hidden for the test')\n")
    wrapper = tmp_path / "python3"
    wrapper.write_text(f"#!/bin/sh\nPYTHONPATH={shadow} exec {sys.executable} \"$@\"\n")
    wrapper.chmod(0o755)
    return wrapper


def run_make_install(python: Path | str, tmp_path: Path) -> subprocess.CompletedProcess:
    venv = tmp_path / "venv"
    return subprocess.run(["make", "--no-print-directory", "install", f"PYTHON={python}", f"VENV={venv}"], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ, "MAKEFLAGS": ""})


def test_make_names_the_fix_in_one_line_when_venv_is_missing(tmp_path):
    done = run_make_install(fake_python(tmp_path, "ensurepip"), tmp_path)
    assert done.returncode != 0
    lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "without its venv module" in lines[0] and "apt-get install python3" in lines[0], done.stderr
    assert not (tmp_path / "venv").exists()


def test_make_refuses_an_unsupported_python_in_one_line(tmp_path):
    old = sorted(Path(os.popen("pyenv root 2>/dev/null").read().strip() or "/nonexistent").glob("versions/3.10*/bin/python3"))
    if not old:
        pytest.skip("no Python 3.10 on this machine to try")
    done = run_make_install(old[0], tmp_path)
    lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
    assert done.returncode != 0 and len(lines) == 1, done.stderr
    assert "too old" in lines[0] and "3.11, 3.12 or 3.13" in lines[0] and "PYTHON=" in lines[0]
    assert not (tmp_path / "venv").exists()


def test_make_refuses_a_missing_interpreter_in_one_line(tmp_path):
    done = run_make_install(tmp_path / "nowhere" / "python3", tmp_path)
    lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
    assert done.returncode != 0 and len(lines) == 1 and "no such interpreter" in lines[0], done.stderr
