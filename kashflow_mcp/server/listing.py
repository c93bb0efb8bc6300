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
from ..kashflow import KashFlowClient
from .app import build_server

Entry = dict[str, Any]


async def tool_listing(server: MCPServer) -> list[Entry]:
    """The tools array of tools/list, as JSON-ready dicts."""
    tools = await server.list_tools()
    return [tool.model_dump(mode="json", by_alias=True, exclude_none=True) for tool in tools]


def size_of(entries: Sequence[Entry]) -> int:
    return len(json.dumps(list(entries), separators=(",", ":"), ensure_ascii=False).encode())


async def listing_for(settings: Settings) -> list[Entry]:
    """The listing a server with these settings would give, built without reaching KashFlow."""
    offline = KashFlowClient(username="", password="", url=settings.api_url)
    return await tool_listing(build_server(settings.model_copy(update={"sandbox": False}), offline))
