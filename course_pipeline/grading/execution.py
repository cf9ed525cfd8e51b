"""nbgrader's Execute preprocessor, hardened: sandboxed kernel, notebook deadline, output cap, dead kernels."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import shutil
import signal
import stat
import sys
import tempfile
import time
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from time import monotonic

import zmq
import zmq.asyncio
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import ensure_async
from nbformat import NotebookNode
from traitlets import Callable, Instance, Unicode

from course_utils._grading_kernel import OutputLimitExceeded
from course_utils._grading_kernel import argv as grading_kernel_argv
from ..nbgrader_adapter import Execute
from . import judge
from .prewarm import AttachError, PrewarmedProcess, ZygoteInfo, attach, launch_cold
from .sandbox import HOLD_READY, SCRATCH, UID_BASE, Limits, SandboxSpec, kernel_argv, kernel_rlimits, sandbox_env
from .status import RUN_STATUSES, Status

__all__ = ["RunLog", "GradingRun", "active_run", "reap_uid", "GuardedKernelManager",
           "SandboxKernelManager", "GradingExecute", "CourseSandboxExecute", "error_output"]

MAX_MESSAGE_BYTES = 16 * 1024 * 1024  # larger kernel messages are refused by the grader's sockets
KEEP_TEXT = 2000  # characters kept of an output once the notebook's output budget is spent
# The kernel caps stdout/stderr itself, deterministically (course_utils._grading_kernel); the grader's
# own count of every message is a backstop for kernels whose code removed that cap, set well above it.
BACKSTOP_FACTOR = 2
OUTPUT_LIMIT_ENAME = OutputLimitExceeded.__name__


def error_output(ename: str, evalue: str) -> NotebookNode:
    """An error output as nbclient records it (nbgrader scores a test cell holding one zero)."""
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


@dataclass
class RunLog:
    """What happened while executing one notebook: events as (status, detail)."""

    events: list[tuple[Status, str]] = field(default_factory=list)
    # Where the time went: kernel ("warm": forked from the pre-warmed server, "cold": a fresh interpreter),
    # kernel_start (the kernel manager's creation until the kernel answered, seconds), execute (the cells),
    # warm_failure (why a kernel meant to be warm started cold).
    timings: dict = field(default_factory=dict)

    def add(self, status: Status, detail: str) -> None:
        """Record an event (status is one of RUN_STATUSES)."""
        if not isinstance(status, Status) or status not in RUN_STATUSES:
            raise ValueError(f"{status!r} is not the status of a notebook run")
        self.events.append((status, detail))

    @property
    def status(self) -> Status:
        """The most severe status recorded (OK when nothing happened)."""
        return Status.worst(s for s, _ in self.events)


@dataclass
class GradingRun:
    """Per-submission settings the worker hands to the executor (through traitlets config)."""

    limits: Limits
    assignment: str
    bwrap: str | None = None  # None: no sandbox
    runtime_root: Path | None = None
    seccomp_file: Path | None = None
    uid: int | None = None
    student_dir: Path | None = None  # the student's own files (the kernel never sees the restored notebook)
    socket_dirs: list[Path] = field(default_factory=list)  # short-path folders of IPC sockets, removed at the end
    logs: dict[str, RunLog] = field(default_factory=dict)  # notebook id -> log
    # The judge's reference records (notebook id -> grade_id -> records); None grades as stock nbgrader does,
    # from the test cells' own errors, which student code can forge: only the executor's own tests use it.
    reference: dict | None = None
    verdicts: dict[str, dict] = field(default_factory=dict)  # notebook id -> grade_id -> judge.Verdict
    # The pre-warmed kernel server (course_utils._zygote) that forks this run's sandboxed kernels; None: every
    # kernel starts cold. A notebook it does not serve (its imports failed there) starts cold too.
    zygote: ZygoteInfo | None = None

    def __deepcopy__(self, memo: dict) -> "GradingRun":
        """Itself: a run is where the executor writes its logs, not a value (traitlets deep-copies config values)."""
        return self


_CONTEXT: dict[int, zmq.asyncio.Context] = {}


def _short_tmp() -> str:
    """/tmp when usable (short paths for IPC sockets), else the system temporary folder."""
    return "/tmp" if os.access("/tmp", os.W_OK | os.X_OK) else tempfile.gettempdir()


def _client_context() -> zmq.asyncio.Context:
    """This process's zmq context for kernel clients: oversized messages dropped, sockets never linger.

    Shared and never terminated, so an abandoned socket (a kernel that failed to start) cannot
    make a garbage-collected context block forever in zmq_term.
    """
    pid = os.getpid()
    if pid not in _CONTEXT:
        context = zmq.asyncio.Context()
        context.setsockopt(zmq.MAXMSGSIZE, MAX_MESSAGE_BYTES)
        context.setsockopt(zmq.LINGER, 0)
        # A kernel binds its sockets a moment after it starts: look again every 10 ms, not zmq's default 100 ms.
        context.setsockopt(zmq.RECONNECT_IVL, 10)
        _CONTEXT[pid] = context
    return _CONTEXT[pid]


@contextmanager
def active_run(run: GradingRun) -> Iterator[GradingRun]:
    """Give a run its own uid when sandboxed as root; on exit remove the kernels' socket folders."""
    if run.bwrap is not None and os.geteuid() == 0:
        run.uid = UID_BASE + os.getpid()
    try:
        yield run
    finally:
        for folder in run.socket_dirs:
            shutil.rmtree(folder, ignore_errors=True)


