"""KashFlow's HTTP path: keep-alive HTTP/1.1 connections on asyncio, h11 for the protocol.

A SOAP call is one POST to one URL: no cookies, redirects or authentication schemes. Sent
through httpx's AsyncClient it cost some 0.5 ms of CPU per call (request and response models,
cookie handling, pool bookkeeping on anyio streams) - as much as the rest of a tool call
together, and the largest part of what an assistant waits for beyond KashFlow itself. Here a
call costs what the protocol needs: h11 frames the request and reads the response (lengths,
chunked bodies, keep-alive rules), an asyncio protocol moves the bytes, and an idle connection
that the server closed or wrote to is never reused for the next request.
"""

from __future__ import annotations

import asyncio
import os
import ssl
import time
import zlib
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import h11

from .transport import ConnectFailed, Endpoint, ExchangeFailed, Reply

KEEPALIVE_EXPIRY = 5.0
"""Seconds an idle connection is trusted; servers close theirs after 5 s to 2 min."""
_HIGH_WATER = 1024 * 1024
"""Received bytes held before the socket is paused: a long list streams, it does not pile up."""


class Http11Pool:
    """Up to ``max_connections`` keep-alive connections to one endpoint."""

    def __init__(self, endpoint: Endpoint) -> None:
        parts = urlsplit(endpoint.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {endpoint.url!r}")
        self._host = parts.hostname
        self._tls = parts.scheme == "https"
        self._port = parts.port or (443 if self._tls else 80)
        self._target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._headers = [
            ("Host", parts.netloc.rpartition("@")[2]),
            ("User-Agent", endpoint.user_agent),
            ("Accept-Encoding", "gzip"),  # a long customer list shrinks tenfold
        ]
        self._timeout = endpoint.timeout
        self._connect_timeout = endpoint.connect_timeout
        self._slots = asyncio.Semaphore(endpoint.max_connections)
        self._idle: list[_Connection] = []
        self._tls_context: ssl.SSLContext | None = None

    @asynccontextmanager
    async def post(self, body: bytes, headers: list[tuple[str, str]]) -> AsyncIterator[Reply]:
        async with self._slots:
            connection = self._reusable() or await self._connect()
            reusable = False
            try:
                request = [*self._headers, *headers, ("Content-Length", str(len(body)))]
                reply = await connection.exchange(self._target, request, body, self._timeout)
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


class _Connection(asyncio.Protocol):
    """One socket and its h11 state; received bytes queue up until a reader wants them."""

    def __init__(self) -> None:
        self._h11 = h11.Connection(h11.CLIENT)
        self._transport: asyncio.Transport | None = None
        self._received: deque[bytes] = deque()
        self._buffered = 0
        self._eof = False
        self._lost = False
        self._waiter: asyncio.Future[None] | None = None
        self._writable: asyncio.Future[None] | None = None
        self._idle_since = 0.0

    # ------------------------------------------------------------ asyncio.Protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        self._received.append(data)
        self._buffered += len(data)
        if self._buffered > _HIGH_WATER and self._transport is not None:
            self._transport.pause_reading()
        self._wake()

    def eof_received(self) -> bool:
        self._eof = True
        self._wake()
        return False  # let the transport close itself

    def connection_lost(self, exc: Exception | None) -> None:
        self._lost = self._eof = True
        self._wake()
        if self._writable is not None and not self._writable.done():
            self._writable.set_result(None)

    def pause_writing(self) -> None:
        self._writable = asyncio.get_running_loop().create_future()

    def resume_writing(self) -> None:
        if self._writable is not None and not self._writable.done():
            self._writable.set_result(None)
        self._writable = None

    # ------------------------------------------------------------ one exchange

    async def exchange(
        self, target: str, headers: list[tuple[str, str]], body: bytes, timeout: float
    ) -> Reply:
        """Send the request and read the response head; the body streams through the reply."""
        try:
            request = h11.Request(method="POST", target=target, headers=headers)
            events = (request, h11.Data(data=body), h11.EndOfMessage())
            await self._write(b"".join(self._h11.send(event) or b"" for event in events))
            event = await self._next_event(timeout)
            while isinstance(event, h11.InformationalResponse):  # 100 Continue and kin
                event = await self._next_event(timeout)
        except (OSError, h11.ProtocolError) as exc:
            raise ExchangeFailed(type(exc).__name__) from exc
        if not isinstance(event, h11.Response):
            raise ExchangeFailed(f"unexpected {type(event).__name__}")
        found: dict[str, str] = {}
        for name, value in event.headers:  # h11 gives names lower-cased
            key, text = name.decode("latin-1"), value.decode("latin-1")
            found[key] = f"{found[key]}, {text}" if key in found else text
        body_bytes = self._body(timeout)
        encoding = found.get("content-encoding", "identity").strip().lower()
        if encoding == "gzip":
            body_bytes = _gunzipped(body_bytes)
        elif encoding not in ("", "identity"):
            raise ExchangeFailed(f"the answer came in an unasked-for encoding, {encoding[:20]!r}")
        return Reply(event.status_code, found, body_bytes)

    def ready_for_next(self) -> bool:
        """Whether the response was read to its end and the connection may carry another."""
        if self._h11.our_state is h11.DONE and self._h11.their_state is h11.DONE:
            self._h11.start_next_cycle()
            self._idle_since = time.monotonic()
            leftover, closed = self._h11.trailing_data
            return not (leftover or closed or self._eof or self._received)
        return False

    def usable(self, now: float) -> bool:
        # Bytes that arrived while it idled were not asked for (a 408 before closing, say).
        fresh = now - self._idle_since < KEEPALIVE_EXPIRY
        return fresh and not (self._eof or self._received)

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()

    async def _body(self, timeout: float) -> AsyncIterator[bytes]:
        try:
            while True:
                event = await self._next_event(timeout)
                if isinstance(event, h11.Data):
                    yield bytes(event.data)
                elif isinstance(event, h11.EndOfMessage):
                    return
                else:
                    raise ExchangeFailed(f"unexpected {type(event).__name__}")
        except (OSError, h11.ProtocolError) as exc:
            raise ExchangeFailed(type(exc).__name__) from exc

    async def _write(self, data: bytes) -> None:
        if self._lost or self._transport is None:
            raise ConnectionResetError("the connection was closed")
        self._transport.write(data)
        if self._writable is not None:
            await self._writable
            if self._lost:
                raise ConnectionResetError("the connection was closed")

    async def _next_event(self, timeout: float) -> h11.Event | type[h11.PAUSED]:
        while True:
            event = self._h11.next_event()
            if event is not h11.NEED_DATA:
                return event  # type: ignore[return-value]
            if not self._received and not self._eof:
                self._waiter = asyncio.get_running_loop().create_future()
                async with asyncio.timeout(timeout):
                    await self._waiter
            if self._received:
                while self._received:
                    self._h11.receive_data(self._received.popleft())
                self._buffered = 0
                if self._transport is not None and not self._lost:
                    self._transport.resume_reading()
            elif self._eof:
                self._h11.receive_data(b"")  # h11 decides: end of body, or cut short

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
