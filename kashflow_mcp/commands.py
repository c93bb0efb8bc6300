"""What each CLI command does. ``cli`` parses; these run."""

from __future__ import annotations

import argparse
import sys

import anyio

from .config import Settings
from .connection import CannotConnect, open_client
from .kashflow import (
    ApiDisabledError,
    AuthenticationError,
    IpNotAllowedError,
    KashFlowError,
    ProtocolError,
    TransportError,
)
from .server import ConfigurationError, build_server, select_tools
from .server.redaction import Redactor, redact_logs
from .tools import TOOLSETS


class UserError(Exception):
    """A problem the user fixes with a flag or an environment variable."""


def _out(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def serve(args: argparse.Namespace, settings: Settings) -> int:
    try:
        client = open_client(settings)
        server = build_server(settings, client)
        # After the server's set-up, which may add a handler of its own.
        redact_logs(Redactor.for_settings(settings))
        if settings.transport != "stdio":
            from .server.http import check_exposure

            check_exposure(settings)
    except (ConfigurationError, CannotConnect) as exc:
        raise UserError(str(exc)) from None

    async def run() -> None:
        try:
            if settings.transport == "stdio":
                from .server.nesting import run_stdio

                await run_stdio(server)
            else:
                from .server.http import serve_http

                await serve_http(server, settings)
        finally:
            await client.aclose()

    anyio.run(run)
    return 0


def sandbox(args: argparse.Namespace, settings: Settings) -> int:
    from .config import default_sandbox_db
    from .sandbox.db.schema import NewerBooks
    from .sandbox.server import serve as serve_sandbox

    db = args.db or default_sandbox_db()
    db.parent.mkdir(parents=True, exist_ok=True)
    try:
        serve_sandbox(
            port=args.port,
            db_path=db,
            username=args.username,
            password=args.password,
            scale=args.scale,
        )
    except NewerBooks as exc:
        raise UserError(f"{exc}, or give another --db") from None
    return 0


def demo(args: argparse.Namespace, settings: Settings) -> int:
    from .demo import run_demo

    return anyio.run(run_demo, args.sandbox_db)


def tools(args: argparse.Namespace, settings: Settings) -> int:
    """Each offered toolset with its tools, and the bytes of tools/list they take."""
    from .server.listing import listing_for, size_of

    try:
        specs = select_tools(settings)
    except ConfigurationError as exc:
        raise UserError(str(exc)) from None
    entries = {entry["name"]: entry for entry in anyio.run(listing_for, settings)}
    for toolset in TOOLSETS:
        members = [spec for spec in specs if spec.toolset is toolset]
        if not members:
            continue
        size = size_of([entries[spec.name] for spec in members])
        on = "on by default" if toolset.default else "off by default"
        _out(f"toolset {toolset.name} ({on}): {toolset.description} {size:,} bytes")
        for spec in members:
            _out(f"  {spec.name}  ({spec.title}; {spec.kind.value})")
            _out(f"      {spec.description}")
            _out(f"      arguments: {', '.join(spec.args.model_fields) or 'none'}")
    _out(f"tools/list: {len(entries)} tools, {size_of(list(entries.values())):,} bytes")
    return 0


_DOCTOR_ADVICE: tuple[tuple[type[KashFlowError], str], ...] = (
    (AuthenticationError, "credentials rejected"),
    (ApiDisabledError, "the SOAP API is switched off for this account"),
    (IpNotAllowedError, "this machine's IP address is not on the account's allow list"),
    (TransportError, "KashFlow could not be reached"),
    (ProtocolError, "the endpoint did not answer like KashFlow"),
)


def doctor(args: argparse.Namespace, settings: Settings) -> int:
    redactor = Redactor.for_settings(settings)
    redact_logs(redactor)
    where = "the built-in sandbox" if settings.sandbox else settings.api_url
    _out(f"endpoint: {where}")
    if not settings.sandbox:
        _out(f"username: {settings.username or '(missing: set KASHFLOW_USERNAME)'}")
        _out(f"password: {'set' if settings.password else '(missing: set KASHFLOW_PASSWORD)'}")
    try:
        client = open_client(settings)
    except CannotConnect as exc:
        raise UserError(str(exc)) from None

    async def check() -> int:
        async with client:
            try:
                company = await client.reference.company()
            except KashFlowError as exc:
                summary = next(
                    (text for kind, text in _DOCTOR_ADVICE if isinstance(exc, kind)),
                    "KashFlow refused the check",
                )
                _out(f"FAILED: {summary}")
                _out(f"  {redactor.text(str(exc))}")
                return 1
        _out(f"OK: signed in; company: {redactor.text(company.CompanyName or '(unnamed)')}")
        return 0

    return anyio.run(check)


def _pairs(values: dict[str, object]) -> str:
    return " ".join(f"{key}={value}" for key, value in values.items())


def audit(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from .config import default_audit_log
    from .server.audit import read_calls

    path = args.log or settings.audit_log or default_audit_log()
    try:
        calls, unreadable = read_calls(path)
    except FileNotFoundError:
        raise UserError(f"no audit log at {path}: nothing has been logged there yet") from None
    except OSError as exc:
        raise UserError(f"cannot read the audit log {path}: {exc.strerror}") from None
    unfinished = [call for call in calls if call.unfinished]
    if unreadable:
        sys.stderr.write(f"kashflow-mcp: skipped {unreadable} unreadable line(s) in {path}\n")
    if not args.all:
        if not unfinished:
            _out(f"Every call attempted in {path} has an outcome.")
            return 0
        _out(
            f"{len(unfinished)} call(s) in {path} were attempted and never reported an outcome "
            "(still running, or the server stopped while they ran): KashFlow may or may not have "
            "acted on them. Check each one there before repeating it."
        )
    for call in unfinished if not args.all else calls:
        entry = call.first
        ended = call.outcome or {}
        shown = [entry.get("time", ""), entry.get("tool", ""), _pairs(entry.get("target", {}))]
        if args.all:
            shown += [ended.get("outcome", "NO OUTCOME"), _pairs(ended.get("ids", {}))]
            shown.append(ended.get("detail", ""))
        _out("  ".join(part for part in shown if part) + f"  (id {call.id})")
        if call.unfinished:
            _out(f"    arguments: {json.dumps(entry.get('arguments', {}), ensure_ascii=False)}")
    return 0
