"""Lists are kept for a few seconds so paging is cheap, but a write through this server shows
in the very next list read: every write that can change a list clears them.

Each test reads the list just before the write (so it is cached) and again just after.
"""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from mcp import Client

from kashflow_mcp.sandbox import FaultRule

from .calls import ok
from .conftest import OpenSession

pytestmark = pytest.mark.anyio
LINE = {"description": "Cached work", "rate": "100.00", "vat_rate": "20"}


async def customers_listed(client: Client) -> dict[int, dict[str, Any]]:
    page = await ok(client, "list_customers", limit=500)
    assert page.get("next_offset") is None  # the whole list, not a page of it
    return {row["customer_id"]: row for row in page["customers"]}


async def invoices_listed(client: Client, customer: int) -> dict[int, dict[str, Any]]:
    page = await ok(client, "list_invoices", customer_id=customer, limit=500)
    assert page.get("next_offset") is None
    return {row["invoice_number"]: row for row in page["invoices"]}


async def a_customer(client: Client, name: str = "Cache Test Ltd") -> int:
    return int((await ok(client, "create_customer", name=name))["customer_id"])


async def an_invoice(client: Client, customer: int) -> int:
    created = await ok(client, "create_invoice", customer_id=customer, lines=[LINE])
    return int(created["invoice"]["invoice_number"])


async def confirmed(client: Client, tool: str, **arguments: Any) -> dict[str, Any]:
    preview = await ok(client, tool, **arguments)
    assert preview["status"] == "confirmation_required", preview
    return await ok(client, tool, **arguments, confirmation_token=preview["confirmation_token"])


async def test_pages_of_a_list_come_from_one_read(open_session: OpenSession) -> None:
    """The cache these tests are about is really in use: a second page is not fetched again."""
    async with open_session() as (client, kashflow):
        counts = kashflow.transport.app.state.faults.counts  # type: ignore[attr-defined]
        first = await ok(client, "list_customers", limit=5)
        second = await ok(client, "list_customers", limit=5, offset=first["next_offset"])
        assert first["as_of"] == second["as_of"]
        assert counts["GetCustomers"] == 1


async def test_a_created_customer_is_listed_at_once(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        before = await customers_listed(client)
        created = await a_customer(client)
        assert created not in before and created in await customers_listed(client)


async def test_an_updated_customer_is_listed_with_its_change(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        customer = await a_customer(client)
        assert (await customers_listed(client))[customer]["name"] == "Cache Test Ltd"
        await ok(client, "update_customer", customer_id=customer, name="Renamed Cache Ltd")
        assert (await customers_listed(client))[customer]["name"] == "Renamed Cache Ltd"


async def test_a_deleted_customer_leaves_the_list_at_once(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        customer = await a_customer(client)
        assert customer in await customers_listed(client)
        assert (await confirmed(client, "delete_customer", customer_id=customer))["status"] == (
            "deleted"
        )
        assert customer not in await customers_listed(client)


async def test_a_created_invoice_is_listed_at_once(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        customer = await a_customer(client)
        first = await an_invoice(client, customer)
        assert set(await invoices_listed(client, customer)) == {first}
        second = await an_invoice(client, customer)
        assert set(await invoices_listed(client, customer)) == {first, second}


async def test_an_updated_invoice_is_listed_with_its_change(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        customer = await a_customer(client)
        number = await an_invoice(client, customer)
        assert (await invoices_listed(client, customer))[number]["gross_amount"] == "120.00"
        lines = [{**LINE, "rate": "200.00"}]
        await ok(client, "update_invoice", invoice_number=number, lines=lines)
        assert (await invoices_listed(client, customer))[number]["gross_amount"] == "240.00"


async def test_a_deleted_invoice_leaves_the_list_at_once(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        customer = await a_customer(client)
        kept, deleted = await an_invoice(client, customer), await an_invoice(client, customer)
        assert set(await invoices_listed(client, customer)) == {kept, deleted}
        assert (await confirmed(client, "delete_invoice", invoice_number=deleted))["status"] == (
            "deleted"
        )
        assert set(await invoices_listed(client, customer)) == {kept}


async def test_a_write_through_the_generic_call_shows_in_the_list_at_once(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, _):
        customer = await a_customer(client)
        number = await an_invoice(client, customer)
        assert (await invoices_listed(client, customer))[number]["amount_due"] == "120.00"
        payment = {"PayInvoice": number, "PayAmount": "20.00", "PayDate": "2026-01-05"}
        paid = await confirmed(
            client,
            "call_kashflow_api",
            method="InsertInvoicePayment",
            body={"InvoicePayment": payment},
        )
        assert paid["status"] == "ok"
        assert (await invoices_listed(client, customer))[number]["amount_due"] == "100.00"


async def test_a_list_read_while_an_invoice_is_being_paid_is_not_kept(
    open_session: OpenSession,
) -> None:
    """create_invoice(paid=true) writes twice; a list read between the two must not outlive the
    second write."""
    async with open_session() as (client, kashflow):
        app = kashflow.transport.app  # type: ignore[attr-defined]
        customer = await a_customer(client)
        app.state.faults.add(FaultRule(operation="InsertInvoicePayment", latency=0.5))
        async with anyio.create_task_group() as group:
            group.start_soon(
                lambda: ok(client, "create_invoice", customer_id=customer, lines=[LINE], paid=True)
            )
            with anyio.fail_after(10):
                while app.state.faults.counts["InsertInvoicePayment"] < 1:
                    await anyio.sleep(0.005)
            midway = await invoices_listed(client, customer)  # the invoice, not yet paid
        after = await invoices_listed(client, customer)
    assert [row["status"] for row in midway.values()] == ["unpaid"]
    assert [row["status"] for row in after.values()] == ["paid"]
