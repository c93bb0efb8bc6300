"""How many KashFlow calls each tool makes, and how many of them it waits for in a row.

Independent reads a tool needs run side by side, so a tool waits for as few round trips in a
row as it can: at KashFlow's network latency that, not CPU, is what a user waits for. Each
count is pinned so that a change to it is a reviewed diff.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import Client

from kashflow_mcp.config import Settings
from kashflow_mcp.connection import SANDBOX_PASSWORD, SANDBOX_URL, SANDBOX_USERNAME
from kashflow_mcp.kashflow import KashFlowClient
from kashflow_mcp.sandbox import FaultRule, create_app
from kashflow_mcp.server import build_server

from ..round_trips import RecordingTransport
from .calls import ok

pytestmark = pytest.mark.anyio
CUSTOMER = 20001
LINES = [{"description": "Design work", "rate": "100.00", "vat_rate": "20"}]


@pytest.fixture
async def recorded(tmp_path: Path) -> AsyncIterator[tuple[Client, RecordingTransport]]:
    app = create_app(tmp_path / "books.db", username=SANDBOX_USERNAME, password=SANDBOX_PASSWORD)
    # A little latency, so that calls made side by side are in flight together.
    app.state.faults.add(FaultRule(operation="*", latency=0.01, times=-1))
    transport = RecordingTransport(httpx.ASGITransport(app=app))
    kashflow = KashFlowClient(
        username=SANDBOX_USERNAME, password=SANDBOX_PASSWORD, url=SANDBOX_URL, transport=transport
    )
    config = Settings(sandbox=True, sandbox_db=tmp_path / "books.db", audit_log=tmp_path / "a")
    try:
        async with Client(build_server(config, kashflow)) as client:
            yield client, transport
    finally:
        await kashflow.aclose()
        app.state.store.close()


async def measure(
    client: Client, transport: RecordingTransport, tool: str, **arguments: Any
) -> tuple[list[str], int]:
    transport.reset()
    await ok(client, tool, **arguments)
    return sorted(transport.operations), transport.in_a_row()


async def test_create_invoice_reads_what_it_needs_side_by_side(recorded) -> None:
    client, transport = recorded
    calls, in_a_row = await measure(
        client, transport, "create_invoice", customer_id=CUSTOMER, lines=LINES
    )
    assert calls == [
        "GetCurrencies",
        "GetCustomerByID",
        "GetInvoice",
        "GetInvoices_Recent",
        "InsertInvoice",
    ]
    assert in_a_row == 3  # the customer, currencies and newest number at once; insert; read back


async def test_create_invoice_paid_adds_the_payment_and_a_second_read_back(recorded) -> None:
    client, transport = recorded
    _, in_a_row = await measure(
        client, transport, "create_invoice", customer_id=CUSTOMER, lines=LINES, paid=True
    )
    assert in_a_row == 5


async def test_updates_read_write_and_read_back(recorded) -> None:
    client, transport = recorded
    customer = await measure(
        client, transport, "update_customer", customer_id=CUSTOMER, notes="round trips"
    )
    assert customer == (["GetCustomerByID", "GetCustomerByID", "UpdateCustomer"], 3)
    number = (await ok(client, "list_invoices", customer_id=CUSTOMER))["invoices"][0][
        "invoice_number"
    ]
    invoice = await measure(
        client, transport, "update_invoice", invoice_number=number, customer_reference="RT"
    )
    assert invoice == (["GetInvoice", "GetInvoice", "UpdateInvoice"], 3)


async def test_deleting_a_customer_reads_it_and_its_invoices_side_by_side(recorded) -> None:
    client, transport = recorded
    preview = await measure(client, transport, "delete_customer", customer_id=CUSTOMER)
    assert preview == (["GetCustomerByID", "GetInvoicesForCustomer"], 1)
    token = (await ok(client, "delete_customer", customer_id=CUSTOMER))["confirmation_token"]
    confirmed = await measure(
        client, transport, "delete_customer", customer_id=CUSTOMER, confirmation_token=token
    )
    # Read once to learn which invoices to lock, once more under their locks, then delete.
    assert confirmed[1] == 3 and confirmed[0].count("DeleteCustomer") == 1


async def test_aged_debtors_is_one_call(recorded) -> None:
    client, transport = recorded
    assert await measure(client, transport, "aged_debtors") == (["GetAgedDebtors"], 1)
