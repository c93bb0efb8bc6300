"""Payments against invoices set what was paid and the paid flag, and never exceed what is due;
deleting one leaves the invoice owing it again; a period's payments come a page at a time."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from kashflow_mcp.kashflow import InvalidRequestError, KashFlowClient, NotFoundError
from kashflow_mcp.kashflow.wire.records import Payment
from kashflow_mcp.sandbox.areas import payments as payments_area

from .books import DAY, line, new_customer, new_invoice, pay

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
        ("DeleteInvoicePayment", {"InvoicePaymentNumber": 999}),
    ],
)
async def test_missing_records_are_status_no_saying_not_found(
    kf: KashFlowClient, operation, params
):
    with pytest.raises(NotFoundError, match=r"not found: 999$"):
        await kf.call(operation, params)


async def test_a_payment_naming_no_bank_account_goes_to_the_current_account(kf: KashFlowClient):
    customer = await new_customer(kf)
    number = await new_invoice(kf, customer)

    await kf.payments.insert(Payment(PayInvoice=number, PayAmount=Decimal(10), PayDate=DAY))
    named = Payment(PayInvoice=number, PayAmount=Decimal(5), PayDate=DAY, PayMethod=3, PayAccount=2)
    await kf.payments.insert(named)

    payments = await kf.payments.for_invoice(number)
    accounts = {a.AccountID: a.AccountCode for a in await kf.bank.accounts()}
    assert [(p.PayMethod, accounts[p.PayAccount or 0]) for p in payments] == [(0, 1200), (3, 1210)]


@pytest.mark.parametrize(
    ("field", "value", "listed_by"),
    [("PayMethod", 9, "GetInvPayMethods"), ("PayAccount", 1200, "GetBankAccounts")],
)
async def test_a_method_or_bank_account_the_account_lacks_is_refused(
    kf: KashFlowClient, field: str, value: int, listed_by: str
):
    customer = await new_customer(kf)
    number = await new_invoice(kf, customer)
    payment = Payment(PayInvoice=number, PayAmount=Decimal(1), PayDate=DAY, **{field: value})

    with pytest.raises(
        InvalidRequestError, match=rf"{field} must be .*\({listed_by}\); {value} is not"
    ):
        await kf.payments.insert(payment)
    assert await kf.payments.for_invoice(number) == []


async def test_deleting_a_payment_leaves_the_invoice_owing_it_again(kf: KashFlowClient):
    customer = await new_customer(kf)
    number = await new_invoice(kf, customer, line("Work", "1", "100", "20"))
    first = await pay(kf, number, "20")
    second = await pay(kf, number, "100")
    assert (await kf.invoices.get(number)).Paid == 1

    await kf.payments.delete(second)

    invoice = await kf.invoices.get(number)
    assert (invoice.AmountPaid, invoice.Paid) == (Decimal("20.00"), 0)
    assert [p.PayID for p in await kf.payments.for_invoice(number)] == [first]
    with pytest.raises(NotFoundError):
        await kf.payments.delete(second)  # gone: a second delete finds nothing


async def _paid_on(kf: KashFlowClient, number: int, *days: int) -> list[int]:
    ids = []
    for day in days:
        ids.append(
            await kf.payments.insert(
                Payment(PayInvoice=number, PayAmount=Decimal(1), PayDate=datetime(2025, 3, day))
            )
        )
    return ids


async def test_a_periods_payments_come_in_pages_oldest_first(
    kf: KashFlowClient, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(payments_area, "PAGE_SIZE", 2)
    customer = await new_customer(kf)
    number = await new_invoice(kf, customer)
    ids = await _paid_on(kf, number, 9, 2, 5, 5, 1, 31)  # the 1st and 31st fall outside

    start, end = datetime(2025, 3, 2), datetime(2025, 3, 9)
    pages = [[p.PayID for p in await kf.payments.page_dated(start, end, n)] for n in (1, 2, 3)]

    assert pages == [[ids[1], ids[2]], [ids[3], ids[0]], []]
    assert await kf.payments.count_dated(start, end) == 4
    assert await kf.payments.count_dated(datetime(2025, 3, 31), datetime(2025, 3, 31)) == 1


async def test_pages_are_numbered_from_one(kf: KashFlowClient):
    with pytest.raises(InvalidRequestError, match="PageNumber must be 1 or more"):
        await kf.payments.page_dated(DAY, DAY, 0)


async def test_the_default_page_holds_a_hundred_payments(kf: KashFlowClient):
    customer = await new_customer(kf)
    number = await new_invoice(kf, customer, line("Work", "101", "1", "0"))
    await _paid_on(kf, number, *[1] * 101)

    sizes = [len(await kf.payments.page_dated(DAY, DAY, page)) for page in (1, 2)]

    assert sizes == [100, 1]


async def test_bank_accounts_are_a_current_and_a_deposit_account(kf: KashFlowClient):
    accounts = await kf.bank.accounts()

    assert [(a.AccountID, a.AccountName, a.AccountCode) for a in accounts] == [
        (1, "Current Account", 1200),
        (2, "Deposit Account", 1210),
    ]
    nominals = {n.Code for n in await kf.reference.nominal_codes()}
    assert {1200, 1210} <= nominals
