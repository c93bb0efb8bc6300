"""Bounding the MCP sessions an HTTP server keeps, and saying so when it is full.

Every session holds a server task and its buffers until it ends, so an unbounded number of
them is a way to exhaust memory. Streamable HTTP sessions are counted, and closed after sitting
idle, by the SDK's session manager (``max_sessions``, ``session_idle_timeout``); we only
replace its terse refusal with one that names the setting. An SSE session lives exactly as long
as its ``GET /sse`` stream, and the SDK does not count those, so ``OpenStreamLimit`` does.
"""

from __future__ import annotations

import json
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger(__name__)

# The JSON-RPC code the SDK uses for this refusal; kept so clients see the same error.
_INTERNAL_ERROR = -32603


def too_many_sessions(limit: int, idle_timeout: float | None) -> str:
    idle = f" (an unused one closes after {idle_timeout:g}s)" if idle_timeout else ""
    return (
        f"This server already has {limit} open MCP sessions, its limit (KASHFLOW_MAX_SESSIONS). "
        f"Close a session you no longer use{idle}, or try again later."
    )


async def _refuse(send: Send, body: bytes, content_type: bytes) -> None:
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class SessionLimitAnswer:
    """Words for the SDK's 503 to a request that would open one Streamable HTTP session too many.

    The session manager answers exactly that case with 503 (documented), and nothing else of
    its with 503; its body is swapped for a JSON-RPC error naming the limit and the setting.
    """

    def __init__(self, app: ASGIApp, limit: int, idle_timeout: float) -> None:
        self.app = app
        error = {"code": _INTERNAL_ERROR, "message": too_many_sessions(limit, idle_timeout)}
        self._body = json.dumps({"jsonrpc": "2.0", "id": None, "error": error}).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        opening = scope["type"] == "http" and scope["method"] == "POST"
        if not opening or b"mcp-session-id" in dict(scope["headers"]):
            await self.app(scope, receive, send)
            return
        refused = False

        async def answer(message: Message) -> None:
            nonlocal refused
            if message["type"] == "http.response.start" and message["status"] == 503:
                refused = True
                await _refuse(send, self._body, b"application/json")
            elif not refused:
                await send(message)

        await self.app(scope, receive, answer)


class OpenStreamLimit:
    """At most ``limit`` SSE streams (each one an MCP session) open at once; more get 503."""

    def __init__(self, app: ASGIApp, limit: int, *, path: str = "/sse") -> None:
        self.app = app
        self._limit = limit
        self._path = path
        self._open = 0
        self._body = too_many_sessions(limit, None).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self._path or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        if self._open >= self._limit:
            logger.warning("refusing an SSE stream: %d sessions are already open", self._limit)
            await _refuse(send, self._body, b"text/plain; charset=utf-8")
            return
        # One event loop serves every request, so counting needs no lock.
        self._open += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self._open -= 1
