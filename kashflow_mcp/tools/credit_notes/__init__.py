"""Credit notes: raise one for a customer, and set one against an invoice once confirmed.

KashFlow keeps a credit note as an invoice whose lines are negative: it is raised with
InsertInvoice (the quantities given are sent negative) and set against an invoice with
applyCreditNoteToInvoice, which records the credit as a payment on the invoice and the
opposite one on the credit note. Setting a credit note against an invoice has no undo in the
API, so it is confirmed like a delete: the token is bound to both documents as they are, and
the act holds both documents' write locks.
"""

from __future__ import annotations

from ..base import Kind, ToolSpec
from ..toolsets import PAYMENTS

CREDIT_NOTE_TOOLS = (
    ToolSpec(
        name="create_credit_note",
        title="Create a credit note",
        description="Credit a customer: give what is credited as positive amounts. The "
        "result shows it as credit (used, left), never as paid.",
        runs="credit_notes.creating:create_credit_note",
        toolset=PAYMENTS,
        kind=Kind.WRITE,
        operations=("InsertInvoice",),
    ),
    ToolSpec(
        name="apply_credit_note",
        title="Apply a credit note",
        description="Set a credit note against its customer's invoice: the smaller of its "
        "credit left and the amount due. The first call only previews; repeat it with the "
        "confirmation_token it returns to act.",
        runs="credit_notes.applying:apply_credit_note",
        toolset=PAYMENTS,
        kind=Kind.DESTRUCTIVE,
        operations=("applyCreditNoteToInvoice",),
    ),
)
