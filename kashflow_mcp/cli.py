"""Command line: ``kashflow-mcp [serve|sandbox|demo|tools|doctor|audit]`` (serve is the default).

In stdio mode stdout belongs to the protocol: nothing here writes to it except the commands
that are not servers (tools, doctor, demo, sandbox's banner). Logs go to stderr.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .config import Settings

COMMANDS = ("serve", "sandbox", "demo", "tools", "doctor", "audit")


def _csv(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kashflow-mcp", description="KashFlow bookkeeping as MCP tools."
    )
    commands = parser.add_subparsers(dest="command")

    serve = commands.add_parser("serve", help="run the MCP server (default)")
    serve.add_argument("--transport", choices=["stdio", "sse", "http"])
    serve.add_argument("--host", help="interface for sse/http (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port for sse/http (default 8000)")
    serve.add_argument(
        "--auth-token", help="bearer token HTTP clients must send (32 characters or more)"
    )
    serve.add_argument(
        "--max-sessions", type=int, help="open sessions allowed over sse/http (default 100)"
    )
    serve.add_argument(
        "--session-idle-timeout",
        type=float,
        metavar="SECONDS",
        help="close a Streamable HTTP session unused this long (default 600)",
    )
    _add_connection_flags(serve)
    serve.add_argument(
        "--accounts", type=Path, help="accounts file (TOML): the books of several companies"
    )
    serve.add_argument("--read-only", action="store_true", default=None, help="no writes at all")
    serve.add_argument(
        "--toolsets", type=_csv, help="comma-separated toolsets, default or all (default: default)"
    )
    serve.add_argument("--tools", type=_csv, help="comma-separated tools to offer (default all)")
    serve.add_argument("--exclude-tools", type=_csv, help="comma-separated tools to hide")
    serve.add_argument(
        "--allow-operation",
        action="append",
        dest="allow_operations",
        metavar="NAME",
        help="let call_kashflow_api use this restricted operation (repeatable)",
    )
    serve.add_argument("--log-level", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    serve.add_argument("--audit-log", type=Path, help="audit file (JSON lines)")
    serve.add_argument(
        "--no-ask",
        action="store_false",
        dest="ask_user",
        default=None,
        help="never ask the user through the client; always confirm with tokens",
    )

    sandbox = commands.add_parser("sandbox", help="serve the KashFlow sandbox over HTTP")
    sandbox.add_argument("--port", type=int, default=8765)
    sandbox.add_argument("--db", type=Path, help="SQLite file (default: the user data dir)")
    sandbox.add_argument(
        "--company", default="kestrel", help="demo company to play: kestrel (default) or harbour"
    )
    sandbox.add_argument("--username", help="username to accept (default: the company's own)")
    sandbox.add_argument("--password", help="password to accept (default: the company's own)")
    sandbox.add_argument("--scale", type=int, default=0, help="add N synthetic customers")

    demo = commands.add_parser("demo", help="a scripted bookkeeping session on the sandbox")
    demo.add_argument("--sandbox-db", type=Path, help="SQLite file (default: a fresh temp file)")

    tools = commands.add_parser("tools", help="print the tool catalogue")
    tools.add_argument("--read-only", action="store_true", default=None)
    tools.add_argument("--toolsets", type=_csv)
    tools.add_argument("--tools", type=_csv)
    tools.add_argument("--exclude-tools", type=_csv)
    tools.add_argument("--allow-operation", action="append", dest="allow_operations")

    doctor = commands.add_parser("doctor", help="check credentials and connectivity")
    _add_connection_flags(doctor)
    doctor.add_argument("--accounts", type=Path, help="accounts file (TOML)")

    audit = commands.add_parser(
        "audit", help="calls the audit log saw attempted but never saw end (check KashFlow)"
    )
    audit.add_argument("--log", type=Path, help="audit file (default: the one serve writes)")
    audit.add_argument("--all", action="store_true", help="every logged call and its outcome")
    return parser


def _add_connection_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sandbox", action="store_true", default=None, help="use the built-in sandbox"
    )
    parser.add_argument("--sandbox-db", type=Path, help="sandbox SQLite file")
    parser.add_argument(
        "--sandbox-companies",
        type=int,
        help="demo companies the sandbox plays, each an account (default 1)",
    )


_SETTING_FLAGS = (
    "transport",
    "host",
    "port",
    "auth_token",
    "max_sessions",
    "session_idle_timeout",
    "sandbox",
    "sandbox_db",
    "sandbox_companies",
    "accounts",
    "read_only",
    "toolsets",
    "tools",
    "exclude_tools",
    "allow_operations",
    "log_level",
    "audit_log",
    "ask_user",
)


def settings_from(args: argparse.Namespace) -> Settings:
    """Environment first, then the flags that were actually given."""
    given: dict[str, Any] = {
        name: getattr(args, name)
        for name in _SETTING_FLAGS
        if getattr(args, name, None) is not None
    }
    return Settings(**given)


def _configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


def _fail(message: str) -> int:
    sys.stderr.write(f"kashflow-mcp: {message}\n")
    return 2


def _reader_went_away() -> int:
    """The reader of our output closed it (``kashflow-mcp tools | head``): stop quietly."""
    # What is still buffered can never be delivered: point stdout at nothing, so that the
    # interpreter's last flush does not report the closed pipe all over again.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    # What a shell reports for a program a closed pipe stopped (where there is SIGPIPE).
    return 128 + getattr(signal, "SIGPIPE", 1)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv.insert(0, "serve")
    args = _parser().parse_args(argv)
    try:
        settings = settings_from(args)
    except ValidationError as exc:
        return _fail(f"invalid setting: {exc.errors()[0]['loc']}: {exc.errors()[0]['msg']}")
    _configure_logging(settings.log_level)

    from . import commands  # the commands import the server stack; --help stays fast

    handler = getattr(commands, args.command)
    try:
        status = int(handler(args, settings) or 0)
        sys.stdout.flush()  # a reader that went away shows here, not as noise at exit
        return status
    except BrokenPipeError:
        return _reader_went_away()
    except commands.UserError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130
