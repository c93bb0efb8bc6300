"""What the model sees in tools/list, and its size: the budgets are measured this one way.

Sizes are the UTF-8 bytes of compact JSON (no spaces), as a client receives the tools array.
Building the listing needs no KashFlow: tools/list never calls it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from mcp.server import MCPServer

from ..config import Settings
from ..connection import Books
from ..kashflow import KashFlowClient
from .app import build_server

Entry = dict[str, Any]


async def tool_listing(server: MCPServer) -> list[Entry]:
    """The tools array of tools/list, as JSON-ready dicts."""
    tools = await server.list_tools()
    return [tool.model_dump(mode="json", by_alias=True, exclude_none=True) for tool in tools]


def size_of(entries: Sequence[Entry]) -> int:
    return len(json.dumps(list(entries), separators=(",", ":"), ensure_ascii=False).encode())


async def listing_for(settings: Settings, accounts: int = 1) -> list[Entry]:
    """The listing a server with these settings (and so many accounts) would give, built
    without reaching KashFlow."""
    offline = [
        Books(f"company{n}", f"Company {n} Ltd", KashFlowClient(username="", password=""))
        for n in range(1, accounts + 1)
    ]
    settings = settings.model_copy(update={"sandbox": False})
    if accounts == 1:
        return await tool_listing(build_server(settings, offline[0].client))
    return await tool_listing(build_server(settings, books=offline))
