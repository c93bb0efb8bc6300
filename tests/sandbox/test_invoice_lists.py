"""GetInvoices_Unpaid, GetInvoices_Overdue and GetInvoicesByDateRange, as hand-written envelopes
ask them: unpaid is every invoice not paid in full (part-paid ones included, Paid=0 [doc]);
overdue is unpaid and due before today; a date range is by invoice date, both ends included."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import httpx
import pytest
from starlette.applications import Starlette

from kashflow_mcp.kashflow import KashFlowClient

from .books import line, new_customer, new_invoice, pay
from .conftest import client_for
from .soap import KF, answer, call, post, status

pytestmark = pytest.mark.anyio
TODAY = datetime.combine(date.today(), datetime.min.time())


def days(offset: int) -> datetime:
    return TODAY + timedelta(days=offset)


async def listed(http: httpx.AsyncClient, operation: str, inner: str = "") -> dict[str, str]:
    """Invoice number -> AmountPaid/Paid, as the operation lists them."""
    element = answer(await post(http, call(operation, inner), operation))
    assert status(element) == ("OK", "")
    return {
        invoice.findtext(f"{KF}InvoiceNumber") or "": "{}/{}".format(
            invoice.findtext(f"{KF}AmountPaid"), invoice.findtext(f"{KF}Paid")
        )
        for invoice in element.findall(f"{KF}{operation}Result/{KF}Invoice")
    }


async def _books(kf: KashFlowClient) -> dict[str, str]:
    """Invoices of 120.00 each, due on different days, paid in part, in full or not at all."""
    customer = await new_customer(kf)
    made = {}
    for name, due, paid in [
        ("due_today", 0, None),
        ("late_part_paid", -1, "50"),
        ("late_settled", -1, "120"),
        ("late_unpaid", -30, None),
        ("future_part_paid", 10, "0.01"),
    ]:
        number = await new_invoice(
            kf, customer, line("Work", "1", "100", "20"), InvoiceDate=days(-40), DueDate=days(due)
        )
        if paid:
            await pay(kf, number, paid)
        made[name] = str(number)
    return made


async def test_unpaid_is_every_invoice_not_paid_in_full(empty_app: Starlette) -> None:
    async with client_for(empty_app) as kf:
        made = await _books(kf)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=empty_app)) as http:
        unpaid = await listed(http, "GetInvoices_Unpaid")

    assert unpaid == {
        made["due_today"]: "0.00/0",
        made["late_part_paid"]: "50.00/0",
        made["late_unpaid"]: "0.00/0",
        made["future_part_paid"]: "0.01/0",
    }


async def test_overdue_is_not_paid_in_full_and_due_before_today(empty_app: Starlette) -> None:
    async with client_for(empty_app) as kf:
        made = await _books(kf)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=empty_app)) as http:
        overdue = await listed(http, "GetInvoices_Overdue")

    assert overdue == {made["late_part_paid"]: "50.00/0", made["late_unpaid"]: "0.00/0"}


async def test_a_date_range_is_by_invoice_date_both_ends_included(empty_app: Starlette) -> None:
    async with client_for(empty_app) as kf:
        customer = await new_customer(kf)
        numbers = [
            str(await new_invoice(kf, customer, InvoiceDate=datetime(2025, 3, day)))
            for day in (1, 15, 31)
        ]
        await new_invoice(kf, customer, InvoiceDate=datetime(2025, 4, 1), DueDate=days(-1))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=empty_app)) as http:
        march = await listed(
            http,
            "GetInvoicesByDateRange",
            "<StartDate>2025-03-01T00:00:00</StartDate><EndDate>2025-03-31T00:00:00</EndDate>",
        )

    assert list(march) == numbers
