"""Credit notes set against invoices: ``applyCreditNoteToInvoice``.

Both parameters are InvoiceDBIDs (a credit note is an invoice with negative lines); the answer
is true once the pair of payments that settles the invoice by the credit is recorded (see
``rules.credit_notes`` for what is documented and what is inferred).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..db import Books
from ..db.credit_notes import bank_account
from ..dispatch import Params, serves
from ..rules.credit_notes import amount_to_apply, application_payments
from ..rules.invoices import recompute_totals
from ..rules.records import existing


@serves("applyCreditNoteToInvoice")
def apply_credit_note(books: Books, params: Params) -> bool:
    wanted, credit = params.get("InvoiceID"), params.get("CreditNoteID")
    invoice = existing(books.invoices.by_id(wanted), "Invoice with InvoiceDBID", wanted)
    note = existing(books.invoices.by_id(credit), "Credit note with InvoiceDBID", credit)
    amount = amount_to_apply(invoice, note)
    first = books.allocate("payment", 2)
    to_invoice, from_note = application_payments(
        invoice,
        note,
        amount,
        pay_ids=(first, first + 1),
        day=date.today(),
        account=bank_account(books),
    )
    books.payments.add([(invoice["InvoiceDBID"], to_invoice), (note["InvoiceDBID"], from_note)])
    books.credit_applications.add(
        credit_note_id=note["InvoiceDBID"],
        invoice_id=invoice["InvoiceDBID"],
        credit_payment_id=from_note["PayID"],
        invoice_payment_id=to_invoice["PayID"],
    )
    for document, change in ((invoice, amount), (note, -amount)):
        paid = Decimal(document["AmountPaid"]) + change
        books.invoices.replace(recompute_totals(document, paid))
    return True
