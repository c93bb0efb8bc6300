from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from kashflow_mcp.config import Settings
from kashflow_mcp.connection import open_client
from kashflow_mcp.kashflow import KashFlowClient
from kashflow_mcp.server import build_server

from ..support import sandbox_on_socket
from .over_sockets import PASSWORD, USER

OpenSession = Callable[..., Any]


@pytest.fixture
def books(tmp_path: Path) -> Path:
    return tmp_path / "books.db"


@asynccontextmanager
async def session(books: Path, **settings: Any) -> AsyncIterator[tuple[Client, KashFlowClient]]:
    """An MCP client connected in-memory to a server on the sandbox (demo books in ``books``)."""
    mode = settings.pop("mode", "auto")
    client_options = (
        {"elicitation_callback": settings.pop("elicitation_callback")}
        if ("elicitation_callback" in settings)
        else {}
    )
    settings.setdefault("audit_log", books.with_name("audit.jsonl"))
    config = Settings(sandbox=True, sandbox_db=books, **settings)
    kashflow = open_client(config)
    try:
        async with Client(build_server(config, kashflow), mode=mode, **client_options) as client:
            yield client, kashflow
    finally:
        await kashflow.aclose()


@pytest.fixture
def open_session(books: Path) -> OpenSession:
    return lambda **settings: session(books, **settings)


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[tuple[Any, str]]:
    """The demo company's books on a loopback socket: (the sandbox app, its SOAP endpoint's
    URL), for ``over_sockets.connected``."""
    with sandbox_on_socket(tmp_path / "books.db", username=USER, password=PASSWORD) as served:
        yield served
