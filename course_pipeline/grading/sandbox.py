"""Run one student kernel inside bubblewrap: no course files, no network, bounded memory, processes and disk."""

from __future__ import annotations

import os
import platform
import shutil
import struct
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from course_utils._grading_kernel import argv as grading_kernel_argv
from ..nbtools import CourseError
from .settings import default, notebook_timeout_for

__all__ = [
    "Limits",
    "SandboxSpec",
    "bwrap_path",
    "require_bwrap",
    "seccomp_filter",
    "write_seccomp_filter",
    "kernel_argv",
    "kernel_rlimits",
    "sandbox_env",
    "HOLD_READY",
]

BWRAP_HINT = (
    "bubblewrap (bwrap) is needed to grade untrusted notebooks safely; install it with "
    "`apt-get install -y bubblewrap` (Debian/Ubuntu) or pass --no-sandbox to grade without isolation"
)
# The kernel sees the student's folder here, read-only; it runs in a writable copy under /tmp.
SUBMISSION_MOUNT = "/submission"
SCRATCH = "/tmp"
# Unprivileged uids for sandboxed kernels when the grader runs as root: base + worker pid keeps
# concurrent sandboxes apart, so their process limits never add up.
UID_BASE = 200_000


@dataclass(frozen=True)
class Limits:
    """What one submission may use: CourseGrade's per-submission settings as a picklable value for the workers.

    The defaults are CourseGrade's (settings.py states them); `CourseGrade(config=...).limits()` makes the
    configured one. notebook_timeout None: notebook_timeout_for(cell_timeout), the one documented rule.
    """

    cell_timeout: float = default("cell_timeout")
    notebook_timeout: float | None = default("notebook_timeout")
    memory_mb: int = default("memory_mb")
    max_processes: int = default("max_processes")  # tasks of the sandbox's uid, threads included
    max_output_bytes: int = default("max_output_bytes")  # per notebook, counted by the kernel as written
    scratch_mb: int = default("scratch_mb")  # size of the sandbox's /tmp (a RAM-backed tmpfs)
    max_file_mb: int = default("max_file_mb")
    max_open_files: int = default("max_open_files")
    kernel_startup_timeout: int = default("kernel_startup_timeout")
    max_submission_bytes: int = default("max_submission_bytes")  # per student folder, counted while copying

    def __post_init__(self) -> None:
        if self.notebook_timeout is None:
            object.__setattr__(self, "notebook_timeout", notebook_timeout_for(self.cell_timeout))


def bwrap_path() -> str | None:
    """The bwrap executable on PATH (None when bubblewrap is not installed)."""
    return shutil.which("bwrap")


