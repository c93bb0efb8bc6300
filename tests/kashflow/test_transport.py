"""How calls travel: keep-alive reuse, gzip, back-pressure, verified HTTPS and proxies.

The client our caller uses (``open_http``), or the caller itself, against scripted servers on
127.0.0.1.
"""

from __future__ import annotations

import asyncio
import gzip
import ssl
from collections.abc import Awaitable, Callable
from pathlib import Path

import anyio
import httpx
import pytest
import trustme

from kashflow_mcp.kashflow import KashFlowClient, RetryPolicy, TransportError, transport
from kashflow_mcp.kashflow.wire.records import Customer

from .scripted import customers, reply, scripted

pytestmark = pytest.mark.anyio
NOTHING_THERE = "http://127.0.0.1:9"  # the discard port: nothing answers there
ONCE = RetryPolicy(attempts=1, deadline=5)
Answer = Callable[[int, asyncio.StreamWriter], Awaitable[None]]


def http(max_connections: int = 4) -> httpx.AsyncClient:
    return transport.open_http(
        timeout=5.0, max_connections=max_connections, user_agent="kashflow-mcp", transport=None
    )


async def post(client: httpx.AsyncClient, url: str) -> tuple[int, bytes]:
    response = await client.post(url, content=b"<Envelope/>")
    return response.status_code, response.content


@pytest.fixture(autouse=True)
def no_proxy_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


async def test_calls_in_turn_share_one_keep_alive_connection() -> None:
    async with scripted() as (server, url), http() as client:
        answers = [await post(client, url) for _ in range(3)]
    assert answers == [(200, b"answer 0"), (200, b"answer 1"), (200, b"answer 2")]
    assert server.connections == 1


async def close_after_answering(number: int, writer: asyncio.StreamWriter) -> None:
    writer.write(reply(f"answer {number}".encode()))
    await writer.drain()
    writer.close()


async def speak_unasked(number: int, writer: asyncio.StreamWriter) -> None:
    # As servers that time an idle connection out do before closing it: an unasked-for answer.
    writer.write(reply(f"answer {number}".encode()))
    if number == 0:
        await writer.drain()
        await anyio.sleep(0.02)
        writer.write(reply(b"timed out", "Connection: close", status="408 Request Timeout"))


@pytest.mark.parametrize("idle_server", [close_after_answering, speak_unasked])
async def test_a_connection_the_server_closed_or_spoke_on_while_idle_is_not_reused(
    idle_server: Answer,
) -> None:
    async with scripted(idle_server) as (server, url), http() as client:
        first = await post(client, url)
        await anyio.sleep(0.1)  # the close reaches us while the connection idles
        second = await post(client, url)
    assert (first, second) == ((200, b"answer 0"), (200, b"answer 1"))
    assert server.connections == 2


async def test_an_answer_saying_connection_close_ends_its_connection() -> None:
    async def closing(number: int, writer: asyncio.StreamWriter) -> None:
        writer.write(reply(f"answer {number}".encode(), "Connection: close"))

    async with scripted(closing) as (server, url), http() as client:
        answers = [await post(client, url) for _ in range(2)]
    assert answers == [(200, b"answer 0"), (200, b"answer 1")]
    assert server.connections == 2


