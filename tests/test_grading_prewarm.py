"""Pre-warmed kernels (course_utils._zygote): as confined as cold ones, and nothing passes from one student to the next.

Every kernel here runs in the real bubblewrap sandbox. A warm kernel is a fork of one server that
imported the notebooks' modules; these tests run several students' notebooks through the same
server, one after the other, and check that what a student changed or left running is gone for
the next one, and that a warm kernel's sandbox is the cold kernel's, limit for limit.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from course_pipeline.grading.execution import GradingExecute, GradingRun, active_run
from course_pipeline.grading.prewarm import assignment_imports, notebook_imports, start_zygote
from course_pipeline.grading.sandbox import Limits, bwrap_path, require_bwrap, write_seccomp_filter
from course_pipeline.grading.status import Status
from test_grading_nonroot import nonroot_user  # noqa: F401 - the throwaway instructor of the non-root tests
from test_grading_units import _FakeBackend

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grading_prewarm")]

needs_bwrap = pytest.mark.skipif(bwrap_path() is None, reason="bubblewrap is not installed (make test installs it)")
MODULES = ("numpy", "sympy", "matplotlib.pyplot", "course_utils.checks", "course_utils.plotting")
LINGER = "6173"  # seconds a leftover process sleeps: a number no other process here uses


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory(prefix="prewarm-test-") as name:
        os.chmod(name, 0o711)
        yield Path(name)


@pytest.fixture(scope="module")
def zygote(folder):
    if bwrap_path() is None:
        pytest.skip("bubblewrap is not installed (make test installs it)")
    server = start_zygote("t", {"t": (*MODULES, "pathlib", "pathlib.Path"),
                                "broken": ("course_utils", "course_utils.no_such_module_for_the_test")})
    if server is None:
        pytest.fail("the pre-warmed kernel server did not start")
    yield server
    server.stop()


def _execute(cells: list[str], folder: Path, zygote=None, notebook: str = "t", limits: Limits | None = None):
    """Run the cells in a sandboxed grading kernel (warm when zygote serves the notebook); the outputs and the log."""
    nb_dir = Path(tempfile.mkdtemp(dir=folder))
    os.chmod(nb_dir, 0o755)
    nb = new_notebook(cells=[new_code_cell(c) for c in cells])
    nbformat.write(nb, str(nb_dir / f"{notebook}.ipynb"))
    runtime = Path(tempfile.mkdtemp(dir=folder))
    os.chmod(runtime, 0o711)
    run = GradingRun(limits=limits or Limits(cell_timeout=30), assignment="t", bwrap=require_bwrap(),
                     runtime_root=runtime, seccomp_file=write_seccomp_filter(runtime),
                     zygote=zygote.info if zygote is not None else None)
    with active_run(run):
        executor = GradingExecute(grading_run=run, timeout=30, interrupt_on_timeout=True,
                                  shutdown_kernel="immediate")
        out, _ = executor.preprocess(nb, {"metadata": {"path": str(nb_dir)}, "nbgrader": {"notebook": notebook}})
    texts = []
    for cell in out.cells:
        texts.append("".join(o.get("text", "") if o.get("output_type") == "stream"
                             else f"{o.get('ename', '')}: {o.get('evalue', '')}" for o in cell.outputs))
    return texts, run.logs[notebook]


# --- what is pre-imported -------------------------------------------------------------------------


def test_imports_are_read_from_the_notebooks_import_cells(tmp_path):
    nb = new_notebook(cells=[
        new_code_cell("%matplotlib inline\nimport numpy as np, sympy\nfrom course_utils import checks, plotting\n"
                      "from os.path import *\nfrom . import local"),
        new_code_cell("def f():\n    import json  # inside a function: not run at import time\n"),
        new_code_cell("import numpy as np\n!pip list\nx = 1"),
        new_code_cell("this is not python ("),
    ])
    nbformat.write(nb, str(tmp_path / "a.ipynb"))
    assert notebook_imports(tmp_path / "a.ipynb") == ["numpy", "sympy", "course_utils", "course_utils.checks",
                                                      "course_utils.plotting", "os.path"]
    assert assignment_imports(tmp_path, ("a", "missing")) == {"a": tuple(notebook_imports(tmp_path / "a.ipynb")),
                                                              "missing": ()}


def test_the_course_notebooks_preload_what_issue_18_measured():
    root = Path(__file__).resolve().parents[1]
    modules = notebook_imports(root / "source" / "01_derivatives" / "01_derivatives.ipynb")
    assert {"numpy", "sympy", "matplotlib.pyplot", "course_utils.checks", "course_utils.plotting"} <= set(modules)


def test_the_server_warms_what_the_course_imports_and_keeps_no_descriptor_of_it():
    """Past the imports, the server draws a figure and runs SymPy once, and lets go of every file that opened."""
    code = ("import importlib, json\nfrom course_utils import _zygote\n"
            "for name in ('numpy', 'sympy', 'matplotlib.pyplot'):\n    importlib.import_module(name)\n"
            "before = _zygote._open_descriptors()\nwarmed = _zygote._warm_up()\n"
            "print(json.dumps([warmed, sorted(_zygote._open_descriptors() - before)]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180, check=True)
    warmed, left = json.loads(out.stdout.strip().splitlines()[-1])
    assert warmed == ["matplotlib", "sympy"] and left == []


def test_a_warm_up_that_leaves_a_descriptor_open_is_refused(monkeypatch, tmp_path):
    from course_utils import _zygote

    leaked = []
    monkeypatch.setitem(_zygote._WARM_UPS, "json", lambda: leaked.append(open(tmp_path / "kept", "w")))
    with pytest.raises(RuntimeError, match="left descriptors open"):
        _zygote._warm_up()
    leaked[0].close()


class _Recording(_FakeBackend):
    """The units' in-memory backend, keeping the Shared it was started with."""

    def __init__(self) -> None:
        super().__init__({})
        self.shared = None

    def warm(self, spec, scratch) -> None:
        pass

    def start(self, shared, scratch) -> None:
        self.shared = shared