def require_bwrap() -> str:
    """The bwrap executable, after checking it can create a sandbox here; CourseError otherwise."""
    exe = bwrap_path()
    if exe is None:
        raise CourseError(f"no sandbox: {BWRAP_HINT}")
    probe = [exe, *_namespace_args(), "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "true"]
    proc = subprocess.run(probe, capture_output=True, text=True, timeout=30)
    if proc.returncode != 0:
        reason = (proc.stderr.strip().splitlines() or [f"exit code {proc.returncode}"])[-1]
        raise CourseError(f"bwrap cannot create a sandbox on this machine ({reason}): {_userns_diagnosis()}; "
                          "pass --no-sandbox only to grade notebooks you trust")
    return exe


# Kernel switches that turn unprivileged user namespaces off, and what an administrator sets instead.
_USERNS_SWITCHES = [
    ("/proc/sys/kernel/unprivileged_userns_clone", "0", "sysctl -w kernel.unprivileged_userns_clone=1"),
    ("/proc/sys/user/max_user_namespaces", "0", "sysctl -w user.max_user_namespaces=15000"),
    ("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "1",
     "an AppArmor profile for bwrap, or sysctl -w kernel.apparmor_restrict_unprivileged_userns=0"),
]


def _userns_diagnosis() -> str:
    """What stops an unprivileged bwrap here, in a few words with the fix (or the general cause)."""
    if _privileged():
        return "running as root, so namespaces themselves are refused (a container without CAP_SYS_ADMIN?)"
    for path, off, fix in _USERNS_SWITCHES:
        try:
            value = Path(path).read_text().strip()
        except OSError:
            continue
        if value == off:
            return f"unprivileged user namespaces are disabled ({Path(path).name} = {off}; an administrator can run {fix})"
    return "without root, bwrap needs unprivileged user namespaces, which this machine or container refuses"


def _privileged() -> bool:
    return os.geteuid() == 0


def _namespace_args() -> list[str]:
    args = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
    if not _privileged():
        # Without root, bwrap needs a user namespace; nested ones are then refused.
        args += ["--unshare-user", "--disable-userns"]
    return args


# --- seccomp: forbid creating namespaces from inside the sandbox ------------------------------

_ARCH = {  # audit arch, unshare, setns, clone, clone3
    "x86_64": (0xC000003E, 272, 308, 56, 435),
    "aarch64": (0xC00000B7, 97, 268, 220, 435),
}
_CLONE_NAMESPACES = 0x7E020000  # NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET
_RET_ALLOW, _RET_ERRNO = 0x7FFF0000, 0x00050000
_EPERM, _ENOSYS = 1, 38


def seccomp_filter() -> bytes | None:
    """A classic-BPF seccomp program refusing unshare/setns/namespace clones (None on unknown CPUs).

    Run as an unprivileged uid, student code could otherwise create its own user namespace and
    mount an unbounded tmpfs or probe the kernel's namespace code.
    """
    arch = _ARCH.get(platform.machine())
    if arch is None:
        return None
    audit, nr_unshare, nr_setns, nr_clone, nr_clone3 = arch
    ld_w_abs, jeq_k, jset_k, ret_k = 0x20, 0x15, 0x45, 0x06
    prog = [
        (ld_w_abs, 0, 0, 4),  # A = arch
        (jeq_k, 1, 0, audit),
        (ret_k, 0, 0, _RET_ERRNO | _EPERM),
        (ld_w_abs, 0, 0, 0),  # A = syscall number
        (0x35, 0, 1, 0x40000000),  # jge x32 ABI -> refuse
        (ret_k, 0, 0, _RET_ERRNO | _EPERM),
        (jeq_k, 0, 1, nr_unshare),
        (ret_k, 0, 0, _RET_ERRNO | _EPERM),
        (jeq_k, 0, 1, nr_setns),
        (ret_k, 0, 0, _RET_ERRNO | _EPERM),
        (jeq_k, 0, 1, nr_clone3),  # glibc falls back to clone()
        (ret_k, 0, 0, _RET_ERRNO | _ENOSYS),
        (jeq_k, 1, 0, nr_clone),
        (ret_k, 0, 0, _RET_ALLOW),
        (ld_w_abs, 0, 0, 16),  # A = low 32 bits of clone flags
        (jset_k, 0, 1, _CLONE_NAMESPACES),
        (ret_k, 0, 0, _RET_ERRNO | _EPERM),
        (ret_k, 0, 0, _RET_ALLOW),
    ]
    return b"".join(struct.pack("=HBBI", *ins) for ins in prog)


def write_seccomp_filter(folder: Path) -> Path | None:
    """Write the seccomp program to folder/seccomp.bpf for the kernels' command lines (None on unknown CPUs)."""
    program = seccomp_filter()
    if program is None:
        return None
    path = folder / "seccomp.bpf"
    path.write_bytes(program)
    return path


# --- the command line ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SandboxSpec:
    """Everything needed to build the kernel command of one sandboxed notebook run."""

    bwrap: str
    notebook_dir: Path  # the student's folder for this run (a private copy), bound read-only
    runtime_dir: Path  # connection file and IPC sockets, bound read-write
    assignment: str
    limits: Limits
    seccomp_file: Path | None = None
    uid: int | None = None  # drop to this uid inside (only when the grader runs as root)
    # Hold the sandbox open for a pre-warmed kernel (course_utils._zygote) instead of starting Python in it:
    # after the copy of the student's folder, the command writes its pid (in the sandbox) to
    # runtime_dir/HOLD_READY and sleeps; everything before that is the cold kernel's command line.
    hold: bool = False


HOLD_READY = "ready"


def _readonly_roots() -> list[Path]:
    """Host folders the kernel needs, read-only: the system, Python, the venv and course_utils."""
    import course_utils

    roots = [Path("/usr"), Path("/etc")]
    for top in ("/lib", "/lib64", "/bin", "/sbin", "/lib32", "/libx32"):
        path = Path(top)
        if path.exists() and not path.is_symlink():
            roots.append(path)
    roots += [Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(), Path(sys.prefix).absolute()]
    roots.append(Path(course_utils.__file__).resolve().parent)  # helpers the notebooks import
    unique: list[Path] = []
    for root in sorted({r for r in roots if r.exists()}, key=lambda p: len(p.parts)):
        if not any(u == root or u in root.parents for u in unique):
            unique.append(root)
    return unique


def _parent_dirs(targets: list[Path], existing: list[Path]) -> list[str]:
    """`--dir` arguments (mode 0755) for the ancestors of the mount points not created yet."""
    made = set(existing)
    args: list[str] = []
    for target in targets:
        for parent in reversed(target.parents):
            if str(parent) != "/" and parent not in made:
                made.add(parent)
                args += ["--perms", "0755", "--dir", str(parent)]
    return args


def sandbox_env(assignment: str) -> dict[str, str]:
    """The complete environment of a sandboxed kernel (nothing of the grader's leaks in)."""
    venv_bin = str(Path(sys.prefix) / "bin")
    home = f"{SCRATCH}/home"
    return {
        "PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "LANG": "C.UTF-8",
        "TMPDIR": SCRATCH,
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "MPLCONFIGDIR": f"{home}/.matplotlib",
        "IPYTHONDIR": f"{home}/.ipython",
        "JUPYTER_RUNTIME_DIR": f"{home}/.jupyter-runtime",
        "JUPYTER_DATA_DIR": f"{home}/.jupyter-data",
        "JUPYTER_CONFIG_DIR": f"{home}/.jupyter",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONNOUSERSITE": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MALLOC_ARENA_MAX": "2",
        "NBGRADER_EXECUTION": "autograde",
        "COURSE_ASSIGNMENT": assignment,
    }


def kernel_argv(spec: SandboxSpec) -> list[str]:
    """The kernelspec argv: bwrap, resource limits, uid drop, copy of the folder, then ipykernel."""
    lim = spec.limits
    ro = _readonly_roots()
    args = [spec.bwrap, *_namespace_args(), "--die-with-parent", "--new-session", "--clearenv"]
    for key, value in sandbox_env(spec.assignment).items():
        args += ["--setenv", key, value]
    for top in ("/lib", "/lib64", "/bin", "/sbin"):
        path = Path(top)
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), top]
    args += ["--proc", "/proc", "--dev", "/dev"]
    # The scratch tmpfs comes first so that read-only roots living below it (a course cloned
    # into /tmp, its venv) are bound on top of it instead of being hidden by it.
    args += ["--perms", "1777", "--size", str(lim.scratch_mb * 1024 * 1024), "--tmpfs", SCRATCH]
    args += _parent_dirs(ro, [Path(SCRATCH)])
    for root in ro:
        args += ["--ro-bind", str(root), str(root)]
    pipeline = Path(__file__).resolve().parents[1]  # the grader itself: installed inside the venv, it is hidden
    if any(root == pipeline or root in pipeline.parents for root in ro):
        args += ["--tmpfs", str(pipeline)]
    args += _parent_dirs([Path(SUBMISSION_MOUNT), spec.runtime_dir], [*ro, Path(SCRATCH)])
    args += ["--ro-bind", str(spec.notebook_dir), SUBMISSION_MOUNT]
    args += ["--bind", str(spec.runtime_dir), str(spec.runtime_dir)]
    args += ["--hostname", "sandbox", "--chdir", SCRATCH]
    drop: list[str] = []
    if spec.uid is not None:
        args += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
        drop = ["/usr/bin/setpriv", f"--reuid={spec.uid}", f"--regid={spec.uid}", "--clear-groups",
                "--no-new-privs", "--"]
    if spec.seccomp_file is not None:
        args += ["--seccomp", "3"]
    mem = lim.memory_mb * 1024 * 1024
    limits = ["/usr/bin/prlimit", f"--as={mem}:{mem}", f"--nproc={lim.max_processes}:{lim.max_processes}",
              f"--fsize={lim.max_file_mb * 1024 * 1024}", f"--nofile={lim.max_open_files}", "--core=0", "--"]
    work = f"{SCRATCH}/{spec.assignment}"
    script = (f'umask 077; mkdir -p "$HOME" "{work}" && cp -R {SUBMISSION_MOUNT}/. "{work}/" '
              f'&& cd "{work}" && exec "$@"')
    kernel = grading_kernel_argv(str(Path(sys.prefix) / "bin" / "python"), lim.max_output_bytes)
    if spec.hold:
        kernel = ["/bin/sh", "-c", 'echo $$ > "$0" && exec sleep infinity', str(spec.runtime_dir / HOLD_READY)]
    argv = [*args, "--", *limits, *drop, "/bin/sh", "-c", script, "sh", *kernel]
    if spec.seccomp_file is not None:
        # bwrap reads the filter from fd 3; jupyter_client closes inherited fds, so a shell opens it.
        argv = ["/bin/sh", "-c", 'exec "$@" 3<"$0"', str(spec.seccomp_file), *argv]
    return argv


def kernel_rlimits(limits: Limits, holder: bool = True) -> dict[str, tuple[int, int]]:
    """The resource limits kernel_argv's prlimit sets, for a pre-warmed kernel to set on itself.

    holder: the sandbox's holding process is one more task of the sandbox's uid, so the kernel's
    process budget is one higher, which leaves student code exactly max_processes, as a cold kernel has.
    """
    mem = limits.memory_mb * 1024 * 1024
    nproc = limits.max_processes + (1 if holder else 0)
    fsize = limits.max_file_mb * 1024 * 1024
    return {"RLIMIT_AS": (mem, mem), "RLIMIT_NPROC": (nproc, nproc), "RLIMIT_FSIZE": (fsize, fsize),
            "RLIMIT_NOFILE": (limits.max_open_files, limits.max_open_files), "RLIMIT_CORE": (0, 0)}
