"""Notes on invoices: add one (a chasing call, a promise to pay). Declared here as the
model sees it; the handler is in ``adding``."""

from __future__ import annotations

from ..base import Kind, ToolSpec
from ..toolsets import PAYMENTS

NOTE_TOOLS = (
    ToolSpec(
        name="add_invoice_note",
        title="Add a note to an invoice",
        description="Add a dated note to an invoice (a chasing call, a promise to pay); "
        "get_invoice shows an invoice's notes.",
        runs="notes.adding:add_invoice_note",
        toolset=PAYMENTS,
        kind=Kind.WRITE,
        operations=("InsertInvoiceNote",),
    ),
)
