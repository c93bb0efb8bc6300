"""Invoice tools: list a customer's invoices, get, create, update, delete."""

from __future__ import annotations

import logging
import time
from datetime import date, timedelta
from decimal import Decimal

from ..kashflow import KashFlowError, NotFoundError
from ..kashflow import models as wire
from ..schemas import invoices as inv
from .base import ToolEnv, ToolFailure, ToolResult, ToolSpec
from .common import as_of_text, delete_when_confirmed, page_bounds, state_digest
from .customers import fetch_customer
from .mapping import (
    HOME_CURRENCY,
    changed_fields,
    invoice_from_wire,
    invoice_header_to_wire,
    invoice_row,
    line_to_wire,
    midnight,
    to_date,
)
from .reconcile import LOOKED_UP, settle
from .render import render, table

logger = logging.getLogger(__name__)
FIND_NUMBERS = "Find invoice numbers with list_invoices."


async def fetch_invoice(env: ToolEnv, number: int) -> wire.Invoice:
    try:
        return await env.client.get_invoice(number)
    except NotFoundError:
        raise ToolFailure(f"No invoice number {number}. {FIND_NUMBERS}") from None


async def _nominal_ids(env: ToolEnv, lines: list[inv.InvoiceLineIn]) -> dict[int, int]:
    """Nominal code (4000) → KashFlow's internal id, which is what a line must carry."""
    wanted = {line.nominal_code for line in lines if line.nominal_code is not None}
    if not wanted:
        return {}
    nominals, _ = await env.cache.get_or_load("nominals", env.client.get_nominal_codes)
    ids = {n.Code: n.id for n in nominals if n.Code is not None and n.id is not None}
    missing = sorted(wanted - set(ids))
    if missing:
        raise ToolFailure(
            f"No nominal code {missing[0]}. List them with call_kashflow_api GetNominalCodes."
        )
    return ids


async def _wire_lines(
    env: ToolEnv, lines: list[inv.InvoiceLineIn], currency: str
) -> list[wire.InvoiceLine]:
    ids = await _nominal_ids(env, lines)
    foreign = currency != HOME_CURRENCY
    return [
        line_to_wire(line, sort, ids.get(line.nominal_code or 0, 0), foreign)
        for sort, line in enumerate(lines, start=1)
    ]


async def list_invoices(args: inv.ListInvoicesArgs, env: ToolEnv) -> ToolResult:
    try:
        records, loaded_at = await env.cache.get_or_load(
            f"invoices:{args.customer_id}",
            lambda: env.client.get_invoices_for_customer(args.customer_id),
        )
    except NotFoundError:
        records, loaded_at = [], time.time()
    if not records:
        await fetch_customer(env, args.customer_id)  # "no such customer" beats "no invoices"
    today = date.today()
    rows = sorted((invoice_row(r, today) for r in records), key=lambda r: -r.invoice_number)
    if args.status:
        rows = [row for row in rows if row.status == args.status]
    start, end, next_offset = page_bounds(len(rows), args.offset, args.limit)
    data = inv.InvoiceList(
        customer_id=args.customer_id,
        invoices=rows[start:end],
        total=len(rows),
        offset=args.offset,
        next_offset=next_offset,
        as_of=as_of_text(loaded_at),
    )
    heading = f"customer {args.customer_id}: invoices {start + 1}-{end} of {len(rows)}"
    if not data.invoices:
        heading = f"customer {args.customer_id}: no invoices match"
    if next_offset is not None:
        heading += f"; next_offset {next_offset}"
    return ToolResult(data, "\n".join([f"{heading} (as of {data.as_of})", *table(data.invoices)]))


async def get_invoice(args: inv.GetInvoiceArgs, env: ToolEnv) -> ToolResult:
    record = await fetch_invoice(env, args.invoice_number)
    if args.customer_id is not None and record.CustomerID != args.customer_id:
        raise ToolFailure(
            f"Invoice {args.invoice_number} belongs to customer {record.CustomerID}, "
            f"not {args.customer_id}."
        )
    invoice = invoice_from_wire(record, date.today())
    return ToolResult(invoice, render(invoice))


