"""Run a candidate's notebook where it can reach nothing but its own copy and its data.

On Linux the run goes through bubblewrap (`bwrap`, Debian/Ubuntu package `bubblewrap`):
its own PID, mount, IPC, UTS and network namespaces (no network at all), a root made of
read-only system folders and the Python environment, a private writable home holding
only the notebook copy and the candidate's data, a minimal environment, and limits on
memory (address space), CPU time, file size, open files and processes. When the grader
runs as root, the candidate runs under an unprivileged uid of its own, so the process
cap holds (root is exempt from RLIMIT_NPROC); otherwise bubblewrap's user namespace
counts only the sandbox's processes. Everything started inside is killed when the run
ends (the PID namespace dies with it).

>>> Limits().memory_mb, Limits().processes
(3072, 64)
"""

from __future__ import annotations

import ast
import json
import os
import secrets
import selectors
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

__all__ = ["Limits", "Run", "SandboxUnavailable", "available", "run_notebook",
           "readable_paths", "INSTALL_HINT"]

RUNNER = Path(__file__).resolve().with_name("sandbox_runner.py")
HOME = "/home/candidate"
INPUT = "/opslab-input"
INSTALL_HINT = ("install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap; "
                "Fedora: sudo dnf install bubblewrap), or grade inside a Linux container")
MAX_STDOUT = 4 * 1024 * 1024        # what the grader reads of the runner's report
ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "nsswitch.conf",
       "fonts", "mime.types", "alternatives")


class SandboxUnavailable(RuntimeError):
    """No working bubblewrap on this machine; the message says how to get one."""


@dataclass(frozen=True)
class Limits:
    """Per-run limits. memory_mb caps each process's address space; processes caps the
    processes and threads of the sandbox; output_mb caps what one cell may print."""

    cell_timeout: float = 60
    total_timeout: float = 600
    memory_mb: int = 3072
    processes: int = 64
    file_mb: int = 64
    output_mb: int = 20
    work_mb: int = 512


@dataclass
class Run:
    """What came back from a run: untrusted cell records and answer text, plus what the
    grader itself observed (timeouts, the exit)."""

    cells: list[dict] = field(default_factory=list)
    answers: str | None = None
    problems: list[tuple[str, dict]] = field(default_factory=list)
    sandboxed: bool = True
    seconds: float = 0.0


def _python_paths() -> list[Path]:
    """The folders the Python environment needs: the prefixes, the standard library,
    site-packages and opshelpers' own package folder (an editable install points
    there). Not sys.path: it may hold the current folder or a test runner's root."""
    schemes = [sysconfig.get_paths(), sysconfig.get_paths(vars={"base": sys.base_prefix,
                                                               "platbase": sys.base_prefix})]
    paths = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.executable).resolve().parent,
             Path(__file__).resolve().parent}
    paths |= {Path(s[k]) for s in schemes for k in ("stdlib", "platstdlib", "purelib",
                                                    "platlib")}
    found = {q for q in paths if q.exists()}
    keep: list[Path] = []
    for p in sorted(found | {q.resolve() for q in found}, key=lambda q: len(q.parts)):
        if p != Path("/") and not any(p.is_relative_to(k) for k in keep):
            keep.append(p)
    return keep


SYSTEM = (Path("/usr"), Path("/bin"), Path("/sbin"), Path("/lib"), Path("/lib64"),
          Path("/lib32"))


def readable_paths() -> list[Path]:
    """Every host folder the candidate can read inside the sandbox (all read-only)."""
    return [p for p in SYSTEM if p.exists()] + [
        p for p in _python_paths() if not any(p.is_relative_to(s) for s in SYSTEM)]


def check_private(path: Path, what: str) -> None:
    """Refuse to grade when `path` (the secret, the bank) is inside a folder the
    candidate can read."""
    path = Path(path).resolve()
    for folder in readable_paths():
        if path.is_relative_to(folder.resolve()):
            raise ValueError(f"the {what} {path} is inside {folder}, which the candidate "
                             "can read during grading: move it to a private folder")


