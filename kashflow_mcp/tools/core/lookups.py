"""Looking Invoice-shaped documents up: one by number, its customer, the newest number, and the
one a lost insert made (invoices and credit notes are both raised with InsertInvoice)."""

from __future__ import annotations

from ...kashflow.wire import records as wire
from ..base import RecordKey, ToolEnv, ToolFailure
from .convert import to_date
from .reads import fetch
from .reconcile import Creation

FIND_NUMBERS = "Find invoice numbers with list_invoices."
FIND_CUSTOMERS = "Find customer ids with list_customers."


async def fetch_invoice(env: ToolEnv, number: int) -> wire.Invoice:
    return await fetch(
        env.client.invoices.get(number), f"No invoice number {number}. {FIND_NUMBERS}"
    )


async def fetch_customer(env: ToolEnv, customer_id: int) -> wire.Customer:
    missing = f"No customer {customer_id}. {FIND_CUSTOMERS}"
    return await fetch(env.client.customers.get(customer_id), missing)


async def highest_number(env: ToolEnv) -> int:
    recent = await env.client.invoices.recent(1)
    return max((i.InvoiceNumber or 0 for i in recent), default=0)


def _same_document(found: wire.Invoice, sent: wire.Invoice) -> bool:
    lines = [(line.Description, line.Rate, line.Quantity) for line in found.Lines or ()]
    wanted = [(line.Description, line.Rate, line.Quantity) for line in sent.Lines or ()]
    return (
        to_date(found.InvoiceDate) == to_date(sent.InvoiceDate)
        and (found.CustomerReference or "") == (sent.CustomerReference or "")
        and lines == wanted
    )


async def new_document_like(
    env: ToolEnv, sent: wire.Invoice, highest: int, owner: RecordKey, mine: Creation
) -> int | None:
    """The number of a document created after ``highest`` that matches what was sent and that
    no other call of ours made."""
    invoices = await env.client.invoices.for_customer(sent.CustomerID or 0)
    matches = [
        i.InvoiceNumber
        for i in invoices
        if (i.InvoiceNumber or 0) > highest
        and _same_document(i, sent)
        and i.InvoiceNumber not in mine.seen
    ]
    if len(matches) > 1 or (matches and env.creations.unexplained(owner, mine)):
        raise ToolFailure("ambiguous")  # another could be behind it: report the outcome unknown
    return matches[0] if matches else None
