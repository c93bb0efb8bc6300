"""Every confirmation puts its token in the text, not only in structuredContent.

Some clients show the model only a result's text: a token it cannot read is a call it cannot
confirm. Every tool whose result can carry a confirmation_token is exercised here, and a tool
added later with one fails the first test until it is.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from mcp import Client

from kashflow_mcp.kashflow import KashFlowClient
from kashflow_mcp.kashflow.wire.records import Invoice, InvoiceLine
from kashflow_mcp.tools import ALL_TOOLS

from .calls import text_of
from .conftest import OpenSession

pytestmark = pytest.mark.anyio
Call = Callable[[KashFlowClient], Awaitable[tuple[str, dict[str, Any]]]]


async def _delete_customer(kashflow: KashFlowClient) -> tuple[str, dict[str, Any]]:
    return "delete_customer", {"customer_id": (await kashflow.customers.all())[0].CustomerID}


async def _delete_invoice(kashflow: KashFlowClient) -> tuple[str, dict[str, Any]]:
    number = (await kashflow.invoices.recent(1))[0].InvoiceNumber
    return "delete_invoice", {"invoice_number": number}


async def _delete_payment(kashflow: KashFlowClient) -> tuple[str, dict[str, Any]]:
    paid = next(i for i in await kashflow.invoices.recent(100) if (i.AmountPaid or 0) > 0)
    payment = (await kashflow.payments.for_invoice(paid.InvoiceNumber or 0))[0]
    return "delete_payment", {"payment_id": payment.PayID}


async def _apply_credit_note(kashflow: KashFlowClient) -> tuple[str, dict[str, Any]]:
    customer = (await kashflow.customers.all())[0].CustomerID
    numbers = []
    for quantity in (1, -1):  # an invoice, then a credit note against it
        line = InvoiceLine(
            Description="Work", Quantity=Decimal(quantity), Rate=Decimal(10), VatRate=Decimal(20)
        )
        document = Invoice(CustomerID=customer, InvoiceDate=datetime(2026, 1, 5), Lines=[line])
        numbers.append(await kashflow.invoices.insert(document))
    return "apply_credit_note", {"credit_note_number": numbers[1], "invoice_number": numbers[0]}


async def _email_invoice(kashflow: KashFlowClient) -> tuple[str, dict[str, Any]]:
    number = (await kashflow.invoices.recent(1))[0].InvoiceNumber
    mail = {"to": "a@b.example", "subject": "Your invoice", "body": "Attached."}
    return "email_invoice", {"invoice_number": number, **mail}


async def _generic_delete(kashflow: KashFlowClient) -> tuple[str, dict[str, Any]]:
    number = (await kashflow.invoices.recent(1))[0].InvoiceNumber
    body = {"InvoiceNumber": number}
    return "call_kashflow_api", {"method": "DeleteInvoice", "body": body}


async def _generic_write(kashflow: KashFlowClient) -> tuple[str, dict[str, Any]]:
    body = {"custr": {"Name": "Text Token Ltd"}}
    return "call_kashflow_api", {"method": "InsertCustomer", "body": body}


CONFIRMING: dict[str, list[Call]] = {
    "delete_customer": [_delete_customer],
    "delete_invoice": [_delete_invoice],
    "delete_payment": [_delete_payment],
    "apply_credit_note": [_apply_credit_note],
    "email_invoice": [_email_invoice],
    "call_kashflow_api": [_generic_delete, _generic_write],
}
CASES = [
    pytest.param(call, id=f"{tool}:{call.__name__.strip('_')}")
    for tool, calls in CONFIRMING.items()
    for call in calls
]


def test_every_tool_that_can_ask_for_confirmation_is_covered() -> None:
    confirming = {
        spec.name for spec in ALL_TOOLS if "confirmation_token" in spec.result.model_fields
    }
    assert confirming == set(CONFIRMING)


async def held(client: Client, tool: str, arguments: dict[str, Any]) -> tuple[str, str]:
    result = await client.call_tool(tool, arguments)
    assert not result.is_error, text_of(result)
    data = result.structured_content or {}
    assert data["status"] == "confirmation_required"
    return data["confirmation_token"], text_of(result)


@pytest.mark.parametrize("call", CASES)
async def test_the_token_is_in_the_text(open_session: OpenSession, call: Call) -> None:
    async with open_session(allow_operations=["EmailInvoice"]) as (client, kashflow):
        tool, arguments = await call(kashflow)
        token, text = await held(client, tool, arguments)
        assert token in text
        # What the text gives is enough: the token read from it acts.
        from_text = next(word for word in text.replace(";", " ").split() if word == token)
        done = await client.call_tool(tool, {**arguments, "confirmation_token": from_text})
        assert not done.is_error, text_of(done)


async def test_a_long_body_does_not_push_the_token_out_of_the_text(
    open_session: OpenSession,
) -> None:
    async with open_session(max_result_chars=2000) as (client, _):
        body = {"custr": {"Name": "Long Notes Ltd", "Notes": "n" * 5000}}
        token, text = await held(
            client, "call_kashflow_api", {"method": "InsertCustomer", "body": body}
        )
    assert token in text
