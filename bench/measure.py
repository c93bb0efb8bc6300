"""Process, memory and timing helpers shared by every figure.

Children are spoken to over plain pipes with hand-written JSON-RPC rather than through the SDK's
client: the client's own cost would be identical on both sides of every ratio anyway, but it adds
noise, and a hand-written exchange lets us time exactly "spawn -> tools/list answered". Every
read has a deadline and every child is killed in ``finally``, so a wedged server fails the run
instead of hanging it.
"""

from __future__ import annotations

import json
import os
import resource
import select
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
PROTOCOL_VERSION = "2025-11-25"  # the handshake-era version every SDK 2.x server accepts
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
_BYTECODE: dict[str, str] = {}


class BenchError(RuntimeError):
    """A benchmark could not be measured (a child failed, answered wrongly or timed out)."""


def median(values: Sequence[float]) -> float:
    if not values:
        raise BenchError("no samples")
    return statistics.median(values)


def use_bytecode_cache(directory: Path) -> None:
    """Let every child cache compiled bytecode in ``directory`` (outside the source tree).

    Start-up is measured as users see it, with bytecode already compiled. Were
    PYTHONDONTWRITEBYTECODE set and no .pyc present, every start would recompile our package
    (thousands of lines) but hardly any of the floor's, which would measure the compiler.
    """
    _BYTECODE["PYTHONPYCACHEPREFIX"] = str(directory)


def child_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The parent's environment minus any KASHFLOW_* setting that could skew a child."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KASHFLOW_")}
    if _BYTECODE:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.update(_BYTECODE)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra or {})
    return env


# --------------------------------------------------------------------------- /proc


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak RSS) of a live process, in kB (Linux /proc; no psutil needed)."""
    found: dict[str, int] = {}
    with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0])
    return found


def cpu_snapshot() -> tuple[float, float]:
    """(CPU seconds the whole machine has been busy, CPU seconds of this run and its children).

    Taken at the start and end of a run, the difference of the two deltas is the CPU that
    other processes took meanwhile: the honest caveat on figures from a shared machine.
    Children count once waited for, which ``Child.stop`` always does.
    """
    with open("/proc/stat", encoding="ascii") as stat:
        ticks = [int(field) for field in stat.readline().split()[1:9]]
    idle = ticks[3] + ticks[4]  # idle + iowait; the rest up to steal is busy
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    mine = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    return (sum(ticks) - idle) / _CLOCK_TICKS, mine


# --------------------------------------------------------------------------- processes


class Child:
    """A subprocess with piped stdin/stdout, stderr kept in a temp file for error messages."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        name: str = "",
        stdio: bool = True,
    ) -> None:
        self.name = name or " ".join(argv[:4])
        self.stdio = stdio  # a stdio server exits when its stdin closes; others need a signal
        # A file, not a pipe: a chatty child never blocks on a full pipe. Closed in stop().
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115
        self.proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=dict(env) if env is not None else child_env(),
            cwd=ROOT,  # so "-m bench.floor_server" resolves without installing bench
            bufsize=0,
        )
        self._buffer = b""

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stderr_tail(self, limit: int = 2000) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")[-limit:]

    def _failure(self, what: str) -> BenchError:
        return BenchError(f"{self.name}: {what}\n--- its stderr ---\n{self.stderr_tail()}")

    def readline(self, timeout: float) -> bytes:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise self._failure(f"no complete line within {timeout:.0f}s")
            if select.select([fd], [], [], remaining)[0]:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    raise self._failure(f"exited (code {self.proc.poll()}) before answering")
                self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def write(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)

    def stop(self) -> None:
        """Close stdin (a stdio server exits by itself), then terminate, then kill."""
        try:
            if self.proc.stdin is not None:
                self.proc.stdin.close()
        except OSError:
            pass
        steps = (
            (None, self.proc.terminate, self.proc.kill)
            if self.stdio
            else (
                self.proc.terminate,
                self.proc.kill,
            )
        )
        for step in steps:
            if step is not None:
                step()
            try:
                self.proc.wait(timeout=3)
                break
            except subprocess.TimeoutExpired:
                continue
        self._stderr.close()


# --------------------------------------------------------------------------- JSON-RPC over stdio


class StdioSession:
    """Hand-written MCP over a child's pipes: one request at a time, every read bounded."""

    def __init__(self, child: Child, timeout: float = 60.0) -> None:
        self.child = child
        self.timeout = timeout
        self._next_id = 0

    def _send(self, message: dict[str, Any]) -> None:
        self.child.write(json.dumps(message, separators=(",", ":")).encode() + b"\n")

    def notify(self, method: str, params: dict[str, Any] | None = None) -> None:
        self._send({"jsonrpc": "2.0", "method": method, **({"params": params} if params else {})})

    def request(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        self._next_id += 1
        ident = self._next_id
        message = {"jsonrpc": "2.0", "id": ident, "method": method}
        self._send({**message, "params": params} if params is not None else message)
        while True:  # skip notifications (log messages and the like) until our answer
            answer = json.loads(self.child.readline(self.timeout))
            if answer.get("id") == ident:
                break
        if "error" in answer:
            raise BenchError(f"{self.child.name}: {method} failed: {answer['error']}")
        return answer["result"]

    def initialize(self) -> dict[str, Any]:
        result = self.request(
            "initialize",
            {
                "protocolVersion": PROTOCOL_VERSION,
                "capabilities": {},
                "clientInfo": {"name": "bench", "version": "0"},
            },
        )
        self.notify("notifications/initialized")
        return result

    def call_tool(self, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
        result = self.request("tools/call", {"name": name, "arguments": arguments})
        if result.get("isError"):
            raise BenchError(f"{self.child.name}: {name} returned an error: {result['content']}")
        return result

    def timed_call(self, name: str, arguments: dict[str, Any]) -> tuple[float, dict[str, Any]]:
        started = time.perf_counter()
        result = self.call_tool(name, arguments)
        return time.perf_counter() - started, result


def compact_bytes(value: Any) -> int:
    """Bytes of ``value`` as compact UTF-8 JSON: what goes over the wire without padding."""
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())


def text_bytes(result: dict[str, Any]) -> int:
    return sum(len(block.get("text", "").encode()) for block in result.get("content", []))
