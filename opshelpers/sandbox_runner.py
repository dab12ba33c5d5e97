"""Runs a submitted notebook cell by cell and reports what it left in its answer variables.

Started by `opshelpers.sandbox` (inside bubblewrap, or directly when the manager grades
without a sandbox). Standard library and jupyter_client only: it does not import
opshelpers, and nothing here knows an answer. Before any candidate code runs it sets
the resource limits, drops to the grading uid when started as root, and makes itself
undumpable, so the kernel (the candidate's code) can neither raise the limits nor read
or write this process's pipes.

It writes JSON lines to stdout: one per code cell ({"cell": n, "error": ..., "answers":
{...}, ...}) and a last {"done": true}. The grader treats every line as untrusted.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import queue
import resource
import shutil
import subprocess
import sys
import time

# Encodes answer variables as tagged plain values. Sent to the kernel as source and run
# there; it only calls built-in conversions on objects whose exact type is trusted, so no
# candidate-defined __eq__, __float__ or __str__ runs.
WIRE_SOURCE = r'''
def wire(namespace, names):
    import json, math, datetime
    mods = __import__("sys").modules
    np = mods.get("numpy")
    pd = mods.get("pandas")
    MAX_TEXT, MAX_ITEMS = 500, 50
    numbers = [int, float]
    texts = [str]
    dates = [datetime.date, datetime.datetime]
    if np is not None:
        numbers += [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
                    np.uint64, np.float16, np.float32, np.float64]
        texts.append(np.str_)
        dates.append(np.datetime64)
    if pd is not None:
        dates.append(pd.Timestamp)

    def one(v, depth=0):
        t = type(v)
        if v is None:
            return {"t": "none"}
        if t is bool or (np is not None and t is np.bool_):
            return {"t": "bool"}
        if t in numbers:
            if t is int or (np is not None and issubclass(t, np.integer)):
                i = int(v)
                if abs(i) > 10 ** 15:
                    return {"t": "huge"}
                return {"t": "int", "v": i}
            f = float(v)
            if math.isnan(f) or math.isinf(f):
                return {"t": "not_finite"}
            return {"t": "float", "v": repr(f)}
        if t in texts:
            s = str.__str__(v) if t is str else str(v)
            if len(s) > MAX_TEXT:
                return {"t": "too_long", "n": len(s)}
            return {"t": "text", "v": s}
        if t in dates:
            if np is not None and t is np.datetime64:
                if np.isnat(v):
                    return {"t": "not_finite"}
                v = v.astype("datetime64[s]").item()
            if pd is not None and t is pd.Timestamp and pd.isna(v):
                return {"t": "not_finite"}
            return {"t": "date", "v": datetime.date(v.year, v.month, v.day).isoformat()}
        if t in (list, tuple) and depth == 0:
            if len(v) > MAX_ITEMS:
                return {"t": "too_long", "n": len(v)}
            return {"t": "list", "v": [one(x, 1) for x in list.__iter__(list(v))]}
        name = t.__name__ if type(t) is type and type(t.__name__) is str else "object"
        return {"t": "other", "type": name[:60]}

    out = {}
    for n in names:
        out[n] = one(namespace[n]) if n in namespace else {"t": "missing"}
    return json.dumps(out)
'''

ANSWERS_EXPRESSION = "__import__('sys').modules['_opslab_wire'].wire(globals(), {names!r})"
INSTALL_WIRE = ("import sys as _s, types as _t\n_m = _t.ModuleType('_opslab_wire')\n"
                "exec({src!r}, _m.__dict__)\n_s.modules['_opslab_wire'] = _m\ndel _s, _t, _m")


def emit(record: dict) -> None:
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


def limit(args) -> None:
    mb = 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (args.memory_mb * mb, args.memory_mb * mb))
    resource.setrlimit(resource.RLIMIT_CPU, (args.cpu_seconds, args.cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (args.file_mb * mb, args.file_mb * mb))
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if args.processes:
        resource.setrlimit(resource.RLIMIT_NPROC, (args.processes, args.processes))


def drop_privileges(uid: int) -> None:
    """From root (inside bubblewrap, which added only CAP_SETUID/CAP_SETGID) to `uid`:
    the capabilities go with it, and the process cap then counts this uid's processes."""
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)


def undumpable() -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)   # PR_SET_DUMPABLE = 4
    except (OSError, AttributeError):
        pass


def prepare(args) -> str:
    """Copy the notebook and data into the private work folder; return the notebook path."""
    os.makedirs(args.work, exist_ok=True)
    for name in os.listdir(args.input):
        src, dst = os.path.join(args.input, name), os.path.join(args.work, name)
        (shutil.copytree if os.path.isdir(src) else shutil.copyfile)(src, dst)
    if args.uid is not None:
        for root, dirs, files in os.walk(args.work):
            for n in [root] + [os.path.join(root, f) for f in dirs + files]:
                os.chown(n, args.uid, args.uid)
    return os.path.join(args.work, "submission.ipynb")


