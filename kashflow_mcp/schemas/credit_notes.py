"""What the assistant sends and receives for credit notes.

In KashFlow a credit note is an invoice whose lines are negative. Here its amounts are shown as
what it credits (positive), with how much of that credit is used and how much is left: a credit
note is never "paid", and never owes anything.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from .common import TOKEN_DESCRIPTION, ArgsModel, DocumentLine, DocumentLineIn, ResultModel
from .customers import CUSTOMER_ID
from .invoices import Invoice
from .values import Amount, CleanText, IsoDate, Line

CREDIT_NOTE_NUMBER = "From create_credit_note or list_invoices."
INVOICE_NUMBER = "From list_invoices."
CreditNoteStatus = Literal["unused", "part_used", "used"]


class CreateCreditNoteArgs(ArgsModel):
    customer_id: int = Field(gt=0, description=CUSTOMER_ID)
    lines: list[DocumentLineIn] = Field(min_length=1, max_length=200)
    date: IsoDate | None = Field(None, description="Default: today.")
    customer_reference: Line | None = Field(None, description="Their PO or reference.")
    invoice_number: int | None = Field(
        None, gt=0, description="Also set it against this invoice, once confirmed."
    )


class ApplyCreditNoteArgs(ArgsModel):
    credit_note_number: int = Field(gt=0, description=CREDIT_NOTE_NUMBER)
    invoice_number: int = Field(gt=0, description=INVOICE_NUMBER)
    confirmation_token: str | None = Field(None, max_length=400, description=TOKEN_DESCRIPTION)


# --------------------------------------------------------------------------- results


class CreditNote(ResultModel):
    credit_note_number: int
    credit_note_id: int
    customer_id: int
    customer_name: CleanText | None = None
    date: dt.date | None = None
    status: CreditNoteStatus
    customer_reference: CleanText | None = None
    currency_code: str
    net_amount: Amount
    vat_amount: Amount
    gross_amount: Amount
    credit_used: Amount = Field(description="Set against invoices or refunded.")
    credit_left: Amount
    lines: list[DocumentLine]


class CreditApplicationPreview(ResultModel):
    credit_note_number: int
    invoice_number: int
    customer_id: int
    customer_name: CleanText | None = None
    currency_code: str
    credit_left: Amount
    invoice_amount_due: Amount
    amount_to_apply: Amount


class CreditApplication(ResultModel):
    status: Literal["confirmation_required", "declined", "applied"]
    message: str
    confirmation_token: str | None = None
    expires_in_seconds: int | None = None
    preview: CreditApplicationPreview
    amount_applied: Amount | None = None
    credit_note: CreditNote | None = None
    invoice: Invoice | None = None


class CreditNoteCreation(ResultModel):
    credit_note: CreditNote
    application: CreditApplication | None = None
