"""Sessions over HTTP are bounded, on a real socket: a cap on how many are open at once, and
Streamable HTTP sessions close after sitting idle. Over the cap the answer says why and names
the setting; the sessions already open are not disturbed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import anyio
import httpx
import pytest
from mcp import Client

from ..server.calls import ok
from ..support import INITIALIZE, MCP_ACCEPT, http_server

pytestmark = pytest.mark.anyio

PING = {"jsonrpc": "2.0", "id": 2, "method": "ping"}


async def open_http_session(http: httpx.AsyncClient, url: str) -> httpx.Response:
    return await http.post(f"{url}/mcp", json=INITIALIZE, headers=MCP_ACCEPT)


async def ping(http: httpx.AsyncClient, url: str, session: str) -> int:
    headers = {**MCP_ACCEPT, "mcp-session-id": session, "mcp-protocol-version": "2025-11-25"}
    return (await http.post(f"{url}/mcp", json=PING, headers=headers)).status_code


@asynccontextmanager
async def sse_stream(http: httpx.AsyncClient, url: str) -> AsyncIterator[httpx.Response]:
    """A GET /sse held open; for an accepted one, after it has announced its endpoint."""
    async with http.stream("GET", f"{url}/sse") as stream:
        if stream.status_code != 200:
            await stream.aread()
            yield stream
            return
        # Kept referenced while the stream is held: a line iterator dropped early closes it.
        lines = stream.aiter_lines()
        async for line in lines:
            if line.startswith("data:"):
                break
        yield stream


async def test_streamable_http_refuses_a_session_over_the_cap_and_says_why(books: Path) -> None:
    with http_server(books, transport="http", max_sessions=3) as url:
        async with httpx.AsyncClient(timeout=10) as http:
            with anyio.fail_after(20):
                opened = [await open_http_session(http, url) for _ in range(3)]
                over = await open_http_session(http, url)
                sessions = [answer.headers["mcp-session-id"] for answer in opened]
                still_served = [await ping(http, url, session) for session in sessions]
                closed = await http.delete(
                    f"{url}/mcp", headers={**MCP_ACCEPT, "mcp-session-id": sessions[0]}
                )
                after_closing = await open_http_session(http, url)
    assert [answer.status_code for answer in opened] == [200, 200, 200]
    assert over.status_code == 503
    message = over.json()["error"]["message"]
    assert "already has 3 open MCP sessions" in message and "KASHFLOW_MAX_SESSIONS" in message
    assert "an unused one closes after 600s" in message
    assert "mcp-session-id" not in over.headers
    assert still_served == [200, 200, 200]
    assert closed.status_code == 200 and after_closing.status_code == 200


async def test_an_idle_streamable_http_session_closes_and_frees_its_place(books: Path) -> None:
    with http_server(books, transport="http", max_sessions=2, session_idle_timeout=0.5) as url:
        async with httpx.AsyncClient(timeout=10) as http:
            with anyio.fail_after(20):
                first, second = [await open_http_session(http, url) for _ in range(2)]
                full = await open_http_session(http, url)
                await anyio.sleep(1.5)  # three idle timeouts: both sessions have closed
                expired = await ping(http, url, first.headers["mcp-session-id"])
                fresh = await open_http_session(http, url)
    assert (first.status_code, second.status_code, full.status_code) == (200, 200, 503)
    assert expired == 404
    assert fresh.status_code == 200


async def test_the_stateless_protocol_is_not_held_back_by_the_session_cap(books: Path) -> None:
    with http_server(books, transport="http", max_sessions=1) as url:
        async with httpx.AsyncClient(timeout=10) as http:
            assert (await open_http_session(http, url)).status_code == 200
            assert (await open_http_session(http, url)).status_code == 503
            with anyio.fail_after(20):
                async with Client(f"{url}/mcp") as client:  # 2026-07-28: no session to keep
                    assert (await ok(client, "list_customers", limit=1))["customers"]


async def test_sse_refuses_a_stream_over_the_cap_and_takes_one_again_when_one_closes(
    books: Path,
) -> None:
    with http_server(books, transport="sse", max_sessions=2) as url:
        async with httpx.AsyncClient(timeout=10) as http, AsyncExitStack() as streams:
            with anyio.fail_after(20):
                held = [await streams.enter_async_context(sse_stream(http, url)) for _ in range(2)]
                async with sse_stream(http, url) as over:
                    refusal = over.text
                await streams.aclose()  # both clients go away
                accepted = 503
                while accepted == 503:  # until the server has seen them go
                    async with sse_stream(http, url) as again:
                        accepted = again.status_code
                    await anyio.sleep(0.02)
    assert [stream.status_code for stream in held] == [200, 200]
    assert over.status_code == 503
    assert "already has 2 open MCP sessions" in refusal and "KASHFLOW_MAX_SESSIONS" in refusal
    assert accepted == 200
