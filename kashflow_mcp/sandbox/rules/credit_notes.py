"""Credit note rules: what a credit note is, and what setting one against an invoice records.

KashFlow has no credit note record: a credit note is an invoice whose lines are negative, so
its total is less than nothing (KashFlow's help pages show a credit note's lines as negative,
and its REST API names a credit note by its invoice id). Applying one to an invoice is, as
KashFlow's help pages describe it, a pair of payments made at once: the amount on the invoice,
and the same amount negative on the credit note; together they move no money.

Inferred (not documented for ``applyCreditNoteToInvoice``): the amount applied is the smaller
of the credit left and what the invoice still owes; both documents belong to one customer and
are in one currency; a credit note with no credit left, or an invoice owing nothing, is
refused; the pair is dated the day it is applied, with no payment method, on the first bank
account (KashFlow asks for one in its web app, though the pair never shows in the bank).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from .invoices import gross
from .records import fill
from .values import Refusal, text, wire_date


def credit_left(note: Mapping[str, Any]) -> Decimal:
    """What a credit note still has to give: its credit less what has gone out of it."""
    return Decimal(note["AmountPaid"]) - gross(note)


def amount_due(invoice: Mapping[str, Any]) -> Decimal:
    return gross(invoice) - Decimal(invoice["AmountPaid"])


def amount_to_apply(invoice: Mapping[str, Any], note: Mapping[str, Any]) -> Decimal:
    """How much of ``note`` goes against ``invoice``; refused when it cannot go at all."""
    number, credit = invoice["InvoiceNumber"], note["InvoiceNumber"]
    if gross(note) >= 0:
        raise Refusal(
            f"Invoice {credit} is not a credit note: it totals {text(gross(note))}, not less "
            "than nothing"
        )
    if invoice["InvoiceDBID"] == note["InvoiceDBID"] or gross(invoice) <= 0:
        raise Refusal(f"Invoice {number} is not an invoice a credit note can be set against")
    if invoice["CustomerID"] != note["CustomerID"]:
        raise Refusal(
            f"Credit note {credit} belongs to customer {note['CustomerID']} and invoice {number} "
            f"to customer {invoice['CustomerID']}: a credit note goes against its own "
            "customer's invoices"
        )
    if invoice["CurrencyCode"] != note["CurrencyCode"]:
        raise Refusal(
            f"Credit note {credit} is in {note['CurrencyCode']} and invoice {number} in "
            f"{invoice['CurrencyCode']}: they must be in the same currency"
        )
    left, due = credit_left(note), amount_due(invoice)
    if left <= 0:
        raise Refusal(f"Credit note {credit} has no credit left")
    if due <= 0:
        raise Refusal(f"Invoice {number} has nothing left to pay")
    return min(left, due)


def application_payments(
    invoice: Mapping[str, Any],
    note: Mapping[str, Any],
    amount: Decimal,
    *,
    pay_ids: tuple[int, int],
    day: date,
    account: int,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The pair of payments an application records: (on the invoice, on the credit note)."""
    on_invoice, on_note = pay_ids
    shared = {"PayDate": wire_date(day), "PayMethod": 0, "PayAccount": account}
    to_invoice = fill("Payment", shared, "Payment")
    to_invoice.update(
        PayID=on_invoice,
        PayInvoice=invoice["InvoiceNumber"],
        PayNote=f"Credit note {note['InvoiceNumber']} applied",
        PayAmount=text(amount),
    )
    from_note = fill("Payment", shared, "Payment")
    from_note.update(
        PayID=on_note,
        PayInvoice=note["InvoiceNumber"],
        PayNote=f"Applied to invoice {invoice['InvoiceNumber']}",
        PayAmount=text(-amount),
    )
    return to_invoice, from_note
