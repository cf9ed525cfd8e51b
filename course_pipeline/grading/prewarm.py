"""Pre-warmed sandboxed kernels: the grader's side of course_utils._zygote.

`start_zygote` starts the server (one per grading run, or one per Dask worker process) with the
modules the assignment's notebooks import (`notebook_imports`: their top-level import statements,
read from the instructor's source notebooks, never from a submission). For each notebook run the
sandbox is built as for a cold kernel but holds itself open (SandboxSpec.hold); `attach` then asks
the server for a kernel inside it and returns a process handle the kernel manager uses in place of
bubblewrap's. A notebook whose modules failed to import in the server, or any failure to attach,
grades with a cold kernel instead.
"""

from __future__ import annotations

import ast
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

__all__ = ["ZygoteInfo", "Zygote", "notebook_imports", "assignment_imports", "start_zygote", "local_zygote",
           "attach", "PrewarmedProcess", "AttachError", "NAMESPACES", "REQUIRED_NAMESPACES"]

NAMESPACES = ("user", "mnt", "pid", "net", "ipc", "uts", "cgroup")
REQUIRED_NAMESPACES = ("mnt", "pid", "net", "ipc", "uts")  # a kernel that would not get these is never attached
START_TIMEOUT = 180.0


class AttachError(RuntimeError):
    """The pre-warmed kernel could not be started in the sandbox (the caller starts a cold one)."""


# --- what to import -------------------------------------------------------------------------------


