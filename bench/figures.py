"""The stdio figures: cold start, idle memory and the first call, against the SDK floor.

Our server is always ``kashflow-mcp serve`` pointed at a sandbox on a socket through
``KASHFLOW_API_URL``: the process measured is then just the MCP server, as in production, and
the sandbox's work lands in its own process. The floor is ``python -m bench.floor_server``. The
two are started alternately (ours first, then floor first) so that drift in the machine's load
is shared out evenly.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from .measure import (
    PYTHON,
    Child,
    StdioSession,
    child_env,
    compact_bytes,
    median,
    proc_status,
)
from .scenarios import CUSTOMER
from .soap import Sandbox

OURS = [PYTHON, "-m", "kashflow_mcp", "serve"]
FLOOR = [PYTHON, "-m", "bench.floor_server"]
IDLE_SETTLE = 0.2  # seconds after tools/list before reading RSS: let the reply's garbage go


@dataclass(frozen=True)
class Plan:
    """How much to measure: the full run, or a smoke run that only proves the scripts work."""

    smoke: bool
    repeats: int  # cold starts per side; first pages on the large account
    scale: int  # customers on the large account
    latency: float  # seconds the sandbox takes to answer each call, timing the tools
    latency_runs: int  # timed runs of each tool scenario

    @classmethod
    def make(cls, smoke: bool, repeats: int | None) -> Plan:
        if smoke:
            return cls(smoke=True, repeats=repeats or 2, scale=2000, latency=0.01, latency_runs=1)
        return cls(smoke=False, repeats=repeats or 11, scale=20000, latency=0.1, latency_runs=5)


@dataclass
class Figure:
    title: str
    ours: str
    anchor: str
    ratio: str
    target: str
    met: bool | None
    how: str


@dataclass
class Shared:
    """Values one figure measures and a later one compares against."""

    floor_peak_kb: int = 0
    stdio_tools_list_bytes: int = 0
    notes: list[str] = field(default_factory=list)


def start_stdio(
    argv: list[str], env: dict[str, str], name: str, timeout: float = 60.0
) -> tuple[float, Child, StdioSession, list[dict[str, Any]]]:
    """Spawn, initialize, tools/list; the seconds that took, and the live session."""
    started = time.perf_counter()
    child = Child(argv, env=env, name=name)
    try:
        session = StdioSession(child, timeout)
        session.initialize()
        tools = session.request("tools/list")["tools"]
    except BaseException:
        child.stop()
        raise
    return time.perf_counter() - started, child, session, tools


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def fmt_mb(kb: float) -> str:
    return f"{kb / 1024:.1f} MB"


def fmt_ratio(value: float) -> str:
    return f"{value:.2f} ×"


def cold_start(plan: Plan, box: Sandbox, shared: Shared) -> list[Figure]:
    sides = {
        "ours": (OURS, box.server_env()),
        "floor": (FLOOR, child_env()),
    }
    seconds: dict[str, list[float]] = {"ours": [], "floor": []}
    rss: dict[str, list[int]] = {"ours": [], "floor": []}
    floor_peaks: list[int] = []
    first_calls: list[tuple[float, float]] = []  # ours: the first get_customer, and the next
    tools: dict[str, list[dict[str, Any]]] = {}
    # One untimed start of each first: compiles .pyc files and warms the OS file cache.
    for index in range(plan.repeats + 1):
        order = ("ours", "floor") if index % 2 else ("floor", "ours")
        for side in order:
            argv, env = sides[side]
            elapsed, child, session, listed = start_stdio(argv, env, side)
            peak = 0
            try:
                time.sleep(IDLE_SETTLE)
                memory = proc_status(child.pid)["VmRSS"]
                if side == "floor":  # its peak once it has served a call: the large account's
                    session.call_tool("add", {"a": 2, "b": 3})  # anchor
                    peak = proc_status(child.pid)["VmHWM"]
                else:  # the first call imports its area's code; the next finds it loaded
                    first, _ = session.timed_call("get_customer", {"customer_id": CUSTOMER})
                    again, _ = session.timed_call("get_customer", {"customer_id": CUSTOMER})
            finally:
                child.stop()
            if index:
                seconds[side].append(elapsed)
                rss[side].append(memory)
                if side == "floor":
                    floor_peaks.append(peak)
                else:
                    first_calls.append((first, again))
            tools[side] = listed
    ours_s, floor_s = median(seconds["ours"]), median(seconds["floor"])
    ours_kb, floor_kb = median(rss["ours"]), median(rss["floor"])
    shared.floor_peak_kb = int(median(floor_peaks))
    shared.stdio_tools_list_bytes = compact_bytes(tools["ours"])
    shared.notes.append(tools_list_breakdown(tools["ours"]))
    n = plan.repeats
    first_s, again_s = median([f for f, _ in first_calls]), median([a for _, a in first_calls])
    return [
        Figure(
            "cold start: spawn → initialize → tools/list answered (stdio)",
            fmt_ms(ours_s),
            fmt_ms(floor_s),
            fmt_ratio(ours_s / floor_s),
            "≤ 1.20 × floor",
            ours_s / floor_s <= 1.20,
            f"Median of {n} starts per side, alternating which side goes first, after one "
            "untimed start each (which also compiles bytecode into a private cache, so timed "
            "starts load .pyc files as an installed server does). Timed from just before the "
            "process is spawned until the tools/list answer line arrives on its stdout "
            "(hand-written JSON-RPC over pipes, initialize then tools/list). Ours is "
            "`kashflow-mcp serve` with KASHFLOW_API_URL pointing at a sandbox on a socket, so "
            "no emulator is loaded in the server.",
        ),
        Figure(
            "idle memory (RSS) after tools/list",
            fmt_mb(ours_kb),
            fmt_mb(floor_kb),
            fmt_ratio(ours_kb / floor_kb),
            "≤ 1.20 × floor",
            ours_kb / floor_kb <= 1.20,
            f"VmRSS from /proc/<pid>/status {IDLE_SETTLE:.1f} s after tools/list was answered, "
            f"in the same {n} starts per side; median.",
        ),
        Figure(
            "the first tool call after start-up, against the next",
            fmt_ms(first_s),
            fmt_ms(again_s),
            fmt_ratio(first_s / again_s),
            "reported",
            None,
            f"get_customer(customer_id={CUSTOMER}) twice, right after the idle memory was read, "
            f"in the same {n} starts of ours; medians. The first call imports the customers "
            "area (its handlers, models, client API and KashFlow records, which start-up leaves "
            "out), opens the HTTP client and builds the argument model's validator; the second "
            "finds all of that done. Both reach the sandbox on loopback.",
        ),
    ]


def tools_list_breakdown(tools: list[dict[str, Any]]) -> str:
    """Where tools/list's bytes go: per part and the biggest tools."""
    parts = {"inputSchema": 0, "outputSchema": 0, "description": 0}
    for tool in tools:
        for part in parts:
            if part in tool:
                parts[part] += compact_bytes(tool[part])
    rest = compact_bytes(tools) - sum(parts.values())
    biggest = sorted(tools, key=compact_bytes, reverse=True)[:4]
    shown = ", ".join(f"{tool['name']} {compact_bytes(tool):,}" for tool in biggest)
    split = ", ".join(f"{part} {size:,}" for part, size in parts.items())
    return (
        f"tools/list bytes by part: {split}, names/annotations/other {rest:,}; "
        f"largest tools: {shown}."
    )