def _bwrap_args(input_dir: Path, limits: Limits, root: bool) -> list[str]:
    args = ["bwrap", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
            "--unshare-cgroup-try", "--die-with-parent", "--new-session", "--tmpfs", "/"]
    if not root:
        args.insert(1, "--unshare-user")
    # the scratch mounts come first, so an environment installed under /tmp (a CI
    # checkout) is bound on top of the empty /tmp, not hidden beneath it
    scratch = str(64 * 2 ** 20)          # tmpfs pages escape RLIMIT_AS: cap each one
    args += ["--proc", "/proc", "--dev", "/dev",
             "--perms", "1777", "--size", scratch, "--tmpfs", "/dev/shm",
             "--perms", "1777", "--size", scratch, "--tmpfs", "/tmp"]
    made: set[Path] = {Path("/proc"), Path("/dev"), Path("/dev/shm"), Path("/tmp")}
    for path in readable_paths():
        for parent in reversed(path.parents):
            if parent != Path("/") and parent not in made:
                args += ["--perms", "0755", "--dir", str(parent)]
                made.add(parent)
        args += ["--ro-bind", str(path), str(path)]
        made.add(path)
    etc = Path("/etc")
    for name in ETC:
        if (etc / name).exists():
            args += ["--ro-bind", str(etc / name), str(etc / name)]
    args += ["--perms", "1777", "--size", str(limits.work_mb * 2 ** 20), "--tmpfs", HOME,
             "--ro-bind", str(input_dir), INPUT, "--chdir", HOME]
    if root:
        args += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    return args


def _environment(home: str = HOME) -> dict[str, str]:
    """A minimal environment: nothing of the grader's own (no secrets, tokens, paths)."""
    return {"HOME": home, "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
           "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "MPLBACKEND": "Agg",
           "MPLCONFIGDIR": f"{home}/.matplotlib", "IPYTHONDIR": f"{home}/.ipython",
           "JUPYTER_RUNTIME_DIR": f"{home}/.runtime", "JUPYTER_DATA_DIR": f"{home}/.jupyter",
           "JUPYTER_PLATFORM_DIRS": "1", "PYTHONDONTWRITEBYTECODE": "1",
           "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           "PYDEVD_DISABLE_FILE_VALIDATION": "1"}


@cache
def available() -> str | None:
    """None when bubblewrap works here, else why not (with how to install it)."""
    if not sys.platform.startswith("linux"):
        return f"the grading sandbox needs Linux (this is {sys.platform}): " + INSTALL_HINT
    if shutil.which("bwrap") is None:
        return "bubblewrap (bwrap) is not installed: " + INSTALL_HINT
    with tempfile.TemporaryDirectory() as tmp:
        cmd = _bwrap_args(Path(tmp), Limits(), os.geteuid() == 0) + [
            sys.executable, "-I", "-c", "print('ok')"]
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=30,
                               env=_environment())
        except (OSError, subprocess.TimeoutExpired) as err:
            return f"bubblewrap could not start: {err}"
    if r.returncode != 0 or r.stdout.strip() != "ok":
        why = (r.stderr.strip().splitlines() or ["no message"])[-1]
        return (f"bubblewrap is installed but cannot make a sandbox here ({why}); allow "
                "unprivileged user namespaces or run the grading as root in a container")
    return None


