"""Sales invoices: list, get, raise, update, delete, and email once allowed. This module
declares the tools as the model sees them; their handlers are in ``lists`` (one customer's or
every customer's invoices), ``handlers`` (get, create, update, delete) and ``emailing``, imported
on an invoice tool's first call. Every Invoice-shaped record is mapped in ``tools.documents``."""

from __future__ import annotations

from ..base import Kind, ToolSpec
from ..toolsets import INVOICES

INVOICE_TOOLS = (
    ToolSpec(
        name="list_invoices",
        title="List invoices",
        description="Page through invoices, newest first (compact rows); dates are invoice dates, "
        "inclusive.",
        runs="invoices.lists:list_invoices",
        toolset=INVOICES,
        kind=Kind.READ,
        operations=(
            "GetInvoicesForCustomer",
            "GetInvoicesForCustomer_typeDefined",
            "GetInvoices_Unpaid",
            "GetInvoices_Overdue",
            "GetInvoicesByDateRange",
        ),
    ),
    ToolSpec(
        name="get_invoice",
        title="Get an invoice",
        description="One invoice with its lines, totals, payment status and notes.",
        runs="invoices.handlers:get_invoice",
        toolset=INVOICES,
        kind=Kind.READ,
        operations=("GetInvoice", "GetInvoiceByID", "GetInvoice_TypeDefined", "GetInvoiceNotes"),
    ),
    ToolSpec(
        name="create_invoice",
        title="Create an invoice",
        description="Raise a sales invoice for a customer. KashFlow numbers it and computes "
        "the totals; amounts are in the invoice currency.",
        runs="invoices.handlers:create_invoice",
        toolset=INVOICES,
        kind=Kind.WRITE,
        operations=("InsertInvoice", "InsertInvoice_TypeDefined"),
    ),
    ToolSpec(
        name="update_invoice",
        title="Update an invoice",
        description="Change some fields of an invoice; omitted fields keep their values.",
        runs="invoices.handlers:update_invoice",
        toolset=INVOICES,
        kind=Kind.OVERWRITE,
        operations=(
            "UpdateInvoice",
            "UpdateInvoice_TypeDefined",
            "UpdateInvoiceHeader",
            "InsertInvoiceLine",
            "InsertInvoiceLineWithInvoiceNumber",
            "DeleteInvoiceLine",
            "DeleteInvoiceLineWithInvoiceID",
        ),
    ),
    ToolSpec(
        name="delete_invoice",
        title="Delete an invoice",
        description="Permanently delete an invoice. The first call only previews; repeat it "
        "with the confirmation_token it returns to act.",
        runs="invoices.handlers:delete_invoice",
        toolset=INVOICES,
        kind=Kind.DESTRUCTIVE,
        operations=("DeleteInvoice", "DeleteInvoiceByID"),
    ),
    # Offered only when the operator allows EmailInvoice.
    ToolSpec(
        name="email_invoice",
        title="Email an invoice",
        description="Email an invoice; previews first, sends when repeated with its "
        "confirmation_token.",
        runs="invoices.emailing:email_invoice",
        toolset=INVOICES,
        kind=Kind.WRITE,
        operations=("EmailInvoice",),
    ),
)
