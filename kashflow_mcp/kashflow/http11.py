"""KashFlow's HTTP path: keep-alive HTTP/1.1 connections on asyncio, httptools for parsing.

A SOAP call is one POST to one URL: no cookies, redirects or authentication schemes. Sent
through httpx's AsyncClient it cost some 0.5 ms of CPU per call (request and response models,
cookie handling, pool bookkeeping on anyio streams) - as much as the rest of a tool call
together, and the largest part of what an assistant waits for beyond KashFlow itself. Here a
call costs what the protocol needs: the request is a fixed head plus the envelope, httptools
(llhttp, the parser in Node.js and uvicorn) reads the answer - lengths, chunked bodies,
keep-alive rules - as its bytes arrive, and an idle connection that the server closed or wrote
to is never reused for the next request.
"""

from __future__ import annotations

import asyncio
import os
import re
import ssl
import time
import zlib
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import httptools

from .transport import ConnectFailed, Endpoint, ExchangeFailed, Reply

KEEPALIVE_EXPIRY = 5.0
"""Seconds an idle connection is trusted; servers close theirs after 5 s to 2 min."""
_HIGH_WATER = 1024 * 1024
"""Body bytes held before the socket is paused: a long list streams, it does not pile up."""
_FORGING = re.compile("[\r\n\0]")
"""Characters that would end a header line early and start another."""
_MAX_HEAD = 64 * 1024
"""Bytes an answer may take to finish its headers; a server that never does is cut off."""