async def create_invoice(args: inv.CreateInvoiceArgs, env: ToolEnv) -> ToolResult:
    customer = await fetch_customer(env, args.customer_id)
    invoice_date = args.invoice_date or date.today()
    due_date = args.due_date or invoice_date + timedelta(days=customer.PaymentTerms or 0)
    if due_date < invoice_date:
        raise ToolFailure("due_date cannot be before invoice_date.")
    currency = (args.currency_code or HOME_CURRENCY).upper()
    draft = wire.Invoice(
        InvoiceDBID=0,
        InvoiceNumber=0,
        CustomerID=args.customer_id,
        InvoiceDate=midnight(invoice_date),
        DueDate=midnight(due_date),
        Paid=0,
        SuppressTotal=0,
        ProjectID=0,
        CurrencyCode=currency,
        # A foreign invoice without a rate takes KashFlow's rate for its currency, not 1.
        ExchangeRate=Decimal(1) if currency == HOME_CURRENCY else None,
        AmountPaid=Decimal(0),
        NetAmount=Decimal(0),
        VATAmount=Decimal(0),
        Lines=await _wire_lines(env, args.lines, currency),
    )
    record = invoice_header_to_wire(args, draft)
    recent = await env.client.get_recent_invoices(1)
    highest = max((i.InvoiceNumber or 0 for i in recent), default=0)
    number, looked_up = await settle(
        lambda: env.client.insert_invoice(record),
        lambda: _new_invoice_like(env, record, highest),
        what=f"creating an invoice for customer {args.customer_id}",
        how_to_check=f"list_invoices(customer_id={args.customer_id})",
    )
    env.cache.invalidate()
    created = await fetch_invoice(env, number)
    payment_recorded, note = False, ""
    if args.paid:
        payment_recorded, note = await _record_full_payment(env, created, invoice_date)
        if payment_recorded:
            created = await fetch_invoice(env, number)
    result = inv.InvoiceCreation(
        invoice=invoice_from_wire(created, date.today()), payment_recorded=payment_recorded
    )
    heading = f"created invoice {number}{note}{LOOKED_UP if looked_up else ''}"
    return ToolResult(result, render(result.invoice, heading=heading))


def _same_invoice(found: wire.Invoice, sent: wire.Invoice) -> bool:
    lines = [(line.Description, line.Rate, line.Quantity) for line in found.Lines or ()]
    wanted = [(line.Description, line.Rate, line.Quantity) for line in sent.Lines or ()]
    return (
        to_date(found.InvoiceDate) == to_date(sent.InvoiceDate)
        and (found.CustomerReference or "") == (sent.CustomerReference or "")
        and lines == wanted
    )


async def _new_invoice_like(env: ToolEnv, sent: wire.Invoice, highest: int) -> int | None:
    """The number of an invoice created after ``highest`` that matches what was sent."""
    invoices = await env.client.get_invoices_for_customer(sent.CustomerID or 0)
    matches = [
        i.InvoiceNumber
        for i in invoices
        if (i.InvoiceNumber or 0) > highest and _same_invoice(i, sent)
    ]
    if len(matches) > 1:
        raise ToolFailure("several matching new invoices")  # ambiguous: report as unknown
    return matches[0] if matches else None


async def _record_full_payment(env: ToolEnv, record: wire.Invoice, on: date) -> tuple[bool, str]:
    gross = (record.NetAmount or Decimal(0)) + (record.VATAmount or Decimal(0))
    payment = wire.Payment(
        PayID=0,
        PayInvoice=record.InvoiceNumber,
        PayDate=midnight(on),
        PayNote="Paid in full (recorded when the invoice was created)",
        PayMethod=0,
        PayAccount=0,
        PayAmount=gross,
    )

    async def recorded() -> int | None:
        payments = await env.client.get_invoice_payments(record.InvoiceNumber or 0)
        return 1 if any(p.PayAmount == gross for p in payments) else None

    try:
        await settle(
            lambda: env.client.insert_invoice_payment(payment),
            recorded,
            what=f"recording the payment of invoice {record.InvoiceNumber}",
            how_to_check=f"get_invoice(invoice_number={record.InvoiceNumber})",
        )
    except (KashFlowError, ToolFailure) as exc:
        logger.warning("invoice %s created but its payment failed: %s", record.InvoiceNumber, exc)
        return False, f"; recording the payment FAILED ({exc}): record it in KashFlow"
    return True, "; payment in full recorded"