def _modules_of(tree: ast.Module) -> list[str]:
    found: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append(node.module)
            # `from package import submodule`: the submodule too (a failed guess is only a cold kernel)
            found += [f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*"]
    return found


def notebook_imports(path: Path) -> list[str]:
    """Modules imported at top level by the notebook's code cells, in order (magics and shell lines skipped)."""
    nb = nbformat.read(str(path), as_version=4)
    modules: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        lines = [ln for ln in cell.source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
        try:
            tree = ast.parse("\n".join(lines))
        except SyntaxError:
            continue
        modules += [m for m in _modules_of(tree) if m not in modules]
    return modules


def assignment_imports(source: Path, notebooks: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Notebook id -> the modules its source notebook imports (unreadable notebooks: none)."""
    result = {}
    for name in notebooks:
        try:
            result[name] = tuple(notebook_imports(source / f"{name}.ipynb"))
        except Exception:  # noqa: BLE001 - such a notebook simply grades cold
            result[name] = ()
    return result


# --- the server -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ZygoteInfo:
    """How a grading process reaches a running server (picklable: it travels with the jobs)."""

    socket: str
    imports: dict[str, tuple[str, ...]]  # notebook id -> its modules
    failed: tuple[str, ...] = ()

    def serves(self, notebook: str) -> bool:
        """True when the notebook's imports all succeeded in the server (else it runs cold)."""
        mods = self.imports.get(notebook)
        return mods is not None and not set(mods) & set(self.failed)


@dataclass
class Zygote:
    """A running server, owned by the process that started it."""

    info: ZygoteInfo
    proc: subprocess.Popen
    folder: Path
    seconds: float = 0.0
    _owner: int = field(default_factory=os.getpid)
    _status: str | None = None
    _started: float = 0.0

    def ready(self) -> ZygoteInfo | None:
        """Wait until the server has imported its modules; its info, or None when it failed (then stopped)."""
        if self._status is None:
            try:
                ready, _, _ = select.select([self.proc.stdout], [], [], START_TIMEOUT)
                line = self.proc.stdout.readline() if ready else b""
                status = json.loads(line or b"null")
            except (OSError, ValueError):
                status = None
            if not status or status.get("threads") != 1 or self.proc.poll() is not None:
                self._status = "failed"
                self.stop()
            else:
                self._status = "ready"
                self.info = ZygoteInfo(self.info.socket, self.info.imports, tuple(status.get("failed", ())))
                self.seconds = time.perf_counter() - self._started
        return self.info if self._status == "ready" else None

    def stop(self) -> None:
        """Kill the server (its kernels live in their own sandboxes and are not affected)."""
        if os.getpid() != self._owner:
            return
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        import shutil

        shutil.rmtree(self.folder, ignore_errors=True)


def _zygote_env(assignment: str, home: Path) -> dict[str, str]:
    """The sandbox's environment, so that modules reading it at import see what a kernel would; but a home
    of its own (matplotlib and IPython create folders there)."""
    from .sandbox import sandbox_env

    env = sandbox_env(assignment)
    for key in ("HOME", "MPLCONFIGDIR", "IPYTHONDIR", "JUPYTER_RUNTIME_DIR", "JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR"):
        env[key] = str(home / env[key].replace(env["HOME"], "").lstrip("/"))
    env["TMPDIR"] = str(home)
    return env


def start_zygote(assignment: str, imports: dict[str, tuple[str, ...]], label: str = "", wait: bool = True) -> Zygote | None:
    """Start the server and (wait) until it has imported everything; None when it cannot run here.

    Without wait, call ready() on the result before using its info.
    """
    if not sys.platform.startswith("linux") or not hasattr(os, "pidfd_open"):
        return None
    start = time.perf_counter()
    from .worker import SCRATCH_PREFIX

    # Named like the grader's other scratch folders, so a later run removes it if this process is killed.
    folder = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-zygote-"))
    os.chmod(folder, 0o700)
    home = folder / "home"
    home.mkdir()
    modules = []
    for mods in imports.values():
        modules += [m for m in mods if m not in modules]
    # An abstract Unix socket: no path to clean up or to keep short; it belongs to this network namespace,
    # which no sandbox shares, and the server serves only its own uid.
    sock = "\0course-zygote-" + os.urandom(12).hex()
    python = str(Path(sys.prefix) / "bin" / "python")
    argv = [python, "-m", "course_utils._zygote", "--socket", sock[1:], "--abstract", "1",
            "--modules", ",".join(modules), "--owner", label or str(folder)]
    with open(folder / "zygote.log", "wb") as log:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log, cwd=str(home),
                                env=_zygote_env(assignment, home), start_new_session=True)
    zygote = Zygote(ZygoteInfo(sock, dict(imports)), proc, folder)
    zygote._started = start
    if not wait:
        return zygote
    return zygote if zygote.ready() is not None else None


_LOCAL: dict[tuple, Zygote | None] = {}


def local_zygote(assignment: str, imports: dict[str, tuple[str, ...]]) -> ZygoteInfo | None:
    """A server for this process (a Dask worker), started once per assignment and import list, then reused."""
    key = (os.getpid(), assignment, tuple(sorted(imports.items())))
    if key not in _LOCAL:
        for old_key in [k for k in _LOCAL if k[0] == os.getpid()]:
            old = _LOCAL.pop(old_key)
            if old is not None:
                old.stop()
        _LOCAL[key] = start_zygote(assignment, imports)
    zygote = _LOCAL[key]
    if zygote is not None and zygote.proc.poll() is not None:
        _LOCAL.pop(key)
        return None
    return zygote.info if zygote else None


# --- one kernel -----------------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(p) for p in fh.read().split()]
    except OSError:
        return []


def _ns_pid(pid: int) -> int | None:
    """The pid of a process in its own (innermost) PID namespace."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("NSpid:"):
                    return int(line.split()[-1])
    except OSError:
        return None
    return None


def _find_holder(root_pid: int, inner_pid: int) -> int | None:
    """The host pid of the process below root_pid whose pid in its namespace is inner_pid."""
    queue = [root_pid]
    seen = 0
    while queue and seen < 64:
        pid = queue.pop(0)
        seen += 1
        if pid != root_pid and _ns_pid(pid) == inner_pid and _ns_pid(pid) != pid:
            return pid
        queue += _children(pid)
    return None


def _namespaces(pid: int) -> list[str]:
    """The namespaces of pid that differ from this process's."""
    differ = []
    for name in NAMESPACES:
        try:
            if os.stat(f"/proc/{pid}/ns/{name}").st_ino != os.stat(f"/proc/self/ns/{name}").st_ino:
                differ.append(name)
        except OSError:
            continue
    return differ


class PrewarmedProcess:
    """Stands in for bubblewrap's Popen in the kernel manager: alive while both the sandbox and the kernel are.

    Signals and kills go to bubblewrap (whose sandbox takes the kernel down with it) and to the kernel.
    """

    def __init__(self, sandbox: subprocess.Popen, kernel_pidfd: int) -> None:
        self.sandbox = sandbox
        self.pidfd = kernel_pidfd
        self.pid = sandbox.pid
        self.stdin = self.stdout = self.stderr = None

    @property
    def returncode(self):
        return self.sandbox.returncode

    def kernel_exited(self) -> bool:
        if self.pidfd < 0:
            return True
        ready, _, _ = select.select([self.pidfd], [], [], 0)
        return bool(ready)

    def poll(self):
        ret = self.sandbox.poll()
        if ret is not None:
            return ret
        if self.kernel_exited():
            return -signal.SIGKILL  # the kernel is gone (its exit status belongs to the sandbox's init)
        return None

    def kill_kernel(self) -> None:
        """SIGKILL the kernel itself (its sandbox stays up until killed too)."""
        if self.pidfd >= 0:
            try:
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
            except OSError:
                pass

    def send_signal(self, sig: int) -> None:
        if sig == signal.SIGKILL:
            self.kill_kernel()
        self.sandbox.send_signal(sig)

    def kill(self) -> None:
        self.kill_kernel()
        self.sandbox.kill()

    def terminate(self) -> None:
        self.kill()

    def wait(self, timeout: float | None = None):
        if self.sandbox.poll() is None and self.kernel_exited():
            try:
                os.killpg(self.sandbox.pid, signal.SIGKILL)
            except OSError:
                self.sandbox.kill()
        ret = self.sandbox.wait(timeout)
        self.close()
        return ret

    def close(self) -> None:
        if self.pidfd >= 0:
            os.close(self.pidfd)
            self.pidfd = -1


def wait_for_holder(sandbox: subprocess.Popen, ready_file: Path, timeout: float) -> int:
    """The host pid of the sandbox's holding process, once it has copied the student's files."""
    deadline = time.monotonic() + timeout
    delay = 0.001
    while True:
        try:
            text = ready_file.read_text()
        except OSError:
            text = ""
        if text.endswith("\n"):
            break
        if sandbox.poll() is not None:
            raise AttachError(f"the sandbox exited ({sandbox.returncode}) before it was ready")
        if time.monotonic() > deadline:
            raise AttachError("the sandbox did not get ready in time")
        time.sleep(delay)
        delay = min(delay * 2, 0.02)
    holder = _find_holder(sandbox.pid, int(text))
    if holder is None:
        raise AttachError("the sandbox's holding process was not found")
    return holder


def attach(info: ZygoteInfo, sandbox: subprocess.Popen, ready_file: Path, request: dict, log_fd: int,
           timeout: float = 60.0) -> PrewarmedProcess:
    """Fork a pre-warmed kernel into the held sandbox; request carries connection_file, workdir, env, rlimits,
    uid, budget and seccomp (hex). Raises AttachError (the sandbox is then left to the caller)."""
    holder = wait_for_holder(sandbox, ready_file, timeout)
    try:
        pidfd = os.pidfd_open(holder)
    except OSError as err:
        raise AttachError(f"pidfd_open: {err}") from None
    try:
        inner = _ns_pid(holder)
        namespaces = _namespaces(holder)
        if inner is None or inner == holder or any(n not in namespaces for n in REQUIRED_NAMESPACES):
            raise AttachError(f"the holding process is not sandboxed as expected ({','.join(namespaces)})")
        body = json.dumps({**request, "namespaces": namespaces}).encode()
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(timeout)
            conn.connect(info.socket)
            socket.send_fds(conn, [body], [pidfd, log_fd])
            msg, fds, _flags, _addr = socket.recv_fds(conn, 65536, 1)
    except OSError as err:
        raise AttachError(f"the kernel server: {type(err).__name__}: {err}") from None
    finally:
        os.close(pidfd)
    reply = json.loads(msg or b"{}")
    if not fds:
        raise AttachError(reply.get("error", "no reply from the kernel server"))
    return PrewarmedProcess(sandbox, fds[0])
