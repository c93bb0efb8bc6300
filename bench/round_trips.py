"""Counting the KashFlow calls a tool makes, how many of them it waits for in a row, and timing it.

``RecordingTransport`` wraps the transport to the sandbox and notes when each SOAP call starts
and when its answer has been read. From that order alone (no clocks), ``in_a_row`` gives the
longest chain of calls each of which started only after the one before it had been answered:
the round trips the tool's caller waits for, whatever the latency.

``run_scenario`` plays one scenario (``bench.scenarios``) on fresh demo books: a real MCP
client (the SDK's ``Client``, in memory) talks to the server as ``--sandbox --toolsets all``
builds it, whose KashFlow client reaches the in-process sandbox through httpx's ASGI transport.
The scenario's set-up runs first, unrecorded and without latency; then every KashFlow call
answers after ``latency`` seconds (the sandbox's fault injection) and the one call is recorded
and timed. ``tests/server/test_round_trips.py`` pins what it records; ``make bench`` times it.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
from mcp import Client
from mcp.types import CallToolResult

from kashflow_mcp.config import Settings
from kashflow_mcp.connection import SANDBOX_PASSWORD, SANDBOX_URL, SANDBOX_USERNAME
from kashflow_mcp.kashflow import KashFlowClient
from kashflow_mcp.sandbox import FaultRule, create_app
from kashflow_mcp.sandbox.faults import FaultInjector
from kashflow_mcp.server import build_server
from kashflow_mcp.tools import EVERY_ALLOWANCE

from .measure import BenchError

if TYPE_CHECKING:
    from .scenarios import Scenario


@dataclass
class Call:
    operation: str
    started: int
    ended: int = -1
    began_at: float = 0.0  # perf_counter seconds, for timing only: in_a_row uses the ticks
    ended_at: float = 0.0


@dataclass
class RecordingTransport(httpx.AsyncBaseTransport):
    inner: httpx.AsyncBaseTransport
    calls: list[Call] = field(default_factory=list)
    _clock: int = 0

    def _tick(self) -> int:
        self._clock += 1
        return self._clock

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        action = request.headers.get("soapaction", "").strip('"').rpartition("/")[2]
        call = Call(action, self._tick(), began_at=time.perf_counter())
        self.calls.append(call)
        response = await self.inner.handle_async_request(request)
        content = b"".join([chunk async for chunk in response.stream])  # type: ignore[union-attr]
        call.ended, call.ended_at = self._tick(), time.perf_counter()
        return httpx.Response(response.status_code, headers=response.headers, content=content)

    async def aclose(self) -> None:
        await self.inner.aclose()

    def reset(self) -> None:
        self.calls.clear()

    @property
    def operations(self) -> list[str]:
        return [call.operation for call in self.calls]

    def in_a_row(self) -> int:
        """The longest chain of calls, each started after the previous one was answered."""
        chain: dict[int, int] = {}
        for index, call in enumerate(self.calls):
            before = [chain[i] for i, c in enumerate(self.calls[:index]) if c.ended < call.started]
            chain[index] = 1 + max(before, default=0)
        return max(chain.values(), default=0)

    def in_flight(self) -> float:
        """Seconds during which at least one call was waiting for its answer."""
        total, reached = 0.0, float("-inf")
        for began, ended in sorted((call.began_at, call.ended_at) for call in self.calls):
            total += max(0.0, ended - max(began, reached))
            reached = max(reached, ended)
        return total


@dataclass(frozen=True)
class Measured:
    """One scenario played once."""

    calls: Counter[str]
    """KashFlow operations the measured call sent, with how many times each."""
    in_a_row: int
    seconds: float
    """Wall time of the measured call, as its MCP client saw it."""
    in_flight: float
    """Of which some KashFlow call was in flight (the latency, and the sandbox's own work)."""
    result: CallToolResult


def text_of(result: CallToolResult) -> str:
    return "\n".join(getattr(block, "text", "") for block in result.content)


@asynccontextmanager
async def serving(
    directory: Path,
) -> AsyncIterator[tuple[Client, RecordingTransport, FaultInjector]]:
    """An MCP client on a server offering every tool, on fresh demo books in ``directory``."""
    books = directory / "books.db"
    app = create_app(books, username=SANDBOX_USERNAME, password=SANDBOX_PASSWORD)
    transport = RecordingTransport(httpx.ASGITransport(app=app))
    kashflow = KashFlowClient(
        username=SANDBOX_USERNAME, password=SANDBOX_PASSWORD, url=SANDBOX_URL, transport=transport
    )
    config = Settings(
        sandbox=True,
        sandbox_db=books,
        audit_log=directory / "audit.jsonl",
        toolsets=["all"],
        allow_operations=list(EVERY_ALLOWANCE),
    )
    try:
        async with Client(build_server(config, kashflow)) as client:
            yield client, transport, app.state.faults
    finally:
        await kashflow.aclose()
        app.state.store.close()


async def run_scenario(
    scenario: Scenario,
    directory: Path,
    latency: float,
    warm: Mapping[str, CallToolResult] | None = None,
) -> Measured:
    """Play ``scenario`` once on fresh books in ``directory`` (which must be empty).

    ``warm`` holds an earlier result of each tool: the client checks each against its tool's
    output schema before the call, so the one-off cost of compiling that check (a long-lived
    client pays it once per tool) stays out of the time measured.
    """
    try:
        async with serving(directory) as (client, transport, faults):
            await client.list_tools()  # as a client does on connecting
            for tool, earlier in (warm or {}).items():
                await client.session.validate_tool_result(tool, earlier)
            arguments = await scenario.setup(client)
            transport.reset()
            if latency:
                faults.add(FaultRule(operation="*", latency=latency, times=-1))
            started = time.perf_counter()
            result = await client.call_tool(scenario.tool, arguments)
            seconds = time.perf_counter() - started
            recorded = Counter(transport.operations), transport.in_a_row()
            in_flight = transport.in_flight()
    except BaseExceptionGroup as failures:  # what fails inside the client comes out grouped
        raise _innermost(failures) from None
    if result.is_error:
        raise BenchError(f"{scenario.name}: {scenario.tool} failed: {text_of(result)}")
    scenario.check(result.structured_content or {})
    return Measured(*recorded, seconds=seconds, in_flight=in_flight, result=result)


def _innermost(group: BaseExceptionGroup) -> BaseException:
    first = group.exceptions[0]
    return _innermost(first) if isinstance(first, BaseExceptionGroup) else first


def calls_text(calls: Mapping[str, int]) -> str:
    """``GetCustomerByID ×2, UpdateCustomer``: the operations called, in name order."""
    if not calls:
        return "none"
    return ", ".join(f"{op} ×{n}" if n > 1 else op for op, n in sorted(calls.items()))
