"""Invoice payments: record, list and delete them; the payment methods and bank accounts they
name (recording in ``recording``, lists in ``listing``, deletes in ``deleting``, the mapping
and defaults they share in ``mapping``)."""

from __future__ import annotations

from ...schemas import payments as pay
from ..base import Kind, ToolSpec
from ..toolsets import PAYMENTS
from .deleting import delete_payment
from .listing import list_bank_accounts, list_payment_methods, list_payments
from .recording import record_payment

PAYMENT_TOOLS = (
    ToolSpec(
        name="record_payment",
        title="Record a payment",
        description="Record money received against an invoice, in the invoice's currency: "
        "all that is due unless amount says less. Refuses more than is due.",
        args=pay.RecordPaymentArgs,
        result=pay.PaymentRecording,
        handler=record_payment,
        toolset=PAYMENTS,
        kind=Kind.WRITE,
        operations=("InsertInvoicePayment",),
    ),
    ToolSpec(
        name="list_payments",
        title="List payments",
        description="Payments on one invoice, or received from date_from to date_to, oldest "
        "first (compact rows).",
        args=pay.ListPaymentsArgs,
        result=pay.PaymentList,
        handler=list_payments,
        toolset=PAYMENTS,
        kind=Kind.READ,
        operations=(
            "GetInvoicePayment",
            "GetInvoicePaymentsByDateRange",
            "GetInvoicePaymentsCountforDateRange",
        ),
    ),
    ToolSpec(
        name="delete_payment",
        title="Delete a payment",
        description="Delete a payment recorded against an invoice: it is owed again. The first "
        "call only previews; repeat it with the confirmation_token it returns to act.",
        args=pay.DeletePaymentArgs,
        result=pay.PaymentDeletion,
        handler=delete_payment,
        toolset=PAYMENTS,
        kind=Kind.DESTRUCTIVE,
        operations=("DeleteInvoicePayment",),
    ),
    ToolSpec(
        name="list_payment_methods",
        title="List payment methods",
        description="The ways an invoice can be paid: method_id for record_payment.",
        args=pay.NoArgs,
        result=pay.PaymentMethods,
        handler=list_payment_methods,
        toolset=PAYMENTS,
        kind=Kind.READ,
        operations=("GetInvPayMethods",),
    ),
    ToolSpec(
        name="list_bank_accounts",
        title="List bank accounts",
        description="The bank accounts payments go to: bank_account_id for record_payment.",
        args=pay.NoArgs,
        result=pay.BankAccounts,
        handler=list_bank_accounts,
        toolset=PAYMENTS,
        kind=Kind.READ,
        operations=("GetBankAccounts",),
    ),
)
