"""Round trips per tool, and each tool's wall time when every KashFlow call takes 100 ms.

What a user waits for is KashFlow: each call is a network round trip to it, far longer than
anything the server does itself. So for every scenario of every tool the server offers
(``bench.scenarios``) this reports the KashFlow calls made, how many of them the tool waits for
one after another, and its wall time with the sandbox answering each call after a fixed latency:
the target is those round trips in a row times the latency, plus 15 ms.

Each run is played on fresh demo books, a fresh server and a fresh client (``run_scenario``),
so lists are never served from the cache by accident and every run sees the same books. One
untimed run per scenario goes first; its result lets later clients pre-compile their check of
that tool's output schema, a cost a long-lived client pays once per tool, not per call.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import anyio
from mcp.types import CallToolResult

from kashflow_mcp.config import Settings
from kashflow_mcp.server.listing import listing_for
from kashflow_mcp.tools import EVERY_ALLOWANCE

from .figures import Plan, fmt_ms
from .measure import median
from .round_trips import Measured, calls_text, run_scenario
from .scenarios import SCENARIOS, Scenario

ALLOWANCE = 0.015  # seconds beyond the round trips in a row: everything the server does itself


@dataclass(frozen=True)
class ToolRow:
    tool: str
    scenario: str
    calls: str
    in_a_row: int | None
    wall: str
    beyond: str
    """What the call took beyond its round trips: ``+18.2 ms (9.1 · 9.1)``, server · sandbox."""
    target: str
    met: bool | None


@dataclass(frozen=True)
class ToolTable:
    rows: list[ToolRow]
    how: str


def _target(in_a_row: int, latency: float) -> float:
    return in_a_row * latency + ALLOWANCE


async def _play(scenario: Scenario, plan: Plan, warm: dict[str, CallToolResult]) -> list[Measured]:
    """One untimed run, then the timed ones."""

    async def once() -> Measured:
        with tempfile.TemporaryDirectory(prefix="kashflow-bench-tool-") as directory:
            run = await run_scenario(scenario, Path(directory), plan.latency, warm)
        warm[scenario.tool] = run.result
        return run

    await once()
    return [await once() for _ in range(plan.latency_runs)]


def _row(scenario: Scenario, runs: list[Measured], latency: float, notes: list[str]) -> ToolRow:
    shapes = Counter((tuple(sorted(run.calls.items())), run.in_a_row) for run in runs)
    (calls, in_a_row), _ = shapes.most_common(1)[0]
    if len(shapes) > 1:
        notes.append(f"{scenario.name}: the runs did not all make the same calls: {dict(shapes)}")
    seconds = median([run.seconds for run in runs])
    server = median([run.seconds - run.in_flight for run in runs])
    sandbox = median([run.in_flight - in_a_row * latency for run in runs])
    target = _target(in_a_row, latency)
    beyond = seconds - in_a_row * latency
    return ToolRow(
        scenario.tool,
        scenario.name,
        calls_text(dict(calls)),
        in_a_row,
        fmt_ms(seconds),
        f"+{beyond * 1000:.1f} ms ({server * 1000:.1f} · {sandbox * 1000:.1f})",
        f"own ≤ {ALLOWANCE * 1000:g} ms (wall ≤ {fmt_ms(target)}: "
        f"{'yes' if seconds <= target else 'no'})",
        server <= ALLOWANCE,
    )


async def _measure(plan: Plan, notes: list[str]) -> list[ToolRow]:
    every = Settings(toolsets=["all"], allow_operations=list(EVERY_ALLOWANCE))
    offered = [entry["name"] for entry in await listing_for(every)]
    warm: dict[str, CallToolResult] = {}
    rows = []
    for tool in offered:
        scenarios = [scenario for scenario in SCENARIOS if scenario.tool == tool]
        if not scenarios:
            missing = "**no scenario**: add one to bench/scenarios.py"
            rows.append(ToolRow(tool, missing, "—", None, "—", "—", "—", False))
        for scenario in scenarios:
            rows.append(_row(scenario, await _play(scenario, plan, warm), plan.latency, notes))
    return rows


def per_tool(plan: Plan, notes: list[str]) -> ToolTable:
    rows = anyio.run(_measure, plan, notes)
    latency = f"{plan.latency * 1000:g} ms"
    how = (
        "Every scenario of every tool `--toolsets all --allow-operation EmailInvoice` offers "
        f"(`bench/scenarios.py`), played "
        f"{plan.latency_runs} times after one untimed run, each time on fresh demo books with a "
        "fresh server and client. The client is the MCP SDK's `Client`, connected **in "
        "memory** to the server (`build_server`, as `kashflow-mcp serve --sandbox` with those "
        "flags builds it), whose KashFlow client reaches the sandbox in-process through httpx's "
        "ASGI transport: the same SOAP through the same code as to KashFlow, with no socket. "
        "The scenario's set-up (what the call needs: an invoice to delete, the token from a "
        "preview) runs first without latency; then the sandbox answers every call after "
        f'{latency} (`FaultRule(operation="*", latency={plan.latency:g}, times=-1)`) and the '
        "one call is recorded and timed from `call_tool` to its result, the client's check of "
        "it against the output schema included (compiling that check is done beforehand, as a "
        "long-lived client does it once per tool). **KashFlow calls** and **in a row** come "
        "from `RecordingTransport` (`bench/round_trips.py`), which notes when each SOAP call "
        "starts and when its answer has been read: in a row is the longest chain of calls each "
        "started after the one before it was answered (order only, no clocks); "
        "`tests/server/test_round_trips.py` pins both for every scenario. **Wall time**: the "
        f"median. **Beyond the waits**: wall time minus in a row × {latency}, split into the "
        "time no KashFlow call was in flight (the server's own work, the audit line each write "
        "makes durable before it is sent, and the in-memory client) and the time calls were in "
        f"flight beyond {latency} each (the sandbox reading, answering and writing, in this "
        "same process, where KashFlow would do that work on its own machines); medians each. "
        f"The target, wall time ≤ in a row × {latency} + {ALLOWANCE * 1000:g} ms, counts "
        "KashFlow's own time as KashFlow's: met when the server's own share is within "
        f"{ALLOWANCE * 1000:g} ms. Whether the whole wall time, the sandbox's work in this "
        "process included, is within it is shown beside."
    )
    return ToolTable(rows, how)
