"""What a document and its payments post: sets of entries that balance, in pence, in pounds.

Entries are signed, debits positive and credits negative; each posting (a document, or one
payment) sums to zero or is a bug that stops the write (``PostingError``), never a refusal.

- An invoice-class document posts trade debtors its gross (Dr), each line's net to the line's
  sales type (Cr) and each line's VAT to VAT (Cr), on its date. Its amounts carry their sign,
  so a document totalling less than nothing (a credit note) posts the same shape reversed.
- A payment posts its bank account's nominal (Dr) and trade debtors (Cr), on its date.
- KashFlow's books are kept in the home currency, the pound [inferred from its reports being
  in pounds]. A foreign document posts at its own ExchangeRate (units per pound): every entry
  is converted on its own, half-up to the penny, and what the conversions leave over (a
  penny or two) posts to exchange rate differences, so the posting still balances.
- A foreign payment posts what it takes off the document's debt in pounds: the debt before
  it, converted, less the debt after it, converted. The payments of a document, taken in date
  order, therefore clear exactly what it posted, and trade debtors always hold each document's
  unpaid amount converted at its rate [inferred: KashFlow's Payment carries no rate of its
  own, so no gain or loss on exchange is worked out].
- A credit note set against an invoice is a pair of payments, one on each (see
  ``rules.credit_notes``), that moves no money: each half posts trade debtors against exchange
  rate differences instead of a bank account. At one rate the halves cancel there; between
  documents at different rates what is left is the difference on exchange, and the bank is
  untouched either way [inferred].
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from decimal import Decimal
from fractions import Fraction
from math import floor
from typing import Any, NamedTuple

from ..rules.invoices import gross, line_net
from .accounts import DEBTORS, EXCHANGE, VAT, Chart

HOME_CURRENCY = "GBP"


class PostingError(Exception):
    """A posting that cannot be made exactly (it does not balance, or is not in whole pence):
    a bug in what wrote the document, so the write fails instead of keeping broken books."""


class Entry(NamedTuple):
    nominal_id: int
    pence: int
    """Debit positive, credit negative, in pounds' pence."""
    day: str
    """``yyyy-mm-dd``."""
    role: str
    """debtors, sales, vat, exchange (a document's); bank, or credit for half of a credit
    note's application (a payment's)."""
    payment_id: int = 0
    """The payment this entry is part of; 0 for the document's own."""
    project_id: int = 0
    narrative: str = ""


def pence(amount: Decimal) -> int:
    """An amount already to the penny, in pence."""
    scaled = amount * 100
    if scaled != scaled.to_integral_value():
        raise PostingError(f"{amount} is not a whole number of pence")
    return int(scaled)


def in_pounds(amount: Decimal, rate: Decimal) -> int:
    """``amount`` of a currency at ``rate`` units per pound, in pence, half-up (exact: no
    floating point, no intermediate rounding)."""
    exact = Fraction(amount) * 100 / Fraction(rate)
    whole = floor(abs(exact) + Fraction(1, 2))
    return whole if exact >= 0 else -whole


class _Converter:
    """A document's amounts in pence of pounds."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.foreign = (document.get("CurrencyCode") or HOME_CURRENCY) != HOME_CURRENCY
        self.rate = Decimal(document["ExchangeRate"]) if self.foreign else Decimal(1)
        if self.rate <= 0:
            raise PostingError(f"invoice {document['InvoiceNumber']} has rate {self.rate}")

    def __call__(self, amount: Decimal) -> int:
        return in_pounds(amount, self.rate) if self.foreign else pence(amount)


def balanced(entries: list[Entry], what: str) -> list[Entry]:
    """``entries`` if they sum to zero (those of no value left out); else ``PostingError``."""
    total = sum(entry.pence for entry in entries)
    if total:
        raise PostingError(f"{what} is {total:+d}p out of balance: {entries}")
    return [entry for entry in entries if entry.pence]


def document_entries(document: Mapping[str, Any], chart: Chart) -> list[Entry]:
    convert = _Converter(document)
    number, day = document["InvoiceNumber"], document["InvoiceDate"][:10]
    project = document.get("ProjectID") or 0
    what = f"Invoice {number}"
    entries = [Entry(DEBTORS.id, convert(gross(document)), day, "debtors", 0, project, what)]
    for line in document["Lines"]:
        project_of_line = line.get("ProjID") or project
        sales = chart.sales_nominal(line.get("ChargeType"))
        narrative = f"{what}: {line['Description']}"
        net, vat = convert(line_net(line)), convert(Decimal(line["VatAmount"]))
        entries.append(Entry(sales, -net, day, "sales", 0, project_of_line, narrative))
        entries.append(Entry(VAT.id, -vat, day, "vat", 0, project_of_line, f"VAT: {narrative}"))
    if convert.foreign:
        left_over = -sum(entry.pence for entry in entries)
        narrative = f"{what}: conversion at {convert.rate} to the penny"
        entries.append(Entry(EXCHANGE.id, left_over, day, "exchange", 0, project, narrative))
    return balanced(entries, what)


def _in_date_order(payment: Mapping[str, Any]) -> tuple[str, int]:
    return payment["PayDate"][:10], payment["PayID"]


def payment_entries(
    document: Mapping[str, Any],
    payments: Sequence[Mapping[str, Any]],
    chart: Chart,
    credit_halves: AbstractSet[int] = frozenset(),
) -> list[Entry]:
    """``credit_halves``: the PayIDs that are halves of credit notes' applications."""
    convert = _Converter(document)
    owed, paid = gross(document), Decimal(0)
    entries: list[Entry] = []
    for payment in sorted(payments, key=_in_date_order):
        before = convert(owed - paid)
        paid += Decimal(payment["PayAmount"])
        value = before - convert(owed - paid)
        pay_id, day = payment["PayID"], payment["PayDate"][:10]
        what = f"Payment {pay_id} on invoice {document['InvoiceNumber']}"
        if pay_id in credit_halves:
            contra, role = EXCHANGE.id, "credit"
        else:
            contra, role = chart.bank_nominal(payment.get("PayAccount")), "bank"
        entries += balanced(
            [
                Entry(contra, value, day, role, pay_id, document.get("ProjectID") or 0, what),
                Entry(DEBTORS.id, -value, day, "debtors", pay_id, 0, what),
            ],
            what,
        )
    return entries


def post(
    document: Mapping[str, Any],
    payments: Sequence[Mapping[str, Any]],
    chart: Chart,
    credit_halves: AbstractSet[int] = frozenset(),
) -> list[Entry]:
    """Everything a document and its payments post, the document's own entries first."""
    return document_entries(document, chart) + payment_entries(
        document, payments, chart, credit_halves
    )
