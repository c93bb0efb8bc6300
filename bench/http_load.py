"""Streamable HTTP throughput: N concurrent SDK clients calling one tool for a fixed window.

Each client connects and makes one untimed call first, then all start together; the rate is
every call made in the window divided by the time until the last one finished (calls still in
flight when the window closes are waited for and counted). The load generator runs in this
process on the same machine, identically for both sides.

get_customer needs the sandbox, and at 8-way concurrency the sandbox's own cost is a large
share of each call, so it is measured alongside: the same 8-way load of raw GetCustomerByID
POSTs straight to it. Subtracting its per-call time (1/rate) from ours gives the rate our server
would reach in front of an infinitely fast KashFlow. CPU seconds per call are read from
/proc/<pid>/stat for each server process, which separates our cost from the client's.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import anyio
import httpx
from mcp import Client

from .figures import Figure, Plan
from .measure import (
    HOST,
    PYTHON,
    BenchError,
    Child,
    child_env,
    cpu_seconds,
    free_port,
    median,
    running,
    wait_for_port,
)
from .soap import RawSoap, Sandbox, customer_ids, envelope, soap_headers

SLACK = 60.0  # seconds beyond the window before a wedged load is abandoned


Call = Callable[[], Awaitable[None]]
Opener = Callable[[], AbstractAsyncContextManager[Call]]


async def _load(workers: int, seconds: float, open_caller: Opener) -> tuple[int, float]:
    """(calls, elapsed) for ``workers`` loops, each over its own connection from ``open_caller``.

    Each worker enters and leaves its own client: the SDK's client must be closed by the task
    that opened it. Elapsed runs from the common start to the last call's answer, so neither
    connecting nor closing is counted.
    """
    counts = [0] * workers
    finished = [0.0] * workers
    ready = 0
    go = anyio.Event()
    window: dict[str, float] = {}

    async def worker(index: int) -> None:
        nonlocal ready
        async with open_caller() as call:
            await call()  # untimed: session set up, first-call costs paid
            ready += 1
            if ready == workers:
                window["start"] = anyio.current_time()
                window["end"] = window["start"] + seconds
                go.set()
            await go.wait()
            while anyio.current_time() < window["end"]:
                await call()
                counts[index] += 1
            finished[index] = anyio.current_time()

    with anyio.fail_after(seconds + SLACK):
        async with anyio.create_task_group() as group:
            for index in range(workers):
                group.start_soon(worker, index)
    return sum(counts), max(finished) - window["start"]


def mcp_caller(url: str, tool: str, arguments: dict[str, object]) -> Opener:
    @asynccontextmanager
    async def open_caller() -> AsyncIterator[Call]:
        async with Client(url, read_timeout_seconds=30) as client:

            async def call() -> None:
                result = await client.call_tool(tool, arguments)
                if result.is_error:
                    raise BenchError(f"{tool} failed under load: {result.content}")

            yield call

    return open_caller


def soap_caller(url: str, customer: int) -> Opener:
    body = envelope("GetCustomerByID", f"<CustomerID>{customer}</CustomerID>")
    headers = soap_headers("GetCustomerByID")

    @asynccontextmanager
    async def open_caller() -> AsyncIterator[Call]:
        async with httpx.AsyncClient(timeout=30) as http:

            async def call() -> None:
                response = await http.post(url, content=body, headers=headers)
                if response.status_code != 200:
                    raise BenchError(f"sandbox answered HTTP {response.status_code} under load")

            yield call

    return open_caller


def _http_server(argv: list[str], env: dict[str, str], name: str) -> tuple[Child, str]:
    port = free_port()
    child = Child([*argv, "--port", str(port)], env=env, name=name, stdio=False)
    try:
        wait_for_port(port, child)
    except BaseException:
        child.stop()
        raise
    return child, f"http://{HOST}:{port}/mcp"


def http_throughput(plan: Plan, box: Sandbox) -> list[Figure]:
    workers, seconds = plan.http_clients, plan.http_seconds
    raw = RawSoap(box.url)
    try:
        customer = customer_ids(raw.post("GetCustomers"))[0]
    finally:
        raw.close()
    ours_argv = [PYTHON, "-m", "kashflow_mcp", "serve", "--transport", "http"]
    floor_argv = [PYTHON, "-m", "bench.floor_server", "--http"]

    # Both servers stay up while the loads take turns, round after round: drift in the
    # machine's load then hits every side alike, and each figure is a median over rounds.
    ours_child, ours_url = _http_server(ours_argv, box.server_env(), "ours (http)")
    with running(ours_child):
        floor_child, floor_url = _http_server(floor_argv, child_env(), "floor (http)")
        with running(floor_child):
            loads = {
                "ours": (
                    ours_child.pid,
                    mcp_caller(ours_url, "get_customer", {"customer_id": customer}),
                ),
                "floor": (floor_child.pid, mcp_caller(floor_url, "add", {"a": 2, "b": 3})),
                "sandbox": (box.pid, soap_caller(box.url, customer)),
            }
            rates: dict[str, list[float]] = {name: [] for name in loads}
            cpu = {name: 0.0 for name in loads} | {"sandbox under ours": 0.0}
            client_cpu = {name: 0.0 for name in loads}  # the load's own: this process
            calls = {name: 0 for name in loads}
            for _ in range(plan.http_rounds):
                for name, (pid, opener) in loads.items():
                    before = (cpu_seconds(pid), cpu_seconds(box.pid), time.process_time())
                    done, elapsed = anyio.run(_load, workers, seconds, opener)
                    cpu[name] += cpu_seconds(pid) - before[0]
                    client_cpu[name] += time.process_time() - before[2]
                    if name == "ours":
                        cpu["sandbox under ours"] += cpu_seconds(box.pid) - before[1]
                    rates[name].append(done / elapsed)
                    calls[name] += done
    ours, floor, sandbox = (median(rates[name]) for name in ("ours", "floor", "sandbox"))
    ours_cpu, floor_cpu = cpu["ours"] / calls["ours"], cpu["floor"] / calls["floor"]
    box_cpu = cpu["sandbox under ours"] / calls["ours"]
    # Per-call time at this concurrency is 1/rate; take away what the sandbox alone needs.
    net = 1 / (1 / ours - 1 / sandbox) if ours < sandbox else float("inf")
    ours_clients, floor_clients = (client_cpu[name] / calls[name] for name in ("ours", "floor"))
    cpu_note = (
        f"CPU per call: ours {ours_cpu * 1000:.2f} ms (plus {box_cpu * 1000:.2f} ms in the "
        f"sandbox), floor {floor_cpu * 1000:.2f} ms; the {workers} clients, which share the "
        f"machine's cores with the servers, spent {ours_clients * 1000:.2f} ms per call to ours "
        f"(reading a whole customer and checking it against its output schema) and "
        f"{floor_clients * 1000:.2f} ms per call to the floor."
    )
    return [
        Figure(
            f"HTTP: get_customer calls/s, {workers} concurrent clients, sandbox cost subtracted",
            f"{net:,.0f} /s",
            f"{floor:,.0f} /s (floor `add`)",
            f"{net / floor:.2f} ×",
            "≥ 0.8 × floor",
            net / floor >= 0.8,
            f"{workers} SDK `Client`s over Streamable HTTP to `kashflow-mcp serve --transport "
            f"http`, each calling in a loop for {seconds:g} s after one untimed call; the same "
            "for the floor (`python -m bench.floor_server --http`). Median of "
            f"{plan.http_rounds} rounds in which the loads take turns on servers that stay up. "
            "Subtracted: 1/(1/ours − 1/sandbox), with the sandbox's own rate from the next row. "
            + cpu_note,
        ),
        Figure(
            "HTTP, as measured (sandbox cost included) · sandbox alone",
            f"{ours:,.0f} /s",
            f"{floor:,.0f} /s floor · sandbox alone {sandbox:,.0f} /s",
            f"{ours / floor:.2f} ×",
            "(alongside)",
            None,
            f"Raw ours/floor with the sandbox inside each call. Sandbox alone: {workers} "
            f"httpx clients POSTing GetCustomerByID for {seconds:g} s. Calls/s per round: "
            + "; ".join(
                f"{name} {', '.join(f'{rate:.0f}' for rate in rates[name])}" for name in rates
            )
            + ".",
        ),
    ]
