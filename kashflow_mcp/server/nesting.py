"""Messages nested too deep to parse are answered, never dropped.

The SDK parses each JSON-RPC message with pydantic, whose JSON parser gives up at 200 levels.
Over stdio the SDK then drops the message without a word, and the client waits for its answer
forever; over SSE the POST is refused but the answer due on the event stream never comes. So
before the SDK sees a message we measure its nesting and answer one deeper than ``MAX_DEPTH``
ourselves: a JSON-RPC error with the request's id. (Streamable HTTP answers such a request
itself, with a parse error, and needs nothing.)
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from io import TextIOWrapper
from typing import Any, BinaryIO, cast
from urllib.parse import parse_qs

import anyio
from mcp.server import MCPServer
from mcp.server.stdio import stdio_server
from mcp.shared.message import SessionMessage
from mcp_types import INVALID_REQUEST, ErrorData, JSONRPCError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger(__name__)

MAX_DEPTH = 100
"""Levels of objects and arrays a message may have: far more than any tool needs (an invoice
through the generic call is about ten), well under where the SDK's parser gives up."""

_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_STRINGS = re.compile(_STRING)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_EMPTY_PAIRS = re.compile(r"\[\]|\{\}")
_TOKENS = re.compile(_STRING + r"|[\[\]{}]")


def too_deep(text: str, limit: int = MAX_DEPTH) -> bool:
    """Whether the JSON ``text`` nests objects and arrays more than ``limit`` levels deep.

    Text that is not well-formed JSON is left to the parser, which refuses it.
    """
    if text.count("[") + text.count("{") <= limit:  # most messages: nothing more to look at
        return False
    brackets = _NOT_BRACKETS.sub("", _STRINGS.sub("", text))
    for _ in range(limit):  # each pass peels off the innermost level
        brackets, peeled = _EMPTY_PAIRS.subn("", brackets)
        if not brackets or not peeled:
            return False
    return True


def refusal(text: str) -> JSONRPCError | None:
    """The answer to a request too deep to parse; None for a notification or a response."""
    try:
        message = json.loads(_top_level(text))
    except ValueError:
        message = None
    if not isinstance(message, dict) or not isinstance(message.get("method"), str):
        return None
    request_id = message.get("id")
    if isinstance(request_id, bool) or not isinstance(request_id, int | str):
        return None
    reason = f"Request refused: it nests objects and arrays more than {MAX_DEPTH} levels deep."
    return JSONRPCError(
        jsonrpc="2.0", id=request_id, error=ErrorData(code=INVALID_REQUEST, message=reason)
    )


def _top_level(text: str) -> str:
    """``text`` with every value below the top-level members replaced by null."""
    pieces, depth, kept_from = [], 0, 0
    for token in _TOKENS.finditer(text):
        bracket = token.group()
        if bracket in ("{", "["):
            depth += 1
            if depth == 2:
                pieces += [text[kept_from : token.start()], "null"]
        elif bracket in ("}", "]"):
            if depth == 2:
                kept_from = token.end()
            depth -= 1
    return "".join([*pieces, text[kept_from:]])


def _refused(text: str) -> JSONRPCError | None:
    logger.warning("refused a message nested more than %d levels deep", MAX_DEPTH)
    return refusal(text)


# --------------------------------------------------------------------------- stdio


class _CheckedLines:
    """stdin's lines for the SDK to parse, less those too deep, which are answered here."""

    def __init__(self, lines: AsyncIterable[str]) -> None:
        self._lines = lines
        self._answers: Callable[[SessionMessage], Awaitable[None]] | None = None
        self._ready = anyio.Event()

    def answer_with(self, send: Callable[[SessionMessage], Awaitable[None]]) -> None:
        self._answers = send
        self._ready.set()

    async def __aiter__(self) -> AsyncIterator[str]:
        async for line in self._lines:
            if not too_deep(line):
                yield line
                continue
            answer = _refused(line)
            if answer is None:
                continue
            await self._ready.wait()
            assert self._answers is not None
            try:
                await self._answers(SessionMessage(answer))
            except (anyio.ClosedResourceError, anyio.BrokenResourceError):
                return


