"""The pre-warmed kernel server of `course grade`: import once, then fork one sandboxed kernel per notebook run.

A cold grading kernel spends most of its time starting Python and importing numpy, sympy,
matplotlib, IPython and ipykernel again for every student. This process imports them once, the
modules a grading run's notebooks import (the grader derives the list from their import cells),
then waits. For each notebook run the grader first starts the usual bubblewrap sandbox, built
exactly as for a cold kernel (its own mount, PID, network, IPC and UTS namespaces, user
namespace without root, read-only system, private scratch, the student's folder), whose command
only copies the student's files into the scratch and then holds the sandbox open. The grader
hands this server a pidfd of that holding process; the server forks a child which

* joins every namespace of the held sandbox (setns on the pidfd: afterwards its root, mounts,
  network, hostname and IPC are the sandbox's, and its own children are in the sandbox's PID
  namespace, reaped by bubblewrap's init there), then forks the kernel and exits;
* the kernel, now a process of the sandbox, closes every descriptor it inherited, starts a
  session, applies the limits (address space, processes, file size, open files, no core), drops
  to the sandbox's uid (as root) or every capability (in the user namespace), loses the
  capability bounding set, sets no_new_privs, loads the same seccomp filter as bubblewrap does,
  replaces its environment by the sandbox's and runs ipykernel with the output cap
  (course_utils._grading_kernel).

Nothing flows back: the server only forks, its children never write to it, and every kernel is a
copy of the state right after the imports (copy-on-write), never of an earlier kernel. The server
must stay single-threaded (it checks) and reads no student data: it receives only paths, limits,
and descriptors.

A trusted server (`--trusted 1`) serves the judge's reference runs instead (course_pipeline's
judge, `course check`): the instructor's own notebook in a kernel that is neither sandboxed nor
confined, as `python -m ipykernel_launcher` would start it, only already past the imports. It is
another process with the judge's environment; a sandbox server never forks such a kernel.

Not for students: only the grader starts it (`python -m course_utils._zygote --socket PATH --modules a,b`).
Linux only (pidfd_open and setns on a pidfd: Linux 5.8 or newer).
"""

from __future__ import annotations

import ctypes
import importlib
import json
import os
import signal
import socket
import struct
import sys

__all__ = ["serve", "main"]

_NS_FLAGS = {  # namespace name -> CLONE_NEW* flag
    "mnt": 0x00020000, "uts": 0x04000000, "ipc": 0x08000000, "user": 0x10000000, "pid": 0x20000000,
    "net": 0x40000000, "cgroup": 0x02000000,
}
_PR_SET_PDEATHSIG, _PR_SET_DUMPABLE, _PR_CAPBSET_DROP = 1, 4, 24
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _PR_CAP_AMBIENT = 38, 22, 47
_PR_CAP_AMBIENT_CLEAR_ALL, _SECCOMP_MODE_FILTER = 4, 2
_MAX_REQUEST = 64 * 1024
# What ipykernel imports while it starts (measured: the modules new in sys.modules after IPKernelApp.initialize),
# imported here once so that a kernel's start-up is only the creation of its shell and sockets.
KERNEL_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.debugger", "IPython",
                  "IPython.core.completerlib", "IPython.core.debugger", "IPython.core.oinspect", "IPython.extensions",
                  "IPython.utils.wildcard", "sqlite3", "pdb", "pydoc", "faulthandler", "mimetypes", "email.parser",
                  "encodings.idna", "tornado.gen", "tornado.locks", "tornado.queues")

_libc = ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _prctl(option: int, arg2: int = 0, what: str = "prctl") -> None:
    _check(_libc.prctl(option, ctypes.c_ulong(arg2), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0)), what)


# --- imports --------------------------------------------------------------------------------------


def _preload(modules: list[str]) -> list[str]:
    """Import every module (and what kernels import anyway); return the names that failed."""
    failed = []
    for name in [*KERNEL_MODULES, *modules]:
        try:
            importlib.import_module(name)
        except BaseException:  # noqa: BLE001 - an import cell may raise anything; the notebook then runs cold
            parent, _, attr = name.rpartition(".")
            if parent in sys.modules and hasattr(sys.modules[parent], attr):
                continue  # `from parent import attr` named an attribute, not a submodule: nothing failed
            failed.append(name)
    return [name for name in failed if name in modules]


def _threads() -> int:
    return len(os.listdir("/proc/self/task"))


def _open_descriptors() -> set[int]:
    return {int(fd) for fd in os.listdir("/proc/self/fd")}


def _warm_matplotlib() -> None:
    """Draw and encode one small figure with text and math, then let go of every font file it opened.

    A kernel's first figure otherwise pays for Agg's set-up, font lookup and the mathtext grammar.
    The fonts it opened are dropped from matplotlib's caches (matplotlib reopens a font on first
    use): a kernel closes every descriptor it inherits, and a cached font reading from a closed
    descriptor would break its first figure. `_warm_up` checks that no descriptor is left.
    """
    import io

    from matplotlib import font_manager, mathtext
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 1.5))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.plot([1.0, 10.0], [1.0, 100.0], "o--", label=r"$f(x) = x^2$")
    ax.set(title="warm-up", xlabel="x", ylabel="y", xscale="log", yscale="log")
    ax.legend()
    fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")
    for cached in (font_manager._get_font, mathtext.MathTextParser._parse_cached):  # they hold the open fonts
        cached.cache_clear()