@pytest.mark.parametrize("settings, warm", [({}, True), ({"cold_kernels": True}, False), ({"sandbox": False}, False)])
def test_the_coordinator_preloads_the_source_notebooks_imports_never_a_submissions(tmp_path, monkeypatch, settings,
                                                                                 warm):
    import toy_course as toy
    from course_pipeline.grading import runner
    from course_pipeline.grading.settings import CourseGrade

    root = toy.write_toy_course(tmp_path / "course", shared_reference=False)
    a = toy.TOY_ASSIGNMENT
    student = tmp_path / "subs" / "eve" / a
    student.mkdir(parents=True)
    nbformat.write(new_notebook(cells=[new_code_cell("import a_module_only_a_student_names\nimport numpy")]),
                   str(student / f"{a}.ipynb"))
    backend = _Recording()
    monkeypatch.setattr(runner, "open_backend", lambda options: backend)
    monkeypatch.setattr(runner, "load_reference", lambda root, assignment: None)
    runner.grade_assignment(root, a, tmp_path / "subs", runner.GradeOptions(settings=CourseGrade(**settings)))
    if not warm:
        assert backend.shared.spec.preload is None
        return
    assert backend.shared.spec.preload == {a: ("pathlib", "pathlib.Path", "course_utils", "course_utils.checks")}


