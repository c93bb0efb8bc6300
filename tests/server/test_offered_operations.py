"""An operation the sandbox does not emulate is refused at once, not after the user approved.

The in-process sandbox tells the server what it offers (its handler table). A sandbox reached
over HTTP is taken like live KashFlow: everything is offered, and it answers what it does not
emulate with Status=NO itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from starlette.applications import Starlette

from kashflow_mcp.config import Settings
from kashflow_mcp.connection import offered_operations, open_client
from kashflow_mcp.sandbox import create_app
from kashflow_mcp.sandbox.dispatch import HANDLERS
from kashflow_mcp.server import build_server

from ..support import serve_in_thread
from .calls import ok, refused
from .conftest import OpenSession

pytestmark = pytest.mark.anyio
USER, PASSWORD = "bookkeeper", "pa55word"
NOT_EMULATED = [
    ("GetQuotes", {}),
    ("DeleteQuote", {"QuoteNumber": 1}),
    ("InsertSupplier", {"supl": {"Name": "Paper Mill Ltd"}}),
    ("DeleteReceiptPayment", {"ReceiptPaymentNumber": 1}),
]


@asynccontextmanager
async def over_http(tmp_path: Path, **settings: Any) -> AsyncIterator[tuple[Client, Starlette]]:
    """Our server on a sandbox served on loopback and named by URL, as KashFlow would be."""
    app = create_app(tmp_path / "remote.db", username=USER, password=PASSWORD)
    try:
        with serve_in_thread(app) as url:
            config = Settings(
                username=USER,
                password=PASSWORD,
                api_url=f"{url}/api/service.asmx",
                audit_log=tmp_path / "audit.jsonl",
                **settings,
            )
            kashflow = open_client(config)
            try:
                async with Client(build_server(config, kashflow)) as client:
                    yield client, app
            finally:
                await kashflow.aclose()
    finally:
        app.state.store.close()


def test_the_in_process_sandbox_offers_its_handlers_and_kashflow_everything() -> None:
    assert offered_operations(Settings(sandbox=True)) == frozenset(HANDLERS)
    assert offered_operations(Settings(username="u", password="p")) is None


@pytest.mark.parametrize(("method", "body"), NOT_EMULATED)
async def test_what_the_sandbox_does_not_emulate_is_refused_at_once(
    open_session: OpenSession, method: str, body: dict[str, Any]
) -> None:
    async with open_session() as (client, kashflow):
        message = await refused(client, "call_kashflow_api", method=method, body=body)
        counts = kashflow.transport.app.state.faults.counts  # type: ignore[union-attr]
    assert f"{method} is not emulated by the KashFlow sandbox" in message
    assert "confirmation_token" not in message
    assert counts[method] == 0


async def test_a_restricted_operation_allowed_by_name_is_still_refused_if_not_emulated(
    open_session: OpenSession,
) -> None:
    async with open_session(allow_operations=["GetRemoteLoginURL"]) as (client, _):
        message = await refused(client, "call_kashflow_api", method="GetRemoteLoginURL")
    assert "not emulated by the KashFlow sandbox" in message and "restricted" not in message


async def test_a_sandbox_named_by_url_is_offered_everything(tmp_path: Path) -> None:
    async with over_http(tmp_path, allow_operations=["GetRemoteLoginURL"]) as (client, app):
        await refused(client, "call_kashflow_api", method="GetQuotes")
        assert app.state.faults.counts["GetQuotes"] == 1  # asked, and refused by the sandbox
        held = await ok(client, "call_kashflow_api", method="GetRemoteLoginURL")
        assert held["status"] == "confirmation_required"


async def test_a_delete_of_a_record_kashflow_cannot_read_says_the_preview_cannot_show_it(
    tmp_path: Path,
) -> None:
    async with over_http(tmp_path) as (client, _):
        body = {"InvoicePaymentNumber": 1}
        held = await ok(client, "call_kashflow_api", method="DeleteInvoicePayment", body=body)
    assert held["status"] == "confirmation_required"
    assert "cannot read one payment by its number" in held["message"]
    assert "this preview cannot show the record" in held["message"]
