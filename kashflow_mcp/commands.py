"""What each CLI command does. ``cli`` parses; these run."""

from __future__ import annotations

import argparse
import sys

import anyio

from .accounts import AccountsError
from .config import Settings
from .connection import Books, CannotConnect, open_books
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
        books = open_books(settings)
        server = build_server(settings, books=books)
        # After the server's set-up, which may add a handler of its own.
        redact_logs(Redactor.for_settings(settings, [b.secret for b in books if b.secret]))
        if settings.transport != "stdio":
            from .server.http import check_exposure

            check_exposure(settings)
    except (ConfigurationError, CannotConnect, AccountsError) as exc:
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
            for each in books:
                await each.client.aclose()

    anyio.run(run)
    return 0


def sandbox(args: argparse.Namespace, settings: Settings) -> int:
    from .config import default_sandbox_db
    from .sandbox.db.schema import NewerBooks
    from .sandbox.seed.companies import UnknownCompany, WrongCompany, company_named
    from .sandbox.server import serve as serve_sandbox

    try:
        company = company_named(args.company)
    except UnknownCompany as exc:
        raise UserError(str(exc)) from None
    db = args.db or default_sandbox_db(company.key)
    db.parent.mkdir(parents=True, exist_ok=True)
    try:
        serve_sandbox(
            port=args.port,
            db_path=db,
            company=company.key,
            username=args.username,
            password=args.password,
            scale=args.scale,
        )
    except NewerBooks as exc:
        raise UserError(f"{exc}, or give another --db") from None
    except WrongCompany as exc:
        raise UserError(
            f"{exc}: serve it with --company {exc.held}, or give another --db"
        ) from None
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
    """Sign in to every configured account; one line each, saying what to fix where it fails."""
    try:
        books = open_books(settings)
    except (CannotConnect, AccountsError) as exc:
        raise UserError(str(exc)) from None
    redactor = Redactor.for_settings(settings, [b.secret for b in books if b.secret])
    redact_logs(redactor)
    several = len(books) > 1
    if not several:
        where = "the built-in sandbox" if settings.sandbox else settings.api_url
        _out(f"endpoint: {where}")
        if not settings.sandbox:
            _out(f"username: {settings.username}")
            _out("password: set")

    async def check(each: Books) -> bool:
        who = f"{each.name} ({each.title}): " if several else ""
        async with each.client:
            try:
                company = await each.client.reference.company()
            except KashFlowError as exc:
                summary = next(
                    (text for kind, text in _DOCTOR_ADVICE if isinstance(exc, kind)),
                    "KashFlow refused the check",
                )
                _out(f"{who}FAILED: {summary}: {redactor.text(str(exc))}")
                return False
        name = redactor.text(company.CompanyName or "(unnamed)")
        mode = "; read-only" if each.read_only else ""
        _out(f"{who}OK: signed in; company: {name}{mode}")
        return True

    async def check_all() -> int:
        results = [await check(each) for each in books]
        return 0 if all(results) else 1

    return anyio.run(check_all)


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