class Kernel:
    def __init__(self, cwd: str):
        from jupyter_client.manager import KernelManager

        self.km = KernelManager(kernel_name="python3")
        self.km.start_kernel(cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             stdin=subprocess.DEVNULL)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)

    def run(self, code: str, timeout: float, output_cap: int, silent: bool = False,
            user_expressions: dict | None = None) -> dict:
        """Execute `code`; {"status", "error", "output_bytes", "timed_out", "reply"}."""
        msg_id = self.kc.execute(code, silent=silent, store_history=not silent,
                                 user_expressions=user_expressions or {}, allow_stdin=False)
        deadline = time.monotonic() + timeout
        result = {"error": None, "output_bytes": 0, "timed_out": False, "truncated": False}
        idle = False
        while not idle:
            left = deadline - time.monotonic()
            if left <= 0:
                result["timed_out"] = True
                self.km.interrupt_kernel()
                idle = self._wait_idle(msg_id, 5.0, result, output_cap)
                result["stuck"] = not idle
                break
            try:
                msg = self.kc.get_iopub_msg(timeout=min(left, 1.0))
            except queue.Empty:
                if not self.km.is_alive():
                    result["error"] = "the kernel died (memory or process limit, or os._exit)"
                    result["dead"] = True
                    return result
                continue
            idle = self._handle(msg, msg_id, result, output_cap)
        if result.get("stuck"):
            return result
        try:
            reply = self.kc.get_shell_msg(timeout=5)
            while reply["parent_header"].get("msg_id") != msg_id:
                reply = self.kc.get_shell_msg(timeout=5)
            result["reply"] = reply["content"]
        except queue.Empty:
            result["reply"] = {}
        return result

    def _wait_idle(self, msg_id, seconds, result, output_cap) -> bool:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                msg = self.kc.get_iopub_msg(timeout=max(end - time.monotonic(), 0.05))
            except queue.Empty:
                continue
            if self._handle(msg, msg_id, result, output_cap):
                return True
        return False

    @staticmethod
    def _handle(msg, msg_id, result, output_cap) -> bool:
        if msg["parent_header"].get("msg_id") != msg_id:
            return False
        kind, content = msg["msg_type"], msg["content"]
        if kind == "status":
            return content.get("execution_state") == "idle"
        if kind == "error":
            result["error"] = f"{content.get('ename', '')}: {content.get('evalue', '')}"[:300]
        elif kind in ("stream", "display_data", "execute_result", "update_display_data"):
            size = len(json.dumps(content.get("data", content.get("text", ""))))
            result["output_bytes"] += size
            result["truncated"] = result["truncated"] or result["output_bytes"] > output_cap
        return False

    def shutdown(self) -> None:
        try:
            self.kc.stop_channels()
            self.km.shutdown_kernel(now=True)
        except Exception:       # noqa: BLE001 — the sandbox ends anyway
            pass


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--input", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--names", required=True, help="JSON list of answer variables")
    p.add_argument("--cell-timeout", type=float, default=60)
    p.add_argument("--memory-mb", type=int, default=3072)
    p.add_argument("--cpu-seconds", type=int, default=600)
    p.add_argument("--file-mb", type=int, default=64)
    p.add_argument("--output-mb", type=int, default=20)
    p.add_argument("--processes", type=int, default=0)
    p.add_argument("--uid", type=int, default=None)
    args = p.parse_args(argv)
    names = json.loads(args.names)

    notebook = prepare(args)
    limit(args)
    if args.uid is not None:
        drop_privileges(args.uid)
    undumpable()
    os.chdir(args.work)
    import nbformat

    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception as err:    # noqa: BLE001 — reported, not raised
        emit({"fatal": f"not a readable notebook: {type(err).__name__}"})
        return 0
    kernel = Kernel(args.work)
    cap = args.output_mb * 1024 * 1024
    kernel.run(INSTALL_WIRE.format(src=WIRE_SOURCE), 30, cap, silent=True)
    expression = {"answers": ANSWERS_EXPRESSION.format(names=names)}
    for number, cell in enumerate(nb.cells, 1):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        r = kernel.run(cell.source, args.cell_timeout, cap)
        record = {"cell": number, "error": r["error"], "timed_out": r["timed_out"],
                  "output_bytes": r["output_bytes"], "truncated": r["truncated"]}
        if r.get("dead") or r.get("stuck"):
            record["stopped"] = "dead" if r.get("dead") else "stuck"
            emit(record)
            break
        a = kernel.run("", 10, cap, silent=True, user_expressions=expression)
        value = a.get("reply", {}).get("user_expressions", {}).get("answers", {})
        if value.get("status") == "ok":
            record["answers"] = value.get("data", {}).get("text/plain", "")[:200_000]
        emit(record)
    kernel.shutdown()
    emit({"done": True})
    return 0


if __name__ == "__main__":
    sys.exit(main())