def _warm_sympy() -> None:
    """Differentiate, simplify, solve, print and lambdify once: SymPy's first use builds caches every kernel needs."""
    import sympy as sp

    dummies = sp.Dummy._count  # a kernel's Dummy symbols are numbered as in a fresh interpreter
    x = sp.Symbol("x", positive=True)
    expr = sp.sin(x) ** 2 / x + sp.log(sp.sqrt(x))
    sp.simplify(sp.diff(expr, x) - sp.cos(x))
    sp.solve(sp.diff(x**2 - 4 * x + 5, x), x)
    sp.latex(expr), str(expr)
    sp.lambdify(x, expr, "numpy")(1.0)
    sp.Dummy._count = dummies


# What each library's first use costs a kernel, paid once here when the notebooks import that library.
_WARM_UPS = {"matplotlib": _warm_matplotlib, "sympy": _warm_sympy}


def _warm_up() -> list[str]:
    """Run the warm-up of every imported library; return the libraries warmed (raises if one leaves a descriptor open).

    A warm-up that fails or leaves a descriptor open stops the server before it serves: the grader then
    starts every kernel cold, so a kernel never starts from a state a cold one would not have.
    """
    import gc

    before = _open_descriptors()
    warmed = []
    for name, warm in _WARM_UPS.items():
        if name in sys.modules:
            warm()
            warmed.append(name)
    gc.collect()
    left = _open_descriptors() - before
    if left:
        raise RuntimeError(f"the warm-up left descriptors open: {sorted(left)}")
    return warmed


# --- the kernel child -----------------------------------------------------------------------------


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _drop_privileges(uid: int | None) -> None:
    """Leave with no capability at all (bounding and ambient sets included), as uid when one is given."""
    try:
        last = int(open("/proc/sys/kernel/cap_last_cap").read())
    except (OSError, ValueError):
        last = 63
    for cap in range(last + 1):
        _prctl(_PR_CAPBSET_DROP, cap, "dropping the capability bounding set")
    _prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL, "clearing ambient capabilities")
    if uid is not None:
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
    header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (_CapData * 2)()
    _check(_libc.capset(ctypes.byref(header), ctypes.byref(data)), "capset")
    status = open("/proc/self/status").read()
    for line in status.splitlines():
        if line.startswith(("CapEff:", "CapPrm:", "CapBnd:", "CapAmb:", "CapInh:")) and int(line.split()[1], 16):
            raise OSError(f"capabilities left after dropping them: {line}")
    if uid is not None and (os.getuid(), os.geteuid(), os.getgid(), os.getegid()) != (uid,) * 4:
        raise OSError("uid drop failed")
    _prctl(_PR_SET_DUMPABLE, 1, "dumpable")  # as after setpriv's exec: the kernel owns its /proc/self


