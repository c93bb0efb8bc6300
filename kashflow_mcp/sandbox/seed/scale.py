"""Synthetic customers for load and size tests: ``--scale N`` tops the books up to N of them.

Each has three invoices (one paid, one part-paid, one unpaid) with one or two lines. Content is
a pure function of the customer's index, so N is reproducible and growing it later only adds the
missing ones. Everything for one top-up is written with executemany in one transaction: 20,000
customers and 60,000 invoices take seconds.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ..db import Books, Record
from ..rules.customers import make_customer
from ..rules.invoices import gross, make_invoice, recompute_totals
from ..rules.payments import make_payment
from ..rules.values import money
from .reference import MAIN_BANK_ACCOUNT

INVOICES_EACH = 3
_POSTCODES = ["BS1 4QA", "BS8 1TH", "M1 1AE", "LS1 4DY", "EH1 1YZ", "CF10 1EP", "B1 1BB"]
_TEMPLATE_CREATED = "2020-01-01T09:00:00"


def _customer(index: int, template: Record, anchor: date) -> Record:
    created = f"{(anchor - timedelta(days=400 + index % 365)).isoformat()}T08:00:00"
    record = dict(template)
    record.update(
        CustomerID=0,
        Code=f"SYN{index:06d}",
        Name=f"Synthetic Customer {index:06d} Ltd",
        Contact=f"Contact {index}",
        Email=f"accounts@synthetic-{index}.example",
        Address1=f"{1 + index % 200} High Street",
        Postcode=_POSTCODES[index % len(_POSTCODES)],
        Created=created,
        Updated=created,
    )
    return record


def _invoice_sent(index: int, which: int, customer: Record, anchor: date) -> dict[str, Any]:
    pennies = 2500 + (index * 7919 + which * 104729) % 250000
    lines = [
        {
            "Quantity": Decimal(1 + (index + which) % 4),
            "Description": "Consultancy",
            "Rate": Decimal(pennies) / 100,
            "VatRate": Decimal(20),
            "Sort": 1,
        }
    ]
    if (index + which) % 2:
        lines.append(
            {"Quantity": Decimal(1), "Description": "Postage", "Rate": Decimal("4.85"),
             "VatRate": Decimal(-1), "Sort": 2}
        )  # fmt: skip
    age = 5 + (index * 13 + which * 97) % 300
    return {
        "InvoiceDate": anchor - timedelta(days=age),
        "CustomerID": customer["CustomerID"],
        "Lines": lines,
    }


def top_up(books: Books, target: int, anchor: date) -> int:
    """Add synthetic customers until there are ``target``; returns how many were added."""
    have = int(books.meta("scale") or 0)
    if target <= have:
        return 0
    currencies = books.reference.exchange_rates()
    template = make_customer(
        {"Name": "template", "CountryName": "United Kingdom", "CountryCode": "GB",
         "PaymentTerms": 30, "CurrencyID": 1},
        customer_id=0, code="", created=_TEMPLATE_CREATED, updated=_TEMPLATE_CREATED,
    )  # fmt: skip
    indexes = range(have + 1, target + 1)
    customers = [_customer(index, template, anchor) for index in indexes]
    next_customer = books.allocate("customer", len(customers))
    drafts = []
    for offset, (index, customer) in enumerate(zip(indexes, customers, strict=True)):
        customer["CustomerID"] = next_customer + offset
        drafts.extend(
            (customer, _invoice_sent(index, which, customer, anchor))
            for which in range(INVOICES_EACH)
        )
    line_count = sum(len(sent["Lines"]) for _, sent in drafts)
    dbid, line_id = books.allocate("invoice", len(drafts)), books.allocate("line", line_count)
    pay_id = books.allocate("payment", len(drafts))
    number = books.invoices.next_number()  # then on consecutively; the counter catches up
    invoices, payments = [], []
    for position, (customer, sent) in enumerate(drafts):
        count = len(sent["Lines"])
        invoice = make_invoice(
            sent,
            dbid=dbid + position,
            number=number + position,
            customer=customer,
            line_ids=list(range(line_id, line_id + count)),
            amount_paid=Decimal(0),
            currencies=currencies,
        )
        line_id += count
        share = (Decimal(1), Decimal("0.5"), Decimal(0))[position % INVOICES_EACH]
        if share:
            amount = money(gross(invoice) * share)
            payment = make_payment(
                {
                    "PayDate": sent["InvoiceDate"],
                    "PayAmount": amount,
                    "PayMethod": 1,
                    "PayAccount": MAIN_BANK_ACCOUNT,
                },
                pay_id=pay_id + position,
                invoice=invoice,
            )
            payments.append((invoice["InvoiceDBID"], payment))
            recompute_totals(invoice, amount)
        invoices.append(invoice)
    books.customers.add(customers)
    books.invoices.add(invoices)
    books.payments.add(payments)
    books.set_meta("scale", str(target))
    return len(customers)
