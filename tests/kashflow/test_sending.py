"""What a failure on the wire means for a call: never sent (safe to repeat) or outcome unknown.

Our client against scripted servers on 127.0.0.1, over real sockets and its own connection pool.
"""

from __future__ import annotations

import asyncio

import anyio
import pytest

from kashflow_mcp.kashflow import (
    KashFlowClient,
    OutcomeUnknownError,
    RetryPolicy,
    TransportError,
)
from kashflow_mcp.kashflow.wire.records import Customer

from .scripted import INSERTED, TEST_BOUND, customers, reply, scripted

pytestmark = pytest.mark.anyio
ONCE = RetryPolicy(attempts=1, deadline=5)
FAST = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05, deadline=5)


def client(url: str, *, retry: RetryPolicy = FAST, **options: object) -> KashFlowClient:
    return KashFlowClient(username="u", password="p", url=url, retry=retry, **options)  # type: ignore[arg-type]


async def write(kashflow: KashFlowClient) -> int:
    return await kashflow.customers.insert(Customer(Name="Wren & Co"))


async def read(kashflow: KashFlowClient) -> list[str | None]:
    return [c.Name for c in await kashflow.customers.all()]


async def hold_the_first(number: int, writer: asyncio.StreamWriter) -> None:
    """Answer 0 trickles in and never ends, keeping its connection busy; the rest answer."""
    if number == 0:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n")
        for _ in range(int(TEST_BOUND / 0.05)):  # a byte now and then: no read times out
            writer.write(b" ")
            await writer.drain()
            await anyio.sleep(0.05)
    writer.write(reply(INSERTED))


async def silent(number: int, writer: asyncio.StreamWriter) -> None:
    await anyio.sleep(TEST_BOUND)


async def requests_reach(server: object, count: int) -> None:
    while len(server.requests) < count:  # type: ignore[attr-defined]
        await anyio.sleep(0.01)


async def test_a_write_waiting_for_a_connection_past_its_deadline_was_not_sent() -> None:
    async with scripted(hold_the_first) as (server, url):
        kashflow = client(url, max_connections=1)
        async with kashflow, anyio.create_task_group() as group:
            group.start_soon(read, kashflow)  # holds the only connection
            await requests_reach(server, 1)
            kashflow.retry = RetryPolicy(attempts=1, deadline=0.3)
            with pytest.raises(TransportError, match="InsertCustomer was not sent") as caught:
                await write(kashflow)
            group.cancel_scope.cancel()
    assert "deadline" in str(caught.value)
    assert len(server.requests) == 1  # the write never went out


async def test_a_write_whose_deadline_passes_once_it_was_sent_is_outcome_unknown() -> None:
    async with scripted(silent) as (server, url), client(url, retry=ONCE) as kashflow:
        kashflow.retry = RetryPolicy(attempts=1, deadline=0.3)
        with pytest.raises(OutcomeUnknownError, match=r"was sent but no answer.*TimeoutError"):
            await write(kashflow)
    assert len(server.requests) == 1


async def test_a_write_that_gets_no_connection_within_the_pool_timeout_was_not_sent() -> None:
    async with scripted(hold_the_first) as (server, url):
        kashflow = client(url, max_connections=1, timeout=0.2)
        async with kashflow, anyio.create_task_group() as group:
            group.start_soon(read, kashflow)
            await requests_reach(server, 1)
            with pytest.raises(TransportError, match=r"not sent: no connection.*PoolTimeout"):
                await write(kashflow)
            group.cancel_scope.cancel()
    assert len(server.requests) == 1


async def test_a_queued_write_is_sent_once_a_connection_comes_free() -> None:
    async def slow(number: int, writer: asyncio.StreamWriter) -> None:
        await anyio.sleep(0.2)
        writer.write(reply(INSERTED if number else customers("first")))

    names: list[str | None] = []

    async def listing(kashflow: KashFlowClient) -> None:
        names.extend(await read(kashflow))

    async with scripted(slow) as (server, url):
        kashflow = client(url, max_connections=1)
        async with kashflow, anyio.create_task_group() as group:
            group.start_soon(listing, kashflow)
            await requests_reach(server, 1)  # the read has the only connection
            assert await write(kashflow) == 7
    assert names == ["first"]
    assert server.connections == 1


async def test_concurrent_calls_never_open_more_connections_than_allowed() -> None:
    async def slow(number: int, writer: asyncio.StreamWriter) -> None:
        await anyio.sleep(0.05)
        writer.write(reply(customers("done")))

    async with scripted(slow) as (server, url), client(url, max_connections=2) as kashflow:
        answers = await asyncio.gather(*(read(kashflow) for _ in range(6)))
    assert answers == [["done"]] * 6
    assert server.most_open == 2


async def cut_once(number: int, writer: asyncio.StreamWriter) -> None:
    if number == 0:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n<?xml version=")
        await writer.drain()
        writer.close()
        return
    writer.write(reply(customers(f"answer {number}")))


async def test_a_read_whose_answer_is_cut_short_is_asked_again() -> None:
    async with scripted(cut_once) as (server, url), client(url) as kashflow:
        assert await read(kashflow) == ["answer 1"]
    assert server.connections == 2


async def test_a_write_whose_answer_is_cut_short_is_outcome_unknown_and_not_resent() -> None:
    async with scripted(cut_once) as (server, url), client(url) as kashflow:
        with pytest.raises(OutcomeUnknownError, match="was sent but no answer"):
            await write(kashflow)
    assert len(server.requests) == 1


async def test_a_read_that_stalls_hits_the_read_timeout() -> None:
    async with scripted(silent) as (_, url), client(url, retry=ONCE, timeout=0.2) as kashflow:
        with pytest.raises(TransportError, match=r"did not answer GetCustomers.*ReadTimeout"):
            await read(kashflow)


async def test_a_write_that_stalls_is_outcome_unknown() -> None:
    async with scripted(silent) as (server, url), client(url, timeout=0.2) as kashflow:
        with pytest.raises(OutcomeUnknownError, match="ReadTimeout"):
            await write(kashflow)
    assert len(server.requests) == 1


async def test_a_write_that_cannot_connect_was_not_sent() -> None:
    listener = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    listener.close()
    await listener.wait_closed()
    with anyio.fail_after(TEST_BOUND):
        async with client(f"http://127.0.0.1:{port}/api/service.asmx") as kashflow:
            with pytest.raises(TransportError, match=r"not sent: could not connect.*ConnectError"):
                await write(kashflow)


async def test_a_call_cancelled_mid_answer_leaves_no_half_read_connection_behind() -> None:
    async def stalls_once(number: int, writer: asyncio.StreamWriter) -> None:
        if number == 0:
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n<?xml version=")
            return  # the rest never comes
        writer.write(reply(customers(f"answer {number}")))

    async with scripted(stalls_once) as (server, url), client(url, max_connections=1) as kashflow:
        with anyio.move_on_after(0.2) as waited:
            await read(kashflow)
        assert waited.cancelled_caught
        assert await read(kashflow) == ["answer 1"]
    assert server.connections == 2
