"""What the assistant sends and receives for invoice payments, payment methods and bank accounts.

Amounts are in the invoice's currency (a payment carries none of its own in KashFlow).
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from .common import OFFSET_DESCRIPTION, TOKEN_DESCRIPTION, ArgsModel, Deletion, Page, ResultModel
from .invoices import INVOICE_NUMBER, InvoiceStatus
from .values import Amount, CleanText, IsoDate, Line, Money

PAYMENT_ID = "From list_payments."


class RecordPaymentArgs(ArgsModel):
    invoice_number: int = Field(gt=0, description=INVOICE_NUMBER)
    amount: Money | None = Field(
        None, description="In the invoice's currency. Default: all that is still due."
    )
    date: IsoDate | None = Field(None, description="Default: today.")
    method_id: int | None = Field(
        None, gt=0, description="From list_payment_methods. Default: BACS (bank transfer)."
    )
    bank_account_id: int | None = Field(
        None, gt=0, description="From list_bank_accounts. Default: the main (current) account."
    )
    note: Line | None = None


class ListPaymentsArgs(ArgsModel):
    invoice_number: int | None = Field(
        None, gt=0, description="From list_invoices; or give date_from and date_to."
    )
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None
    limit: int = Field(25, ge=1, le=500)
    offset: int = Field(0, ge=0, description=OFFSET_DESCRIPTION)


class DeletePaymentArgs(ArgsModel):
    payment_id: int = Field(gt=0, description=PAYMENT_ID)
    confirmation_token: str | None = Field(None, max_length=400, description=TOKEN_DESCRIPTION)


# A tool that takes no arguments (and still refuses unknown ones). No docstring: it would be
# shown to the model as the schema's description.
class NoArgs(ArgsModel):
    pass


# --------------------------------------------------------------------------- results


class PaymentRow(ResultModel):
    payment_id: int
    invoice_number: int
    date: dt.date | None = None
    amount: Amount
    method: CleanText | None = None
    bank_account: CleanText | None = None
    note: CleanText | None = None


class InvoiceBalance(ResultModel):
    """Where an invoice stands with its payments."""

    invoice_number: int
    customer_id: int
    customer_name: CleanText | None = None
    currency_code: str
    gross_amount: Amount
    amount_paid: Amount
    amount_due: Amount
    status: InvoiceStatus


class PaymentRecording(ResultModel):
    payment: PaymentRow
    invoice: InvoiceBalance = Field(description="The invoice after the payment.")


class PaymentList(Page):
    invoice: InvoiceBalance | None = None
    payments: list[PaymentRow]


class PaymentDeletePreview(ResultModel):
    payment: PaymentRow
    invoice: InvoiceBalance = Field(description="The invoice once the payment is deleted.")


class PaymentDeletion(Deletion):
    preview: PaymentDeletePreview


class PaymentMethodRow(ResultModel):
    method_id: int
    name: CleanText
    default: bool = False


class PaymentMethods(ResultModel):
    methods: list[PaymentMethodRow]


class BankAccountRow(ResultModel):
    bank_account_id: int
    name: CleanText
    nominal_code: int | None = None
    default: bool = False


class BankAccounts(ResultModel):
    bank_accounts: list[BankAccountRow]
