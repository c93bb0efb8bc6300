"""The books add up, whatever is done to them: a property test over random bookkeeping.

Each example starts fresh books with three customers and runs a random sequence of invoices
(in pounds, euros and dollars, at the currency's rate or another, some totalling less than
nothing: credit notes), payments (in full, in part, a penny) and their deletes, credit notes
set against invoices, edits, added lines and deletes of invoices and customers. After every step:

- the trial balance sums to zero, debit columns to credit columns;
- trade debtors hold what the customers owe: the sum of every customer's GetCustomerBalance,
  and of every document's unpaid amount converted to pounds at its rate;
- GetAgedDebtors agrees with both: each customer's row is their balance, split so that
  "current" is what is not yet due and the periods and older what is overdue; and the unpaid
  and overdue lists are exactly the documents owing something or with credit left, and those
  of them past due.

CI runs a bounded number of examples; ``HYPOTHESIS_PROFILE=thorough`` runs many more.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from math import floor
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kashflow_mcp.kashflow import KashFlowClient, KashFlowRefused
from kashflow_mcp.kashflow.wire.records import Customer, Invoice, InvoiceLine, Payment
from kashflow_mcp.sandbox import create_app

from .conftest import client_for
from .soap import PASSWORD, USER

pytestmark = pytest.mark.anyio
# Settings of its own (no profile registered), so the rest of the suite keeps its own.
THOROUGH = os.environ.get("HYPOTHESIS_PROFILE") == "thorough"
BOUNDED = settings(
    max_examples=300 if THOROUGH else 50,
    deadline=None,
    derandomize=not THOROUGH,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
ALL_TIME = {"StartDate": datetime(1900, 1, 1), "EndDate": datetime(2099, 12, 31)}
TODAY = date.today()
_books = itertools.count()

LINE = st.tuples(
    st.sampled_from(["1", "2", "0.5", "3"]),  # quantity
    st.sampled_from(["0.01", "9.99", "19.99", "100.00", "1234.56", "-40.00"]),  # rate
    st.sampled_from(["20", "5", "0", "-1"]),  # VAT rate
    st.sampled_from([0, 3101, 3102, 3103]),  # sales type
)
LINES = st.lists(LINE, min_size=1, max_size=3)
INVOICE = st.tuples(
    st.just("invoice"),
    st.integers(0, 2),  # customer
    LINES,
    st.sampled_from(["GBP", "EUR", "USD"]),
    st.sampled_from([None, "1.1", "0.8765", "1.3333"]),  # exchange rate; None: the currency's
    st.integers(0, 200),  # days ago
    st.sampled_from([0, 14, 30, 60]),  # days to pay
)
STEP = st.one_of(
    INVOICE,
    st.tuples(st.just("pay"), st.integers(0, 30), st.sampled_from(["all", "half", "penny"])),
    st.tuples(st.just("edit"), st.integers(0, 30), LINES),
    st.tuples(st.just("add_line"), st.integers(0, 30), LINE),
    st.tuples(st.just("delete"), st.integers(0, 30)),
    # a credit note for the invoice's customer and currency, set against it
    st.tuples(st.just("credit"), st.integers(0, 30), st.sampled_from(["0.01", "10.00", "5000.00"])),
    st.tuples(st.just("delete_payment"), st.integers(0, 30), st.integers(0, 3)),
    st.tuples(st.just("delete_customer"), st.integers(0, 2)),
)


def midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def wire_line(spec: tuple[str, str, str, int], foreign: bool) -> InvoiceLine:
    quantity, rate, vat, charge_type = spec
    return InvoiceLine(
        Description="Work",
        Quantity=Decimal(quantity),
        Rate=Decimal(rate),
        VatRate=Decimal(vat),
        ChargeType=charge_type,
        ValuesInCurrency=int(foreign),
    )


def in_pounds(amount: Decimal, rate: Decimal) -> Decimal:
    """Half-up to the penny, worked out exactly."""
    exact = Fraction(amount) / Fraction(rate) * 100
    whole = floor(abs(exact) + Fraction(1, 2))
    return Decimal(whole if exact >= 0 else -whole) / 100


def owed(invoice: Invoice) -> Decimal:
    return (invoice.NetAmount or 0) + (invoice.VATAmount or 0) - (invoice.AmountPaid or 0)


def owed_in_pounds(invoice: Invoice) -> Decimal:
    rate = Decimal(1) if invoice.CurrencyCode == "GBP" else invoice.ExchangeRate or Decimal(1)
    return in_pounds(owed(invoice), rate)


async def perform(kf: KashFlowClient, step: tuple[Any, ...], customers: list[int]) -> None:
    numbers = [i.InvoiceNumber or 0 for i in await kf.invoices.recent(1000)]
    target = numbers[step[1] % len(numbers)] if numbers and step[0] != "invoice" else None
    kind = step[0]
    if kind == "invoice":
        _, who, lines, currency, rate, days_ago, terms = step
        issued = TODAY - timedelta(days=days_ago)
        foreign = currency != "GBP"
        invoice = Invoice(
            CustomerID=customers[who],
            InvoiceDate=midnight(issued),
            DueDate=midnight(issued + timedelta(days=terms)),
            CurrencyCode=currency,
            ExchangeRate=Decimal(rate) if rate and foreign else None,
            Lines=[wire_line(spec, foreign) for spec in lines],
        )
        await kf.invoices.insert(invoice)
    elif target is None:
        return
    elif kind == "pay":
        invoice = await kf.invoices.get(target)
        due = owed(invoice)
        amount = {"all": due, "half": (due / 2).quantize(Decimal("0.01")), "penny": Decimal("0.01")}
        await kf.payments.insert(
            Payment(PayInvoice=target, PayAmount=amount[step[2]], PayDate=midnight(TODAY))
        )
    elif kind in ("edit", "add_line"):
        invoice = await kf.invoices.get(target)
        foreign = invoice.CurrencyCode != "GBP"
        if kind == "edit":
            invoice.Lines = [wire_line(spec, foreign) for spec in step[2]]
            await kf.invoices.update(invoice)
        else:
            await kf.invoices.insert_line(invoice.InvoiceDBID or 0, wire_line(step[2], foreign))
    elif kind == "credit":
        # More credit than the invoice owes leaves some on the note; an invoice that owes
        # nothing (or is itself a credit note) is refused the application.
        invoice = await kf.invoices.get(target)
        foreign = invoice.CurrencyCode != "GBP"
        credit = Invoice(
            CustomerID=invoice.CustomerID,
            InvoiceDate=midnight(TODAY),
            CurrencyCode=invoice.CurrencyCode,
            ExchangeRate=invoice.ExchangeRate if foreign else None,
            Lines=[wire_line(("-1", step[2], "20", 3101), foreign)],
        )
        note = await kf.invoices.get(await kf.invoices.insert(credit))
        await kf.invoices.apply_credit_note(invoice.InvoiceDBID or 0, note.InvoiceDBID or 0)
    elif kind == "delete_payment":
        payments = await kf.payments.for_invoice(target)
        if payments:  # either half of a credit note's application included
            await kf.payments.delete(payments[step[2] % len(payments)].PayID or 0)
    elif kind == "delete":
        await kf.invoices.delete(target)
    else:
        await kf.customers.delete(customers[step[1]])


async def check_the_books_add_up(kf: KashFlowClient) -> None:
    ledger = await kf.call("GetTrialBalance", ALL_TIME)
    assert sum(row["balance"] for row in ledger) == 0
    assert sum(row["debit"] for row in ledger) == sum(row["credit"] for row in ledger)
    debtors = next((row["balance"] for row in ledger if row["Code"] == 1100), Decimal(0))

    documents = await kf.invoices.recent(1000)
    customers = await kf.customers.all()
    balances = {c.CustomerID: (await kf.customers.balance(c.Code or "")).Balance for c in customers}
    assert debtors == sum(balances.values(), Decimal(0))
    assert debtors == sum(map(owed_in_pounds, documents), Decimal(0))

    unpaid = {i.InvoiceNumber for i in await kf.invoices.unpaid()}
    overdue = {i.InvoiceNumber for i in await kf.invoices.overdue()}
    late = {i.InvoiceNumber for i in documents if i.DueDate and i.DueDate.date() < TODAY}
    # Flag-based: a credit note with credit left is unpaid too, as an invoice still owing is.
    assert unpaid == {i.InvoiceNumber for i in documents if owed(i) != 0}
    assert overdue == unpaid & late

    aged = {row.id: row for row in await kf.reports.aged_debtors(TODAY)}
    for customer, balance in balances.items():
        row = aged.get(customer)
        theirs = [i for i in documents if i.CustomerID == customer]
        past_due = sum((owed_in_pounds(i) for i in theirs if i.InvoiceNumber in late), Decimal(0))
        if row is None:
            assert balance == 0 and past_due == 0 and all(owed(i) == 0 for i in theirs)
            continue
        periods = [row.Period1_val, row.Period2_val, row.Period3_val, row.Older]
        assert row.Balance == balance == row.Current + sum(periods)
        assert sum(periods) == past_due


@pytest.mark.slow
@BOUNDED
@given(first=st.lists(INVOICE, min_size=1, max_size=3), then=st.lists(STEP, max_size=12))
async def test_the_books_add_up_after_any_sequence_of_bookkeeping(
    tmp_path: Path, first, then
) -> None:
    steps = first + then  # some documents first, for the rest to act on
    path = tmp_path / f"books-{next(_books)}.db"
    app = create_app(path, username=USER, password=PASSWORD, seed=False)
    try:
        async with client_for(app) as kf:
            customers = [
                await kf.customers.insert(Customer(Name=f"Customer {i}", PaymentTerms=30))
                for i in range(3)
            ]
            for step in steps:
                # Paying more than is due or editing below what was paid is refused: fine.
                with contextlib.suppress(KashFlowRefused):
                    await perform(kf, step, customers)
                await check_the_books_add_up(kf)
    finally:
        app.state.store.close()
