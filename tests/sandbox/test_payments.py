"""Payments against invoices set what was paid and the paid flag, and never exceed what is due."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kashflow_mcp.kashflow import InvalidRequestError, KashFlowClient, NotFoundError

from .books import line, new_customer, new_invoice, pay

pytestmark = pytest.mark.anyio


async def test_payments_set_amount_paid_and_paid(kf: KashFlowClient):
    customer = await new_customer(kf)
    number = await new_invoice(kf, customer, line("Work", "1", "100", "20"))

    await pay(kf, number, "50")
    part = await kf.invoices.get(number)
    await pay(kf, number, "70")
    full = await kf.invoices.get(number)

    assert (part.AmountPaid, part.Paid) == (Decimal("50.00"), 0)
    assert (full.AmountPaid, full.Paid) == (Decimal("120.00"), 1)
    payments = await kf.payments.for_invoice(number)
    assert [(p.PayInvoice, p.PayAmount) for p in payments] == [
        (number, Decimal("50.00")),
        (number, Decimal("70.00")),
    ]
    assert len({p.PayID for p in payments}) == 2


async def test_paying_more_than_is_due_is_refused(kf: KashFlowClient):
    customer = await new_customer(kf)
    number = await new_invoice(kf, customer, line("Work", "1", "100", "20"))

    with pytest.raises(InvalidRequestError, match="must not exceed"):
        await pay(kf, number, "120.01")


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        ("InsertInvoicePayment", {"InvoicePayment": {"PayInvoice": 999, "PayAmount": "1"}}),
        ("GetInvoicePayment", {"InvoiceNumber": 999}),
    ],
)
async def test_missing_records_are_status_no_saying_not_found(
    kf: KashFlowClient, operation, params
):
    with pytest.raises(NotFoundError, match=r"not found: 999$"):
        await kf.call(operation, params)