def _load_seccomp(program: bytes) -> None:
    buf = ctypes.create_string_buffer(program, len(program))
    prog = _SockFprog(len(program) // 8, ctypes.addressof(buf))
    _prctl(_PR_SET_NO_NEW_PRIVS, 1, "no_new_privs")
    if program:
        _check(_libc.prctl(_PR_SET_SECCOMP, ctypes.c_ulong(_SECCOMP_MODE_FILTER), ctypes.byref(prog),
                           ctypes.c_ulong(0), ctypes.c_ulong(0)), "seccomp")


def _become_kernel(req: dict, log_fd: int, trusted: bool = False) -> None:
    """In the sandbox's namespaces: confine this process as bubblewrap and setpriv would, then run ipykernel.

    trusted (a server for the judge's reference runs, never for student code): no sandbox and no confinement,
    the process the instructor's own `python -m ipykernel_launcher` would be, in the given folder and environment.
    """
    import resource

    os.setsid()
    os.dup2(log_fd, 1)
    os.dup2(log_fd, 2)
    null = os.open("/dev/null", os.O_RDONLY)
    os.dup2(null, 0)
    os.closerange(3, 1 << 16)  # the server's socket, the request's descriptors: nothing of the grader stays open
    os.chdir(req["workdir"])
    if not trusted:
        os.umask(0o077)
        for name, (soft, hard) in req["rlimits"].items():
            resource.setrlimit(getattr(resource, name), (soft, hard))
        _drop_privileges(req.get("uid"))
        _load_seccomp(bytes.fromhex(req.get("seccomp") or ""))
    if trusted and req.get("watch"):
        _die_with(int(req["watch"]))
    os.environ.clear()
    os.environ.update(req["env"])
    if not trusted:
        os.environ.update(PWD=req["workdir"], OLDPWD=os.path.dirname(req["workdir"]))  # as the sandbox's shell leaves them
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    # What a fresh interpreter started in the work folder would have: its folder first on the path, fresh caches.
    sys.path[0] = os.getcwd()
    sys.path_importer_cache.clear()
    importlib.invalidate_caches()
    # IPython's history in memory, no saving thread: what a cold kernel in the sandbox ends up with (measured:
    # its history database falls back to :memory:), so the two have the same threads and process budget.
    sys.argv = [sys.argv[0], "-f", req["connection_file"], "--HistoryManager.hist_file=:memory:",
                *req.get("arguments", [])]
    if "numpy" in sys.modules:  # numpy's global generator was seeded once, in the server: reseed per kernel
        sys.modules["numpy"].random.seed()
    from course_utils import _grading_kernel

    _grading_kernel.run(int(req.get("budget", 0)), prewarmed=True)


def _die_with(pid: int) -> None:
    """Exit when process pid (the judge's grader) exits, as ipykernel's parent poller makes a cold kernel do."""
    import select
    import threading

    try:
        watched = os.pidfd_open(pid)
    except OSError:
        os._exit(1)

    def watch() -> None:
        select.select([watched], [], [])
        os._exit(1)

    threading.Thread(target=watch, name="course-judge-watch", daemon=True).start()


def _setns(pidfd: int, namespaces: list[str]) -> None:
    flags = 0
    for name in namespaces:
        flags |= _NS_FLAGS[name]
    _check(_libc.setns(pidfd, flags), f"setns({','.join(namespaces)})")


def _spawn(conn: socket.socket, req: dict, fds: list[int], trusted: bool) -> None:
    """In the forked child: join the sandbox (trusted: none), fork the kernel into it, send its pidfd back, exit."""
    if trusted:
        (log_fd,) = fds
    else:
        hold_pidfd, log_fd = fds
        _setns(hold_pidfd, req["namespaces"])
    pid = os.fork()
    if pid == 0:
        try:
            conn.close()
            _become_kernel(req, log_fd, trusted)
        except BaseException as err:  # noqa: BLE001 - say why in the kernel log, never return into the server
            try:
                os.write(2, f"pre-warmed kernel failed to start: {type(err).__name__}: {err}\n".encode())
            finally:
                os._exit(70)
        os._exit(0)
    kernel_fd = os.pidfd_open(pid)
    socket.send_fds(conn, [json.dumps({"pid": pid}).encode()], [kernel_fd])


def _handle(conn: socket.socket, added_env: dict[str, str], trusted: bool) -> None:
    msg, fds, _flags, _addr = socket.recv_fds(conn, _MAX_REQUEST, 2)
    try:
        creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        _pid, uid, _gid = struct.unpack("3i", creds)
        if uid != os.getuid() or len(fds) != (1 if trusted else 2):
            conn.sendall(json.dumps({"error": "refused"}).encode())
            return
        req = json.loads(msg)
        req["env"] = {**req["env"], **added_env}
        child = os.fork()
        if child == 0:
            try:
                _spawn(conn, req, fds, trusted)
            except BaseException as err:  # noqa: BLE001
                try:
                    conn.sendall(json.dumps({"error": f"{type(err).__name__}: {err}"}).encode())
                finally:
                    os._exit(1)
            os._exit(0)
        os.waitpid(child, 0)
    finally:
        for fd in fds:
            os.close(fd)


def serve(path: str, modules: list[str], trusted: bool = False) -> None:
    """Import, report on stdout (one JSON line), then serve fork requests on the Unix socket at path until killed.

    trusted: the kernels are the judge's (unsandboxed, unconfined); a request then carries only the log's
    descriptor. A server is one or the other for its whole life, so no request can make a sandbox server
    fork an unconfined kernel.
    """
    environ = dict(os.environ)
    failed = _preload(modules)
    try:
        _warm_up()
    except Exception as err:  # noqa: BLE001 - no status line: the grader then starts every kernel cold
        sys.stderr.write(f"warm-up: {type(err).__name__}: {err}\n")
        return
    # What the imports put in the environment (debugpy sets a variable): every kernel gets it as if it had imported them.
    added = {k: v for k, v in os.environ.items() if environ.get(k) != v}
    threads = _threads()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    status = {"failed": failed, "threads": threads, "pid": os.getpid()}
    sys.stdout.write(json.dumps(status) + "\n")
    sys.stdout.flush()
    if threads != 1:  # forking a threaded process is unsafe: the grader falls back to cold kernels
        return
    while True:
        conn, _ = listener.accept()
        with conn:
            try:
                _handle(conn, added, trusted)
            except OSError:
                pass


def main() -> None:
    """`--socket PATH [--abstract 1] [--trusted 1] --modules a,b,c [--owner LABEL]` (the label names its run in ps).

    --abstract 1: PATH is the name of an abstract Unix socket (Linux), not a file. --trusted 1: see serve.
    """
    args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
    try:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)  # never outlive the grader that started this server
    except OSError:
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    modules = [m for m in args.get("--modules", "").split(",") if m]
    path = args["--socket"]
    serve("\0" + path if args.get("--abstract") == "1" else path, modules, trusted=args.get("--trusted") == "1")


if __name__ == "__main__":
    main()
