"""The demo generator: a company profile (``company``) becomes a year of its books.

Customers from the profile's table and a year of invoices drawn from what it sells: some paid,
some part-paid, some unpaid and some overdue, and one with a credit note set against it.
Everything comes from the profile's fixed random seed; dates are offsets from the anchor day,
so the books always look current and two databases made the same day are identical. Email
domains end in ``.example`` and UK phone numbers are in Ofcom's ranges reserved for drama.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ..db import Books, Record
from ..db.credit_notes import record_application
from ..ledger.accounts import SALES, Account, nominal_record
from ..rules.customers import make_customer
from ..rules.invoices import gross, make_invoice, recompute_totals
from ..rules.payments import make_payment
from ..rules.values import money
from .company import Company, CustomerRow, Product
from .reference import MAIN_BANK_ACCOUNT

_DIALLING_CODES = {"IE": 353, "FR": 33, "DE": 49, "NL": 31, "EL": 30, "ES": 34, "US": 1}
_NO_AREA_PHONES = "01632 960"  # Ofcom's drama range for numbers with no particular town


def _customer(
    index: int, row: CustomerRow, anchor: date, rng: random.Random, company: Company
) -> Record:
    code, name, contact, street, town, postcode, country, iso, currency, terms, source = row
    title, first, last = contact.split(" ", 2)
    domain = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") + ".example"
    uk = iso == "GB"
    phone = company.town_phones.get(town, _NO_AREA_PHONES) + f"{rng.randrange(1000):03d}"
    email = f"accounts@{domain}"
    if index % 7 == 3:  # KashFlow's Email field can hold several addresses
        email += f"; {first.lower()}@{domain}"
    created = f"{(anchor - timedelta(days=720 - 10 * index)).isoformat()}T09:{index:02d}:00"
    sent = {
        "Name": name,
        "Contact": f"{first} {last}",
        "Telephone": phone if uk else f"+{_DIALLING_CODES[iso]} {rng.randrange(10**8, 10**9)}",
        "Email": email,
        "Address1": street,
        "Address2": town,
        "CountryName": country,
        "CountryCode": iso,
        "Postcode": postcode,
        "Website": f"https://www.{domain}",
        "EC": int(not uk and currency == "EUR"),
        "OutsideEC": int(currency == "USD"),
        "Source": source,
        "PaymentTerms": terms,
        "CurrencyID": {"GBP": 1, "EUR": 2, "USD": 3}[currency],
        "ContactTitle": title,
        "ContactFirstName": first,
        "ContactLastName": last,
        "VATNumber": "" if currency == "USD" else f"{iso}{rng.randrange(10**8, 10**9)}",
        "Discount": Decimal(5) if index % 9 == 4 else Decimal(0),
        "ShowDiscount": index % 9 == 4,
        "Notes": "Prefers invoices by email." if index % 5 == 0 else "",
    }
    if index % 11 == 6:
        sent.update(CustHasDeliveryAddress=1, DeliveryAddress1="Goods In, Rear Yard")
        sent.update(DeliveryAddress2=town, DeliveryPostcode=postcode)
        sent.update(DeliveryCountryName=country, DeliveryCountryCode=iso)
    return make_customer(sent, customer_id=0, code=code, created=created, updated=created)


def _line(
    rng: random.Random, sort: int, customer: Record, fx: Decimal, products: tuple[Product, ...]
) -> dict[str, Any]:
    product = rng.choice(products)
    low, high = product.pennies
    rate = Decimal(rng.randrange(low, high)) / 100
    vat = product.vat
    # Services to a business abroad are outside the scope of UK VAT, unless the service is
    # supplied here whoever buys it (catering, room hire).
    uk_vat = customer["CountryCode"] == "GB" or product.taxed_in_uk or vat == "-1"
    return {
        "Quantity": Decimal(rng.choice(product.quantities)),
        "Description": product.description,
        "Rate": money(rate * fx),
        "ChargeType": product.nominal,
        "VatRate": Decimal(vat) if uk_vat else Decimal(0),
        "Sort": sort,
        "ValuesInCurrency": int(fx != 1),
    }


def _reference(books: Books, company: Company) -> None:
    books.reference.set("company", {**books.reference.get("company"), **company.record})
    books.reference.set(
        "sources",
        [
            {"ID": i, "Name": n, "Description": n, "Value": "0"}
            for i, n in enumerate(company.sources, 1)
        ],
    )
    books.reference.set(
        "projects",
        [
            {"ID": i, "Name": n, "Description": d, "Value": "0"}
            for i, (n, d) in enumerate(company.projects, 1)
        ],
    )
    chart = books.reference.get("nominal_codes")
    known = {row["id"] for row in chart} | {row["Code"] for row in chart}
    missing = [c for c in company.sales_codes if c.id not in known and c.code not in known]
    if missing:  # only what the chart lacks: a company already in it leaves it as it was
        chart += [nominal_record(Account(c.id, c.code, c.name, SALES)) for c in missing]
        books.reference.set("nominal_codes", chart)


def load(books: Books, anchor: date, company: Company) -> None:
    """Write a demo company into an empty set of books."""
    rng = random.Random(company.seed)
    _reference(books, company)
    currencies = books.reference.exchange_rates()
    rows = company.customers
    customers = [_customer(i, row, anchor, rng, company) for i, row in enumerate(rows)]
    first_id = books.allocate("customer", len(customers))
    for offset, customer in enumerate(customers):
        customer["CustomerID"] = first_id + offset
    books.customers.add(customers)

    drafts = []
    for customer, row in zip(customers, rows, strict=True):
        fx = currencies[row.currency]
        for _ in range(2 + rng.randrange(3)):
            # A quarter of the invoices are from the last month, so some are not yet due.
            age = rng.randrange(3, 365) if rng.random() < 0.75 else rng.randrange(1, 30)
            lines = [
                _line(rng, sort, customer, fx, company.products)
                for sort in range(1, 2 + rng.randrange(3))
            ]
            sent = {
                "InvoiceDate": anchor - timedelta(days=age),
                "CustomerID": customer["CustomerID"],
                "CustomerReference": f"PO-{rng.randrange(1000, 9999)}"
                if rng.random() < 0.5
                else "",
                "ProjectID": rng.randrange(len(company.projects) + 1) if rng.random() < 0.3 else 0,
                "CurrencyCode": row.currency,
                "ExchangeRate": fx,
                "Lines": lines,
            }
            drafts.append((age, customer, sent, rng.random(), rng.randrange(1, 45)))
    # Numbers follow issue dates, as they do in real books.
    drafts.sort(key=lambda draft: (-draft[0], draft[1]["CustomerID"]))

    total_lines = sum(len(draft[2]["Lines"]) for draft in drafts)
    dbid, line_id = books.allocate("invoice", len(drafts)), books.allocate("line", total_lines)
    pay_id = books.allocate("payment", len(drafts))
    invoices, payments = [], []
    numbered = enumerate(drafts, company.first_invoice_number)
    for number, (age, customer, sent, luck, delay) in numbered:
        count = len(sent["Lines"])
        invoice = make_invoice(
            sent,
            dbid=dbid,
            number=number,
            customer=customer,
            line_ids=list(range(line_id, line_id + count)),
            amount_paid=Decimal(0),
            currencies=currencies,
        )
        dbid, line_id = dbid + 1, line_id + count
        overdue_by = age - customer["PaymentTerms"]
        share = _paid_share(overdue_by, luck)
        if share:
            amount = money(gross(invoice) * share)
            paid_on = anchor - timedelta(days=max(0, age - delay))
            payment = make_payment(
                {"PayDate": paid_on, "PayAmount": amount, "PayMethod": 1 + delay % 5,
                 "PayAccount": MAIN_BANK_ACCOUNT, "PayNote": f"Ref {invoice['InvoiceNumber']}"},
                pay_id=pay_id,
                invoice=invoice,
            )  # fmt: skip
            payments.append((invoice["InvoiceDBID"], payment))
            recompute_totals(invoice, amount)
            pay_id += 1
        invoices.append(invoice)
    books.invoices.add(invoices)
    books.payments.add(payments)
    _credit_note(books, anchor, invoices, customers, currencies)


def _credit_note(
    books: Books,
    anchor: date,
    invoices: list[Record],
    customers: list[Record],
    currencies: dict[str, Decimal],
) -> None:
    """A credit note for a tenth of the newest unpaid pound invoice of the second customer
    onwards, set against it: the invoice is left part-paid by credit, the note used up."""
    invoice = next(
        i
        for i in reversed(invoices)
        if i["CurrencyCode"] == "GBP"
        and Decimal(i["AmountPaid"]) == 0
        and i["CustomerID"] != customers[0]["CustomerID"]
    )
    first = invoice["Lines"][0]
    sent = {
        "InvoiceDate": anchor,
        "CustomerID": invoice["CustomerID"],
        "CustomerReference": f"Goodwill discount, invoice {invoice['InvoiceNumber']}",
        "CurrencyCode": "GBP",
        "Lines": [
            {
                "Quantity": Decimal(-1),
                "Description": f"Goodwill discount: {first['Description']}",
                "Rate": money(Decimal(first["Rate"]) * Decimal(first["Quantity"]) / 10),
                "ChargeType": first["ChargeType"],
                "VatRate": Decimal(first["VatRate"]),
                "Sort": 1,
            }
        ],
    }
    customer = next(c for c in customers if c["CustomerID"] == invoice["CustomerID"])
    note = make_invoice(
        sent,
        dbid=books.allocate("invoice"),
        number=max(i["InvoiceNumber"] for i in invoices) + 1,
        customer=customer,
        line_ids=[books.allocate("line")],
        amount_paid=Decimal(0),
        currencies=currencies,
    )
    books.invoices.add([note])
    record_application(books, invoice, note, -gross(note), anchor)


def _paid_share(overdue_by: int, luck: float) -> Decimal:
    """How much of an invoice its customer has paid: most old invoices in full, few new ones,
    and a share of those one to three months overdue still being chased."""
    if overdue_by > 90:
        full, part = 0.8, 0.9
    elif overdue_by > 30:
        full, part = 0.3, 0.6
    elif overdue_by > 0:
        full, part = 0.4, 0.6
    else:
        full, part = 0.2, 0.3
    if luck < full:
        return Decimal(1)
    return Decimal("0.4") if luck < part else Decimal(0)
