"""Listing invoices: one customer's or every customer's, by status and invoice date.

KashFlow's SOAP API keeps lists of its own: a customer's invoices (GetInvoicesForCustomer),
every invoice not paid in full (GetInvoices_Unpaid, part-paid ones included), every one of those
due before today (GetInvoices_Overdue) and every invoice dated in a range
(GetInvoicesByDateRange). A list across customers reads the one that fits, never one list per
customer. Whichever is read, the status and dates asked for are applied to its rows here as
well, so that every way of asking gives the same rows.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import date

from ...kashflow import NotFoundError
from ...kashflow.wire import records as wire
from ...schemas import invoices as inv
from .. import documents
from ..base import ToolEnv, ToolFailure, ToolResult, handles
from ..core.lookups import fetch_customer
from ..core.paging import as_of_text, page_bounds, page_text

# The dates the tools take: a range with no end given reaches to the first or the last of them.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2099, 12, 31)
_SHOWN = {
    "all": ("unpaid", "overdue", "paid", "credit", "zero"),
    "unpaid": ("unpaid", "overdue"),
    "overdue": ("overdue",),
    "paid": ("paid",),
}
_ONE_CUSTOMERS = [name for name in inv.InvoiceRow.model_fields if not name.startswith("customer")]

Load = Callable[[], Awaitable[list[wire.Invoice]]]


def _source(args: inv.ListInvoicesArgs, env: ToolEnv) -> tuple[str, Load]:
    """The KashFlow list to read, and the cache key that tells it from every other."""
    invoices = env.client.invoices
    customer, status = args.customer_id, args.status or "all"
    if customer is not None:
        return f"invoices:customer:{customer}", lambda: invoices.for_customer(customer)
    if status == "unpaid":
        return "invoices:unpaid", invoices.unpaid
    if status == "overdue":
        return "invoices:overdue", invoices.overdue
    first, last = args.date_from or FIRST_DAY, args.date_to or LAST_DAY
    return f"invoices:dated:{first}:{last}", lambda: invoices.dated(first, last)


def _wanted(args: inv.ListInvoicesArgs, row: inv.InvoiceRow) -> bool:
    if row.status not in _SHOWN[args.status or "all"]:
        return False
    if args.date_from is None and args.date_to is None:
        return True
    day = row.invoice_date
    return (
        day is not None
        and (args.date_from is None or day >= args.date_from)
        and (args.date_to is None or day <= args.date_to)
    )


def _scope(args: inv.ListInvoicesArgs) -> str:
    """What the heading says the list is of: "customer 7, unpaid, dated 2026-01-01..: "."""
    parts = [f"customer {args.customer_id}" if args.customer_id else "all customers"]
    if args.status and args.status != "all":
        parts.append(args.status)
    if args.date_from or args.date_to:
        parts.append(f"dated {args.date_from or ''}..{args.date_to or ''}")
    return ", ".join(parts) + ": "


@handles(inv.ListInvoicesArgs, inv.InvoiceList)
async def list_invoices(args: inv.ListInvoicesArgs, env: ToolEnv) -> ToolResult:
    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise ToolFailure("date_from must not be after date_to.")
    key, load = _source(args, env)
    try:
        records, loaded_at = await env.cache.get_or_load(key, load)
    except NotFoundError:
        records, loaded_at = [], time.time()
    if args.customer_id is not None and not records:
        await fetch_customer(env, args.customer_id)  # "no such customer" beats "no invoices"
    today, spanning = date.today(), args.customer_id is None
    rows = [documents.invoice_row(r, today, with_customer=spanning) for r in records]
    rows = sorted((row for row in rows if _wanted(args, row)), key=lambda r: -r.invoice_number)
    start, end, next_offset = page_bounds(len(rows), args.offset, args.limit)
    data = inv.InvoiceList(
        customer_id=args.customer_id,
        invoices=rows[start:end],
        total=len(rows),
        offset=args.offset,
        next_offset=next_offset,
        as_of=as_of_text(loaded_at),
    )
    text = page_text(
        "invoices",
        data.invoices,
        start,
        len(rows),
        next_offset,
        data.as_of,
        scope=_scope(args),
        columns=None if spanning else _ONE_CUSTOMERS,
    )
    return ToolResult(data, text)
