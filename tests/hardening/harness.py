"""What every hardening test looks for in what a model reads, and a server hypothesis can drive.

Hypothesis runs its examples synchronously, so the fuzz tests drive the in-memory MCP client
through an anyio blocking portal: one server and one sandbox per test function, thousands of
calls, each bounded in time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import anyio
from anyio.from_thread import BlockingPortal, start_blocking_portal
from mcp import Client
from mcp.types import CallToolResult, Tool

from kashflow_mcp.kashflow import KashFlowClient
from kashflow_mcp.tools import EVERY_ALLOWANCE

from ..server.calls import text_of
from ..server.conftest import session

CALL_TIMEOUT = 30.0
ALLOWING = list(EVERY_ALLOWANCE)  # every tool offered: the hardening tests try them all
T = TypeVar("T")
Schema = dict[str, Any]
Path_ = tuple[str | int, ...]

# Things a model must never read: they show internals, not answers.
INTERNAL_MARKERS = (
    "Traceback",
    'File "',
    "<?xml",
    "pydantic",
    "errors.pydantic.dev",
    "object at 0x",
    "SecretStr",
    "Exception Group",
)
_SOAP_XML = re.compile(r"<\s*/?\s*soap|<\s*/?\s*[\w-]+:envelope\b", re.IGNORECASE)
CONFIRMATION_TOKEN = re.compile(r"v1\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")


def everything_in(result: CallToolResult) -> str:
    """Text and structured content of a result, as one string to search."""
    structured = json.dumps(result.structured_content, ensure_ascii=False, default=str)
    return text_of(result) + "\n" + structured


def internals_in(text: str, sent: str = "") -> list[str]:
    """The internal markers in ``text`` (a marker the caller itself sent does not count)."""
    found = [marker for marker in INTERNAL_MARKERS if marker in text and marker not in sent]
    if _SOAP_XML.search(text) and not _SOAP_XML.search(sent):
        found.append("SOAP XML")
    return found


def assert_no_internals(result: CallToolResult, arguments: Any = None) -> None:
    sent = json.dumps(arguments, ensure_ascii=False, default=str) if arguments else ""
    seen = everything_in(result)
    leaked = internals_in(seen, sent)
    assert not leaked, f"result shows internals {leaked}: {seen[:2000]}"


def field_path(path: tuple[str | int, ...]) -> str:
    """How the server names a field in its errors: ``lines.0.rate``."""
    return ".".join(str(part) for part in path)


# --------------------------------------------------------------------------- schemas


def resolve(schema: Schema, defs: dict[str, Schema]) -> Schema:
    ref = schema.get("$ref")
    if not ref:
        return schema
    return {**defs[ref.rsplit("/", 1)[-1]], **{k: v for k, v in schema.items() if k != "$ref"}}


def is_record(schema: Schema) -> bool:
    """An object with named properties (as opposed to a free-form JSON object like ``body``)."""
    return schema.get("type") == "object" and "properties" in schema


def slots(schema: Schema, defs: dict[str, Schema], value: Any, path: Path_ = ()) -> Iterator:
    """(path, schema) of every argument that exists or could be added at this level."""
    for name, sub in schema.get("properties", {}).items():
        sub = resolve(sub, defs)
        yield (*path, name), sub
        given = value.get(name) if isinstance(value, dict) else None
        if is_record(sub) and isinstance(given, dict):
            yield from slots(sub, defs, given, (*path, name))
        if sub.get("type") == "array" and isinstance(given, list):
            items = resolve(sub.get("items", {}), defs)
            for index, item in enumerate(given):
                yield (*path, name, index), items
                if is_record(items) and isinstance(item, dict):
                    yield from slots(items, defs, item, (*path, name, index))


def set_at(arguments: dict[str, Any], path: Path_, value: Any) -> None:
    target: Any = arguments
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value


# --------------------------------------------------------------------------- books


@dataclass(frozen=True)
class Inventory:
    customers: frozenset[int]
    invoices: frozenset[int]


async def inventory(kashflow: KashFlowClient) -> Inventory:
    """Every customer id and invoice number in the books, read straight from KashFlow."""
    customers = await kashflow.customers.all()
    invoices: set[int] = set()
    for customer in customers:
        for invoice in await kashflow.invoices.for_customer(customer.CustomerID or 0):
            invoices.add(invoice.InvoiceNumber or 0)
    return Inventory(frozenset(c.CustomerID or 0 for c in customers), frozenset(invoices))


class Remote:
    """An MCP client on a sandboxed server, callable from synchronous (hypothesis) code."""

    def __init__(self, portal: BlockingPortal, client: Client, kashflow: KashFlowClient) -> None:
        self.portal = portal
        self.client = client
        self.kashflow = kashflow

    def run(self, func: Callable[..., Awaitable[T]], *args: Any) -> T:
        async def bounded() -> T:
            with anyio.fail_after(CALL_TIMEOUT):
                return await func(*args)

        return self.portal.call(bounded)

    def call(self, tool: str, arguments: dict[str, Any]) -> CallToolResult:
        """A tool call through the MCP client; any exception here is a protocol-level failure."""
        return self.run(self.client.call_tool, tool, arguments)

    def tools(self) -> dict[str, Tool]:
        listed = self.run(self.client.list_tools)
        return {tool.name: tool for tool in listed.tools}

    def inventory(self) -> Inventory:
        return self.run(inventory, self.kashflow)


@contextmanager
def remote_session(books: Path, **settings: Any) -> Iterator[Remote]:
    """A server offering every tool (those the operator must allow included), driven from
    synchronous code."""
    settings.setdefault("allow_operations", ALLOWING)
    with start_blocking_portal("asyncio") as portal:
        opened = portal.wrap_async_context_manager(session(books, **settings))
        client, kashflow = opened.__enter__()
        try:
            yield Remote(portal, client, kashflow)
        finally:
            # Closed as after success: a failing assertion is reported as itself, not wrapped in
            # the client's task-group exception groups.
            opened.__exit__(None, None, None)
