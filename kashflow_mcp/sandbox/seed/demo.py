# The customer table reads best one customer to a line.
# ruff: noqa: E501
"""The demo company: Kestrel Print & Design Ltd, a small Bristol design and print studio.

Thirty customers (UK in GBP; Ireland, France, Germany, the Netherlands, Greece - code EL, as
KashFlow spells it - and Spain in EUR; the US in USD) and a year of invoices: design work at
20% VAT, printed matter zero-rated, energy-saving lighting at 5%, Royal Mail postage exempt;
services to customers abroad carry no UK VAT. Some invoices are paid, some part-paid, some
unpaid and some overdue. Everything comes from a fixed random seed; dates are offsets from the
anchor day, so the books always look current and two databases made the same day are identical.
Addresses are real streets, the businesses are invented, email domains end in ``.example`` and
UK phone numbers are in Ofcom's ranges reserved for drama.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ..db import Books, Record
from ..rules.customers import make_customer
from ..rules.invoices import gross, make_invoice, recompute_totals
from ..rules.payments import make_payment
from ..rules.values import money

SEED = 20_240_401
FIRST_INVOICE_NUMBER = 1001

COMPANY = {
    "CompanyName": "Kestrel Print & Design Ltd",
    "Address1": "Unit 4, Harbourside Works",
    "Address2": "Cumberland Road",
    "Address3": "Bristol",
    "Address4": "",
    "Postcode": "BS1 6UX",
    "PrimaryEmail": "accounts@kestrel-print.example",
    "PrimaryContact": "Maya Kestrel",
    "Telephone": "0117 496 0123",
    "Mobile": "07700 900123",
    "VatRegistered": "Yes",
    "VatRegistrationNumber": "GB 987 6543 21",
    "BusinessType1Name": "Design",
    "BusinessType2Name": "Print",
    "BusinessType3Name": "Signage",
}
SOURCES = ["Website", "Referral", "Trade show", "Google Ads", "Repeat customer", "LinkedIn"]
PROJECTS = [
    ("Harbour Festival programme", "Programmes, posters and wayfinding for the festival"),
    ("Autumn retail campaign", "Window graphics and leaflets for autumn promotions"),
    ("Museum signage refresh", "Interpretation panels and LED-lit signs"),
    ("Brand refresh", "Logo, stationery and brand guidelines"),
]

# code, name, contact (title first last), street, town, postcode, country, ISO code, currency,
# payment terms, source id
CUSTOMERS = [
    ("HARB01", "Harbourside Coffee Co", "Ms Ellie Brandon", "22 Narrow Quay", "Bristol", "BS1 4QA", "United Kingdom", "GB", "GBP", 14, 1),
    ("CLIF01", "Clifton Dental Practice", "Dr Sanjay Mehta", "8 Princess Victoria Street", "Bristol", "BS8 4BX", "United Kingdom", "GB", "GBP", 30, 2),
    ("REDL01", "Redland Yoga Studio", "Ms Hannah Ortiz", "41 Zetland Road", "Bristol", "BS6 7AH", "United Kingdom", "GB", "GBP", 7, 1),
    ("AVON01", "Avon Gorge Cycles", "Mr Tom Wheeler", "3 Hotwell Road", "Bristol", "BS8 4RU", "United Kingdom", "GB", "GBP", 30, 4),
    ("QUAY01", "Quayside Architects LLP", "Mr Daniel Okafor", "22 Narrow Quay", "Bristol", "BS1 4QA", "United Kingdom", "GB", "GBP", 30, 2),
    ("BATH01", "Bath Stone Interiors Ltd", "Mrs Joanna Pike", "15 Walcot Street", "Bath", "BA1 5BG", "United Kingdom", "GB", "GBP", 30, 3),
    ("CHEL01", "Cheltenham Literary Society", "Mr Robert Haines", "2 Imperial Square", "Cheltenham", "GL50 1QB", "United Kingdom", "GB", "GBP", 60, 5),
    ("CARD01", "Cardiff Bay Rowing Club", "Ms Megan Lloyd", "Harbour Drive", "Cardiff", "CF10 4PA", "United Kingdom", "GB", "GBP", 30, 2),
    ("STOK01", "Stokes Croft Records", "Mr Kwame Mensah", "90 Stokes Croft", "Bristol", "BS1 3QY", "United Kingdom", "GB", "GBP", 14, 6),
    ("BRUN01", "Brunel Property Lettings", "Mrs Claire Dunmore", "5 Temple Way", "Bristol", "BS2 0BY", "United Kingdom", "GB", "GBP", 30, 4),
    ("WYEV01", "Wye Valley Cider Company", "Mr Gareth Price", "Tintern Mill", "Chepstow", "NP16 6SE", "United Kingdom", "GB", "GBP", 30, 3),
    ("SHOR01", "Shoreditch Sourdough Ltd", "Ms Priya Raman", "117 Redchurch Street", "London", "E2 7DJ", "United Kingdom", "GB", "GBP", 14, 1),
    ("NORQ01", "Northern Quarter Games", "Mr Liam Doyle", "36 Oldham Street", "Manchester", "M1 1JN", "United Kingdom", "GB", "GBP", 30, 6),
    ("LEED01", "Leeds Textile Mills Ltd", "Mrs Susan Ackroyd", "Armley Road", "Leeds", "LS12 2QF", "United Kingdom", "GB", "GBP", 60, 3),
    ("FRIN01", "Fringe Street Theatre Co", "Ms Fiona MacLeod", "10 Cowgate", "Edinburgh", "EH1 1JW", "United Kingdom", "GB", "GBP", 30, 2),
    ("GLOU01", "Kingsholm Supporters Club", "Mr Paul Bennett", "Kingsholm Road", "Gloucester", "GL1 3AX", "United Kingdom", "GB", "GBP", 30, 5),
    ("SWIN01", "Swindon Railway Heritage Trust", "Dr Alan Matthews", "Fleming Way", "Swindon", "SN1 1QN", "United Kingdom", "GB", "GBP", 30, 2),
    ("EXET01", "Exeter Riverside Dental", "Dr Rachel Sutton", "2 Haven Road", "Exeter", "EX2 8BP", "United Kingdom", "GB", "GBP", 30, 4),
    ("OXFO01", "Clarendon Bookbinders", "Mr Edward Lyle", "14 Little Clarendon Street", "Oxford", "OX1 2HP", "United Kingdom", "GB", "GBP", 30, 1),
    ("JEWQ01", "Jewellery Quarter Designs", "Ms Aisha Begum", "51 Vyse Street", "Birmingham", "B18 6HF", "United Kingdom", "GB", "GBP", 14, 6),
    ("PLYM01", "Plymouth Sound Sailing School", "Mr Chris Hocking", "Barbican Approach", "Plymouth", "PL4 0LG", "United Kingdom", "GB", "GBP", 30, 3),
    ("LIFF01", "Liffey Tech Solutions Ltd", "Mr Conor Byrne", "12 Ormond Quay Upper", "Dublin", "D07 X2V1", "Ireland", "IE", "EUR", 30, 3),
    ("SOIE01", "Atelier Soierie Lyon SARL", "Mme Camille Dubois", "14 Rue Romarin", "Lyon", "69001", "France", "FR", "EUR", 30, 3),
    ("KREU01", "Kreuzberg Kaffeerösterei GmbH", "Herr Jonas Weber", "Oranienstraße 183", "Berlin", "10999", "Germany", "DE", "EUR", 30, 6),
    ("GRAC01", "Grachten Design Studio BV", "Mevr. Sanne de Vries", "Prinsengracht 263", "Amsterdam", "1016 GV", "Netherlands", "NL", "EUR", 30, 2),
    ("AEGE01", "Aegean Olive Traders SA", "Mr Nikos Papadakis", "Ermou 45", "Athens", "105 63", "Greece", "EL", "EUR", 30, 3),
    ("TALL01", "Taller Gràfic Barcelona SL", "Sra Laia Puig", "Carrer de Verdi 32", "Barcelona", "08012", "Spain", "ES", "EUR", 30, 1),
    ("BEAC01", "Beacon Hill Publishing Inc", "Ms Karen Whitfield", "55 Charles Street", "Boston, MA", "02114", "United States", "US", "USD", 30, 3),
    ("LONE01", "Lone Star Craft Brewing LLC", "Mr Diego Ramirez", "1100 E 6th Street", "Austin, TX", "78702", "United States", "US", "USD", 30, 4),
    ("ROSE01", "Rose City Outfitters", "Ms Jenna Holt", "421 SW Oak Street", "Portland, OR", "97204", "United States", "US", "USD", 14, 1),
]  # fmt: skip

# description, sales type (nominal id), VAT rate, pennies from-to, quantities
PRODUCTS = [
    ("Brand identity design", 3101, "20", (65000, 240000), ("1",)),
    ("Graphic design (hours)", 3101, "20", (4500, 7500), ("2.5", "4", "7.5", "12")),
    ("Website page design", 3101, "20", (28000, 52000), ("1", "3", "5")),
    ("Printed brochures, A4 16pp (per 100)", 3102, "0", (8900, 14000), ("2", "5", "10")),
    ("Leaflets, A5 double-sided (per 1,000)", 3102, "0", (6200, 9500), ("1", "3", "5")),
    ("Vinyl window graphics", 3103, "20", (12000, 48000), ("1", "2")),
    ("Energy-saving LED sign lighting, supplied and fitted", 3103, "5", (18000, 64000), ("1", "2")),
    ("Royal Mail postage", 3104, "-1", (335, 4890), ("1",)),
    ("Next-day courier", 3104, "20", (1250, 3500), ("1",)),
]
_DIALLING_CODES = {"IE": 353, "FR": 33, "DE": 49, "NL": 31, "EL": 30, "ES": 34, "US": 1}
_TOWN_PHONES = {
    "Bristol": "0117 496 0",
    "London": "020 7946 0",
    "Manchester": "0161 496 0",
    "Leeds": "0113 496 0",
    "Edinburgh": "0131 496 0",
    "Cardiff": "029 2018 0",
}


def _customer(index: int, row: tuple[Any, ...], anchor: date, rng: random.Random) -> Record:
    code, name, contact, street, town, postcode, country, iso, currency, terms, source = row
    title, first, last = contact.split(" ", 2)
    domain = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") + ".example"
    uk = iso == "GB"
    phone = _TOWN_PHONES.get(town, "01632 960") + f"{rng.randrange(1000):03d}"
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


def _line(rng: random.Random, sort: int, customer: Record, fx: Decimal) -> dict[str, Any]:
    description, charge_type, vat, (low, high), quantities = rng.choice(PRODUCTS)
    rate = Decimal(rng.randrange(low, high)) / 100
    abroad = customer["CountryCode"] != "GB"
    return {
        "Quantity": Decimal(rng.choice(quantities)),
        "Description": description,
        "Rate": money(rate * fx),
        "ChargeType": charge_type,
        # Services to a business abroad are outside the scope of UK VAT.
        "VatRate": Decimal(vat) if not abroad or vat == "-1" else Decimal(0),
        "Sort": sort,
        "ValuesInCurrency": int(fx != 1),
    }


def load(books: Books, anchor: date) -> None:
    """Write the demo company into an empty set of books."""
    rng = random.Random(SEED)
    books.reference.set("company", {**books.reference.get("company"), **COMPANY})
    books.reference.set(
        "sources",
        [{"ID": i, "Name": n, "Description": n, "Value": "0"} for i, n in enumerate(SOURCES, 1)],
    )
    books.reference.set(
        "projects",
        [
            {"ID": i, "Name": n, "Description": d, "Value": "0"}
            for i, (n, d) in enumerate(PROJECTS, 1)
        ],
    )
    currencies = books.reference.exchange_rates()
    customers = [_customer(i, row, anchor, rng) for i, row in enumerate(CUSTOMERS)]
    first_id = books.allocate("customer", len(customers))
    for offset, customer in enumerate(customers):
        customer["CustomerID"] = first_id + offset
    books.customers.add(customers)

    drafts = []
    for customer, row in zip(customers, CUSTOMERS, strict=True):
        fx = currencies[row[8]]
        for _ in range(2 + rng.randrange(3)):
            # A quarter of the invoices are from the last month, so some are not yet due.
            age = rng.randrange(3, 365) if rng.random() < 0.75 else rng.randrange(1, 30)
            lines = [_line(rng, sort, customer, fx) for sort in range(1, 2 + rng.randrange(3))]
            sent = {
                "InvoiceDate": anchor - timedelta(days=age),
                "CustomerID": customer["CustomerID"],
                "CustomerReference": f"PO-{rng.randrange(1000, 9999)}"
                if rng.random() < 0.5
                else "",
                "ProjectID": rng.randrange(len(PROJECTS) + 1) if rng.random() < 0.3 else 0,
                "CurrencyCode": row[8],
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
    for number, (age, customer, sent, luck, delay) in enumerate(drafts, FIRST_INVOICE_NUMBER):
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
                 "PayAccount": 1, "PayNote": f"Ref {invoice['InvoiceNumber']}"},
                pay_id=pay_id,
                invoice=invoice,
            )  # fmt: skip
            payments.append((invoice["InvoiceDBID"], payment))
            recompute_totals(invoice, amount)
            pay_id += 1
        invoices.append(invoice)
    books.invoices.add(invoices)
    books.payments.add(payments)


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