class Http11Pool:
    """Up to ``max_connections`` keep-alive connections to one endpoint."""

    def __init__(self, endpoint: Endpoint) -> None:
        parts = urlsplit(endpoint.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {endpoint.url!r}")
        self._host = parts.hostname
        self._tls = parts.scheme == "https"
        self._port = parts.port or (443 if self._tls else 80)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if not target.isascii() or any(c.isspace() for c in target):
            raise ValueError(f"not a usable URL path: {target!r}")
        self._head = f"POST {target} HTTP/1.1\r\n".encode() + _header_lines(
            [
                ("Host", parts.netloc.rpartition("@")[2]),
                ("User-Agent", endpoint.user_agent),
                ("Accept-Encoding", "gzip"),  # a long customer list shrinks tenfold
            ]
        )
        self._timeout = endpoint.timeout
        self._connect_timeout = endpoint.connect_timeout
        self._slots = asyncio.Semaphore(endpoint.max_connections)
        self._idle: list[_Connection] = []
        self._tls_context: ssl.SSLContext | None = None

    @asynccontextmanager
    async def post(self, body: bytes, headers: list[tuple[str, str]]) -> AsyncIterator[Reply]:
        request = b"".join(
            (self._head, _header_lines([*headers, ("Content-Length", str(len(body)))]), b"\r\n")
        )
        async with self._slots:
            connection = self._reusable() or await self._connect()
            reusable = False
            try:
                reply = await connection.exchange(request, body, self._timeout)
                yield reply
                reusable = connection.ready_for_next()
            finally:
                if reusable:
                    self._idle.append(connection)
                else:
                    connection.close()

    async def aclose(self) -> None:
        while self._idle:
            self._idle.pop().close()

    def _reusable(self) -> _Connection | None:
        now = time.monotonic()
        while self._idle:
            connection = self._idle.pop()  # the most recently used is the likeliest alive
            if connection.usable(now):
                return connection
            connection.close()
        return None

    async def _connect(self) -> _Connection:
        loop = asyncio.get_running_loop()
        tls = self._context() if self._tls else None
        try:
            async with asyncio.timeout(self._connect_timeout):
                _, connection = await loop.create_connection(
                    _Connection,
                    self._host,
                    self._port,
                    ssl=tls,
                    server_hostname=self._host if tls else None,
                )
        except (OSError, TimeoutError) as exc:  # ssl.SSLError is an OSError
            raise ConnectFailed(type(exc).__name__) from exc
        return connection

    def _context(self) -> ssl.SSLContext:
        """Certificates as httpx finds them: SSL_CERT_FILE / SSL_CERT_DIR, else certifi."""
        if self._tls_context is None:
            cafile, capath = os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR")
            if not (cafile or capath):
                import certifi

                cafile = certifi.where()
            context = ssl.create_default_context(cafile=cafile, capath=capath)
            context.set_alpn_protocols(["http/1.1"])
            self._tls_context = context
        return self._tls_context


def _header_lines(headers: list[tuple[str, str]]) -> bytes:
    """``Name: value`` lines; a line break or NUL in either would forge more of the request."""
    if any(_FORGING.search(name) or _FORGING.search(value) for name, value in headers):
        raise ValueError("a header name or value contains a line break or NUL")
    return "".join(f"{name}: {value}\r\n" for name, value in headers).encode("latin-1")


class _Connection(asyncio.Protocol):
    """One socket and its response parser; the answer's body queues up until it is read.

    httptools parses as bytes arrive, so the queue holds body chunks, not raw bytes, and a
    reader only waits for what the parser has already made sense of.
    """

    def __init__(self) -> None:
        self._parser = httptools.HttpResponseParser(self)
        self._transport: asyncio.Transport | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._writable: asyncio.Future[None] | None = None
        self._eof = self._lost = False
        self._spoilt = False  # bytes arrived that belong to no request: never reuse
        self._idle_since = 0.0
        self._begin(asked=False)

    def _begin(self, *, asked: bool) -> None:
        """Ready for the answer to a request just sent (``asked``), or for none."""
        self._asked = asked
        self._status = 0
        self._headers: dict[str, str] = {}
        self._head_bytes = 0
        self._head_done = self._done = False
        self._keep_alive = False
        self._chunks: deque[bytes] = deque()
        self._buffered = 0
        self._failure: str | None = None

    # ------------------------------------------------------------ asyncio.Protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        if not self._asked or self._done or self._failure:
            self._spoilt = True  # unsolicited: a 408 before closing, or a second answer
            return
        try:
            self._parser.feed_data(data)
        except (httptools.HttpParserError, httptools.HttpParserUpgrade) as exc:
            if self._done:  # the answer was whole; what followed it was not asked for
                self._spoilt = True
            else:
                self._fail(type(exc).__name__)
        if not self._head_done:
            self._head_bytes += len(data)
            if self._head_bytes > _MAX_HEAD:
                self._fail("the answer's headers were too long")
        if self._buffered > _HIGH_WATER and self._transport is not None:
            self._transport.pause_reading()
        self._wake()

    def eof_received(self) -> bool:
        self._eof = True
        self._ended()
        return False  # let the transport close itself

    def connection_lost(self, exc: Exception | None) -> None:
        self._lost = self._eof = True
        self._ended()
        if self._writable is not None and not self._writable.done():
            self._writable.set_result(None)

    def pause_writing(self) -> None:
        self._writable = asyncio.get_running_loop().create_future()

    def resume_writing(self) -> None:
        if self._writable is not None and not self._writable.done():
            self._writable.set_result(None)
        self._writable = None

    # ------------------------------------------------------------ httptools callbacks

    def on_message_begin(self) -> None:
        if self._done:
            self._spoilt = True

    def on_header(self, name: bytes, value: bytes) -> None:
        if self._done:
            return
        key, text = name.decode("latin-1").lower(), value.decode("latin-1")
        self._headers[key] = f"{self._headers[key]}, {text}" if key in self._headers else text

    def on_headers_complete(self) -> None:
        if self._done:
            return
        status = self._parser.get_status_code()
        if 100 <= status < 200:  # 100 Continue and kin: the answer proper follows
            self._headers = {}
            return
        self._status, self._head_done = status, True

    def on_body(self, body: bytes) -> None:
        if self._done or not self._head_done:
            return
        self._chunks.append(body)
        self._buffered += len(body)

    def on_message_complete(self) -> None:
        if self._done or not self._head_done:
            return  # after an interim answer, or after the answer itself
        self._done = True
        self._keep_alive = self._parser.should_keep_alive()

    # ------------------------------------------------------------ one exchange

    async def exchange(self, head: bytes, body: bytes, timeout: float) -> Reply:
        """Send the request and wait for the answer's head; the body streams through the reply."""
        self._begin(asked=True)
        try:
            await self._write(head + body)
            while not self._head_done:
                self._raise_failure()
                await self._wait(timeout)
        except OSError as exc:
            raise ExchangeFailed(type(exc).__name__) from exc
        headers = self._headers
        body_bytes = self._body(timeout)
        encoding = headers.get("content-encoding", "identity").strip().lower()
        if encoding == "gzip":
            body_bytes = _gunzipped(body_bytes)
        elif encoding not in ("", "identity"):
            raise ExchangeFailed(f"the answer came in an unasked-for encoding, {encoding[:20]!r}")
        return Reply(self._status, headers, body_bytes)

    def ready_for_next(self) -> bool:
        """Whether the answer was read to its end and the connection may carry another."""
        reusable = self._done and self._keep_alive and not self._chunks
        self._begin(asked=False)
        self._idle_since = time.monotonic()
        return reusable and not (self._spoilt or self._eof)

    def usable(self, now: float) -> bool:
        fresh = now - self._idle_since < KEEPALIVE_EXPIRY
        return fresh and not (self._spoilt or self._eof)

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()

    async def _body(self, timeout: float) -> AsyncIterator[bytes]:
        try:
            while True:
                while self._chunks:
                    chunk = self._chunks.popleft()
                    self._buffered -= len(chunk)
                    yield chunk
                if self._done:
                    return
                self._raise_failure()
                if self._transport is not None and not self._lost:
                    self._transport.resume_reading()
                await self._wait(timeout)
        except OSError as exc:
            raise ExchangeFailed(type(exc).__name__) from exc

    def _ended(self) -> None:
        """The server closed its side: that ends a body sent without a length, else it fails."""
        if self._asked and not self._done and not self._failure:
            if self._head_done and self._delimited_by_close():
                self._done = True
            else:
                self._fail("the connection closed before the answer was complete")
        self._wake()

    def _delimited_by_close(self) -> bool:
        chunked = "chunked" in self._headers.get("transfer-encoding", "").lower()
        return "content-length" not in self._headers and not chunked

    def _fail(self, reason: str) -> None:
        self._failure = reason
        if self._transport is not None:
            self._transport.close()

    def _raise_failure(self) -> None:
        if self._failure is not None:
            raise ExchangeFailed(self._failure)

    async def _write(self, data: bytes) -> None:
        if self._lost or self._transport is None:
            raise ConnectionResetError("the connection was closed")
        self._transport.write(data)
        if self._writable is not None:
            await self._writable
            if self._lost:
                raise ConnectionResetError("the connection was closed")

    async def _wait(self, timeout: float) -> None:
        self._waiter = asyncio.get_running_loop().create_future()
        async with asyncio.timeout(timeout):
            await self._waiter

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)


async def _gunzipped(chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    decoder = zlib.decompressobj(zlib.MAX_WBITS | 16)
    try:
        async for chunk in chunks:
            if out := decoder.decompress(chunk):
                yield out
        if tail := decoder.flush():
            yield tail
    except zlib.error as exc:
        raise ExchangeFailed("the gzip body could not be decoded") from exc