class GuardedKernelManager(AsyncKernelManager):
    """A kernel manager whose client refuses oversized messages and which can kill the kernel's process group.

    The executor names it as nbclient's `kernel_manager_class` and sets its traits below: which kernel
    to start, where the kernel's own output goes, and whom to tell when nbclient interrupts a cell.
    """

    grading_spec = Instance(KernelSpec, allow_none=True, help="the kernel to start (None: kernel_name's spec)")
    kernel_log = Unicode("", help="file receiving the kernel's stdout/stderr (empty: inherited)")
    interrupt_listener = Callable(None, allow_none=True, help="called before every interrupt_kernel()")

    @property
    def kernel_spec(self) -> KernelSpec | None:
        """The grading kernel's spec when one is set, else the spec of kernel_name."""
        return self.grading_spec if self.grading_spec is not None else super().kernel_spec

    async def start_kernel(self, **kwargs) -> None:
        """Start the kernel with its stdout/stderr in kernel_log (never the grader's terminal)."""
        if not self.kernel_log:
            return await super().start_kernel(**kwargs)
        with open(self.kernel_log, "wb") as sink:
            kwargs.setdefault("stdout", sink)
            kwargs.setdefault("stderr", sink)
            return await super().start_kernel(**kwargs)

    async def interrupt_kernel(self) -> None:
        """Interrupt the kernel, telling interrupt_listener first (nbclient calls this on a cell timeout)."""
        if self.interrupt_listener is not None:
            self.interrupt_listener()
        await super().interrupt_kernel()

    async def interrupt_unannounced(self) -> None:
        """Interrupt the kernel without telling interrupt_listener (the grader's own output cap)."""
        await super().interrupt_kernel()

    def client(self, **kwargs):
        """A client whose sockets refuse messages over MAX_MESSAGE_BYTES (one shared zmq context per process)."""
        return super().client(context=_client_context(), **kwargs)

    def kill_everything(self) -> None:
        """SIGKILL the kernel's process group (under bwrap, the whole sandbox goes down with it)."""
        proc = getattr(self.provisioner, "process", None) if self.provisioner else None
        if isinstance(proc, PrewarmedProcess):  # a pre-warmed kernel: it and its sandbox, which may outlive it
            proc.kill_kernel()
            proc = proc.sandbox
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            proc.kill()