async def run_stdio(server: MCPServer) -> None:
    """``server.run_stdio_async()``, with messages too deep to parse answered, not dropped."""
    lowlevel = server._lowlevel_server  # the SDK offers no public handle on it
    with _claimed_stdin() as wire:
        text = TextIOWrapper(wire, encoding="utf-8", errors="replace")
        lines = _CheckedLines(anyio.wrap_file(text))
        async with stdio_server(stdin=cast(Any, lines)) as (read_stream, write_stream):
            lines.answer_with(write_stream.send)
            await lowlevel.run(read_stream, write_stream, lowlevel.create_initialization_options())


@contextmanager
def _claimed_stdin() -> Iterator[BinaryIO]:
    """The protocol's stdin, read through a private copy while fd 0 reads the null device.

    The SDK does the same when it reads stdin itself: code that reads stdin by mistake gets
    nothing, rather than a piece of the protocol.
    """
    try:
        if sys.stdin.buffer.fileno() != 0:
            raise OSError("stdin is not fd 0")
        private = os.dup(0)
    except (AttributeError, OSError, ValueError):
        yield sys.stdin.buffer
        return
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    try:
        # Never closed: a worker thread may still be blocked reading it when we return.
        yield os.fdopen(private, "rb", closefd=False)
    finally:
        os.dup2(private, 0)


# --------------------------------------------------------------------------- SSE

_SESSION_ID = re.compile(rb"session_id=([0-9a-f]{32})")


class SseNestingGuard:
    """In front of the SDK's SSE app: a message too deep is answered on its session's stream.

    The stream of each session is found from the endpoint event that opens it; a POST too deep
    to parse is accepted (202) and its error is sent as a message event on that stream, as the
    SDK sends every answer.
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self._max_body = max_body_bytes
        self._streams: dict[str, Callable[[bytes], Awaitable[None]]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            await self._message(scope, receive, send)
        elif scope["type"] == "http" and scope["method"] == "GET":
            await self._stream(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _stream(self, scope: Scope, receive: Receive, send: Send) -> None:
        lock = anyio.Lock()  # our events never land inside one of the SDK's
        session: str | None = None

        async def inject(event: bytes) -> None:
            async with lock:
                await send({"type": "http.response.body", "body": event, "more_body": True})

        async def send_watched(message: Message) -> None:
            nonlocal session
            async with lock:
                if session is None and message["type"] == "http.response.body":
                    found = _SESSION_ID.search(message.get("body", b""))
                    if found:
                        session = found.group(1).decode()
                        self._streams[session] = inject
                await send(message)

        try:
            await self.app(scope, receive, send_watched)
        finally:
            if session is not None:
                self._streams.pop(session, None)

    async def _message(self, scope: Scope, receive: Receive, send: Send) -> None:
        body, complete = await _read_body(receive, self._max_body)
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        inject = self._streams.get((query.get("session_id") or [""])[0])
        text = body.decode("utf-8", "replace")
        if not complete or inject is None or not too_deep(text):
            await self.app(scope, _replayed(body, complete, receive), send)
            return
        answer = _refused(text)
        if answer is not None:
            data = answer.model_dump_json(by_alias=True, exclude_unset=True)
            try:
                await inject(f"event: message\r\ndata: {data}\r\n\r\n".encode())
            except Exception:  # the stream has just closed: nobody is waiting any more
                logger.info("could not answer on a closed SSE stream")
        await send({"type": "http.response.start", "status": 202, "headers": []})
        await send({"type": "http.response.body", "body": b"Accepted"})


async def _read_body(receive: Receive, limit: int) -> tuple[bytes, bool]:
    """The request body, and whether it was read whole (it is not, past ``limit`` bytes)."""
    body = b""
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return body, False
        body += message.get("body", b"")
        if not message.get("more_body", False):
            return body, True
        if len(body) > limit:
            return body, False


def _replayed(body: bytes, complete: bool, receive: Receive) -> Receive:
    """``receive`` for the app, giving back what was already read first."""
    given = False

    async def replay() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": not complete}

    return replay
