"""Notes on invoices: ``InsertInvoiceNote`` and ``GetInvoiceNotes``.

Both name the invoice by ``InvoiceId``, its InvoiceDBID (inferred, as for every other "ID" of
a document: KashFlow's own ``GetInvoiceByID`` reads it so). A note's ``NoteId`` is system-wide.
"""

from __future__ import annotations

from ..db import Books, Record
from ..dispatch import Params, serves
from ..rules.notes import make_note
from ..rules.records import existing


def _invoice(books: Books, params: Params) -> Record:
    wanted = params.get("InvoiceId")
    return existing(books.invoices.by_id(wanted), "Invoice with InvoiceDBID", wanted)


@serves("InsertInvoiceNote")
def insert_invoice_note(books: Books, params: Params) -> bool:
    dbid = _invoice(books, params)["InvoiceDBID"]
    note = make_note(dbid, 0, params.get("NoteDate"), params.get("Notes"))
    note["NoteId"] = books.allocate("note")
    books.notes.add(note)
    return True


@serves("GetInvoiceNotes")
def get_invoice_notes(books: Books, params: Params) -> list[Record]:
    return books.notes.for_invoice(_invoice(books, params)["InvoiceDBID"])
