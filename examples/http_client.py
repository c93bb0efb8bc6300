"""Talk to a server running over Streamable HTTP.

    kashflow-mcp serve --sandbox --transport http --port 8000   # in one terminal
    python examples/http_client.py                               # in another

If the server was started with --auth-token, pass the same token in KASHFLOW_MCP_TOKEN.
"""

from __future__ import annotations

import os
import sys

import anyio
from mcp import Client
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

URL = os.environ.get("KASHFLOW_MCP_URL", "http://127.0.0.1:8000/mcp")


async def main() -> None:
    token = os.environ.get("KASHFLOW_MCP_TOKEN")
    headers = {"Authorization": f"Bearer {token}"} if token else None
    if URL.endswith("/sse"):
        target = sse_client(URL, headers=headers)
    else:
        target = streamable_http_client(URL, http_client=create_mcp_http_client(headers=headers))
    async with Client(target) as client:
        tools = await client.list_tools()
        sys.stdout.write("tools: " + ", ".join(t.name for t in tools.tools) + "\n")
        result = await client.call_tool("list_customers", {"limit": 3})
        sys.stdout.write(f"{result.structured_content}\n")


if __name__ == "__main__":
    anyio.run(main)