class SandboxKernelManager(GuardedKernelManager):
    """A kernel manager whose kernel runs under bwrap and talks over IPC sockets in a private folder.

    Pre-warmed (setup_sandbox's warm): bubblewrap builds the very same sandbox, but its command
    holds it open after copying the student's files instead of starting Python; start_kernel then
    asks the run's kernel server (course_utils._zygote) to fork a kernel into it, and that process
    stands in for bubblewrap's. When that fails, the held sandbox is killed and a cold kernel
    starts in a fresh one: the notebook grades either way.
    """

    warm = False  # the kernel is (to be) forked from the pre-warmed server
    warm_failure = ""  # why a kernel meant to be warm started cold

    def setup_sandbox(self, run: GradingRun, notebook_dir: Path, warm: bool = False) -> None:
        """Point the connection at a fresh runtime folder and install the sandboxed kernelspec (held, when warm)."""
        # Unix socket paths must stay under ~107 bytes: a short folder of its own, not one deep in TMPDIR.
        runtime = Path(tempfile.mkdtemp(prefix="cgk-", dir=_short_tmp()))
        run.socket_dirs.append(runtime)
        if run.uid is not None:
            os.chown(runtime, run.uid, run.uid)
        self.runtime_dir = runtime
        self.transport = "ipc"
        self.ip = str(runtime / "k")
        self.connection_file = str(runtime / "kernel.json")
        spec = SandboxSpec(bwrap=run.bwrap, notebook_dir=notebook_dir, runtime_dir=runtime, assignment=run.assignment,
                           limits=run.limits, seccomp_file=run.seccomp_file, uid=run.uid)
        self.cold_spec = KernelSpec(argv=kernel_argv(spec), display_name="Python 3 (sandboxed)", language="python",
                                    interrupt_mode="message", env={}, metadata={})
        self.grading_spec = self.cold_spec
        self.warm = warm and run.zygote is not None
        self._run = run
        if self.warm:
            held = dataclasses.replace(spec, hold=True)
            self.grading_spec = KernelSpec(argv=kernel_argv(held), display_name="Python 3 (sandboxed, pre-warmed)",
                                           language="python", interrupt_mode="message", env={}, metadata={})

    async def start_kernel(self, **kwargs) -> None:
        """Start the sandbox; when warm, fork the kernel into it from the server, else (or failing that) cold."""
        await super().start_kernel(**kwargs)
        if not self.warm:
            return
        run: GradingRun = self._run
        sandbox = self.provisioner.process
        request = {
            "connection_file": self.connection_file, "workdir": f"{SCRATCH}/{run.assignment}",
            "env": sandbox_env(run.assignment), "rlimits": kernel_rlimits(run.limits), "uid": run.uid,
            "budget": run.limits.max_output_bytes,
            "seccomp": Path(run.seccomp_file).read_bytes().hex() if run.seccomp_file is not None else "",
        }
        with open(self.kernel_log or os.devnull, "ab") as log:
            try:
                self.provisioner.process = attach(run.zygote, sandbox, self.runtime_dir / HOLD_READY, request,
                                                  log.fileno(), timeout=float(run.limits.kernel_startup_timeout))
                return
            except (AttachError, OSError, ValueError) as err:
                self.warm, self.warm_failure = False, str(err)[:200]
            self._start_cold(sandbox, log)

    def _start_cold(self, held, log) -> None:
        """The pre-warmed kernel could not start: kill its held sandbox, start a cold kernel in a fresh one."""
        if held.poll() is None:
            try:
                os.killpg(held.pid, signal.SIGKILL)
            except OSError:
                held.kill()
        held.wait()
        if self._run.uid is not None:
            reap_uid(self._run.uid)
        hold_file = self.runtime_dir / HOLD_READY
        hold_file.unlink(missing_ok=True)
        self.grading_spec = self.cold_spec
        launch_cold(self.provisioner, self.format_kernel_cmd(), stdout=log, stderr=log, env=dict(os.environ))

    def write_connection_file(self, **kwargs) -> None:
        """Write it readable by the sandbox's uid (it holds only this kernel's key)."""
        super().write_connection_file(**kwargs)
        os.chmod(self.connection_file, 0o644)

    def lock_runtime_dir(self) -> None:
        """Once the kernel's sockets exist, nothing more may be written to the runtime folder."""
        runtime = getattr(self, "runtime_dir", None)
        if runtime is not None:
            os.chown(runtime, os.getuid(), os.getgid())
            os.chmod(runtime, stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)


