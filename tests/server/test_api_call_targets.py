"""Deletes and updates through call_kashflow_api preview the record and are bound to its state.

As with delete_invoice and delete_customer: the preview says what the record is (its number,
its party, its amount and status), the token is bound to a digest of the record as it was
shown, a record that changed since refuses the token, and a record that is not there is
refused before any preview. The sandbox serves customers, invoices and invoice payments, so
those are tested here end to end; the table behind the rest is tested in tests/tools.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import pytest
from mcp import Client

from kashflow_mcp.kashflow import KashFlowClient, NotFoundError
from kashflow_mcp.kashflow.wire.records import Invoice, InvoiceLine, Payment

from .calls import ok, refused, text_of
from .conftest import OpenSession

pytestmark = pytest.mark.anyio
ONE_POUND = [{"description": "Sticker", "rate": "1.00", "vat_rate": "0"}]


async def api(client: Client, method: str, body: dict[str, Any], **extra: Any) -> Any:
    return await client.call_tool("call_kashflow_api", {"method": method, "body": body, **extra})


async def ok_with_token(
    client: Client, method: str, body: dict[str, Any], held: dict[str, Any]
) -> dict[str, Any]:
    token = held["confirmation_token"]
    return await ok(client, "call_kashflow_api", method=method, body=body, confirmation_token=token)


async def refused_with_token(
    client: Client, method: str, body: dict[str, Any], held: dict[str, Any]
) -> str:
    token = held["confirmation_token"]
    return await refused(
        client, "call_kashflow_api", method=method, body=body, confirmation_token=token
    )


async def small_invoice_numbered(kashflow: KashFlowClient, number: int, customer: int) -> None:
    """Invoices of 1.00 for ``customer`` until the account's newest is ``number``."""
    highest = (await kashflow.invoices.recent(1))[0].InvoiceNumber or 0
    line = InvoiceLine(Description="Sticker", Quantity=Decimal(1), Rate=Decimal(1), VatRate=0)
    made, today = highest, datetime.combine(date.today(), time())
    for _ in range(number - highest):
        invoice = Invoice(CustomerID=customer, InvoiceDate=today, Lines=[line])
        made = await kashflow.invoices.insert(invoice)
    assert made == number


async def test_a_token_minted_on_a_small_unpaid_invoice_cannot_delete_it_grown_and_paid(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, kashflow):
        customer = (await ok(client, "create_customer", name="Tiny Order Ltd"))["customer_id"]
        await small_invoice_numbered(kashflow, 1109, customer)
        body_1109 = {"InvoiceNumber": 1109}
        held = await api(client, "DeleteInvoice", body_1109)
        assert held.structured_content and not held.is_error
        preview = text_of(held)
        assert "invoice 1109 of customer" in preview and '"Tiny Order Ltd"' in preview
        assert "GBP 1.00" in preview and "unpaid" in preview
        token = held.structured_content["confirmation_token"]

        big = [{"description": "Rebrand", "rate": "50000.00", "vat_rate": "20"}]
        await ok(client, "update_invoice", invoice_number=1109, lines=big)
        payment = Payment(
            PayInvoice=1109, PayDate=datetime(2026, 1, 6), PayAmount=Decimal("60000.00")
        )
        await kashflow.payments.insert(payment)

        message = await refused(
            client,
            "call_kashflow_api",
            method="DeleteInvoice",
            body=body_1109,
            confirmation_token=token,
        )
        assert "changed since the preview" in message
        kept = await kashflow.invoices.get(1109)
        assert kept.Paid == 1 and kept.AmountPaid == Decimal("60000.00")
        again = await ok(client, "call_kashflow_api", method="DeleteInvoice", body=body_1109)
        assert "GBP 60000.00, paid 60000.00, paid" in again["message"]


async def test_an_unchanged_invoice_is_deleted_by_id_with_its_token(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, kashflow):
        invoice = (await kashflow.invoices.recent(1))[0]
        body = {"InvoiceID": invoice.InvoiceDBID}
        held = await ok(client, "call_kashflow_api", method="DeleteInvoiceByID", body=body)
        assert f"invoice {invoice.InvoiceNumber} of customer" in held["message"]
        [summary] = held["result"]["preview"]
        assert summary["InvoiceNumber"] == invoice.InvoiceNumber
        assert summary["party"] == invoice.CustomerName and summary["status"]
        done = await ok_with_token(client, "DeleteInvoiceByID", body, held)
        assert done["status"] == "ok"
        with pytest.raises(NotFoundError):
            await kashflow.invoices.get(invoice.InvoiceNumber or 0)


@pytest.mark.parametrize(
    ("method", "body", "named"),
    [
        ("DeleteInvoice", {"InvoiceNumber": 999999}, "body.InvoiceNumber"),
        ("DeleteInvoiceByID", {"InvoiceID": 999999}, "body.InvoiceID"),
        ("DeleteCustomer", {"CustomerID": 999999}, "body.CustomerID"),
        ("UpdateCustomer", {"custr": {"CustomerID": 999999, "Name": "X"}}, "custr.CustomerID"),
        (
            "InsertInvoicePayment",
            {
                "InvoicePayment": {
                    "PayInvoice": 999999,
                    "PayDate": "2026-01-05",
                    "PayAmount": "1.00",
                }
            },
            "body.InvoicePayment.PayInvoice",
        ),
        ("InsertInvoiceLine", {"InvoiceID": 999999, "InvLine": {"Description": "x"}}, "InvoiceID"),
    ],
)
async def test_a_target_that_does_not_exist_is_refused_before_any_preview(
    open_session: OpenSession, method: str, body: dict[str, Any], named: str
) -> None:
    async with open_session() as (client, _):
        result = await api(client, method, body)
    assert result.is_error
    assert named in text_of(result) and "999999" in text_of(result)
    assert "confirmation_token" not in text_of(result)


