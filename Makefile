# The whole set-up on a fresh machine is `make lab` (students) or `make test` (CI).
# Every target creates .venv with a supported Python (CPython 3.11 to 3.13, found by
# scripts/find-python; `make PYTHON=/path/to/python3.12 ...` picks one) and installs the
# locked environment first: the student set for `make lab`, plus the grader's and the test
# suite's extras for `make test` and `make grade`. Nothing is reinstalled unless
# pyproject.toml or constraints.txt changed.
PYTHON ?=
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-student
GRADE  := $(VENV)/.installed-grade
DEV    := $(VENV)/.installed-dev
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt
# Two workers: this course is tested on 2-core machines.
JOBS   ?= 2
PORT   ?= 8888
# Jupyter refuses to run as root unless told; containers and CI machines often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
# No "get Jupyter news?" pop-up and no news or update check over the network on a student's first start
# (lab/settings/overrides.json sets the defaults of JupyterLab's settings). The Validate button shows each
# failing test's verdict first (course_pipeline/labvalidate.py).
LAB_FLAGS := --LabApp.app_settings_dir=$(CURDIR)/lab/settings --LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate --ServerApp.jpserver_extensions=course_pipeline.labvalidate=True

# `make grade`: the demo class of this assignment, graded like a real one (grading/ is git-ignored), then its
# class report shown (`course report` rebuilds it from the grading folder and prints the summary).
DEMO   ?= 01_derivatives
# `make grade-scheduler` / `make grade-worker`: a Dask cluster for `course grade --dask` (docs/grading.md).
SCHEDULER ?= tcp://127.0.0.1:8786
WORKERS   ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: install install-dev lab update instructor-lab test smoke lock release check grade grade-scheduler grade-worker sandbox clean help

help:
	@echo "make lab             open your copy of the notebooks (work/) in JupyterLab"
	@echo "make update          bring the course up to date, keeping everything you wrote"
	@echo "make test            run everything CI runs"
	@echo "make release         regenerate notebooks/ and solutions/ from source/"
	@echo "make check           execute and autograde every assignment, print a table"
	@echo "make instructor-lab  JupyterLab at the course root (formgrader, source/)"
	@echo "make grade           grade a generated demo class of $(DEMO) with course grade (docs/grading.md)"
	@echo "make grade-scheduler a Dask scheduler on port 8786 for course grade --dask"
	@echo "make grade-worker    Dask grading workers: SCHEDULER=tcp://HOST:8786 WORKERS=n (default: one per CPU)"

# The interpreter is checked when .venv is made: one line says what is missing and how to get it.
$(BIN)/python:
	$(eval FOUND := $(shell sh scripts/find-python '$(PYTHON)'))
	$(if $(and $(filter 1,$(words $(FOUND))),$(filter /%,$(FOUND))),,$(error $(FOUND)))
	$(FOUND) -m venv $(VENV)

$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) -e .
	@touch $(STAMP)

# The instructor's commands (course check, course grade) need the grader's extras too.
$(GRADE): pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) -e '.[grade]'
	@touch $(GRADE) $(STAMP)

$(DEV): pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) -e '.[test]'
	@touch $(DEV) $(GRADE) $(STAMP)

install: $(STAMP)

install-dev: $(DEV)

# Students work in work/ (git-ignored): `course update` copies new assignments there and merges
# the course's fixes into notebooks already started, never overwriting what the student wrote.
lab: $(STAMP)
	@$(BIN)/course update --offline
	$(BIN)/jupyter lab --ServerApp.root_dir=work --port=$(PORT) $(LAB_FLAGS) $(ROOT_FLAG)

update: $(STAMP)
	@$(BIN)/course update
	@$(MAKE) --no-print-directory install

instructor-lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=. --port=$(PORT) $(LAB_FLAGS) $(ROOT_FLAG)

# The grader sandboxes student kernels with bubblewrap; its tests need it. Installed here
# when running as root on Debian/Ubuntu (CI), otherwise a clear message says how.
sandbox:
	@command -v bwrap >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing bubblewrap (sandbox for course grade)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null) || exit 1; \
	  else \
	    echo "make: bubblewrap (bwrap) is needed to grade and to test the grader: sudo apt-get install -y bubblewrap" >&2; \
	    exit 1; \
	  fi; }

# The 15 slowest tests are listed at the end: the suite must stay under 10 minutes on 2 cores.
test: $(DEV) sandbox
	$(BIN)/python -m pytest -n $(JOBS) --dist loadgroup --durations=15

# CI on every other interpreter: a fresh student install, every notebook executed in it; then the
# grader's extras and one course check. `make smoke PYTHON=/usr/bin/python3 VENV=.venv-debian`
smoke: $(STAMP)
	$(BIN)/python benchmarks/notebook_times.py
	@$(MAKE) --no-print-directory $(GRADE) VENV=$(VENV) PYTHON='$(PYTHON)'
	$(BIN)/course check $(DEMO)

# Re-resolve the one lock for every supported Python (needs the package index).
lock:
	@test -x .lock-tools/bin/uv || { python3 -m venv .lock-tools && .lock-tools/bin/python -m pip install --quiet uv==0.13.9; }
	grep -v '^#' constraints.txt > .lock-tools/lock.txt  # today's pins are the resolver's preferences: only what must move moves
	.lock-tools/bin/uv pip compile pyproject.toml --all-extras --universal --fork-strategy fewest \
	  --python-version 3.11 --no-header --no-annotate -o .lock-tools/lock.txt
	{ sed -n '/^#/p' constraints.txt; cat .lock-tools/lock.txt; } > constraints.txt.new && mv constraints.txt.new constraints.txt

release: $(STAMP)
	$(BIN)/course release

check: $(GRADE)
	$(BIN)/course check

grade: $(GRADE) sandbox
	$(BIN)/python -m course_pipeline.grading.demo $(DEMO) grading/demo/submitted
	$(BIN)/course grade $(DEMO) grading/demo/submitted --out grading/demo/$(DEMO) --gradebook grading/demo/gradebook.db
	@echo
	@$(BIN)/course report $(DEMO) --out grading/demo/$(DEMO) --gradebook grading/demo/gradebook.db

# Grading on several machines: one scheduler, then workers on every grading machine (same commit,
# same pinned environment, bubblewrap). The instructor's machine runs `course grade --dask tcp://HOST:8786`.
grade-scheduler: $(GRADE)
	$(BIN)/dask scheduler --port $(lastword $(subst :, ,$(SCHEDULER))) --no-dashboard

grade-worker: $(GRADE) sandbox
	$(BIN)/dask worker $(SCHEDULER) --nthreads 1 --nworkers $(WORKERS) --no-dashboard

clean:
	rm -rf $(VENV) .lock-tools .pytest_cache grading submitted autograded feedback gradebook.db
