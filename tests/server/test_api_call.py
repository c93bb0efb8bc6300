"""The guarded generic call: catalogue only, confirmation for writes, restricted by name."""

from __future__ import annotations

import pytest

from kashflow_mcp.kashflow import NotFoundError

from .calls import ok, refused, text_of
from .conftest import OpenSession

pytestmark = pytest.mark.anyio


async def test_a_read_runs_at_once_with_money_as_strings(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        result = await ok(client, "call_kashflow_api", method="GetCurrencies")
        assert result["status"] == "ok" and result["kind"] == "read"
        codes = {row["CurrencyCode"] for row in result["result"]}
        assert {"GBP", "EUR", "USD"} <= codes
        assert all(isinstance(row["ExchangeRate"], str) for row in result["result"])


async def test_reads_take_their_parameters_from_the_body(open_session: OpenSession) -> None:
    async with open_session() as (client, kashflow):
        customer = (await kashflow.customers.all())[0]
        result = await ok(
            client,
            "call_kashflow_api",
            method="GetCustomerBalance",
            body={"CustomerCode": customer.Code},
        )
        assert result["result"]["CustomerCode"] == customer.Code


async def test_an_unknown_operation_gets_suggestions(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        message = await refused(client, "call_kashflow_api", method="GetCustomer_s")
        assert "not a KashFlow API operation" in message and "GetCustomers" in message


async def test_a_bad_parameter_is_named_with_the_expected_ones(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        message = await refused(
            client, "call_kashflow_api", method="GetInvoice", body={"Number": 1}
        )
        assert "body.Number" in message and "InvoiceNumber" in message


@pytest.mark.parametrize("key", ["UserName", "Password", "password"])
async def test_credentials_in_the_body_are_refused(open_session: OpenSession, key: str) -> None:
    async with open_session() as (client, _):
        message = await refused(
            client, "call_kashflow_api", method="GetCustomers", body={key: "someone"}
        )
        assert f"body.{key}" in message and "someone" not in message


async def test_an_oversized_body_is_refused(open_session: OpenSession) -> None:
    async with open_session(max_body_bytes=100) as (client, _):
        message = await refused(
            client, "call_kashflow_api", method="GetCustomer", body={"CustomerCode": "x" * 200}
        )
        assert "larger than 100 bytes" in message


async def test_a_write_needs_confirmation_then_acts_once(open_session: OpenSession) -> None:
    async with open_session() as (client, kashflow):
        number = (await kashflow.invoices.unpaid())[0].InvoiceNumber or 0
        before = len(await kashflow.payments.for_invoice(number))
        payment = {"PayInvoice": number, "PayAmount": "10.00", "PayDate": "2026-01-05"}
        body = {"InvoicePayment": payment}
        first = await ok(client, "call_kashflow_api", method="InsertInvoicePayment", body=body)
        assert first["status"] == "confirmation_required" and first["kind"] == "write"
        assert len(await kashflow.payments.for_invoice(number)) == before
        other = {"InvoicePayment": {**payment, "PayAmount": "9999.00"}}
        message = await refused(
            client,
            "call_kashflow_api",
            method="InsertInvoicePayment",
            body=other,
            confirmation_token=first["confirmation_token"],
        )
        assert "different arguments" in message
        done = await ok(
            client,
            "call_kashflow_api",
            method="InsertInvoicePayment",
            body=body,
            confirmation_token=first["confirmation_token"],
        )
        assert done["status"] == "ok"
        assert len(await kashflow.payments.for_invoice(number)) == before + 1


async def test_a_delete_goes_through_confirmation(open_session: OpenSession) -> None:
    async with open_session() as (client, kashflow):
        number = (await kashflow.invoices.recent(1))[0].InvoiceNumber
        body = {"InvoiceNumber": number}
        first = await ok(client, "call_kashflow_api", method="DeleteInvoice", body=body)
        assert first["status"] == "confirmation_required" and first["kind"] == "delete"
        assert await kashflow.invoices.get(number or 0)
        done = await ok(
            client,
            "call_kashflow_api",
            method="DeleteInvoice",
            body=body,
            confirmation_token=first["confirmation_token"],
        )
        assert done["status"] == "ok"
        with pytest.raises(NotFoundError):
            await kashflow.invoices.get(number or 0)


async def test_restricted_operations_are_refused_unless_allowed(open_session: OpenSession) -> None:
    body = {"InvoiceNumber": 1001, "FromEmail": "a@b.example", "FromName": "A", "SubjectLine": "s",
            "Body": "b", "RecipientEmail": "c@d.example"}  # fmt: skip
    async with open_session() as (client, _):
        message = await refused(client, "call_kashflow_api", method="EmailInvoice", body=body)
        assert "restricted" in message and "operator must allow it" in message
    async with open_session(allow_operations=["EmailInvoice"]) as (client, _):
        # Past the restriction: held for confirmation like any write (test_invoice_email.py
        # follows it through).
        allowed = await ok(client, "call_kashflow_api", method="EmailInvoice", body=body)
        assert allowed["status"] == "confirmation_required" and allowed["kind"] == "restricted"


async def test_large_results_are_cut_with_a_note(open_session: OpenSession) -> None:
    async with open_session(max_result_chars=2000) as (client, _):
        result = await client.call_tool("call_kashflow_api", {"method": "GetCustomers"})
        assert not result.is_error
        assert result.structured_content and result.structured_content["truncated"] is True
        assert "truncated: first" in text_of(result) and len(text_of(result)) < 2200
