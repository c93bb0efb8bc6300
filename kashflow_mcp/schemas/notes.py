"""What the assistant sends and receives for notes on invoices."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from .common import ArgsModel, ResultModel
from .values import CleanText, IsoDate, RequiredLongText

INVOICE_NUMBER = "From list_invoices."


class InvoiceNote(ResultModel):
    note_id: int
    date: dt.date | None = None
    note: CleanText


class AddInvoiceNoteArgs(ArgsModel):
    invoice_number: int = Field(gt=0, description=INVOICE_NUMBER)
    note: RequiredLongText
    date: IsoDate | None = Field(None, description="Default: today.")


class InvoiceNoteAdded(ResultModel):
    invoice_number: int
    note: InvoiceNote