async def update_invoice(args: inv.UpdateInvoiceArgs, env: ToolEnv) -> ToolResult:
    if not args.model_dump(exclude_none=True, exclude={"invoice_number"}):
        raise ToolFailure("Nothing to change: give at least one field besides invoice_number.")
    # UpdateInvoice overwrites header and lines: read, merge, write back.
    current = await fetch_invoice(env, args.invoice_number)
    before = invoice_from_wire(current, date.today())
    record = invoice_header_to_wire(args, current)
    if args.lines is not None:
        record.Lines = await _wire_lines(env, args.lines, record.CurrencyCode or HOME_CURRENCY)
    if record.InvoiceDate and record.DueDate and record.DueDate < record.InvoiceDate:
        raise ToolFailure("due_date cannot be before invoice_date.")
    intended = _comparable(invoice_from_wire(record, date.today()))

    async def applied() -> bool | None:
        now = invoice_from_wire(await fetch_invoice(env, args.invoice_number), date.today())
        return True if _comparable(now) == intended else None

    _, looked_up = await settle(
        lambda: env.client.update_invoice(record),
        applied,
        what=f"updating invoice {args.invoice_number}",
        how_to_check=f"get_invoice(invoice_number={args.invoice_number})",
    )
    env.cache.invalidate()
    after = invoice_from_wire(await fetch_invoice(env, args.invoice_number), date.today())
    result = inv.InvoiceUpdate(invoice=after, changed=changed_fields(before, after))
    heading = (
        f"updated invoice {args.invoice_number}; changed: {', '.join(result.changed) or 'nothing'}"
    )
    return ToolResult(result, render(after, heading=heading + (LOOKED_UP if looked_up else "")))


def _comparable(invoice: inv.Invoice) -> dict[str, object]:
    """What an update sets; line ids and totals are KashFlow's to assign and compute."""
    computed = {"lines", "net_amount", "vat_amount", "gross_amount", "amount_due", "status"}
    data = invoice.model_dump(exclude=computed | {"permalink"})
    data["lines"] = [(li.description, li.quantity, li.rate, li.vat_rate) for li in invoice.lines]
    return data


async def delete_invoice(args: inv.DeleteInvoiceArgs, env: ToolEnv) -> ToolResult:
    record = await fetch_invoice(env, args.invoice_number)
    invoice = invoice_from_wire(record, date.today())
    preview = inv.InvoiceDeletePreview(
        **invoice.model_dump(include=set(inv.InvoiceDeletePreview.model_fields))
    )
    what = (
        f"invoice {invoice.invoice_number} ({invoice.currency_code} {invoice.gross_amount}, "
        f"{invoice.status}) of customer {invoice.customer_id}"
    )
    if invoice.amount_paid:
        what += " with the payments recorded against it"
    outcome = await delete_when_confirmed(
        env,
        tool="delete_invoice",
        args=args,
        state=state_digest(record),
        what=what,
        delete=lambda: env.client.delete_invoice(args.invoice_number),
        look_up=lambda: env.client.get_invoice(args.invoice_number),
        how_to_check=f"get_invoice(invoice_number={args.invoice_number})",
    )
    data = inv.InvoiceDeletion(**outcome, preview=preview)
    return ToolResult(data, render(data))


INVOICE_TOOLS = (
    ToolSpec(
        name="list_invoices",
        title="List a customer's invoices",
        description="Page through one customer's invoices, newest first (compact rows).",
        args=inv.ListInvoicesArgs,
        result=inv.InvoiceList,
        handler=list_invoices,
        read_only=True,
        destructive=False,
        idempotent=True,
        operations=("GetInvoicesForCustomer", "GetInvoicesForCustomer_typeDefined"),
    ),
    ToolSpec(
        name="get_invoice",
        title="Get an invoice",
        description="One invoice with its lines, totals and payment status.",
        args=inv.GetInvoiceArgs,
        result=inv.Invoice,
        handler=get_invoice,
        read_only=True,
        destructive=False,
        idempotent=True,
        operations=("GetInvoice", "GetInvoiceByID", "GetInvoice_TypeDefined"),
    ),
    ToolSpec(
        name="create_invoice",
        title="Create an invoice",
        description="Raise a sales invoice for a customer. KashFlow numbers it and computes "
        "the totals; amounts are in the invoice currency.",
        args=inv.CreateInvoiceArgs,
        result=inv.InvoiceCreation,
        handler=create_invoice,
        read_only=False,
        destructive=False,
        idempotent=False,
        operations=("InsertInvoice", "InsertInvoice_TypeDefined"),
    ),
    ToolSpec(
        name="update_invoice",
        title="Update an invoice",
        description="Change some fields of an invoice; omitted fields keep their values.",
        args=inv.UpdateInvoiceArgs,
        result=inv.InvoiceUpdate,
        handler=update_invoice,
        read_only=False,
        destructive=True,
        idempotent=True,
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
        args=inv.DeleteInvoiceArgs,
        result=inv.InvoiceDeletion,
        handler=delete_invoice,
        read_only=False,
        destructive=True,
        idempotent=False,
        operations=("DeleteInvoice", "DeleteInvoiceByID"),
    ),
)
