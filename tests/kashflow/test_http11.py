"""The HTTP/1.1 pool KashFlow is reached over, against scripted servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import ssl
from pathlib import Path

import anyio
import pytest
import trustme

from kashflow_mcp.kashflow.http11 import Http11Pool
from kashflow_mcp.kashflow.transport import ConnectFailed, Endpoint, ExchangeFailed

from .scripted import TEST_BOUND, reply, scripted

pytestmark = pytest.mark.anyio

SOAP = [("Content-Type", "text/xml; charset=utf-8"), ("SOAPAction", '"KashFlow/GetCustomers"')]


def pool(url: str, *, timeout: float = 5.0, max_connections: int = 4) -> Http11Pool:
    return Http11Pool(Endpoint(url, timeout, 5.0, max_connections, "kashflow-mcp-test"))


async def post(http: Http11Pool, body: bytes = b"<Envelope/>") -> tuple[int, bytes]:
    async with http.post(body, SOAP) as response:
        return response.status, await response.aread()


async def test_a_post_carries_the_soap_headers_and_its_body() -> None:
    async with scripted() as (server, url):
        http = pool(url)
        assert await post(http, b"<Envelope>x</Envelope>") == (200, b"answer 0")
        await http.aclose()
    request = server.requests[0]
    assert request.startswith(b"POST /api/service.asmx HTTP/1.1\r\n")
    for header in (b"Host: localhost:", b'SOAPAction: "KashFlow/GetCustomers"'):
        assert header in request
    assert b"Content-Length: 22\r\n" in request
    assert request.endswith(b"\r\n\r\n<Envelope>x</Envelope>")


async def test_calls_in_turn_share_one_keep_alive_connection() -> None:
    async with scripted() as (server, url):
        http = pool(url)
        answers = [await post(http) for _ in range(3)]
        await http.aclose()
    assert answers == [(200, b"answer 0"), (200, b"answer 1"), (200, b"answer 2")]
    assert server.connections == 1


async def test_a_connection_the_server_closed_is_not_reused() -> None:
    async def then_close(number: int, writer: asyncio.StreamWriter) -> None:
        writer.write(reply(f"answer {number}".encode()))
        await writer.drain()
        writer.close()

    async with scripted(then_close) as (server, url):
        http = pool(url)
        first = await post(http)
        await anyio.sleep(0.05)  # the close reaches us while the connection idles
        second = await post(http)
        await http.aclose()
    assert (first, second) == ((200, b"answer 0"), (200, b"answer 1"))
    assert server.connections == 2


async def test_bytes_sent_to_an_idle_connection_spoil_it() -> None:
    async def then_speak(number: int, writer: asyncio.StreamWriter) -> None:
        writer.write(reply(f"answer {number}".encode()))
        if number == 0:  # as servers that time a connection out say so before closing it
            await writer.drain()
            await anyio.sleep(0.02)
            writer.write(reply(b"timed out", "Connection: close", status="408 Request Timeout"))

    async with scripted(then_speak) as (server, url):
        http = pool(url)
        await post(http)
        await anyio.sleep(0.05)
        assert await post(http) == (200, b"answer 1")
        await http.aclose()
    assert server.connections == 2


async def test_a_connection_close_answer_is_not_reused() -> None:
    async def closing(number: int, writer: asyncio.StreamWriter) -> None:
        writer.write(reply(f"answer {number}".encode(), "Connection: close"))
        await writer.drain()
        writer.close()

    async with scripted(closing) as (server, url):
        http = pool(url)
        assert [await post(http) for _ in range(2)] == [(200, b"answer 0"), (200, b"answer 1")]
        await http.aclose()
    assert server.connections == 2


async def test_bytes_trailing_a_whole_answer_spoil_the_connection() -> None:
    async def answer_and_more(number: int, writer: asyncio.StreamWriter) -> None:
        extra = b"" if number else reply(b"nobody asked", status="408 Request Timeout")
        writer.write(reply(f"answer {number}".encode()) + extra)  # one write: one packet

    async with scripted(answer_and_more) as (server, url):
        http = pool(url)
        assert [await post(http) for _ in range(2)] == [(200, b"answer 0"), (200, b"answer 1")]
        await http.aclose()
    assert server.connections == 2


async def test_a_body_without_a_length_ends_when_the_server_closes() -> None:
    async def until_close(number: int, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n<Envelope>")
        await writer.drain()
        writer.write(f"{number}</Envelope>".encode())
        await writer.drain()
        writer.close()

    async with scripted(until_close) as (server, url):
        http = pool(url)
        assert await post(http) == (200, b"<Envelope>0</Envelope>")
        assert await post(http) == (200, b"<Envelope>1</Envelope>")
        await http.aclose()
    assert server.connections == 2


async def test_an_http_1_0_answer_is_not_reused() -> None:
    async def old(number: int, writer: asyncio.StreamWriter) -> None:
        writer.write(reply(f"answer {number}".encode(), status="200 OK").replace(b"1.1", b"1.0", 1))

    async with scripted(old) as (server, url):
        http = pool(url)
        assert [await post(http) for _ in range(2)] == [(200, b"answer 0"), (200, b"answer 1")]
        await http.aclose()
    assert server.connections == 2


async def test_an_interim_100_continue_is_passed_over() -> None:
    async def continued(number: int, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        await writer.drain()
        writer.write(reply(f"answer {number}".encode(), "X-Final: yes"))

    async with scripted(continued) as (server, url):
        http = pool(url)
        async with http.post(b"<Envelope/>", SOAP) as response:
            assert (response.status, response.headers.get("x-final")) == (200, "yes")
            assert await response.aread() == b"answer 0"
        assert await post(http) == (200, b"answer 1")
        await http.aclose()
    assert server.connections == 1


async def test_repeated_headers_are_joined_and_names_read_in_lower_case() -> None:
    async def repeated(number: int, writer: asyncio.StreamWriter) -> None:
        writer.write(reply(b"x", "Cache-Control: no-cache", "cache-control: no-store"))

    async with scripted(repeated) as (_, url):
        http = pool(url)
        async with http.post(b"<Envelope/>", SOAP) as response:
            assert response.headers["cache-control"] == "no-cache, no-store"
            await response.aread()
        await http.aclose()


async def test_an_answer_that_is_not_http_is_a_failed_exchange() -> None:
    async def nonsense(number: int, writer: asyncio.StreamWriter) -> None:
        writer.write(b"SSH-2.0-OpenSSH_9.6\r\n")

    async with scripted(nonsense) as (_, url):
        http = pool(url)
        with pytest.raises(ExchangeFailed, match="HttpParser"):
            await post(http)
        await http.aclose()


async def test_headers_that_never_end_are_cut_off() -> None:
    async def endless(number: int, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nX-Padding: ")
        with contextlib.suppress(ConnectionError):
            for _ in range(100):  # 6.4 MB, far past the limit
                writer.write(b"x" * 65536)
                await writer.drain()

    async with scripted(endless) as (_, url):
        http = pool(url)
        with pytest.raises(ExchangeFailed, match="headers were too long"):
            await post(http)
        await http.aclose()


async def test_a_line_break_in_a_header_is_refused_before_anything_is_sent() -> None:
    forged = [("SOAPAction", '"KashFlow/GetCustomers"\r\nX-Injected: 1')]
    async with scripted() as (server, url):
        http = pool(url)
        with pytest.raises(ValueError, match="line break"):
            async with http.post(b"<Envelope/>", forged):
                pass
        await http.aclose()
    assert server.requests == []


def test_a_url_path_with_spaces_is_refused() -> None:
    with pytest.raises(ValueError, match="URL path"):
        pool("http://localhost/api/service.asmx /x")


async def test_a_connection_idle_too_long_is_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    async with scripted() as (server, url):
        http = pool(url)
        await post(http)
        monkeypatch.setattr("kashflow_mcp.kashflow.http11.KEEPALIVE_EXPIRY", 0.0)
        await post(http)
        await http.aclose()
    assert server.connections == 2


async def test_chunked_bodies_are_reassembled() -> None:
    async def chunked(number: int, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        for part in (b"<Envelope>", b"chunked", b"</Envelope>"):
            writer.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
            await writer.drain()
        writer.write(b"0\r\n\r\n")

    async with scripted(chunked) as (server, url):
        http = pool(url)
        assert await post(http) == (200, b"<Envelope>chunked</Envelope>")
        assert await post(http) == (200, b"<Envelope>chunked</Envelope>")
        await http.aclose()
    assert server.connections == 1


async def test_gzip_bodies_are_asked_for_and_unpacked() -> None:
    document = b"<Customer>" + b"x" * 100_000 + b"</Customer>"

    async def gzipped(number: int, writer: asyncio.StreamWriter) -> None:
        writer.write(reply(gzip.compress(document), "Content-Encoding: gzip"))

    async with scripted(gzipped) as (server, url):
        http = pool(url)
        async with http.post(b"<Envelope/>", SOAP) as response:
            pieces = [chunk async for chunk in response.aiter_bytes()]
        await http.aclose()
    assert b"".join(pieces) == document
    assert b"Accept-Encoding: gzip\r\n" in server.requests[0]


async def test_an_encoding_not_asked_for_is_refused() -> None:
    async def brotli(number: int, writer: asyncio.StreamWriter) -> None:
        writer.write(reply(b"\x8b\x02\x80", "Content-Encoding: br"))

    async with scripted(brotli) as (_, url):
        http = pool(url)
        with pytest.raises(ExchangeFailed, match="'br'"):
            await post(http)
        await http.aclose()


async def test_a_body_cut_short_is_a_failed_exchange() -> None:
    async def cut(number: int, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n<Envelope>")
        await writer.drain()
        writer.close()

    async with scripted(cut) as (_, url):
        http = pool(url)
        with pytest.raises(ExchangeFailed):
            await post(http)
        await http.aclose()


async def test_a_server_that_never_answers_times_out() -> None:
    async def silent(number: int, writer: asyncio.StreamWriter) -> None:
        await anyio.sleep(TEST_BOUND)

    async with scripted(silent) as (_, url):
        http = pool(url, timeout=0.2)
        with pytest.raises(ExchangeFailed, match="TimeoutError"):
            await post(http)
        await http.aclose()


async def test_nothing_listening_is_a_failure_to_connect() -> None:
    listener = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    listener.close()
    await listener.wait_closed()
    http = pool(f"http://127.0.0.1:{port}/api/service.asmx")
    with anyio.fail_after(TEST_BOUND), pytest.raises(ConnectFailed):
        await post(http)


async def test_concurrent_calls_never_open_more_connections_than_the_pool_allows() -> None:
    async def slow(number: int, writer: asyncio.StreamWriter) -> None:
        await anyio.sleep(0.05)
        writer.write(reply(b"done"))

    async with scripted(slow) as (server, url):
        http = pool(url, max_connections=2)
        async with anyio.create_task_group() as group:
            for _ in range(6):
                group.start_soon(post, http)
        await http.aclose()
    assert len(server.requests) == 6
    assert server.most_open == 2


async def test_a_call_cancelled_mid_answer_leaves_no_half_read_connection_behind() -> None:
    async def stalls_once(number: int, writer: asyncio.StreamWriter) -> None:
        if number == 0:
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n<Envelope>")
            return  # the rest never comes
        writer.write(reply(f"answer {number}".encode()))

    async with scripted(stalls_once) as (server, url):
        http = pool(url)
        with anyio.move_on_after(0.2):
            await post(http)
        assert await post(http) == (200, b"answer 1")
        await http.aclose()
    assert server.connections == 2


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
    async with scripted(tls=tls_server(authority)) as (_, url):
        http = pool(url)
        assert await post(http) == (200, b"answer 0")
        await http.aclose()


async def test_an_https_certificate_nobody_vouches_for_is_refused(
    authority: trustme.CA, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    async with scripted(tls=tls_server(authority)) as (server, url):
        http = pool(url)
        with pytest.raises(ConnectFailed, match="SSLCertVerificationError"):
            await post(http)
        await http.aclose()
    assert server.requests == []


async def test_a_reader_that_falls_behind_holds_the_server_back() -> None:
    size, piece = 32 * 1024 * 1024, b"x" * 65536
    sent = {"bytes": 0}

    async def flood(number: int, writer: asyncio.StreamWriter) -> None:
        writer.write(f"HTTP/1.1 200 OK\r\nContent-Length: {size}\r\n\r\n".encode())
        while sent["bytes"] < size:
            writer.write(piece)
            await writer.drain()  # waits while the client is not reading
            sent["bytes"] += len(piece)

    async with scripted(flood) as (_, url):
        http = pool(url)
        async with http.post(b"<Envelope/>", SOAP) as response:
            await anyio.sleep(0.5)  # a slow consumer: nothing read yet
            sent_before_reading = sent["bytes"]
            received = sum([len(chunk) async for chunk in response.aiter_bytes()])
        await http.aclose()
    assert received == size
    # Socket buffers hold a few megabytes; without back-pressure all 32 would have gone.
    assert sent_before_reading < size // 2
