"""The SDK floor: the smallest useful MCP server, one trivial typed tool and nothing else.

Whatever this costs (start-up, memory, a call) any Python server built on the MCP SDK pays too,
so our figures are stated as multiples of it. It runs on the same transports as ours, with the
same log level, so the comparison differs only in what our server adds.

    python -m bench.floor_server                   # stdio
    python -m bench.floor_server --http --port N   # Streamable HTTP at /mcp on 127.0.0.1
"""

from __future__ import annotations

import argparse

from mcp.server import MCPServer

# WARNING as ours defaults to: at INFO uvicorn would log every request and slow the floor down.
server = MCPServer(name="floor", log_level="WARNING")


@server.tool()
def add(a: int, b: int) -> int:
    """Add two whole numbers."""
    return a + b


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.floor_server")
    parser.add_argument("--http", action="store_true", help="Streamable HTTP instead of stdio")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    if args.http:
        server.run("streamable-http", host="127.0.0.1", port=args.port)
    else:
        server.run()


if __name__ == "__main__":
    main()