async def test_a_customer_delete_previews_and_is_bound_to_its_invoices(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, kashflow):
        customer = (await ok(client, "create_customer", name="Going Ltd"))["customer_id"]
        await ok(client, "create_invoice", customer_id=customer, lines=ONE_POUND)
        body = {"CustomerID": customer}
        held = await ok(client, "call_kashflow_api", method="DeleteCustomer", body=body)
        assert '"Going Ltd"' in held["message"] and "1 invoice(s) (GBP 1.00)" in held["message"]
        assert held["result"]["preview"][0]["invoices"] == 1
        await ok(client, "create_invoice", customer_id=customer, lines=ONE_POUND)
        message = await refused_with_token(client, "DeleteCustomer", body, held)
        assert "changed since the preview" in message
        again = await ok(client, "call_kashflow_api", method="DeleteCustomer", body=body)
        assert "2 invoice(s) (GBP 2.00)" in again["message"]
        await ok_with_token(client, "DeleteCustomer", body, again)
        with pytest.raises(NotFoundError):
            await kashflow.customers.get(customer)


async def test_a_customer_update_is_bound_to_the_customer_as_previewed(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, kashflow):
        customer = (await ok(client, "create_customer", name="Before Ltd"))["customer_id"]
        body = {"custr": {"CustomerID": customer, "Name": "After Ltd"}}
        held = await ok(client, "call_kashflow_api", method="UpdateCustomer", body=body)
        assert "changes customer" in held["message"] and '"Before Ltd"' in held["message"]
        assert "fields left out may be blanked" in held["message"]
        await ok(client, "update_customer", customer_id=customer, notes="edited meanwhile")
        message = await refused_with_token(client, "UpdateCustomer", body, held)
        assert "changed since the preview" in message
        assert (await kashflow.customers.get(customer)).Name == "Before Ltd"
        fresh = await ok(client, "call_kashflow_api", method="UpdateCustomer", body=body)
        await ok_with_token(client, "UpdateCustomer", body, fresh)
        assert (await kashflow.customers.get(customer)).Name == "After Ltd"


async def test_an_invoice_update_is_bound_to_the_invoice_as_previewed(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, kashflow):
        customer = (await ok(client, "create_customer", name="Quoted Ltd"))["customer_id"]
        created = await ok(client, "create_invoice", customer_id=customer, lines=ONE_POUND)
        number = created["invoice"]["invoice_number"]
        line = {"Description": "Sticker", "Quantity": "1", "Rate": "2.00", "VatRate": "0"}
        body = {
            "Inv": {
                "InvoiceNumber": number,
                "CustomerID": customer,
                "InvoiceDate": "2026-01-05",
                "Lines": [line],
            }
        }
        held = await ok(client, "call_kashflow_api", method="UpdateInvoice", body=body)
        assert f"changes invoice {number}" in held["message"] and "GBP 1.00" in held["message"]
        await ok(client, "update_invoice", invoice_number=number, customer_reference="PO-9")
        message = await refused_with_token(client, "UpdateInvoice", body, held)
        assert "changed since the preview" in message
        assert (await kashflow.invoices.get(number)).NetAmount == Decimal("1.00")


async def test_a_number_and_an_id_naming_different_invoices_are_refused(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, kashflow):
        first, second = (await kashflow.invoices.recent(2))[:2]
        body = {
            "Inv": {
                "InvoiceNumber": first.InvoiceNumber,
                "InvoiceDBID": second.InvoiceDBID,
                "CustomerID": first.CustomerID,
                "InvoiceDate": "2026-01-05",
            }
        }
        message = await refused(client, "call_kashflow_api", method="UpdateInvoice", body=body)
    assert "body.Inv.InvoiceNumber and body.Inv.InvoiceDBID name different invoices" in message


async def test_a_payment_is_previewed_on_its_invoice_and_bound_to_it(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, kashflow):
        customer = (await ok(client, "create_customer", name="Payer Ltd"))["customer_id"]
        lines = [{"description": "Work", "rate": "10.00", "vat_rate": "0"}]
        created = await ok(client, "create_invoice", customer_id=customer, lines=lines)
        number = created["invoice"]["invoice_number"]
        payment = {"PayInvoice": number, "PayDate": "2026-01-05", "PayAmount": "4.00"}
        body = {"InvoicePayment": payment}
        held = await ok(client, "call_kashflow_api", method="InsertInvoicePayment", body=body)
        assert f"invoice {number} of customer {customer}" in held["message"]
        assert "GBP 10.00, paid 0.00" in held["message"]
        await kashflow.payments.insert(
            Payment(PayInvoice=number, PayDate=datetime(2026, 1, 5), PayAmount=Decimal(5))
        )
        message = await refused_with_token(client, "InsertInvoicePayment", body, held)
        assert "changed since the preview" in message
        assert len(await kashflow.payments.for_invoice(number)) == 1


async def test_a_line_added_by_invoice_id_previews_the_invoice_it_goes_on(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, kashflow):
        invoice = (await kashflow.invoices.recent(1))[0]
        body = {"InvoiceID": invoice.InvoiceDBID, "InvLine": {"Description": "Extra"}}
        held = await ok(client, "call_kashflow_api", method="InsertInvoiceLine", body=body)
    assert f"changes invoice {invoice.InvoiceNumber} of customer" in held["message"]
