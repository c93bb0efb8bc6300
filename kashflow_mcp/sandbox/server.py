"""Serving the sandbox from the command line (``kashflow-mcp sandbox``).

This is the sandbox's own console, not an MCP stdio channel, so it may write to stdout.
"""

from __future__ import annotations

import os
import socket
import sys

import uvicorn

from .app import ENDPOINT, create_app
from .seed.companies import DEFAULT_COMPANY


def serve(
    *,
    host: str = "127.0.0.1",
    port: int,
    db_path: str | os.PathLike[str],
    company: str = DEFAULT_COMPANY,
    username: str | None = None,
    password: str | None = None,
    scale: int = 0,
) -> None:
    """Serve ``company``'s books until interrupted; loopback only unless ``host`` says otherwise.

    The credentials are the company's own unless given.
    """
    app = create_app(db_path, company=company, username=username, password=password, scale=scale)
    store, profile = app.state.store, app.state.company
    username = profile.username if username is None else username
    password = profile.password if password is None else password
    try:
        # Bind before announcing, so the address printed is one we really hold (port 0 too).
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        # Naming the protocol matters: asyncio only sets TCP_NODELAY on sockets created with
        # IPPROTO_TCP, and without it every answer waits ~40 ms for delayed ACKs.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        bound_port = sock.getsockname()[1]
        shown_host = f"[{host}]" if family == socket.AF_INET6 else host
        sys.stdout.write(
            f"KashFlow sandbox for {profile.title} listening on "
            f"http://{shown_host}:{bound_port}{ENDPOINT}\n"
            f"Username: {username}  Password: {password}  Database: {store.path}\n"
        )
        sys.stdout.flush()
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        server.run(sockets=[sock])
    finally:
        store.close()