def run_notebook(notebook: bytes, data: dict[str, Path], names: list[str], limits: Limits,
                 sandbox: bool = True) -> Run:
    """Run the notebook (its bytes) with the data files (name → host path) and read
    back the answer variables `names`. Raises SandboxUnavailable when `sandbox` and
    bubblewrap does not work."""
    if sandbox and (why := available()):
        raise SandboxUnavailable(why)
    import importlib.util

    if importlib.util.find_spec("ipykernel") is None:
        raise ModuleNotFoundError("grading runs notebooks in a Jupyter kernel: install it with "
                                  "pip install 'opshelpers[hiring]'")
    started = time.perf_counter()
    root = os.geteuid() == 0
    with tempfile.TemporaryDirectory(prefix="opslab-grade-") as tmp:
        tmp = Path(tmp)
        input_dir = tmp / "input"
        (input_dir / "data").mkdir(parents=True)
        (input_dir / "submission.ipynb").write_bytes(notebook)
        for name, path in data.items():
            shutil.copyfile(path, input_dir / "data" / name)
        _seed_font_cache(input_dir / ".matplotlib")
        runner = [sys.executable, "-I", str(RUNNER), "--names", json.dumps(names),
                  "--cell-timeout", str(limits.cell_timeout),
                  "--memory-mb", str(limits.memory_mb), "--file-mb", str(limits.file_mb),
                  "--output-mb", str(limits.output_mb),
                  "--cpu-seconds", str(int(limits.total_timeout) + 5)]
        if sandbox:
            runner += ["--input", INPUT, "--work", HOME, "--processes", str(limits.processes)]
            if root:     # a uid of its own: parallel gradings do not share one process cap
                runner += ["--uid", str(200_000 + secrets.randbelow(800_000))]
            cmd, cwd, env = _bwrap_args(input_dir, limits, root) + runner, "/", _environment()
        else:
            work = tmp / "work"
            runner += ["--input", str(input_dir), "--work", str(work)]
            cmd, cwd, env = runner, str(tmp), _environment(str(work))
        run = Run(sandboxed=sandbox)
        lines = _collect(cmd, cwd, env, limits, run)
    _parse(lines, run)
    run.seconds = time.perf_counter() - started
    return run


def _seed_font_cache(folder: Path) -> None:
    """Give the sandbox matplotlib's font list (font names and paths only), so importing
    matplotlib there does not rebuild it from every system font on each run."""
    try:
        import matplotlib

        lists = sorted(Path(matplotlib.get_cachedir()).glob("fontlist-v*.json"))
    except Exception:     # noqa: BLE001 — only a speed-up
        return
    if lists:
        folder.mkdir()
        shutil.copyfile(lists[-1], folder / lists[-1].name)


def _collect(cmd: list[str], cwd: str, env: dict, limits: Limits, run: Run) -> list[str]:
    """Start the run, read at most MAX_STDOUT bytes of its report, kill it at the
    deadline; whatever it started dies with its process group / PID namespace."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + limits.total_timeout
    data, size = [], 0
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                run.problems.append(("assess.problem.total_timeout",
                                     {"seconds": limits.total_timeout}))
                break
            if not sel.select(timeout=min(left, 1.0)):
                if proc.poll() is not None:
                    break
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            if size < MAX_STDOUT:
                data.append(chunk[:MAX_STDOUT - size])
            size += len(chunk)
    finally:
        sel.close()
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
        proc.stdout.close()
    if size > MAX_STDOUT:
        run.problems.append(("assess.problem.report_too_large", {}))
    return b"".join(data).decode("utf-8", "replace").splitlines()


def _parse(lines: list[str], run: Run) -> None:
    """Keep only well-formed cell records; the answers are the last ones reported."""
    done = False
    for line in lines:
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if not isinstance(rec, dict):
            continue
        if rec.get("done") is True:
            done = True
        elif isinstance(rec.get("fatal"), str):
            run.problems.append(("assess.problem.unreadable", {"why": rec["fatal"][:200]}))
        elif isinstance(rec.get("cell"), int):
            cell = {"cell": rec["cell"],
                    "error": str(rec["error"])[:300] if rec.get("error") else None,
                    "timed_out": rec.get("timed_out") is True,
                    "truncated": rec.get("truncated") is True,
                    "stopped": rec.get("stopped") if rec.get("stopped") in ("dead", "stuck")
                    else None}
            run.cells.append(cell)
            if isinstance(rec.get("answers"), str):
                run.answers = _unrepr(rec["answers"])
    if not done and not any(p[0] == "assess.problem.total_timeout" for p in run.problems):
        stopped = [c for c in run.cells if c["stopped"]]
        if not stopped:
            run.problems.append(("assess.problem.ended_early", {}))


def _unrepr(text: str) -> str | None:
    """The kernel shows the answers as the repr of a JSON string; read it back safely."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    return value if isinstance(value, str) else None
