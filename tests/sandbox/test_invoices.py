"""Invoices as KashFlow keeps them: totals per line, whole-invoice updates, added lines, lists."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from kashflow_mcp.kashflow import InvalidRequestError, KashFlowClient, NotFoundError
from kashflow_mcp.kashflow.wire.records import Invoice

from .books import DAY, line, new_customer, new_invoice, pay

pytestmark = pytest.mark.anyio


async def test_totals_come_from_the_lines_rounded_half_up_per_line(kf: KashFlowClient):
    customer = await new_customer(kf)
    number = await new_invoice(
        kf,
        customer,
        line("Widgets", "3", "19.99", "20", VatAmount=Decimal("999")),  # sent VAT is ignored
        line("Half a penny of VAT", "1", "0.125", "20"),
        line("Postage", "10", "1.50", "-1"),
        line("Insulation", "2.5", "10.01", "5"),
    )

    invoice = await kf.invoices.get(number)

    assert [ln.VatAmount for ln in invoice.Lines or []] == [
        Decimal("11.99"),  # 11.994
        Decimal("0.03"),  # 0.025: half-up, where banker's rounding would give 0.02
        Decimal("0.00"),  # exempt
        Decimal("1.25"),  # 1.25125
    ]
    assert invoice.NetAmount == Decimal("100.13")  # 59.97 + 0.13 + 15.00 + 25.03
    assert invoice.VATAmount == Decimal("13.27")


async def test_a_new_invoice_gets_line_ids_and_its_customers_name(kf: KashFlowClient):
    customer = await new_customer(kf, "Bright Sparks Ltd")
    number = await new_invoice(kf, customer, line("A", "1", "1", "0"), line("B", "1", "1", "0"))

    invoice = await kf.invoices.get(number)

    ids = [ln.LineID for ln in invoice.Lines or []]
    assert len(set(ids)) == 2 and all(ids)
    assert invoice.CustomerName == invoice.Customer == "Bright Sparks Ltd"
    assert invoice.CurrencyCode == "GBP" and invoice.ExchangeRate == 1


async def test_due_date_defaults_to_the_customers_payment_terms(kf: KashFlowClient):
    customer = await new_customer(kf, PaymentTerms=14)

    invoice = await kf.invoices.get(await new_invoice(kf, customer))

    assert invoice.DueDate == DAY + timedelta(days=14)


async def test_a_foreign_currency_invoice_takes_the_currencys_rate_by_default(kf: KashFlowClient):
    customer = await new_customer(kf)
    euro = next(c for c in await kf.reference.currencies() if c.CurrencyCode == "EUR")

    invoice = await kf.invoices.get(await new_invoice(kf, customer, CurrencyCode="EUR"))

    assert invoice.CurrencyCode == "EUR"
    assert invoice.ExchangeRate == euro.ExchangeRate != 1


async def test_insert_invoice_line_appends_and_recomputes(kf: KashFlowClient):
    customer = await new_customer(kf)
    number = await new_invoice(kf, customer, line("First", "1", "100", "20"))
    await pay(kf, number, "120")
    dbid = (await kf.invoices.get(number)).InvoiceDBID
    assert dbid is not None

    line_id = await kf.invoices.insert_line(dbid, line("Second", "2", "10", "20"))

    invoice = await kf.invoices.get(number)
    assert [ln.LineID for ln in invoice.Lines or []][-1] == line_id
    assert (invoice.NetAmount, invoice.VATAmount) == (Decimal("120.00"), Decimal("24.00"))
    assert invoice.Paid == 0  # it was fully paid before the new line


async def test_update_invoice_overwrites_header_and_lines_but_keeps_payments(kf: KashFlowClient):
    customer = await new_customer(kf)
    number = await new_invoice(
        kf, customer, line("Old", "1", "100", "20"), CustomerReference="PO-1"
    )
    await pay(kf, number, "60")
    old = await kf.invoices.get(number)
    kept_line = (old.Lines or [])[0].model_copy(update={"Rate": Decimal(50)})

    await kf.invoices.update(
        Invoice(InvoiceNumber=number, CustomerID=customer, InvoiceDate=DAY, Lines=[kept_line])
    )

    new = await kf.invoices.get(number)
    assert new.CustomerReference == ""
    assert [(ln.LineID, ln.Rate) for ln in new.Lines or []] == [(kept_line.LineID, Decimal(50))]
    assert (new.InvoiceDBID, new.AmountPaid, new.Paid) == (old.InvoiceDBID, Decimal("60.00"), 1)


async def test_an_edit_cannot_take_an_invoice_below_what_was_paid_on_it(kf: KashFlowClient):
    customer = await new_customer(kf)
    number = await new_invoice(kf, customer, line("Work", "1", "100", "20"))
    await pay(kf, number, "60")
    old = await kf.invoices.get(number)
    cheaper = (old.Lines or [])[0].model_copy(update={"Rate": Decimal(40)})

    with pytest.raises(
        InvalidRequestError, match=r"60\.00 paid against it; its lines cannot total"
    ):
        await kf.invoices.update(old.model_copy(update={"Lines": [cheaper]}))
    with pytest.raises(InvalidRequestError, match="cannot total less"):
        await kf.invoices.insert_line(old.InvoiceDBID or 0, line("Refund", "1", "-100", "20"))
    with pytest.raises(InvalidRequestError, match="currency cannot change"):
        await kf.invoices.update(old.model_copy(update={"CurrencyCode": "EUR"}))
    assert (await kf.invoices.get(number)).model_dump() == old.model_dump()


async def test_update_invoice_by_dbid_and_refuses_a_mismatched_pair(kf: KashFlowClient):
    customer = await new_customer(kf)
    first, second = await new_invoice(kf, customer), await new_invoice(kf, customer)
    dbid = (await kf.invoices.get(first)).InvoiceDBID

    await kf.invoices.update(
        Invoice(InvoiceDBID=dbid, CustomerID=customer, InvoiceDate=DAY, CustomerReference="R")
    )
    assert (await kf.invoices.get(first)).CustomerReference == "R"
    with pytest.raises(InvalidRequestError, match="same invoice"):
        await kf.invoices.update(
            Invoice(InvoiceDBID=dbid, InvoiceNumber=second, CustomerID=customer, InvoiceDate=DAY)
        )


@pytest.mark.parametrize(
    ("lines", "fields", "problem"),
    [
        ([line("", "1", "1", "20")], {}, "Description is required"),
        ([line("X", "1", "1", "21.5")], {}, None),
        ([line("X", "1", "1", "-2")], {}, "VatRate must be"),
        ([], {"InvoiceDate": None}, "InvoiceDate is required"),
        ([], {"CurrencyCode": "JPY"}, "CurrencyCode must be one of"),
    ],
)
async def test_invalid_invoices_are_refused(kf: KashFlowClient, lines, fields, problem):
    customer = await new_customer(kf)
    if problem is None:  # an unusual but valid rate is accepted
        assert await new_invoice(kf, customer, *lines, **fields) == 1
        return
    with pytest.raises(InvalidRequestError, match=problem):
        await new_invoice(kf, customer, *lines, **fields)


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        ("GetInvoicesForCustomer", {"CustID": 999}),
        ("GetInvoice", {"InvoiceNumber": 999}),
        ("GetInvoiceByID", {"InvoiceID": 999}),
        ("DeleteInvoice", {"InvoiceNumber": 999}),
        ("DeleteInvoiceByID", {"InvoiceID": 999}),
        ("UpdateInvoice", {"Inv": {"InvoiceNumber": 999, "CustomerID": 1}}),
        ("InsertInvoice", {"Inv": {"CustomerID": 999, "InvoiceDate": DAY}}),
        ("InsertInvoiceLine", {"InvoiceID": 999, "InvLine": {"Description": "X"}}),
    ],
)
async def test_missing_records_are_status_no_saying_not_found(
    kf: KashFlowClient, operation, params
):
    with pytest.raises(NotFoundError, match=r"not found: 999$"):
        await kf.call(operation, params)


async def test_delete_invoice_by_id(kf: KashFlowClient):
    number = await new_invoice(kf, await new_customer(kf))
    dbid = (await kf.invoices.get(number)).InvoiceDBID
    assert dbid is not None

    await kf.invoices.delete_by_id(dbid)

    with pytest.raises(NotFoundError):
        await kf.invoices.by_id(dbid)


async def test_unpaid_overdue_recent_and_date_range_lists(kf: KashFlowClient):
    customer = await new_customer(kf, PaymentTerms=30)
    today = datetime.combine(date.today(), datetime.min.time())
    overdue = await new_invoice(kf, customer, InvoiceDate=today - timedelta(days=40))
    current = await new_invoice(kf, customer, InvoiceDate=today - timedelta(days=5))
    settled = await new_invoice(kf, customer, InvoiceDate=today - timedelta(days=60))
    await pay(kf, settled, "120")

    unpaid = [i.InvoiceNumber for i in await kf.invoices.unpaid()]
    late = [i.InvoiceNumber for i in await kf.invoices.overdue()]
    recent = [i.InvoiceNumber for i in await kf.invoices.recent(2)]
    start, end = (today - timedelta(days=60)).date(), (today - timedelta(days=40)).date()
    dated = [i.InvoiceNumber for i in await kf.invoices.dated(start, end)]

    assert unpaid == [overdue, current]
    assert late == [overdue]
    assert recent == [settled, current]
    assert dated == [overdue, settled]  # both ends inclusive
    assert [i.InvoiceNumber for i in await kf.invoices.for_customer(customer)] == [1, 2, 3]
