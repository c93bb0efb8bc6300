"""An MCP client on a server that reaches the sandbox over a real loopback socket (the
``sandbox`` fixture, in conftest): for the fault tests, where "commit, then drop the
connection" must really drop it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from mcp import Client
from starlette.applications import Starlette

from kashflow_mcp.config import Settings
from kashflow_mcp.connection import open_client
from kashflow_mcp.kashflow import KashFlowClient
from kashflow_mcp.sandbox import FaultRule
from kashflow_mcp.server import build_server

USER, PASSWORD = "bookkeeper", "pa55word"


@asynccontextmanager
async def connected(
    url: str, tmp_path: Path, **settings: Any
) -> AsyncIterator[tuple[Client, KashFlowClient]]:
    """An MCP client on a server reaching the sandbox at ``url``, and that server's client."""
    settings.setdefault("call_deadline", 20)
    config = Settings(
        username=USER,
        password=PASSWORD,
        api_url=url,
        audit_log=tmp_path / "audit.jsonl",
        **settings,
    )
    kashflow = open_client(config)
    try:
        async with Client(build_server(config, kashflow)) as client:
            yield client, kashflow
    finally:
        await kashflow.aclose()


def fault(app: Starlette, operation: str, **rule: Any) -> None:
    app.state.faults.add(FaultRule(operation=operation, **rule))
