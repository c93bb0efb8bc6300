"""Test plumbing shared by every suite: real servers on loopback, bounded in time."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from kashflow_mcp.config import Settings
from kashflow_mcp.connection import open_client
from kashflow_mcp.server import build_server
from kashflow_mcp.server.http import http_app

START_TIMEOUT = 10.0


@contextmanager
def serve_in_thread(
    app: Any, *, cleanup: Callable[[], Awaitable[object]] | None = None, **config: Any
) -> Iterator[str]:
    """Serve an ASGI app with uvicorn on 127.0.0.1 and a free port; yields its base URL.

    ``cleanup`` runs on the server's own event loop once it has stopped (closing what the
    app opened on that loop, such as connections to KashFlow).
    """
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", **config)
    )

    async def serve() -> None:
        try:
            await server.serve()
        finally:
            if cleanup is not None:
                await cleanup()

    thread = threading.Thread(target=lambda: asyncio.run(serve()), daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("test server did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(START_TIMEOUT)


@contextmanager
def http_server(books: Path, **settings: Any) -> Iterator[str]:
    """Our MCP server on the sandbox (books in ``books``) over HTTP on loopback; its base URL."""
    config = Settings(sandbox=True, sandbox_db=books, **settings)
    kashflow = open_client(config)
    with serve_in_thread(http_app(build_server(config, kashflow), config)) as url:
        yield url


# A handshake-era initialize request, for tests that speak HTTP to the server by hand.
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-11-25",
        "capabilities": {},
        "clientInfo": {"name": "t", "version": "0"},
    },
}
MCP_ACCEPT = {"Accept": "application/json, text/event-stream"}


@contextmanager
def sandbox_on_socket(
    books: Path, *, username: str = "sandbox", password: str = "sandbox"
) -> Iterator[tuple[Any, str]]:
    """The sandbox app on its own loopback socket: (app, its SOAP endpoint's URL)."""
    from kashflow_mcp.sandbox import create_app

    app = create_app(books, username=username, password=password)
    try:
        with serve_in_thread(app) as url:
            yield app, f"{url}/api/service.asmx"
    finally:
        app.state.store.close()


@contextmanager
def mcp_on_socket(api_url: str, **settings: Any) -> Iterator[str]:
    """Our MCP server, as Streamable HTTP on loopback, on the KashFlow at ``api_url``."""
    settings.setdefault("username", "sandbox")
    settings.setdefault("password", "sandbox")
    config = Settings(api_url=api_url, transport="http", **settings)
    kashflow = open_client(config)
    app = http_app(build_server(config, kashflow), config)
    with serve_in_thread(app, cleanup=kashflow.aclose) as url:
        yield f"{url}/mcp"