def _grade_toy_class(tmp_path: Path, *options: str) -> tuple[dict, dict]:
    """`course grade` of a small toy class; (student -> (score, status), student -> kinds of kernels started)."""
    import csv

    import toy_course as toy
    from course_pipeline.grading import demo
    from course_pipeline.release import tool_env

    a, nb = toy.TOY_ASSIGNMENT, f"{toy.TOY_ASSIGNMENT}.ipynb"
    root = toy.write_toy_course(tmp_path / "course")
    release = demo.release_notebooks(root, a)[nb]
    full = demo.with_solutions(release, toy.TOY_SOLUTIONS)
    wrong = demo.with_solutions(release, {**toy.TOY_SOLUTIONS, "square": toy.WRONG_SQUARE})
    patcher = demo.insert_after(full, "square", "import numpy\nnumpy.sum = lambda *a, **k: 0")
    demo.write_class(tmp_path / "subs", a, {"full": {nb: full}, "wrong": {nb: wrong}, "blank": {nb: release},
                                            "patcher": {nb: patcher}})
    timings = tmp_path / "timings.jsonl"
    proc = subprocess.run([str(Path(sys.executable).parent / "course"), "grade", a, str(tmp_path / "subs"),
                           "--workers", "2", *options], cwd=root, capture_output=True, text=True, timeout=600,
                          env={**tool_env(), "COURSE_GRADE_TIMINGS": str(timings)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    with open(root / "grading" / a / "grades.csv", newline="") as fh:
        rows = {r["student_id"]: (r["score"], r["status"]) for r in csv.DictReader(fh)}
    kinds = {}
    for line in timings.read_text().splitlines():
        row = json.loads(line)
        kinds[row["student"]] = [t["kernel"] for t in row["notebooks"].values()]
    return rows, kinds


@needs_bwrap
def test_cold_kernels_grade_every_kernel_cold_and_score_as_warm_ones(tmp_path):
    warm_rows, warm_kinds = _grade_toy_class(tmp_path / "warm")
    cold_rows, cold_kinds = _grade_toy_class(tmp_path / "cold", "--cold-kernels")
    assert warm_kinds == {sid: ["warm"] for sid in warm_rows} and cold_kinds == {sid: ["cold"] for sid in cold_rows}
    assert warm_rows == cold_rows
    assert (warm_rows["full"], warm_rows["wrong"], warm_rows["blank"]) == (("6", "ok"), ("4", "ok"), ("0", "ok"))


@needs_bwrap
def test_a_notebook_whose_imports_fail_in_the_server_grades_cold(zygote, folder):
    # `from pathlib import Path` names an attribute: not a failure; `from course_utils import missing` is one
    assert zygote.info.failed == ("course_utils.no_such_module_for_the_test",)
    assert zygote.info.serves("t") and not zygote.info.serves("broken") and not zygote.info.serves("unknown")
    texts, log = _execute(["import sys\nprint('numpy' in sys.modules)", "print(6 * 7)"], folder, zygote, "broken")
    assert log.timings["kernel"] == "cold" and texts == ["False\n", "42\n"]
    texts, log = _execute(["import sys\nprint('numpy' in sys.modules)", "print(6 * 7)"], folder, zygote, "t")
    assert log.timings["kernel"] == "warm" and texts == ["True\n", "42\n"], "the server's imports are there already"


@needs_bwrap
def test_a_kernel_that_cannot_be_attached_starts_cold_in_a_fresh_sandbox(zygote, folder):
    import dataclasses
    from types import SimpleNamespace

    # The server's socket is gone (say, it was killed): the held sandbox is torn down, a cold kernel grades instead.
    gone = SimpleNamespace(info=dataclasses.replace(zygote.info, socket="\0course-zygote-" + "0" * 24))
    texts, log = _execute(["import sys\nprint('numpy' in sys.modules)", "print(6 * 7)"], folder, gone)
    assert log.timings["kernel"] == "cold" and "ConnectionRefusedError" in log.timings["warm_failure"], log.timings
    assert texts == ["False\n", "42\n"] and log.status is Status.OK
    assert _sandboxes(folder) == [], "the held sandbox is gone"


def test_a_dask_worker_keeps_its_server_and_starts_it_again_when_it_died():
    from course_pipeline.grading import prewarm

    imports = {"t": ("json",)}
    key = (os.getpid(), "t-restart", tuple(sorted(imports.items())))
    try:
        first = prewarm.local_zygote("t-restart", imports)
        assert first is not None and prewarm.local_zygote("t-restart", imports) == first, "one server for the run"
        server = prewarm._LOCAL[key]
        server.proc.kill()
        server.proc.wait()
        second = prewarm.local_zygote("t-restart", imports)
        assert second is not None and second.socket != first.socket
        assert prewarm._LOCAL[key].proc.poll() is None
    finally:
        server = prewarm._LOCAL.pop(key, None)
        if server is not None:
            server.stop()


# --- nothing passes from one student to the next --------------------------------------------------

FIRST_STUDENT = [
    # patches numpy, the course helpers, the standard library and builtins
    "import numpy as np, math, builtins, sys\n"
    "np.sum = lambda *a, **k: 'patched'\nnp.pi = 3\nmath.sqrt = lambda *a, **k: 'patched'\n"
    "builtins.PLANTED = 'first'\nsys.modules['planted_module'] = math\n"
    "from course_utils import checks\nchecks.PLANTED = 'first'\nchecks.assert_close = lambda *a, **k: None\n"
    "np.random.seed(0)\nprint('patched')",
    # leaves a thread, a forked child and a subprocess running, and files in its scratch
    "import threading, time, os, subprocess\n"
    "threading.Thread(target=time.sleep, args=(600,), name='left-by-first', daemon=True).start()\n"
    "if os.fork() == 0:\n    time.sleep(600)\n    os._exit(0)\n"
    f"subprocess.Popen(['sleep', '{LINGER}'])\n"
    "open('/tmp/planted.txt', 'w').write('first')\nopen(os.path.expanduser('~/planted.txt'), 'w').write('first')\n"
    "print('left', os.getpid())",
]

SECOND_STUDENT = [
    "import numpy as np, json, math, builtins, sys, threading, os\nfrom course_utils import checks\n"
    "print(json.dumps({'numpy_sum': str(np.sum([1, 2])), 'pi': np.pi == 3.141592653589793,"
    " 'math': math.sqrt(4.0) == 2.0, 'builtins': hasattr(builtins, 'PLANTED'),"
    " 'module': 'planted_module' in sys.modules, 'checks': hasattr(checks, 'PLANTED'),"
    " 'assert_close': checks.assert_close.__name__,"
    " 'threads': sorted(t.name for t in threading.enumerate()),"
    " 'files': sorted(os.listdir('/tmp')) + sorted(os.listdir(os.path.expanduser('~'))),"
    " 'cmdlines': sorted(open(f'/proc/{p}/cmdline', 'rb').read().decode(errors='replace').replace(chr(0), ' ')"
    "                    for p in os.listdir('/proc') if p.isdigit()),"
    " 'random': float(np.random.rand())}))",
]


def _sandboxes(folder: Path) -> list[str]:
    """Processes whose command line names the test's folder: sandboxes (bwrap binds their runtime folder) still up."""
    ps = subprocess.run(["ps", "-eo", "pid=,stat=,args="], capture_output=True, text=True).stdout.splitlines()
    return [line for line in ps if str(folder) in line and line.split()[1][0] not in "ZX"]


def _leftovers() -> list[str]:
    ps = subprocess.run(["ps", "-eo", "pid=,args="], capture_output=True, text=True).stdout.splitlines()
    return [line for line in ps if f"sleep {LINGER}" in line]


@needs_bwrap
def test_what_a_student_changes_or_leaves_running_is_gone_for_the_next(zygote, folder):
    first, log = _execute(FIRST_STUDENT, folder, zygote)
    assert log.timings["kernel"] == "warm" and first[0] == "patched\n" and first[1].startswith("left"), first
    assert _leftovers() == [], "the first student's processes outlived its grading"
    assert _sandboxes(folder) == [], "its sandbox too"
    seen = []
    for _ in range(2):
        texts, log = _execute(SECOND_STUDENT, folder, zygote)
        assert log.timings["kernel"] == "warm", log.timings
        seen.append(json.loads(texts[0]))
    for state in seen:
        assert state["numpy_sum"] == "3" and state["pi"] and state["math"], state
        assert not state["builtins"] and not state["module"] and not state["checks"], state
        assert state["assert_close"] == "assert_close", state
        assert "left-by-first" not in state["threads"], state
        assert "planted.txt" not in state["files"], state
        assert not any(LINGER in c for c in state["cmdlines"]), state
        # the sandbox's own processes only: bubblewrap's init, the holder, this kernel
        assert len(state["cmdlines"]) == 3, state["cmdlines"]
    assert seen[0]["random"] != seen[1]["random"], "numpy's generator is seeded afresh in every kernel"


@needs_bwrap
def test_the_server_is_unchanged_by_the_kernels_it_forked(zygote, folder):
    before = Path(f"/proc/{zygote.proc.pid}/status").read_text()
    _execute(FIRST_STUDENT, folder, zygote)
    after = Path(f"/proc/{zygote.proc.pid}/status").read_text()
    threads = [line for line in after.splitlines() if line.startswith("Threads:")]
    assert threads == ["Threads:\t1"], "the server stays single-threaded"
    assert zygote.proc.poll() is None
    rss = lambda text: int(re.search(r"VmRSS:\s+(\d+)", text).group(1))  # noqa: E731
    assert rss(after) - rss(before) < 20_000, "a kernel's work does not land in the server"
    # Forked kernels share the server's pages copy-on-write only: no writable shared mapping that two
    # kernels (or a kernel and the server) could both write to.
    maps = Path(f"/proc/{zygote.proc.pid}/maps").read_text().splitlines()
    assert [line for line in maps if line.split()[1].startswith("rw") and line.split()[1][3] == "s"] == []


# --- a warm kernel's sandbox is the cold kernel's -------------------------------------------------

PROBE = [
    "import os, sys, json, resource, socket, ctypes\n"
    "status = dict(line.split(':', 1) for line in open('/proc/self/status').read().splitlines() if ':' in line)\n"
    "mounts = sorted(line.split()[4] for line in open('/proc/self/mountinfo'))\n"
    "libc = ctypes.CDLL(None, use_errno=True)\n"
    "nested = libc.unshare(0x10000000)\n"
    "try:\n    import course_pipeline\n    pipeline = course_pipeline.__file__\nexcept ImportError:\n    pipeline = None\n"
    "mask = os.umask(0); os.umask(mask)\n"
    "fds = {}\nfor f in os.listdir('/proc/self/fd'):\n    try:\n        fds[int(f)] = os.readlink(f'/proc/self/fd/{f}')\n"
    "    except OSError:\n        pass\n"
    "print(json.dumps({\n"
    "  'ids': [os.getuid(), os.geteuid(), os.getgid(), os.getegid(), os.getgroups()],\n"
    "  'status': {k: status[k].strip() for k in ('CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb', 'NoNewPrivs',"
    " 'Seccomp')},\n"
    "  'rlimits': {n: resource.getrlimit(getattr(resource, n)) for n in ('RLIMIT_AS', 'RLIMIT_NPROC',"
    " 'RLIMIT_FSIZE', 'RLIMIT_NOFILE', 'RLIMIT_CORE')},\n"
    "  'hostname': socket.gethostname(), 'net': sorted(l.split(':')[0].strip() for l in"
    " open('/proc/net/dev').readlines()[2:]),\n"
    "  'pids': sorted(int(p) for p in os.listdir('/proc') if p.isdigit()), 'sid': os.getsid(0) == os.getpid(),\n"
    "  'mounts': mounts, 'unshare': [nested, ctypes.get_errno()], 'pipeline': pipeline,\n"
    "  'cwd': os.getcwd(), 'umask': mask, 'env': dict(os.environ), 'path0': sys.path[0],\n"
    "  'fds': sorted(fds),\n"
    "  'fd_targets': sorted(fds.values()),\n"
    "}))",
]


def _normalise(state: dict) -> dict:
    """What legitimately differs between two kernels: their private runtime folder, the sandbox's process ids."""
    runtime = re.compile(r"/[^\s\"']*/cgk-[^/\s\"']+")

    def clean(value):
        if isinstance(value, str):
            return runtime.sub("RUNTIME", value)
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        return value

    state = clean(state)
    state["fd_targets"] = [re.sub(r"\[\d+\]", "[N]", t) for t in state["fd_targets"]]
    state["pids"] = len(state["pids"])
    return state


@needs_bwrap
def test_a_warm_kernel_is_confined_exactly_as_a_cold_one(zygote, folder):
    cold_texts, cold_log = _execute(PROBE, folder)
    warm_texts, warm_log = _execute(PROBE, folder, zygote)
    assert cold_log.timings["kernel"] == "cold" and warm_log.timings["kernel"] == "warm"
    cold, warm = _normalise(json.loads(cold_texts[0])), _normalise(json.loads(warm_texts[0]))
    # The holding process is one more task of the sandbox's uid: the kernel's budget is one higher,
    # so student code gets the same number of processes.
    assert warm["rlimits"].pop("RLIMIT_NPROC") == [n + 1 for n in cold["rlimits"].pop("RLIMIT_NPROC")]
    # bubblewrap's init, the holder and the kernel, against init and the kernel
    assert (warm.pop("pids"), cold.pop("pids")) == (3, 2)
    # Open descriptors: the same kinds of thing (the kernel log, its sockets, pipes); nothing of the server's.
    # Their number varies with the kernel's threads; stdin is /dev/null instead of a pipe; IPython's history
    # database may be open already.
    ignorable = {"/dev/null", "/tmp/home/.ipython/profile_default/history.sqlite", "pipe:[N]"}
    assert set(warm.pop("fd_targets")) - ignorable <= set(cold.pop("fd_targets")) - ignorable
    warm.pop("fds"), cold.pop("fds")
    # Privileges: none at all in a warm kernel (a cold one keeps bubblewrap's inheritable and bounding sets,
    # unusable under no_new_privs); the same no_new_privs and seccomp filter.
    warm_status, cold_status = warm.pop("status"), cold.pop("status")
    assert {k: warm_status[k] for k in ("NoNewPrivs", "Seccomp")} == {k: cold_status[k] for k in ("NoNewPrivs", "Seccomp")}
    assert set(warm_status[k] for k in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")) == {"0000000000000000"}
    assert cold_status["CapEff"] == cold_status["CapPrm"] == "0000000000000000"
    # Its own session (a cold kernel shares bubblewrap's init's): no signal to the process group reaches the server.
    assert warm.pop("sid") and not cold.pop("sid")
    assert warm == cold
    assert warm_status["NoNewPrivs"] == "1" and warm_status["Seccomp"] == "2"
    assert warm["unshare"][0] == -1 and warm["pipeline"] is None and warm["hostname"] == "sandbox"
    assert warm["net"] == ["lo"] and warm["cwd"] == "/tmp/t" and warm["path0"] == "/tmp/t"
    if os.geteuid() == 0:
        uid = warm["ids"][0]
        assert uid != 0 and warm["ids"] == [uid, uid, uid, uid, []]


@needs_bwrap
def test_warm_kernels_keep_the_limits(zygote, folder):
    limits = Limits(cell_timeout=5, memory_mb=400, max_processes=16)
    cells = ["with open('/tmp/big', 'wb') as fh:\n    for _ in range(70):\n        fh.write(b'x' * 2**20)",
             "hog = []\nwhile True:\n    hog.append(bytearray(32 * 2**20))",
             "while True:\n    pass",
             "import os, signal\nkids = []\ntry:\n    while True:\n        pid = os.fork()\n        if pid == 0:\n"
             "            import time\n            time.sleep(60)\n            os._exit(0)\n        kids.append(pid)\n"
             "except OSError:\n    print('refused', len(kids))\nfor pid in kids:\n    os.kill(pid, signal.SIGKILL)\n"
             "    os.waitpid(pid, 0)",
             "print('after')"]
    texts, log = _execute(cells, folder, zygote, limits=limits)
    assert log.timings["kernel"] == "warm"
    assert "File too large" in texts[0], texts
    assert texts[1].startswith("MemoryError"), texts
    assert "KeyboardInterrupt" in texts[2], texts
    kids = int(texts[3].split()[1])
    assert 0 < kids < 16, texts
    assert texts[4] == "after\n"
    assert {s for s, _ in log.events} >= {Status.MEMORY_LIMIT, Status.TIMEOUT}


@needs_bwrap
def test_a_kernel_that_exits_is_seen_dead_at_once(zygote, folder):
    texts, log = _execute(["print('before')", "import os\nos._exit(1)", "print('never')"], folder, zygote)
    assert texts[0] == "before\n" and "DeadKernelError" in texts[1] and "NotExecuted" in texts[2]
    assert log.status is Status.KERNEL_DIED
    assert _sandboxes(folder) == [], "the sandbox that held the dead kernel is gone too"


# --- without root: the same, in the sandbox's user namespace ---------------------------------------

NONROOT_SCRIPT = """
import json, os, sys, tempfile
from pathlib import Path
sys.path.insert(0, {tests!r})
import test_grading_prewarm as t
from course_pipeline.grading.prewarm import start_zygote
folder = Path(tempfile.mkdtemp(prefix="prewarm-nonroot-"))
os.chmod(folder, 0o711)
zygote = start_zygote("t", {{"t": t.MODULES}})
result = {{"zygote": zygote is not None}}
if zygote is not None:
    first, log = t._execute(t.FIRST_STUDENT, folder, zygote)
    result["first"] = [first, log.timings.get("kernel")]
    result["leftovers"] = t._leftovers()
    second, log = t._execute(t.SECOND_STUDENT, folder, zygote)
    result["second"] = [json.loads(second[0]), log.timings.get("kernel")]
    cold, _ = t._execute(t.PROBE, folder)
    warm, log = t._execute(t.PROBE, folder, zygote)
    result["probe"] = [json.loads(cold[0]), json.loads(warm[0]), log.timings.get("kernel")]
    zygote.stop()
print("RESULT " + json.dumps(result))
"""


@pytest.mark.xdist_group("grading_nonroot")
def test_without_root_warm_kernels_are_as_isolated(tmp_path, nonroot_user):
    from test_grading_nonroot import _as_user

    uid = int(subprocess.run(["id", "-u", nonroot_user], capture_output=True, text=True, check=True).stdout)
    gid = int(subprocess.run(["id", "-g", nonroot_user], capture_output=True, text=True, check=True).stdout)
    script = tmp_path / "probe.py"
    script.write_text(NONROOT_SCRIPT.format(tests=str(Path(__file__).parent)))
    os.chmod(tmp_path, 0o755)
    os.chmod(script, 0o644)
    for parent in tmp_path.parents:
        if parent == Path("/tmp") or parent == Path("/"):
            break
        os.chmod(parent, os.stat(parent).st_mode | 0o111)
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG")}
    env.update(HOME="/tmp", TMPDIR="/tmp", PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    proc = _as_user(nonroot_user, [sys.executable, str(script)], Path("/tmp"), env)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")), None)
    assert line is not None, proc.stderr[-3000:]
    result = json.loads(line[len("RESULT "):])
    assert result["zygote"]
    first, kernel = result["first"]
    assert kernel == "warm" and first[0] == "patched\n" and first[1].startswith("left"), first
    assert result["leftovers"] == []
    state, kernel = result["second"]
    assert kernel == "warm"
    assert state["numpy_sum"] == "3" and state["pi"] and state["math"] and not state["checks"], state
    assert not state["builtins"] and not state["module"] and "left-by-first" not in state["threads"], state
    assert "planted.txt" not in state["files"] and len(state["cmdlines"]) == 3, state
    cold, warm, kernel = result["probe"]
    assert kernel == "warm"
    cold, warm = _normalise(cold), _normalise(warm)
    assert warm["status"]["CapEff"] == warm["status"]["CapBnd"] == warm["status"]["CapPrm"] == "0000000000000000"
    assert (warm["status"]["NoNewPrivs"], warm["status"]["Seccomp"]) == (cold["status"]["NoNewPrivs"],
                                                                           cold["status"]["Seccomp"]) == ("1", "2")
    for key in ("ids", "hostname", "net", "mounts", "unshare", "pipeline", "cwd", "umask", "env", "path0"):
        assert warm[key] == cold[key], key
    assert warm["unshare"][0] == -1 and warm["net"] == ["lo"] and warm["pipeline"] is None
    assert warm["ids"][:4] == [uid, uid, gid, gid], "the instructor's own ids, in the sandbox's user namespace"


# --- the judge's trusted reference runs -------------------------------------------------------------


def test_a_sandbox_server_never_forks_an_unconfined_kernel(zygote):
    from course_pipeline.grading.prewarm import AttachError, attach_trusted

    holder = subprocess.Popen(["sleep", "60"])
    try:
        with pytest.raises(AttachError, match="refused"):
            attach_trusted(zygote.info, holder, {"connection_file": "/nonexistent", "workdir": "/", "env": {},
                                                 "arguments": []}, 2)
    finally:
        holder.kill()
        holder.wait()
    assert zygote.proc.poll() is None


def _state(pid: int) -> str:
    """A process's state letter ('' when it no longer exists; 'Z': dead, waiting to be reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return ""


def test_the_judge_runs_the_reference_in_pre_warmed_kernels_with_the_same_records():
    import time

    from course_pipeline.grading.judgecheck import LiveNotebook

    root = Path(__file__).resolve().parents[1]
    warm = LiveNotebook(root, "01_derivatives")
    try:
        cold = LiveNotebook(root, "01_derivatives", warm=False)
        try:
            assert warm.kernel.km.warm and not cold.kernel.km.warm, warm.kernel.km.warm_failure
            assert warm.errors == [] == cold.errors
            assert json.dumps(warm.reference, sort_keys=True) == json.dumps(cold.reference, sort_keys=True)
            assert len(warm.reference) > 10
        finally:
            cold.close()
        # a cell that runs too long is interrupted, as in a cold kernel (an interrupt message: it has its own group)
        stuck = warm.kernel.run("import time\nwhile True:\n    time.sleep(0.01)", timeout=2)
        assert not stuck.ok and "timed out" in stuck.error
        warm.kernel.run("pass")  # takes the interrupted cell's late reply (LiveKernel does so, warm or cold)
        pid = int(warm.kernel.run("import os\nprint(os.getpid())").outputs[0]["text"])
        assert _state(pid) not in ("", "Z")
        env = warm.kernel.run("import os, sys\nprint(os.environ['COURSE_RECORD_REFERENCE'], os.environ['HOME'], "
                              "'numpy' in sys.modules)").outputs[0]["text"].split()
        assert env[0] == "1" and env[1].startswith(warm.kernel._tmp) and env[2] == "True"
    finally:
        warm.close()
    deadline = time.monotonic() + 5
    while _state(pid) not in ("", "Z") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _state(pid) in ("", "Z"), "the kernel was killed with its kernel manager"


# --- honest work: the same outputs -----------------------------------------------------------------


def _merged_outputs(nb) -> list[list[dict]]:
    """Each cell's outputs, consecutive stream chunks joined (how ipykernel splits a stream depends on timing)."""
    cells = []
    for cell in nb.cells:
        merged: list[dict] = []
        for out in cell.get("outputs", []):
            out = {k: v for k, v in out.items() if k != "execution_count"}
            last = merged[-1] if merged else {}
            if out.get("output_type") == "stream" and last.get("output_type") == "stream" and last["name"] == out["name"]:
                merged[-1] = {**last, "text": last["text"] + out["text"]}
            else:
                merged.append(out)
        cells.append(merged)
    return cells


@needs_bwrap
def test_the_answer_key_gives_the_same_outputs_warm_and_cold(folder):
    root = Path(__file__).resolve().parents[1]
    a = "01_derivatives"
    nb = nbformat.read(str(root / "solutions" / a / f"{a}.ipynb"), as_version=4)
    server = start_zygote(a, assignment_imports(root / "source" / a, (a,)))
    assert server is not None and server.info.serves(a)
    outputs = {}
    try:
        for mode in ("cold", "warm"):
            nb_dir = Path(tempfile.mkdtemp(dir=folder))
            os.chmod(nb_dir, 0o755)
            runtime = Path(tempfile.mkdtemp(dir=folder))
            os.chmod(runtime, 0o711)
            run = GradingRun(limits=Limits(), assignment=a, bwrap=require_bwrap(), runtime_root=runtime,
                             seccomp_file=write_seccomp_filter(runtime), zygote=server.info if mode == "warm" else None)
            with active_run(run):
                executor = GradingExecute(grading_run=run, timeout=60, interrupt_on_timeout=True,
                                          shutdown_kernel="immediate")
                out, _ = executor.preprocess(nbformat.from_dict(nb), {"metadata": {"path": str(nb_dir)},
                                                                      "nbgrader": {"notebook": a}})
            assert run.logs[a].timings["kernel"] == mode and run.logs[a].status == "ok"
            outputs[mode] = _merged_outputs(out)
    finally:
        server.stop()
    assert any("image/png" in o.get("data", {}) for cell in outputs["warm"] for o in cell)
    assert outputs["warm"] == outputs["cold"], "every output, figures byte for byte"
