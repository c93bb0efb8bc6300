"""The stdio figures: cold start, idle memory, the size of tools/list, one get_customer.

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
    BenchError,
    Child,
    StdioSession,
    child_env,
    compact_bytes,
    median,
    proc_status,
)
from .soap import RawSoap, Sandbox, customer_ids

OURS = [PYTHON, "-m", "kashflow_mcp", "serve"]
FLOOR = [PYTHON, "-m", "bench.floor_server"]
TOOLS_LIST_LIMIT = 16 * 1024
IDLE_SETTLE = 0.2  # seconds after tools/list before reading RSS: let the reply's garbage go


@dataclass(frozen=True)
class Plan:
    """How much to measure: the full run, or a smoke run that only proves the scripts work."""

    smoke: bool
    repeats: int  # cold starts per side; first pages on the large account
    rounds: int  # interleaved rounds of stdio round trips
    calls: int  # round trips per side per round
    warmup: int  # untimed calls before any timing
    http_seconds: float  # measured window per HTTP load
    http_rounds: int  # windows per HTTP load, taking turns with the other loads
    http_clients: int
    scale: int  # customers on the large account

    @classmethod
    def make(cls, smoke: bool, repeats: int | None) -> Plan:
        if smoke:
            return cls(
                smoke=True, repeats=repeats or 2, rounds=2, calls=10, warmup=3,
                http_seconds=1.0, http_rounds=1, http_clients=8, scale=2000,
            )  # fmt: skip
        return cls(
            smoke=False, repeats=repeats or 11, rounds=5, calls=100, warmup=30,
            http_seconds=5.0, http_rounds=3, http_clients=8, scale=20000,
        )  # fmt: skip


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
    tools: dict[str, list[dict[str, Any]]] = {}
    # One untimed start of each first: compiles .pyc files and warms the OS file cache.
    for index in range(plan.repeats + 1):
        order = ("ours", "floor") if index % 2 else ("floor", "ours")
        for side in order:
            argv, env = sides[side]
            elapsed, child, _, listed = start_stdio(argv, env, side)
            try:
                time.sleep(IDLE_SETTLE)
                memory = proc_status(child.pid)["VmRSS"]
            finally:
                child.stop()
            if index:
                seconds[side].append(elapsed)
                rss[side].append(memory)
            tools[side] = listed
    ours_s, floor_s = median(seconds["ours"]), median(seconds["floor"])
    ours_kb, floor_kb = median(rss["ours"]), median(rss["floor"])
    size, floor_size = compact_bytes(tools["ours"]), compact_bytes(tools["floor"])
    shared.notes.append(tools_list_breakdown(tools["ours"]))
    n = plan.repeats
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
            "the whole tools/list",
            f"{size:,} B",
            f"{floor_size:,} B (floor, 1 tool)",
            f"{size / TOOLS_LIST_LIMIT:.2f} × limit",
            f"≤ 16 KB ({TOOLS_LIST_LIMIT:,} B)",
            size <= TOOLS_LIST_LIMIT,
            "The `tools` array of the tools/list result as compact UTF-8 JSON (no spaces), "
            "all tools offered by default.",
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


def round_trip(plan: Plan, box: Sandbox, shared: Shared) -> Figure:
    raw = RawSoap(box.url)
    ours = floor = None
    try:
        ids = customer_ids(raw.post("GetCustomers"))
        if not ids:
            raise BenchError("the sandbox has no customers")
        customer = ids[0]
        by_id = f"<CustomerID>{customer}</CustomerID>"
        _, ours, ours_session, _ = start_stdio(OURS, box.server_env(), "ours")
        _, floor, floor_session, _ = start_stdio(FLOOR, child_env(), "floor")

        def ours_call() -> float:
            return ours_session.timed_call("get_customer", {"customer_id": customer})[0]

        def floor_call() -> float:
            return floor_session.timed_call("add", {"a": 2, "b": 3})[0]

        def raw_call() -> float:
            return raw.timed("GetCustomerByID", by_id)[0]

        calls = {"ours": ours_call, "floor": floor_call, "raw": raw_call}
        samples: dict[str, list[float]] = {name: [] for name in calls}
        for call in calls.values():
            for _ in range(plan.warmup):
                call()
        for _ in range(plan.rounds):  # interleaved blocks: drift hits all three alike
            for name, call in calls.items():
                samples[name].extend(call() for _ in range(plan.calls))
        shared.floor_peak_kb = proc_status(floor.pid)["VmHWM"]
    finally:
        raw.close()
        for child in (ours, floor):
            if child is not None:
                child.stop()
    ours_s, floor_s, raw_s = (median(samples[name]) for name in ("ours", "floor", "raw"))
    ratio = ours_s / (floor_s + raw_s)
    return Figure(
        "get_customer round trip over stdio, sandbox on loopback",
        fmt_ms(ours_s),
        f"{fmt_ms(floor_s + raw_s)} ({fmt_ms(floor_s)} floor `add` + {fmt_ms(raw_s)} raw SOAP)",
        fmt_ratio(ratio),
        "≤ 1.25 × (floor call + raw SOAP)",
        ratio <= 1.25,
        f"Median of {plan.rounds * plan.calls} sequential calls per side after {plan.warmup} "
        f"warm-up calls, in {plan.rounds} interleaved rounds of {plan.calls}: "
        "`tools/call get_customer` on our server (stdio, talking to the sandbox over a "
        "keep-alive connection), `tools/call add` on the floor (stdio), and "
        "`GetCustomerByID` POSTed with a keep-alive httpx client to the same sandbox.",
    )
