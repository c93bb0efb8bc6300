"""Credit notes set against invoices: ``applyCreditNoteToInvoice``.

Both parameters are InvoiceDBIDs (a credit note is an invoice with negative lines); the answer
is true once the pair of payments that settles the invoice by the credit is recorded (see
``rules.credit_notes`` for what is documented and what is inferred).
"""

from __future__ import annotations

from datetime import date

from ..db import Books
from ..db.credit_notes import record_application
from ..dispatch import Params, serves
from ..rules.credit_notes import amount_to_apply
from ..rules.records import existing


@serves("applyCreditNoteToInvoice")
def apply_credit_note(books: Books, params: Params) -> bool:
    wanted, credit = params.get("InvoiceID"), params.get("CreditNoteID")
    invoice = existing(books.invoices.by_id(wanted), "Invoice with InvoiceDBID", wanted)
    note = existing(books.invoices.by_id(credit), "Credit note with InvoiceDBID", credit)
    record_application(books, invoice, note, amount_to_apply(invoice, note), date.today())
    return True
