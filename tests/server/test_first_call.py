"""A tool's first call loads its handler: off the event loop, and a failure to load it is a bare
error whose reason goes to the log, never to the model.

Start-up imports no tool's code (``test_start_up.py``); the first call of a tool imports it.
Each test serves one tool through a fresh copy of its spec, so nothing is loaded yet.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from kashflow_mcp.tools import ALL_TOOLS, ToolSpec, base, registry

from .calls import ok, refused
from .conftest import session

pytestmark = pytest.mark.anyio
LIST_CUSTOMERS = next(spec for spec in ALL_TOOLS if spec.name == "list_customers")


def serving(monkeypatch: pytest.MonkeyPatch, spec: ToolSpec) -> None:
    """Servers built from now on offer ``spec`` in place of list_customers."""
    tools = tuple(spec if known.name == spec.name else known for known in ALL_TOOLS)
    monkeypatch.setattr(registry, "ALL_TOOLS", tools)


async def test_a_first_call_imports_its_handler_off_the_event_loop(
    books: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    importing: list[threading.Thread] = []
    real: Callable[..., Any] = base.import_module

    def noting(name: str) -> Any:
        importing.append(threading.current_thread())
        return real(name)

    monkeypatch.setattr(base, "import_module", noting)
    fresh = replace(LIST_CUSTOMERS)
    serving(monkeypatch, fresh)
    assert not fresh.loaded
    async with session(books) as (client, _):
        await ok(client, "list_customers", limit=1)
        await ok(client, "list_customers", limit=1)
    assert fresh.loaded
    assert len(importing) == 1, "imported once, on the first call"
    assert importing[0] is not threading.current_thread(), "not on the event loop's thread"


async def test_a_handler_that_cannot_be_loaded_is_a_bare_error_logged_in_full(
    books: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    serving(monkeypatch, replace(LIST_CUSTOMERS, runs="customers.gone:list_customers"))
    with caplog.at_level(logging.ERROR, logger="kashflow_mcp.server.adapter"):
        async with session(books) as (client, _):
            message = await refused(client, "list_customers")
            still_served = await ok(client, "get_customer", customer_id=20001)
    assert message == "Error executing tool list_customers"
    assert still_served["code"] == "HARB01"
    logged = [record for record in caplog.records if "could not be loaded" in record.message]
    assert logged and logged[0].exc_info is not None
    assert "customers.gone" in logged[0].message
