"""Invoice payments: record, list and delete them; the payment methods and bank accounts they
name (recording in ``recording``, lists in ``listing``, deletes in ``deleting``, the mapping
and defaults they share in ``mapping``)."""

from __future__ import annotations

from ..base import Kind, ToolSpec
from ..toolsets import PAYMENTS

PAYMENT_TOOLS = (
    ToolSpec(
        name="record_payment",
        title="Record a payment",
        description="Record money received against an invoice, in the invoice's currency: "
        "all that is due unless amount says less. Refuses more than is due.",
        runs="payments.recording:record_payment",
        toolset=PAYMENTS,
        kind=Kind.WRITE,
        operations=("InsertInvoicePayment",),
    ),
    ToolSpec(
        name="list_payments",
        title="List payments",
        description="Payments on one invoice, or received from date_from to date_to, oldest "
        "first (compact rows).",
        runs="payments.listing:list_payments",
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
        runs="payments.deleting:delete_payment",
        toolset=PAYMENTS,
        kind=Kind.DESTRUCTIVE,
        operations=("DeleteInvoicePayment",),
    ),
    ToolSpec(
        name="list_payment_methods",
        title="List payment methods",
        description="The ways an invoice can be paid: method_id for record_payment.",
        runs="payments.listing:list_payment_methods",
        toolset=PAYMENTS,
        kind=Kind.READ,
        operations=("GetInvPayMethods",),
    ),
    ToolSpec(
        name="list_bank_accounts",
        title="List bank accounts",
        description="The bank accounts payments go to: bank_account_id for record_payment.",
        runs="payments.listing:list_bank_accounts",
        toolset=PAYMENTS,
        kind=Kind.READ,
        operations=("GetBankAccounts",),
    ),
)
