"""Invoice tools through the MCP client, against the sandbox."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from mcp import Client

from kashflow_mcp.sandbox import FaultRule

from .calls import ok, refused, text_of
from .conftest import OpenSession

pytestmark = pytest.mark.anyio

LINES = [
    {"description": "Consulting", "quantity": "2", "rate": "100.00", "vat_rate": "20"},
    {"description": "Train fare", "rate": "33.33", "vat_rate": "exempt"},
]


async def new_customer(client: Client, **fields: Any) -> int:
    created = await ok(client, "create_customer", name="Invoice Test Ltd", **fields)
    return int(created["customer_id"])


async def test_create_invoice_numbers_and_totals_it(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        customer = await new_customer(client, payment_terms=30)
        first = (await ok(client, "create_invoice", customer_id=customer, lines=LINES))["invoice"]
        second = (await ok(client, "create_invoice", customer_id=customer, lines=LINES))["invoice"]
        assert second["invoice_number"] == first["invoice_number"] + 1
        assert (first["net_amount"], first["vat_amount"]) == ("233.33", "40.00")
        assert first["gross_amount"] == "273.33" and first["amount_due"] == "273.33"
        assert [line["vat_rate"] for line in first["lines"]] == ["20", "exempt"]
        assert first["status"] == "unpaid"


async def test_due_date_defaults_from_the_customers_payment_terms(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, _):
        customer = await new_customer(client, payment_terms=14)
        invoice = (
            await ok(
                client,
                "create_invoice",
                customer_id=customer,
                invoice_date="2026-03-01",
                lines=LINES[:1],
            )
        )["invoice"]
        assert (invoice["invoice_date"], invoice["due_date"]) == ("2026-03-01", "2026-03-15")


async def test_paid_invoices_record_a_full_payment(open_session: OpenSession) -> None:
    async with open_session() as (client, kashflow):
        customer = await new_customer(client)
        created = await ok(client, "create_invoice", customer_id=customer, lines=LINES, paid=True)
        assert created["payment_recorded"] is True
        assert created["invoice"]["status"] == "paid" and created["invoice"]["amount_due"] == "0.00"
        payments = await kashflow.payments.for_invoice(created["invoice"]["invoice_number"])
        assert [str(p.PayAmount) for p in payments] == ["273.33"]


async def test_foreign_currency_invoice_keeps_its_currency(open_session: OpenSession) -> None:
    async with open_session() as (client, kashflow):
        customer = await new_customer(client)
        created = await ok(
            client,
            "create_invoice",
            customer_id=customer,
            currency_code="eur",
            exchange_rate="1.17",
            lines=LINES[:1],
        )
        assert created["invoice"]["currency_code"] == "EUR"
        assert created["invoice"]["exchange_rate"] == "1.17"
        wire = await kashflow.invoices.get(created["invoice"]["invoice_number"])
        assert wire.Lines and wire.Lines[0].ValuesInCurrency == 1
        usd = next(c for c in await kashflow.reference.currencies() if c.CurrencyCode == "USD")
        unrated = await ok(
            client, "create_invoice", customer_id=customer, currency_code="USD", lines=LINES[:1]
        )
        assert unrated["invoice"]["exchange_rate"] == format(usd.ExchangeRate, "f")


async def test_nominal_codes_are_sent_as_kashflows_internal_ids(open_session: OpenSession) -> None:
    async with open_session() as (client, kashflow):
        nominal = next(n for n in await kashflow.reference.nominal_codes() if n.Code != n.id)
        customer = await new_customer(client)
        line = {**LINES[0], "nominal_code": nominal.Code}
        created = await ok(client, "create_invoice", customer_id=customer, lines=[line])
        assert created["invoice"]["lines"][0]["nominal_id"] == nominal.id
        message = await refused(
            client, "create_invoice", customer_id=customer, lines=[{**line, "nominal_code": 9999}]
        )
        assert "No nominal code 9999" in message


async def test_list_invoices_filters_by_status_newest_first(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        customer = await new_customer(client)
        old = (date.today() - timedelta(days=90)).isoformat()
        await ok(client, "create_invoice", customer_id=customer, lines=LINES, paid=True)
        await ok(
            client,
            "create_invoice",
            customer_id=customer,
            lines=LINES,
            invoice_date=old,
            due_date=old,
        )
        await ok(client, "create_invoice", customer_id=customer, lines=LINES)
        listed = await ok(client, "list_invoices", customer_id=customer)
        numbers = [row["invoice_number"] for row in listed["invoices"]]
        assert numbers == sorted(numbers, reverse=True) and listed["total"] == 3
        statuses = [row["status"] for row in listed["invoices"]]
        assert sorted(statuses) == ["overdue", "paid", "unpaid"]
        overdue = await ok(client, "list_invoices", customer_id=customer, status="overdue")
        assert [row["status"] for row in overdue["invoices"]] == ["overdue"]


async def test_list_invoices_for_a_missing_customer_says_so(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        assert "No customer 987654" in await refused(client, "list_invoices", customer_id=987654)


async def test_get_invoice_checks_the_customer_when_given(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        customer = await new_customer(client)
        number = (await ok(client, "create_invoice", customer_id=customer, lines=LINES))["invoice"][
            "invoice_number"
        ]
        got = await ok(client, "get_invoice", invoice_number=number, customer_id=customer)
        assert got["invoice_number"] == number and len(got["lines"]) == 2
        message = await refused(client, "get_invoice", invoice_number=number, customer_id=1)
        assert f"belongs to customer {customer}" in message


async def test_update_invoice_merges_the_header_and_replaces_lines(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, _):
        customer = await new_customer(client)
        created = await ok(
            client, "create_invoice", customer_id=customer, lines=LINES, customer_reference="PO-1"
        )
        number = created["invoice"]["invoice_number"]
        moved = await ok(client, "update_invoice", invoice_number=number, due_date="2030-01-31")
        assert moved["changed"] == ["due_date"]
        assert moved["invoice"]["customer_reference"] == "PO-1"
        assert len(moved["invoice"]["lines"]) == 2
        relined = await ok(
            client,
            "update_invoice",
            invoice_number=number,
            lines=[{"description": "Fixed fee", "rate": "500.00", "vat_rate": "20"}],
        )
        assert [line["description"] for line in relined["invoice"]["lines"]] == ["Fixed fee"]
        assert relined["invoice"]["gross_amount"] == "600.00"
        assert relined["invoice"]["due_date"] == "2030-01-31"


async def test_a_due_date_before_the_invoice_date_is_refused(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        customer = await new_customer(client)
        message = await refused(
            client,
            "create_invoice",
            customer_id=customer,
            invoice_date="2026-05-02",
            due_date="2026-05-01",
            lines=LINES,
        )
        assert "due_date cannot be before invoice_date" in message


async def test_delete_invoice_previews_then_deletes_with_the_token(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, _):
        customer = await new_customer(client)
        number = (await ok(client, "create_invoice", customer_id=customer, lines=LINES))["invoice"][
            "invoice_number"
        ]
        preview = await ok(client, "delete_invoice", invoice_number=number)
        assert preview["status"] == "confirmation_required"
        assert preview["preview"]["gross_amount"] == "273.33"
        await ok(client, "get_invoice", invoice_number=number)  # still there
        done = await ok(
            client,
            "delete_invoice",
            invoice_number=number,
            confirmation_token=preview["confirmation_token"],
        )
        assert done["status"] == "deleted"
        assert "No invoice number" in await refused(client, "get_invoice", invoice_number=number)


async def test_a_customer_billed_in_euros_gets_euro_invoices_by_default(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, kashflow):
        eur = next(c for c in await kashflow.reference.currencies() if c.CurrencyCode == "EUR")
        customer = await new_customer(client, currency_id=eur.CurrencyId)
        created = await ok(client, "create_invoice", customer_id=customer, lines=LINES[:1])
        assert created["invoice"]["currency_code"] == "EUR"
        assert created["invoice"]["exchange_rate"] == format(eur.ExchangeRate, "f")
        pounds = await ok(
            client, "create_invoice", customer_id=customer, currency_code="GBP", lines=LINES[:1]
        )
        assert pounds["invoice"]["currency_code"] == "GBP"
        message = await refused(
            client, "create_invoice", customer_id=customer, currency_code="XYZ", lines=LINES[:1]
        )
        assert "currency_code XYZ is not one this account uses: EUR, GBP, USD." in message


async def test_an_edit_below_what_was_paid_is_refused_before_anything_is_sent(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, _):
        customer = await new_customer(client)
        paid = await ok(client, "create_invoice", customer_id=customer, lines=LINES, paid=True)
        number = paid["invoice"]["invoice_number"]
        cheaper = [{"description": "Discounted", "rate": "10.00", "vat_rate": "20"}]
        message = await refused(client, "update_invoice", invoice_number=number, lines=cheaper)
        assert "GBP 273.33 paid against it; these lines would total 12.00" in message
        message = await refused(
            client, "update_invoice", invoice_number=number, currency_code="EUR"
        )
        assert "currency cannot change once payments are recorded" in message
        assert (await ok(client, "get_invoice", invoice_number=number)) == paid["invoice"]


async def test_changing_the_currency_takes_the_new_currencys_rate(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, kashflow):
        usd = next(c for c in await kashflow.reference.currencies() if c.CurrencyCode == "USD")
        customer = await new_customer(client)
        number = (await ok(client, "create_invoice", customer_id=customer, lines=LINES[:1]))[
            "invoice"
        ]["invoice_number"]
        moved = await ok(client, "update_invoice", invoice_number=number, currency_code="USD")
        assert moved["invoice"]["exchange_rate"] == format(usd.ExchangeRate, "f")
        assert moved["invoice"]["gross_amount"] == "240.00"  # the same amounts, now in dollars
        assert set(moved["changed"]) == {"currency_code", "exchange_rate"}
        wire = await kashflow.invoices.get(number)
        assert wire.Lines and wire.Lines[0].ValuesInCurrency == 1
        message = await refused(
            client,
            "update_invoice",
            invoice_number=number,
            currency_code="XYZ",
            exchange_rate="1.10",
        )
        assert "currency_code XYZ is not one this account uses: EUR, GBP, USD." in message


@pytest.mark.parametrize(("rate", "status"), [("-50.00", "credit"), ("0.00", "zero")])
async def test_a_document_totalling_nothing_or_less_is_not_shown_as_paid(
    open_session: OpenSession, rate: str, status: str
) -> None:
    async with open_session() as (client, _):
        customer = await new_customer(client)
        lines = [{"description": "Adjustment", "rate": rate, "vat_rate": "20"}]
        created = await ok(client, "create_invoice", customer_id=customer, lines=lines)
        assert created["invoice"]["status"] == status
        rows = (await ok(client, "list_invoices", customer_id=customer))["invoices"]
        assert [row["status"] for row in rows] == [status]


@pytest.mark.parametrize(
    "failure",
    [{"refuse": "Bank account is locked"}, {"status": 500}],
    ids=["refused", "server-error"],
)
async def test_a_paid_invoice_whose_payment_fails_is_created_once_and_says_so(
    open_session: OpenSession, failure: dict[str, Any]
) -> None:
    async with open_session() as (client, kashflow):
        customer = await new_customer(client)
        faults = kashflow.transport.app.state.faults  # type: ignore[attr-defined]
        faults.add(FaultRule(operation="InsertInvoicePayment", **failure))
        result = await client.call_tool(
            "create_invoice", {"customer_id": customer, "lines": LINES, "paid": True}
        )
        listed = await ok(client, "list_invoices", customer_id=customer)
        sent = dict(faults.counts)
    assert not result.is_error, text_of(result)  # the invoice exists: that is no error
    created = result.structured_content or {}
    number = created["invoice"]["invoice_number"]
    heading = text_of(result).splitlines()[0]
    assert heading.startswith(f"created invoice {number}; recording the payment FAILED (")
    assert heading.endswith("): record it in KashFlow")
    if "refuse" in failure:
        assert "Bank account is locked" in heading
    assert created["payment_recorded"] is False
    assert created["invoice"]["status"] == "unpaid"
    assert created["invoice"]["amount_due"] == created["invoice"]["gross_amount"] == "273.33"
    assert [(row["invoice_number"], row["status"]) for row in listed["invoices"]] == [
        (number, "unpaid")
    ]
    assert (sent["InsertInvoice"], sent["InsertInvoicePayment"]) == (1, 1)
