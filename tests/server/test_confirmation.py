"""Destructive calls act only with a fresh, server-minted token for exactly that call."""

from __future__ import annotations

import anyio
import pytest
from mcp import Client

from .calls import ok, refused
from .conftest import OpenSession

pytestmark = pytest.mark.anyio
LINE = [{"description": "Work", "rate": "50.00", "vat_rate": "20"}]


async def two_invoices(client: Client) -> tuple[int, int]:
    customer = (await ok(client, "create_customer", name="Confirm Ltd"))["customer_id"]
    numbers = [
        (await ok(client, "create_invoice", customer_id=customer, lines=LINE))["invoice"][
            "invoice_number"
        ]
        for _ in range(2)
    ]
    return numbers[0], numbers[1]


async def still_there(client: Client, number: int) -> bool:
    result = await client.call_tool("get_invoice", {"invoice_number": number})
    return not result.is_error


async def test_confirm_true_is_not_an_argument_and_does_nothing(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        number, _ = await two_invoices(client)
        message = await refused(client, "delete_invoice", invoice_number=number, confirm=True)
        assert "confirm: not an argument of this tool" in message
        assert await still_there(client, number)


async def test_a_forged_token_deletes_nothing(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        number, _ = await two_invoices(client)
        for forged in ("yes", "v1.eyJ0IjoiZGVsZXRlX2ludm9pY2UifQ.c2ln"):
            message = await refused(
                client, "delete_invoice", invoice_number=number, confirmation_token=forged
            )
            assert "not one this server issued" in message
        assert await still_there(client, number)


async def test_a_token_works_once(open_session: OpenSession) -> None:
    async with open_session() as (client, kashflow):
        number, _ = await two_invoices(client)
        payment = {"PayInvoice": number, "PayAmount": "1.00", "PayDate": "2026-01-05"}
        call = {"method": "InsertInvoicePayment", "body": {"InvoicePayment": payment}}
        token = (await ok(client, "call_kashflow_api", **call))["confirmation_token"]
        await ok(client, "call_kashflow_api", **call, confirmation_token=token)
        message = await refused(client, "call_kashflow_api", **call, confirmation_token=token)
        assert "already been used" in message
        assert len(await kashflow.payments.for_invoice(number)) == 1


async def test_a_token_for_one_invoice_cannot_delete_another(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        first, second = await two_invoices(client)
        token = (await ok(client, "delete_invoice", invoice_number=first))["confirmation_token"]
        message = await refused(
            client, "delete_invoice", invoice_number=second, confirmation_token=token
        )
        assert "different arguments" in message
        assert await still_there(client, second) and await still_there(client, first)


async def test_a_token_from_another_tool_is_refused(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        number, _ = await two_invoices(client)
        customer = (await ok(client, "get_invoice", invoice_number=number))["customer_id"]
        token = (await ok(client, "delete_invoice", invoice_number=number))["confirmation_token"]
        message = await refused(
            client, "delete_customer", customer_id=customer, confirmation_token=token
        )
        assert "for delete_invoice, not delete_customer" in message


async def test_a_token_expires(open_session: OpenSession) -> None:
    async with open_session(confirmation_ttl=0.2) as (client, _):
        number, _ = await two_invoices(client)
        token = (await ok(client, "delete_invoice", invoice_number=number))["confirmation_token"]
        await anyio.sleep(0.3)
        message = await refused(
            client, "delete_invoice", invoice_number=number, confirmation_token=token
        )
        assert "expired" in message
        assert await still_there(client, number)


async def test_a_change_to_the_target_voids_the_token(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        number, _ = await two_invoices(client)
        token = (await ok(client, "delete_invoice", invoice_number=number))["confirmation_token"]
        await ok(client, "update_invoice", invoice_number=number, customer_reference="changed")
        message = await refused(
            client, "delete_invoice", invoice_number=number, confirmation_token=token
        )
        assert "changed since the preview" in message
        assert await still_there(client, number)


async def test_a_new_invoice_voids_a_customer_deletion_token(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        customer = (await ok(client, "create_customer", name="Growing Ltd"))["customer_id"]
        token = (await ok(client, "delete_customer", customer_id=customer))["confirmation_token"]
        await ok(client, "create_invoice", customer_id=customer, lines=LINE)
        message = await refused(
            client, "delete_customer", customer_id=customer, confirmation_token=token
        )
        assert "changed since the preview" in message
