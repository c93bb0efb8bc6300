"""A scripted HTTP server on 127.0.0.1 for testing how our HTTP client copes with servers.

Each server answers requests from a script, so a test can make it do what real servers
sometimes do: close an idle connection, speak before being asked, cut a body short, stall.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import anyio

TEST_BOUND = 10.0


class Scripted:
    """A loopback HTTP server; ``answer(number, writer)`` writes its reply to request ``number``
    (counted from 0 across connections)."""

    def __init__(self, answer: Callable[[int, asyncio.StreamWriter], Awaitable[None]]) -> None:
        self.answer = answer
        self.connections = 0
        self.open_now = self.most_open = 0
        self.requests: list[bytes] = []
        self.handlers: set[asyncio.Task[None]] = set()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self.handlers.add(task)
        self.connections += 1
        self.open_now += 1
        self.most_open = max(self.most_open, self.open_now)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                length = next(
                    (
                        int(line.split(b":", 1)[1])
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length:")
                    ),
                    0,  # a proxy's CONNECT has no body
                )
                self.requests.append(head + await reader.readexactly(length))
                await self.answer(len(self.requests) - 1, writer)
                if writer.is_closing():
                    return
        finally:
            self.open_now -= 1
            writer.close()


def reply(body: bytes, *headers: str, status: str = "200 OK") -> bytes:
    lines = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def ok(number: int, writer: asyncio.StreamWriter) -> None:
    writer.write(reply(f"answer {number}".encode()))


def soap_answer(operation: str, result: str) -> bytes:
    """KashFlow's answer to ``operation``: ``Status=OK`` and ``result`` as its result."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
        f'<{operation}Response xmlns="KashFlow">'
        f"<{operation}Result>{result}</{operation}Result><Status>OK</Status><StatusDetail />"
        f"</{operation}Response></soap:Body></soap:Envelope>"
    ).encode()


def customers(*names: str) -> bytes:
    """A ``GetCustomers`` answer listing customers with these names (ids from 1)."""
    rows = "".join(
        f"<Customer><CustomerID>{n}</CustomerID><Name>{name}</Name></Customer>"
        for n, name in enumerate(names, 1)
    )
    return soap_answer("GetCustomers", rows)


INSERTED = soap_answer("InsertCustomer", "7")
"""``InsertCustomer``'s answer: customer 7 was created."""


async def soap(number: int, writer: asyncio.StreamWriter) -> None:
    """Answers every request as KashFlow answers ``GetCustomers``, naming the request."""
    writer.write(reply(customers(f"answer {number}")))


@asynccontextmanager
async def scripted(
    answer: Callable[[int, asyncio.StreamWriter], Awaitable[None]] = ok,
    tls: ssl.SSLContext | None = None,
) -> AsyncIterator[tuple[Scripted, str]]:
    server = Scripted(answer)
    listener = await asyncio.start_server(server.handle, "127.0.0.1", 0, ssl=tls)
    port = listener.sockets[0].getsockname()[1]
    scheme = "https" if tls else "http"
    try:
        with anyio.fail_after(TEST_BOUND):
            yield server, f"{scheme}://localhost:{port}/api/service.asmx"
    finally:
        listener.close()
        for handler in server.handlers:
            handler.cancel()
        await asyncio.gather(*server.handlers, return_exceptions=True)
