"""Writes to one record through one server are serialised; nothing is lost or misreported.

The sandbox and our server each run on a loopback socket, the sandbox answering every call
after a delay, so calls made at once really are in flight together.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from kashflow_mcp.kashflow import KashFlowClient
from kashflow_mcp.kashflow.wire.records import Customer
from kashflow_mcp.sandbox import FaultRule

from ..support import mcp_on_socket, sandbox_on_socket
from .calls import ok, refused, text_of

pytestmark = pytest.mark.anyio
LATENCY = 0.05
LINES = [{"description": "Design work", "rate": "100.00", "vat_rate": "20"}]
CUSTOMER = 20001  # a demo customer


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Any, str, str]]:
    """(sandbox app, its SOAP URL, our server's MCP URL): a slow sandbox behind our server."""
    with (
        sandbox_on_socket(tmp_path / "books.db") as (app, soap_url),
        mcp_on_socket(soap_url, audit_log=tmp_path / "audit.jsonl") as mcp_url,
    ):
        yield app, soap_url, mcp_url


def slow(app: Any, operation: str = "*", latency: float = LATENCY, times: int = -1) -> None:
    app.state.faults.add(FaultRule(operation=operation, latency=latency, times=times))


def outside(soap_url: str) -> KashFlowClient:
    """Somebody else's program writing to the same KashFlow account, not through our server."""
    return KashFlowClient(username="sandbox", password="sandbox", url=soap_url)


async def at_once(client: Client, calls: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    results: list[Any] = [None] * len(calls)

    async def run(index: int, tool: str, arguments: dict[str, Any]) -> None:
        results[index] = await client.call_tool(tool, arguments)

    with anyio.fail_after(30):
        async with anyio.create_task_group() as group:
            for index, (tool, arguments) in enumerate(calls):
                group.start_soon(run, index, tool, arguments)
    return results


async def arrived(app: Any, operation: str, count: int) -> None:
    """Wait (bounded) until the sandbox has received ``count`` calls of ``operation``."""
    with anyio.fail_after(10):
        while app.state.faults.counts[operation] < count:
            await anyio.sleep(0.005)


EIGHT_FIELDS = {
    "telephone": "0117 496 0001",
    "mobile": "07700 900001",
    "fax": "0117 496 0002",
    "website": "https://eight.example",
    "contact_title": "Dr",
    "contact_first_name": "Ada",
    "contact_last_name": "Byron",
    "notes": "Eight at once",
}


async def test_eight_updates_to_one_customer_at_once_keep_every_change(served) -> None:
    app, _, url = served
    slow(app)
    async with Client(url) as client:
        calls = [
            ("update_customer", {"customer_id": CUSTOMER, k: v}) for k, v in EIGHT_FIELDS.items()
        ]
        results = await at_once(client, calls)
        for (field, _), result in zip(EIGHT_FIELDS.items(), results, strict=True):
            assert not result.is_error, text_of(result)
            assert result.structured_content["changed"] == [field]
            assert result.structured_content["conflicts"] == []
        final = await ok(client, "get_customer", customer_id=CUSTOMER)
    assert {field: final[field] for field in EIGHT_FIELDS} == EIGHT_FIELDS


async def test_four_updates_to_one_invoice_at_once_keep_every_change(served) -> None:
    app, _, url = served
    async with Client(url) as client:
        created = await ok(client, "create_invoice", customer_id=CUSTOMER, lines=LINES)
        number = created["invoice"]["invoice_number"]
        slow(app)
        changes = {
            "customer_reference": "PO-4",
            "due_date": "2031-01-31",
            "use_custom_delivery_address": True,
            "lines": [{"description": "Fixed fee", "rate": "500.00", "vat_rate": "20"}],
        }
        calls = [("update_invoice", {"invoice_number": number, k: v}) for k, v in changes.items()]
        results = await at_once(client, calls)
        for field, result in zip(changes, results, strict=True):
            assert not result.is_error, text_of(result)
            assert field in result.structured_content["changed"]
            assert result.structured_content["conflicts"] == []
        final = await ok(client, "get_invoice", invoice_number=number)
    assert final["customer_reference"] == "PO-4" and final["due_date"] == "2031-01-31"
    assert final["use_custom_delivery_address"] is True
    assert [line["description"] for line in final["lines"]] == ["Fixed fee"]


async def test_customers_created_at_once_with_one_name_all_get_a_code(served) -> None:
    app, _, url = served
    slow(app)
    async with Client(url) as client:
        results = await at_once(client, [("create_customer", {"name": "Same Name Ltd"})] * 6)
    assert all(not r.is_error for r in results), [text_of(r) for r in results if r.is_error]
    codes = sorted(r.structured_content["code"] for r in results)
    assert codes == [f"SAMENA{n:02d}" for n in range(1, 7)]


async def test_a_code_taken_meanwhile_outside_is_replaced_by_the_next_free_one(served) -> None:
    app, soap_url, url = served
    async with Client(url) as client, outside(soap_url) as other:
        slow(app, "InsertCustomer", latency=0.5, times=1)
        async with anyio.create_task_group() as group:
            created: dict[str, Any] = {}

            async def create() -> None:
                created.update(await ok(client, "create_customer", name="Race Me Ltd"))

            group.start_soon(create)
            await arrived(app, "InsertCustomer", 1)  # ours has chosen RACEME01 and is held up
            await other.customers.insert(Customer(Name="Race Me Too", Code="RACEME01"))
    assert created["code"] == "RACEME02"


async def test_a_code_the_user_chose_is_never_changed(served) -> None:
    _, _, url = served
    async with Client(url) as client:
        taken = (await ok(client, "get_customer", customer_id=CUSTOMER))["code"]
        message = await refused(client, "create_customer", name="Mine Ltd", code=taken)
    assert f"Customer code {taken} already exists" in message


async def test_a_change_made_outside_during_an_update_is_reported_as_a_conflict(served) -> None:
    app, soap_url, url = served
    async with Client(url) as client, outside(soap_url) as other:
        slow(app, "GetCustomerByID", latency=0, times=1)  # our first read goes straight through
        slow(app, "GetCustomerByID", latency=0.5, times=1)  # our read-back is held up
        async with anyio.create_task_group() as group:
            updated: dict[str, Any] = {}

            async def update() -> None:
                result = await client.call_tool(
                    "update_customer", {"customer_id": CUSTOMER, "telephone": "0117 496 0999"}
                )
                updated.update(result.structured_content or {}, text=text_of(result))

            group.start_soon(update)
            await arrived(app, "GetCustomerByID", 2)  # our write is in; the read-back waits
            theirs = await other.customers.get(CUSTOMER)
            theirs.Telephone, theirs.Notes = "0117 496 0555", "changed elsewhere"
            await other.customers.update(theirs)
    assert updated["changed"] == ["telephone"]
    assert updated["conflicts"] == ["telephone", "notes"]
    assert "Someone changed it at the same time" in updated["text"]
    assert not updated["text"].startswith("updated customer")


async def test_a_read_does_not_wait_for_a_write_to_the_same_record(served) -> None:
    app, _, url = served
    async with Client(url) as client:
        slow(app, "UpdateCustomer", latency=1.0, times=1)
        order: list[str] = []
        async with anyio.create_task_group() as group:

            async def update() -> None:
                await ok(client, "update_customer", customer_id=CUSTOMER, notes="slow write")
                order.append("write")

            group.start_soon(update)
            await arrived(app, "UpdateCustomer", 1)  # the write holds the customer's lock
            await ok(client, "get_customer", customer_id=CUSTOMER)
            order.append("read")
    assert order == ["read", "write"]


async def test_writes_to_different_records_stay_concurrent(served) -> None:
    app, soap_url, url = served
    async with Client(url) as client, outside(soap_url) as other:
        slow(app, "UpdateCustomer", latency=1.0, times=2)
        async with anyio.create_task_group() as group:
            for customer in (CUSTOMER, CUSTOMER + 1):
                group.start_soon(
                    lambda c=customer: ok(client, "update_customer", customer_id=c, notes="both")
                )
            await arrived(app, "UpdateCustomer", 2)
            # The second write was sent while the first was still held up, not yet applied.
            notes = [(await other.customers.get(c)).Notes for c in (CUSTOMER, CUSTOMER + 1)]
            assert notes.count("both") == 0


async def test_a_confirmed_delete_waits_for_an_update_and_sees_what_it_did(served) -> None:
    app, _, url = served
    async with Client(url) as client:
        created = await ok(client, "create_invoice", customer_id=CUSTOMER, lines=LINES)
        number = created["invoice"]["invoice_number"]
        token = (await ok(client, "delete_invoice", invoice_number=number))["confirmation_token"]
        slow(app, "UpdateInvoice", latency=0.5, times=1)
        async with anyio.create_task_group() as group:
            group.start_soon(
                lambda: ok(client, "update_invoice", invoice_number=number, customer_reference="X")
            )
            await arrived(app, "UpdateInvoice", 1)
            deleting = await client.call_tool(
                "delete_invoice", {"invoice_number": number, "confirmation_token": token}
            )
        assert deleting.is_error and "changed since the preview" in text_of(deleting)
        assert (await ok(client, "get_invoice", invoice_number=number))["customer_reference"] == "X"


async def test_a_payment_through_the_generic_call_waits_for_an_update_of_its_invoice(
    served,
) -> None:
    app, _, url = served
    async with Client(url) as client:
        created = await ok(client, "create_invoice", customer_id=CUSTOMER, lines=LINES)
        number = created["invoice"]["invoice_number"]
        payment = {"PayInvoice": number, "PayAmount": "10.00", "PayDate": "2026-01-05"}
        call = {"method": "InsertInvoicePayment", "body": {"InvoicePayment": payment}}
        token = (await ok(client, "call_kashflow_api", **call))["confirmation_token"]
        slow(app, "UpdateInvoice", latency=0.5, times=1)
        async with anyio.create_task_group() as group:
            group.start_soon(
                lambda: ok(client, "update_invoice", invoice_number=number, customer_reference="Y")
            )
            await arrived(app, "UpdateInvoice", 1)
            paying = await client.call_tool(
                "call_kashflow_api", {**call, "confirmation_token": token}
            )
        assert paying.is_error and "changed since the preview" in text_of(paying)
        assert app.state.faults.counts["InsertInvoicePayment"] == 0


async def test_a_customer_is_not_deleted_while_an_invoice_is_being_raised_for_it(served) -> None:
    app, _, url = served
    async with Client(url) as client:
        token = (await ok(client, "delete_customer", customer_id=CUSTOMER))["confirmation_token"]
        slow(app, "InsertInvoice", latency=0.5, times=1)
        async with anyio.create_task_group() as group:
            raised: dict[str, Any] = {}

            async def raise_one() -> None:
                raised.update(await ok(client, "create_invoice", customer_id=CUSTOMER, lines=LINES))

            group.start_soon(raise_one)
            await arrived(app, "InsertInvoice", 1)
            deleting = await client.call_tool(
                "delete_customer", {"customer_id": CUSTOMER, "confirmation_token": token}
            )
        assert deleting.is_error and "changed since the preview" in text_of(deleting)
        number = raised["invoice"]["invoice_number"]
        assert (await ok(client, "get_invoice", invoice_number=number))["customer_id"] == CUSTOMER


async def test_a_document_sent_through_the_generic_call_waits_for_its_customers_deletion(
    served,
) -> None:
    app, _, url = served
    async with Client(url) as client:
        before = await ok(client, "delete_customer", customer_id=CUSTOMER)
        invoice = {
            "CustomerID": CUSTOMER,
            "InvoiceDate": "2026-02-01",
            "Lines": [{"Description": "Late", "Rate": "5.00"}],
        }
        call = {"method": "InsertInvoice", "body": {"Inv": invoice}}
        insert_token = (await ok(client, "call_kashflow_api", **call))["confirmation_token"]
        slow(app, "DeleteCustomer", latency=0.5, times=1)
        async with anyio.create_task_group() as group:
            deleted: dict[str, Any] = {}

            async def delete() -> None:
                deleted.update(
                    await ok(
                        client,
                        "delete_customer",
                        customer_id=CUSTOMER,
                        confirmation_token=before["confirmation_token"],
                    )
                )

            group.start_soon(delete)
            await arrived(app, "DeleteCustomer", 1)
            inserting = await client.call_tool(
                "call_kashflow_api", {**call, "confirmation_token": insert_token}
            )
        assert deleted["status"] == "deleted"
        assert deleted["preview"]["invoices"] == before["preview"]["invoices"]
        assert inserting.is_error  # it went after the deletion, and KashFlow had no customer
        assert app.state.faults.counts["InsertInvoice"] in (0, 1)


async def test_a_generic_customer_delete_waits_for_an_update_of_one_of_its_invoices(
    open_session,
) -> None:
    # In-process: the server then knows the sandbox has no quotes to read with the customer.
    async with open_session() as (client, kashflow):
        app = kashflow.transport.app
        number = (await ok(client, "list_invoices", customer_id=CUSTOMER))["invoices"][0][
            "invoice_number"
        ]
        call = {"method": "DeleteCustomer", "body": {"CustomerID": CUSTOMER}}
        token = (await ok(client, "call_kashflow_api", **call))["confirmation_token"]
        slow(app, "UpdateInvoice", latency=0.5, times=1)
        async with anyio.create_task_group() as group:
            group.start_soon(
                lambda: ok(client, "update_invoice", invoice_number=number, customer_reference="Z")
            )
            await arrived(app, "UpdateInvoice", 1)
            deleting = await client.call_tool(
                "call_kashflow_api", {**call, "confirmation_token": token}
            )
        assert deleting.is_error and "changed since the preview" in text_of(deleting)
        assert app.state.faults.counts["DeleteCustomer"] == 0
