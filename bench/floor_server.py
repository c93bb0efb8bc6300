"""The SDK floor: the smallest useful MCP server, one trivial typed tool and nothing else.

Whatever this costs (start-up, memory) any Python server built on the MCP SDK pays too, so our
figures are stated as multiples of it. It runs on stdio with the same log level as ours, so the
comparison differs only in what our server adds.

    python -m bench.floor_server
"""

from __future__ import annotations

from mcp.server import MCPServer

server = MCPServer(name="floor", log_level="WARNING")  # WARNING, as ours defaults to


@server.tool()
def add(a: int, b: int) -> int:
    """Add two whole numbers."""
    return a + b


if __name__ == "__main__":
    server.run()