async def test_a_connection_idle_past_the_keepalive_expiry_is_replaced(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(transport, "KEEPALIVE_EXPIRY", 0.05)
    async with scripted() as (server, url), http() as client:
        await post(client, url)
        await anyio.sleep(0.1)
        await post(client, url)
    assert server.connections == 2


async def test_gzip_is_asked_for_and_unpacked_as_the_answer_streams() -> None:
    document = customers(*(f"Customer {n}" for n in range(2000)))

    async def gzipped(number: int, writer: asyncio.StreamWriter) -> None:
        writer.write(reply(gzip.compress(document), "Content-Encoding: gzip"))

    async with scripted(gzipped) as (server, url):
        kashflow = KashFlowClient(username="u", password="p", url=url, retry=ONCE)
        async with kashflow:
            names = [c.Name for c in await kashflow.customers.summaries()]
    assert names == [f"Customer {n}" for n in range(2000)]
    assert b"\r\naccept-encoding: gzip\r\n" in server.requests[0].lower()
    assert b"\r\nuser-agent: kashflow-mcp\r\n" in server.requests[0].lower()


async def test_a_reader_that_falls_behind_holds_the_server_back() -> None:
    size, piece = 32 * 1024 * 1024, b"x" * 65536
    sent = {"bytes": 0}

    async def flood(number: int, writer: asyncio.StreamWriter) -> None:
        writer.write(f"HTTP/1.1 200 OK\r\nContent-Length: {size}\r\n\r\n".encode())
        while sent["bytes"] < size:
            writer.write(piece)
            await writer.drain()  # waits while the client is not reading
            sent["bytes"] += len(piece)

    async with (
        scripted(flood) as (_, url),
        http() as client,
        client.stream("POST", url, content=b"<Envelope/>") as response,
    ):
        await anyio.sleep(0.5)  # a slow consumer: nothing read yet
        sent_before_reading = sent["bytes"]
        received = sum([len(chunk) async for chunk in response.aiter_bytes()])
    assert received == size
    # Socket buffers hold a few megabytes; without back-pressure all 32 would have gone.
    assert sent_before_reading < size // 2


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


def tls_server(authority: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("localhost").configure_cert(context)
    return context


async def test_https_is_verified_against_ssl_cert_file(
    authority: trustme.CA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    async with scripted(tls=tls_server(authority)) as (_, url), http() as client:
        assert await post(client, url) == (200, b"answer 0")


async def test_a_write_to_an_https_server_nobody_vouches_for_is_never_sent(
    authority: trustme.CA, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    async with scripted(tls=tls_server(authority)) as (server, url):
        kashflow = KashFlowClient(username="u", password="p", url=url, retry=ONCE)
        async with kashflow:
            with pytest.raises(TransportError, match=r"not sent: .* certificate is not trusted"):
                await kashflow.customers.insert(Customer(Name="Wren & Co"))
    assert server.requests == []


async def test_a_proxy_named_in_the_environment_carries_the_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with scripted() as (proxy, proxy_url):
        monkeypatch.setenv("HTTP_PROXY", proxy_url.rpartition("/api")[0])
        async with http() as client:
            answer = await post(client, f"{NOTHING_THERE}/api/service.asmx")
    assert answer == (200, b"answer 0")
    assert proxy.requests[0].startswith(f"POST {NOTHING_THERE}/api/service.asmx HTTP/1.1".encode())


async def test_https_goes_through_the_https_proxy_and_a_refused_tunnel_sends_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def refuse(number: int, writer: asyncio.StreamWriter) -> None:
        writer.write(reply(b"", status="403 Forbidden"))

    async with scripted(refuse) as (proxy, proxy_url):
        monkeypatch.setenv("HTTPS_PROXY", proxy_url.rpartition("/api")[0])
        kashflow = KashFlowClient(
            username="u", password="p", url="https://127.0.0.1:9/api/service.asmx", retry=ONCE
        )
        async with kashflow:
            with pytest.raises(TransportError, match="not sent: the proxy would not carry it"):
                await kashflow.customers.insert(Customer(Name="Wren & Co"))
    assert [request.split(b"\r\n")[0] for request in proxy.requests] == [
        b"CONNECT 127.0.0.1:9 HTTP/1.1"
    ]


async def test_a_write_still_waiting_for_the_proxys_tunnel_at_its_deadline_was_not_sent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def silent(number: int, writer: asyncio.StreamWriter) -> None:
        await anyio.sleep(10)

    async with scripted(silent) as (proxy, proxy_url):
        monkeypatch.setenv("HTTPS_PROXY", proxy_url.rpartition("/api")[0])
        deadline = RetryPolicy(attempts=1, deadline=0.3)
        kashflow = KashFlowClient(
            username="u", password="p", url="https://127.0.0.1:9/api/service.asmx", retry=deadline
        )
        async with kashflow:
            with pytest.raises(TransportError, match="not sent: the call's deadline passed"):
                await kashflow.customers.insert(Customer(Name="Wren & Co"))
    assert proxy.requests[0].startswith(b"CONNECT 127.0.0.1:9 HTTP/1.1")


async def test_hosts_in_no_proxy_are_reached_directly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", NOTHING_THERE)
    monkeypatch.setenv("NO_PROXY", "localhost")
    async with scripted() as (server, url), http() as client:
        assert await post(client, url) == (200, b"answer 0")
    assert server.requests[0].startswith(b"POST /api/service.asmx HTTP/1.1")


async def test_without_a_proxy_the_call_goes_straight_to_kashflow() -> None:
    async with scripted() as (server, url), http() as client:
        assert await post(client, url) == (200, b"answer 0")
    assert server.requests[0].startswith(b"POST /api/service.asmx HTTP/1.1")