class GradingExecute(Execute):
    """nbgrader's Execute with a kernel in a sandbox, a deadline per notebook and an output budget.

    Whatever happens (timeout, dead or unresponsive kernel), every code cell that did not run
    gets an error output, so nbgrader scores its tests zero instead of full marks.
    """

    grading_run = Instance(GradingRun, allow_none=True,
                           help="the settings and logs of the submission being graded (None: plain nbgrader "
                                "behaviour); set in the config, passed by reference").tag(config=True)

    # -- kernel --------------------------------------------------------------------------------

    def create_kernel_manager(self) -> AsyncKernelManager:
        """nbclient's kernel manager (kernel_manager_class), given this notebook's kernel, log and listener."""
        km = super().create_kernel_manager()
        if not isinstance(km, GuardedKernelManager):
            return km
        run: GradingRun = self.grading_run
        notebook_dir = Path(self.resources["metadata"]["path"])
        self._kernel_log = notebook_dir.parent / f".kernel-{os.getpid()}.log"
        km.kernel_log = str(self._kernel_log)
        km.interrupt_listener = self._note_timeout
        self._kernel_created = monotonic()
        if isinstance(km, SandboxKernelManager):
            notebook_id = self.resources.get("nbgrader", {}).get("notebook", "")
            warm = run.zygote is not None and run.zygote.serves(notebook_id)
            km.setup_sandbox(run, _sandbox_view(run, notebook_dir), warm=warm)
        elif run is not None:  # unsandboxed grading still gets the deterministic output cap
            km.grading_spec = KernelSpec(argv=grading_kernel_argv(sys.executable, run.limits.max_output_bytes),
                                         display_name="Python 3 (grading)", language="python",
                                         interrupt_mode="signal", env={}, metadata={})
        return km

    def _kernel_ready(self, notebook: NotebookNode | None = None) -> None:
        """on_notebook_start hook: once the kernel's sockets exist, nothing more may be written to its folder.

        The kernel has answered: how long it took to start, and whether it was pre-warmed, go to the log.
        """
        self._kernel_answered = monotonic()
        created = getattr(self, "_kernel_created", self._kernel_answered)
        self._log.timings.update(kernel="warm" if getattr(self.km, "warm", False) else "cold",
                                 kernel_start=self._kernel_answered - created)
        if getattr(self.km, "warm_failure", ""):
            self._log.timings["warm_failure"] = self.km.warm_failure
        if isinstance(self.km, SandboxKernelManager):
            self.km.lock_runtime_dir()

    # -- notebook --------------------------------------------------------------------------------

    def preprocess(self, nb, resources=None, km=None):
        run: GradingRun = self.grading_run
        self._limits = run.limits if run else Limits()
        notebook_id = (resources or {}).get("nbgrader", {}).get("notebook", "notebook")
        self._log = RunLog()
        if run is not None:
            run.logs[notebook_id] = self._log
        self._deadline = monotonic() + self._limits.notebook_timeout
        self._aborted = ""
        self._output_bytes = 0
        self._interrupted_for_output = False
        self._next_index = 0
        self._running_cell = -1
        self._running_timeout = self.timeout
        self._timed_out_cell: int | None = None
        self._kernel_answered: float | None = None
        self._use_public_seams(run)
        judged = run is not None and run.reference is not None
        originals = judge.prepare(nb, notebook_id) if judged else {}
        try:
            return super().preprocess(nb, resources, km)
        except Exception as err:  # noqa: BLE001 - a kernel that cannot start or dies while setting up
            if not self._aborted:
                if self._timed_out_cell == -1:  # nbconvert asserts a kernel_info reply; none came in time
                    err = DeadKernelError("no reply to kernel_info")
                reason = _kernel_failure(err, getattr(self, "_kernel_log", None))
                self._abort(Status.KERNEL_DIED, reason)
            self._fail_rest(self.nb if getattr(self, "nb", None) is not None else nb)
            return (self.nb if getattr(self, "nb", None) is not None else nb), resources
        finally:
            if run is not None and run.uid is not None:
                reap_uid(run.uid)
            if judged:  # the scores are decided here, from the observations, outside the student's kernel
                tests, mistakes = judge.for_notebook(run.reference, notebook_id)
                run.verdicts[notebook_id] = judge.conclude(nb, originals, tests, mistakes)

    def _use_public_seams(self, run: GradingRun | None) -> None:
        """Set the nbclient traits this executor works through: kernel manager class, timeouts, hooks."""
        sandboxed = run is not None and run.bwrap is not None
        self.kernel_manager_class = SandboxKernelManager if sandboxed else GuardedKernelManager
        self.kernel_name = "python3"
        self.interrupt_on_timeout = True  # a timed-out cell is interrupted; one that ignores it gets killed
        self.timeout_func = self._cell_timeout
        self.on_cell_execute = self._cell_started
        self.on_notebook_start = self._kernel_ready

    def preprocess_cell(self, cell, resources, index):
        self._next_index = index + 1
        if self._aborted:
            _fail_cell(cell, self._aborted)
            return cell, self.resources
        remaining = self._deadline - monotonic()
        if remaining <= 0.5:
            self._abort(Status.TIMEOUT, f"notebook exceeded its {self._limits.notebook_timeout:g} s budget")
            _fail_cell(cell, self._aborted)
            return cell, self.resources
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._abort(Status.KERNEL_DIED, f"the kernel died in cell {index}")
            cell.outputs.append(error_output("DeadKernelError", "the kernel died while running this cell"))
        except CellTimeoutError:
            if self._timed_out_cell == index:
                self._abort(Status.TIMEOUT, f"cell {index} ignored the interrupt after its timeout; kernel killed")
                cell.outputs.append(error_output("CellTimeoutError", "the cell could not be interrupted"))
            else:  # the reply came but the outputs stopped: a message over the size cap broke the channel
                self._abort(Status.OUTPUT_LIMIT, f"cell {index}: its output stopped arriving (a single message over "
                                            f"{MAX_MESSAGE_BYTES // 2**20} MB?); kernel stopped")
                cell.outputs.append(error_output("OutputLimitError", "output too large; it was discarded"))
        finally:
            if self._kernel_answered is not None:  # the cells' time so far (kernel shutdown not included)
                self._log.timings["execute"] = monotonic() - self._kernel_answered
        self._note_errors(cell, index)
        return cell, self.resources

    def on_cell_executed(self, **kwargs):
        super().on_cell_executed(**kwargs)
        self._note_errors(kwargs["cell"], kwargs["cell_index"])

    def _note_errors(self, cell, index) -> None:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error" and out.get("ename") == OUTPUT_LIMIT_ENAME:
                if not any(s is Status.OUTPUT_LIMIT for s, _ in self._log.events):
                    self._log.add(Status.OUTPUT_LIMIT, f"output exceeded {self._limits.max_output_bytes} bytes in cell "
                                                  f"{index}; that cell was stopped, later output dropped")
            if out.get("output_type") == "error" and out.get("ename") == "MemoryError":
                if not any(s is Status.MEMORY_LIMIT and f"cell {index} " in d for s, d in self._log.events):
                    self._log.add(Status.MEMORY_LIMIT, f"cell {index} ran out of memory ({self._limits.memory_mb} MB)")

    def _cell_timeout(self, cell: NotebookNode) -> int:
        """timeout_func: the cell's timeout, never past the notebook's budget."""
        remaining = self._deadline - monotonic()
        self._running_timeout = max(1, int(min(self._limits.cell_timeout, remaining)))
        return self._running_timeout

    def _cell_started(self, cell: NotebookNode, cell_index: int) -> None:
        """on_cell_execute hook: remember which cell the kernel is running (for the timeout log)."""
        self._running_cell = cell_index

    def _note_timeout(self) -> None:
        """The kernel manager's interrupt_listener: nbclient interrupts the kernel only when a reply timed out."""
        # nbclient 0.10-0.11: with interrupt_on_timeout its timeout path is the only caller of km.interrupt_kernel()
        # (the output cap uses interrupt_unannounced); test_nbclient_interrupts_a_timed_out_cell_... checks it.
        index = self._running_cell
        self._timed_out_cell = index
        budget_left = self._deadline - monotonic()
        if budget_left <= 0.5:
            self._log.add(Status.TIMEOUT, f"notebook exceeded its {self._limits.notebook_timeout:g} s budget in cell {index}")
        else:
            self._log.add(Status.TIMEOUT, f"cell {index} exceeded {self._running_timeout} s and was interrupted")

    def _abort(self, status: Status, detail: str) -> None:
        self._aborted = detail
        self._log.add(status, detail)
        km = getattr(self, "km", None)
        if isinstance(km, GuardedKernelManager):
            km.kill_everything()

    def _fail_rest(self, nb) -> None:
        for cell in nb.cells[self._next_index:]:
            _fail_cell(cell, self._aborted or "not executed")

    # -- outputs ---------------------------------------------------------------------------------

    @staticmethod
    def _interrupt_for_output(km: AsyncKernelManager) -> Awaitable:
        """Interrupt the cell whose output broke the budget (not a timeout: the listener is not told)."""
        if isinstance(km, GuardedKernelManager):
            return km.interrupt_unannounced()
        return ensure_async(km.interrupt_kernel())

    def output(self, outs, msg, display_id, cell_index):
        size = _message_size(msg)
        self._output_bytes += size
        budget = BACKSTOP_FACTOR * self._limits.max_output_bytes
        if self._output_bytes <= budget:
            return super().output(outs, msg, display_id, cell_index)
        if not self._interrupted_for_output:
            self._interrupted_for_output = True
            self._log.add(Status.OUTPUT_LIMIT, f"output exceeded {budget} bytes in cell {cell_index}; cell interrupted, "
                                          "further output dropped")
            outs.append(NotebookNode(output_type="stream", name="stdout",
                                     text=f"\n[output truncated: more than {budget} bytes]\n"))
            asyncio.ensure_future(self._interrupt_for_output(self.km))
        kind = msg["msg_type"]
        content = msg["content"]
        if kind == "error":  # errors decide scores: keep them, trimmed
            out = super().output(outs, msg, display_id, cell_index)
            if out is not None:
                out["evalue"] = str(out.get("evalue", ""))[:KEEP_TEXT]
                out["traceback"] = [line[:KEEP_TEXT] for line in out.get("traceback", [])[-20:]]
            return out
        if kind == "stream" and content.get("name") == "stderr":  # stderr in a test cell means zero
            if not any(o.get("output_type") == "stream" and o.get("name") == "stderr" for o in outs):
                outs.append(NotebookNode(output_type="stream", name="stderr", text="[stderr truncated]\n"))
            return None
        if kind == "execute_result":  # may carry partial credit: keep its text
            text = str(content.get("data", {}).get("text/plain", ""))[:KEEP_TEXT]
            out = NotebookNode(output_type="execute_result", execution_count=content.get("execution_count"),
                               data={"text/plain": text}, metadata={})
            outs.append(out)
            return out
        return None


