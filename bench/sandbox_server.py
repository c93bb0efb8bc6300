"""The sandbox for benchmarks: the project's sandbox app, on a loopback socket with TCP_NODELAY.

    python -m bench.sandbox_server --db PATH [--scale N] [--username U] [--password P]

It serves exactly what ``kashflow-mcp sandbox`` serves (the same ``create_app``, database,
seeding and uvicorn settings) and prints the same banner. The only difference is the listening
socket: created as IPPROTO_TCP, so asyncio sets TCP_NODELAY on every accepted connection. A
socket made with protocol 0 does not get it, and then every answer whose headers and body leave
in two writes waits about 40 ms for the client's delayed ACK (Nagle's algorithm); that would
swamp the millisecond costs these benchmarks compare. ``python -m bench.run --cli-sandbox``
measures with ``kashflow-mcp sandbox`` itself instead.
"""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path

import uvicorn

from kashflow_mcp.sandbox.app import ENDPOINT, create_app


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.sandbox_server")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--scale", type=int, default=0)
    parser.add_argument("--username", default="sandbox")
    parser.add_argument("--password", default="sandbox")
    args = parser.parse_args()
    app = create_app(args.db, username=args.username, password=args.password, scale=args.scale)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        sys.stdout.write(f"KashFlow sandbox listening on http://127.0.0.1:{port}{ENDPOINT}\n")
        sys.stdout.flush()
        uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])
    finally:
        sock.close()
        app.state.store.close()


if __name__ == "__main__":
    main()
