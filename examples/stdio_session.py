"""A minimal scripted client: start the server over stdio on the sandbox and call two tools.

python examples/stdio_session.py
"""

from __future__ import annotations

import os
import sys

import anyio
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.types import TextContent


async def main() -> None:
    server = StdioServerParameters(
        command=sys.executable,
        args=["-m", "kashflow_mcp", "serve", "--sandbox"],
        env=dict(os.environ),  # the SDK passes a minimal environment otherwise
    )
    async with Client(server) as client:
        for tool, arguments in [
            ("list_customers", {"limit": 5}),
            ("call_kashflow_api", {"method": "GetInvoices_Overdue"}),
        ]:
            result = await client.call_tool(tool, arguments)
            text = "".join(b.text for b in result.content if isinstance(b, TextContent))
            sys.stdout.write(f"--- {tool}\n{text[:1500]}\n")


if __name__ == "__main__":
    anyio.run(main)