def reap_uid(uid: int, timeout: float = 5.0) -> int:
    """Wait until no process of the sandbox's uid is left, SIGKILLing stragglers; return how many were killed.

    The sandbox dies with its bwrap process, asynchronously; this makes "everything the submission
    started is gone" hold the moment its grading ends (and keeps the uid's process budget clean).
    """
    killed = 0
    deadline = monotonic() + timeout
    while True:
        pids = []
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    if entry.stat().st_uid == uid and _alive(entry.path):
                        pids.append(int(entry.name))
                except OSError:
                    continue
        if not pids or monotonic() > deadline:
            return killed
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
                killed += 1
            except OSError:
                pass
        time.sleep(0.05)


def _alive(proc_dir: str) -> bool:
    """False for zombies: they hold nothing and only wait for their reaper."""
    with open(f"{proc_dir}/stat", "rb") as fh:
        state = fh.read().rsplit(b")", 1)[1].split()[0]
    return state not in (b"Z", b"X")


def _sandbox_view(run: GradingRun, folder: Path) -> Path:
    """What the kernel may see of its folder: the files nbgrader put there, but the student's own notebooks.

    The notebook being executed has its hidden tests restored; the kernel must never be able to read it.
    """
    view = Path(run.runtime_root) / f"view-{len(os.listdir(run.runtime_root))}"
    shutil.copytree(folder, view, ignore=shutil.ignore_patterns("*.ipynb", ".kernel-*"), symlinks=False)
    if run.student_dir is not None:
        for nb in Path(run.student_dir).glob("*.ipynb"):
            shutil.copyfile(nb, view / nb.name)
    for path in [view, *view.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    return view


def _message_size(msg: dict) -> int:
    content = msg.get("content", {})
    size = len(str(content.get("text", "")))
    for value in (content.get("data") or {}).values():
        size += len(value) if isinstance(value, str) else len(str(value))
    size += sum(len(str(line)) for line in content.get("traceback", []) or [])
    size += sum(len(b) for b in msg.get("buffers", []) or [])
    return size


def _fail_cell(cell, reason: str) -> None:
    if cell.cell_type == "code" and cell.source.strip():
        cell.outputs = [error_output("NotExecuted", f"this cell was not run: {reason}")]
        cell.execution_count = None


def _kernel_failure(err: Exception, log_path: Path | None) -> str:
    tail = ""
    if log_path is not None and log_path.is_file():
        with open(log_path, "rb") as fh:
            fh.seek(max(0, log_path.stat().st_size - 400))
            lines = [ln for ln in fh.read().decode(errors="replace").splitlines() if ln.strip()]
        tail = f" ({lines[-1][:200]})" if lines else ""
    name = type(err).__name__
    if isinstance(err, DeadKernelError) or "died" in str(err).lower():
        return f"the kernel died{tail}"
    return f"the kernel failed ({name}: {str(err)[:200]}){tail}"


class CourseSandboxExecute(GradingExecute):
    """The executor of stock `nbgrader autograde` and formgrader's Autograde button in this course.

    nbgrader_config.py names it, so every way this course directory offers to autograde runs the
    student's code in the same bubblewrap sandbox, with the same limits, as `course grade`. Without
    a usable sandbox it refuses (the submission fails to autograde, with one line saying why)
    instead of running student code as the instructor.
    """

    def course_limits(self) -> Limits:
        """The limits of `course grade` from the same config (c.CourseGrade), the cell timeout nbgrader's when set."""
        from .settings import from_config

        settings = from_config(self.config)
        timeout = self._configured_timeout()
        return settings.limits(cell_timeout=timeout) if timeout else settings.limits()

    def _configured_timeout(self) -> float | None:
        """nbgrader's cell timeout when the config sets one (c.ExecutePreprocessor.timeout, c.Execute.timeout...)."""
        sections = [cls.__name__ for cls in type(self).mro()]
        configured = any(name in self.config and "timeout" in self.config[name] for name in sections)
        return float(self.timeout) if configured and self.timeout else None

    def preprocess(self, nb, resources=None, km=None):
        if self.grading_run is not None:  # `course grade` set the run up itself
            return super().preprocess(nb, resources, km)
        from ..nbgrader_adapter import CourseDirectory
        from ..nbtools import CourseError
        from .sandbox import require_bwrap, write_seccomp_filter

        try:
            bwrap = require_bwrap()
        except CourseError as err:
            raise CourseError(f"{err}. This course autogrades only in its sandbox; `course grade` explains more") from None
        info = (resources or {}).get("nbgrader", {})
        coursedir = CourseDirectory(config=self.config)
        student_dir = Path(coursedir.format_path(coursedir.submitted_directory, info.get("student", "*"),
                                                 info.get("assignment", "*")))
        runtime = Path(tempfile.mkdtemp(prefix="course-nbgrader-"))
        os.chmod(runtime, 0o711)
        limits = self.course_limits()
        assignment = str(info.get("assignment", "assignment"))
        run = GradingRun(limits=limits, assignment=assignment, bwrap=bwrap,
                         seccomp_file=write_seccomp_filter(runtime), runtime_root=runtime,
                         student_dir=student_dir if student_dir.is_dir() else None,
                         reference=judge.load_reference(Path(coursedir.root), assignment))
        self.interrupt_on_timeout = True
        self.startup_timeout = limits.kernel_startup_timeout
        try:
            with active_run(run):
                self.grading_run = run
                return super().preprocess(nb, resources, km)
        finally:
            self.grading_run = None
            shutil.rmtree(runtime, ignore_errors=True)
            log = getattr(self, "_kernel_log", None)
            if log is not None:
                Path(log).unlink(missing_ok=True)
