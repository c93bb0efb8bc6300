"""What the assistant sends and receives for invoices (snake_case; no KashFlow wire names)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from .common import (
    OFFSET_DESCRIPTION,
    PROJECT_ID,
    TOKEN_DESCRIPTION,
    ArgsModel,
    Deletion,
    DeliveryAddress,
    DeliveryAddressIn,
    DocumentLine,
    DocumentLineIn,
    Page,
    ResultModel,
)
from .customers import CUSTOMER_ID
from .notes import InvoiceNote
from .values import (
    Amount,
    CleanText,
    CurrencyCode,
    EmailAddresses,
    IsoDate,
    Line,
    Money,
    RequiredLine,
    RequiredText,
)

INVOICE_NUMBER = "From list_invoices."
InvoiceStatus = Literal["paid", "unpaid", "overdue", "credit", "zero"]
"""credit: the document totals less than nothing (it is owed to the customer); zero: nothing."""
StatusFilter = Literal["all", "unpaid", "overdue", "paid"]


class InvoiceFields(ArgsModel):
    invoice_date: IsoDate | None = None
    due_date: IsoDate | None = None
    customer_reference: Line | None = Field(None, description="Their PO or reference.")
    project_id: int | None = Field(None, ge=0, description=PROJECT_ID)
    currency_code: CurrencyCode | None = Field(None, description="e.g. GBP, EUR, USD.")
    exchange_rate: Money | None = Field(None, description="Units of currency per GBP.")
    delivery_address: DeliveryAddressIn | None = None
    use_custom_delivery_address: bool | None = None


class CreateInvoiceArgs(InvoiceFields):
    # The defaults KashFlow applies to a new invoice; on update, omitted fields stay as they are.
    invoice_date: IsoDate | None = Field(None, description="Default: today.")
    due_date: IsoDate | None = Field(None, description="Default: invoice date + payment terms.")
    currency_code: CurrencyCode | None = Field(None, description="e.g. GBP, EUR, USD; default GBP.")
    customer_id: int = Field(gt=0, description=CUSTOMER_ID)
    lines: list[DocumentLineIn] = Field(min_length=1, max_length=200)
    paid: bool = Field(False, description="Record a payment in full on the invoice date.")


class UpdateInvoiceArgs(InvoiceFields):
    invoice_number: int = Field(gt=0, description=INVOICE_NUMBER)
    lines: list[DocumentLineIn] | None = Field(
        None, min_length=1, max_length=200, description="Replaces all lines when given."
    )


class GetInvoiceArgs(ArgsModel):
    invoice_number: int = Field(gt=0, description=INVOICE_NUMBER)
    customer_id: int | None = Field(None, gt=0, description="If given, must own the invoice.")


class ListInvoicesArgs(ArgsModel):
    customer_id: int | None = Field(None, gt=0, description=f"{CUSTOMER_ID} Omit for all.")
    limit: int = Field(25, ge=1, le=500)
    offset: int = Field(0, ge=0, description=OFFSET_DESCRIPTION)
    status: StatusFilter | None = Field(None, description="Default all; unpaid includes overdue.")
    # Invoice dates, both ends included (the tool's description says so).
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None


class EmailInvoiceArgs(ArgsModel):
    invoice_number: int = Field(gt=0, description=INVOICE_NUMBER)
    to: EmailAddresses = Field(description="One or more, comma-separated.")
    subject: RequiredLine
    body: RequiredText
    confirmation_token: str | None = Field(None, max_length=400, description=TOKEN_DESCRIPTION)


class DeleteInvoiceArgs(ArgsModel):
    invoice_number: int = Field(gt=0, description=INVOICE_NUMBER)
    confirmation_token: str | None = Field(None, max_length=400, description=TOKEN_DESCRIPTION)


# --------------------------------------------------------------------------- results


class InvoiceRow(ResultModel):
    invoice_number: int
    customer_id: int | None = None
    customer_name: CleanText | None = None
    invoice_date: date | None = None
    due_date: date | None = None
    currency_code: str
    gross_amount: Amount
    amount_due: Amount
    status: InvoiceStatus


class InvoiceList(Page):
    customer_id: int | None = None
    invoices: list[InvoiceRow]


class Invoice(ResultModel):
    invoice_number: int
    invoice_id: int
    customer_id: int
    customer_name: CleanText | None = None
    invoice_date: date | None = None
    due_date: date | None = None
    status: InvoiceStatus
    customer_reference: CleanText | None = None
    project_id: int | None = None
    currency_code: str
    exchange_rate: Amount | None = None
    net_amount: Amount
    vat_amount: Amount
    gross_amount: Amount
    amount_paid: Amount
    amount_due: Amount
    lines: list[DocumentLine]
    delivery_address: DeliveryAddress | None = None
    use_custom_delivery_address: bool = False
    permalink: CleanText | None = None
    notes: list[InvoiceNote] = Field(default_factory=list)


class InvoiceUpdate(ResultModel):
    invoice: Invoice
    changed: list[str] = Field(description="Fields this call changed.")
    conflicts: list[str] = Field(
        default_factory=list,
        description="Fields KashFlow now holds with other values than this call sent.",
    )


class InvoiceCreation(ResultModel):
    invoice: Invoice
    payment_recorded: bool = False


class InvoiceDeletePreview(ResultModel):
    invoice_number: int
    customer_id: int
    customer_name: CleanText | None = None
    invoice_date: date | None = None
    currency_code: str
    gross_amount: Amount
    amount_paid: Amount
    status: InvoiceStatus


class InvoiceDeletion(Deletion):
    preview: InvoiceDeletePreview


class InvoiceEmailPreview(ResultModel):
    invoice_number: int
    customer_id: int
    customer_name: CleanText | None = None
    currency_code: str
    gross_amount: Amount
    status: InvoiceStatus
    to: str
    from_name: CleanText | None = None
    from_email: CleanText | None = None
    subject: str
    body: str


class InvoiceEmailing(ResultModel):
    status: Literal["confirmation_required", "declined", "sent"]
    message: str
    confirmation_token: str | None = None
    expires_in_seconds: int | None = None
    preview: InvoiceEmailPreview
