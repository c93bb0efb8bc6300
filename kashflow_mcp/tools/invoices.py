"""Invoice tools: list a customer's invoices, get, create, update, delete."""

from __future__ import annotations

import logging
import time
from datetime import date, timedelta
from decimal import Decimal

from ..kashflow import KashFlowError, NotFoundError
from ..kashflow.wire import records as wire
from ..schemas import invoices as inv
from .base import ToolEnv, ToolFailure, ToolResult, ToolSpec
from .common import (
    Subject,
    as_of_text,
    concurrently,
    delete_when_confirmed,
    page_bounds,
    state_digest,
    update_heading,
)
from .customers import fetch_customer
from .mapping import (
    HOME_CURRENCY,
    invoice_from_wire,
    invoice_header_to_wire,
    invoice_row,
    invoice_totals,
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
        return await env.client.invoices.get(number)
    except NotFoundError:
        raise ToolFailure(f"No invoice number {number}. {FIND_NUMBERS}") from None


async def _nominal_ids(env: ToolEnv, lines: list[inv.InvoiceLineIn] | None) -> dict[int, int]:
    """Nominal code (4000) → KashFlow's internal id, which is what a line must carry."""
    wanted = {line.nominal_code for line in lines or () if line.nominal_code is not None}
    if not wanted:
        return {}
    nominals, _ = await env.cache.get_or_load("nominals", env.client.reference.nominal_codes)
    ids = {n.Code: n.id for n in nominals if n.Code is not None and n.id is not None}
    missing = sorted(wanted - set(ids))
    if missing:
        raise ToolFailure(
            f"No nominal code {missing[0]}. List them with call_kashflow_api GetNominalCodes."
        )
    return ids


async def _currencies(env: ToolEnv) -> dict[str, wire.Currencies]:
    """The account's currencies by ISO code."""
    rows, _ = await env.cache.get_or_load("currencies", env.client.reference.currencies)
    return {row.CurrencyCode.upper(): row for row in rows if row.CurrencyCode}


def _currency(code: str, currencies: dict[str, wire.Currencies]) -> wire.Currency:
    if not currencies:  # an account that lists none: nothing to check against
        return wire.Currencies(CurrencyCode=code.upper())
    found = currencies.get(code.upper())
    if found is None:
        known = ", ".join(sorted(currencies)) or HOME_CURRENCY
        raise ToolFailure(f"currency_code {code.upper()} is not one this account uses: {known}.")
    return found


def _customers_currency(customer: wire.Customer, currencies: dict[str, wire.Currencies]) -> str:
    """The currency a customer is billed in: their own where they have one, else the pound."""
    return next(
        (code for code, row in currencies.items() if row.CurrencyId == customer.CurrencyID),
        HOME_CURRENCY,
    )


async def _highest_invoice_number(env: ToolEnv) -> int:
    recent = await env.client.invoices.recent(1)
    return max((i.InvoiceNumber or 0 for i in recent), default=0)


def _wire_lines(
    lines: list[inv.InvoiceLineIn], currency: str, ids: dict[int, int]
) -> list[wire.InvoiceLine]:
    foreign = currency != HOME_CURRENCY
    return [
        line_to_wire(line, sort, ids.get(line.nominal_code or 0, 0), foreign)
        for sort, line in enumerate(lines, start=1)
    ]


async def list_invoices(args: inv.ListInvoicesArgs, env: ToolEnv) -> ToolResult:
    try:
        records, loaded_at = await env.cache.get_or_load(
            f"invoices:{args.customer_id}",
            lambda: env.client.invoices.for_customer(args.customer_id),
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
    # Held shared: invoices for one customer go on side by side, but the customer cannot be
    # deleted through this server while one is being raised.
    async with env.locks.hold(read=[("customer", args.customer_id)]):
        customer, currencies, highest, ids = await concurrently(
            lambda: fetch_customer(env, args.customer_id),
            lambda: _currencies(env),
            lambda: _highest_invoice_number(env),
            lambda: _nominal_ids(env, args.lines),
        )
        invoice_date = args.invoice_date or date.today()
        due_date = args.due_date or invoice_date + timedelta(days=customer.PaymentTerms or 0)
        if due_date < invoice_date:
            raise ToolFailure("due_date cannot be before invoice_date.")
        currency = args.currency_code or _customers_currency(customer, currencies)
        currency = _currency(currency, currencies).CurrencyCode or HOME_CURRENCY
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
            Lines=_wire_lines(args.lines, currency, ids),
        )
        record = invoice_header_to_wire(args, draft)
        record.CurrencyCode = currency
        number, looked_up = await settle(
            lambda: env.client.invoices.insert(record),
            lambda: _new_invoice_like(env, record, highest),
            what=f"creating an invoice for customer {args.customer_id}",
            how_to_check=f"list_invoices(customer_id={args.customer_id})",
        )
        env.cache.invalidate()
        created = await fetch_invoice(env, number)
        payment_recorded, note = False, ""
        if args.paid:
            async with env.locks.hold(write=[("invoice", number)]):
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
    invoices = await env.client.invoices.for_customer(sent.CustomerID or 0)
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
        payments = await env.client.payments.for_invoice(record.InvoiceNumber or 0)
        return 1 if any(p.PayAmount == gross for p in payments) else None

    try:
        await settle(
            lambda: env.client.payments.insert(payment),
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
    number = args.invoice_number
    # UpdateInvoice overwrites header and lines: read, merge, write back, all under the
    # invoice's lock so that no other call through this server can write in between.
    async with env.locks.hold(write=[("invoice", number)]):
        current, ids, currencies = await concurrently(
            lambda: fetch_invoice(env, number),
            lambda: _nominal_ids(env, args.lines),
            lambda: _currencies(env) if args.currency_code else _no_currencies(),
        )
        today = date.today()
        before = invoice_from_wire(current, today)
        record = _merged(args, current, ids, currencies)
        intended = invoice_from_wire(record, today)

        async def applied() -> bool | None:
            now = invoice_from_wire(await fetch_invoice(env, number), today)
            return True if not _differences(intended, now, SETTABLE) else None

        _, looked_up = await settle(
            lambda: env.client.invoices.update(record),
            applied,
            what=f"updating invoice {number}",
            how_to_check=f"get_invoice(invoice_number={number})",
        )
        env.cache.invalidate()
        after = invoice_from_wire(await fetch_invoice(env, number), today)
    result = inv.InvoiceUpdate(
        invoice=after,
        changed=_differences(before, intended),
        conflicts=_differences(intended, after, SETTABLE),
    )
    heading = update_heading(
        f"invoice {number}",
        result.changed,
        result.conflicts,
        looked_up,
        check=f"get_invoice(invoice_number={number})",
    )
    return ToolResult(result, render(after, heading=heading))


async def _no_currencies() -> dict[str, wire.Currencies]:
    return {}


def _merged(
    args: inv.UpdateInvoiceArgs,
    current: wire.Invoice,
    ids: dict[int, int],
    currencies: dict[str, wire.Currencies],
) -> wire.Invoice:
    """The invoice as it is to be written, refusing what KashFlow's books rules forbid."""
    record = invoice_header_to_wire(args, current)
    paid = current.AmountPaid or Decimal(0)
    currency = record.CurrencyCode or HOME_CURRENCY
    if currency != (current.CurrencyCode or HOME_CURRENCY):
        if paid > 0:
            raise ToolFailure(
                f"Invoice {current.InvoiceNumber} has {current.CurrencyCode} {paid} paid against "
                "it; its currency cannot change once payments are recorded."
            )
        if args.exchange_rate is None:  # the old currency's rate means nothing in the new one
            record.ExchangeRate = _currency(currency, currencies).ExchangeRate
        foreign = 1 if currency != HOME_CURRENCY else 0
        for line in record.Lines or ():
            line.ValuesInCurrency = foreign  # the lines keep their amounts, now in this currency
    if record.InvoiceDate and record.DueDate and record.DueDate < record.InvoiceDate:
        raise ToolFailure("due_date cannot be before invoice_date.")
    if args.lines is not None:
        record.Lines = _wire_lines(args.lines, currency, ids)
        record.NetAmount, record.VATAmount = invoice_totals(record.Lines)
        gross = record.NetAmount + record.VATAmount
        if gross < paid:
            raise ToolFailure(
                f"Invoice {current.InvoiceNumber} has {currency} {paid} paid against it; these "
                f"lines would total {gross}, less than was paid. Keep the total at {paid} or more."
            )
    return record


# Fields an update sets. The rest (totals, status, what is due, ids, the customer's name) are
# KashFlow's to compute: a difference there after the write is not somebody else's change.
SETTABLE = frozenset(
    {
        "invoice_date",
        "due_date",
        "customer_id",
        "customer_reference",
        "project_id",
        "currency_code",
        "exchange_rate",
        "lines",
        "delivery_address",
        "use_custom_delivery_address",
    }
)


def _projection(invoice: inv.Invoice) -> dict[str, object]:
    """An invoice as fields to compare; lines by what they say, not by their ids."""
    data = invoice.model_dump(exclude={"permalink"})
    data["lines"] = [
        (li.description, li.quantity, li.rate, li.vat_rate, li.nominal_id, li.project_id)
        for li in invoice.lines
    ]
    return data


def _differences(
    old: inv.Invoice, new: inv.Invoice, only: frozenset[str] | None = None
) -> list[str]:
    """The fields (of ``only``, when given) whose values differ between two invoices."""
    was, now = _projection(old), _projection(new)
    return [key for key in now if was.get(key) != now[key] and (only is None or key in only)]


async def delete_invoice(args: inv.DeleteInvoiceArgs, env: ToolEnv) -> ToolResult:
    async def look() -> Subject:
        record = await fetch_invoice(env, args.invoice_number)
        invoice = invoice_from_wire(record, date.today())
        what = (
            f"invoice {invoice.invoice_number} ({invoice.currency_code} {invoice.gross_amount}, "
            f"{invoice.status}) of customer {invoice.customer_id}"
        )
        if invoice.amount_paid:
            what += " with the payments recorded against it"
        preview = inv.InvoiceDeletePreview(
            **invoice.model_dump(include=set(inv.InvoiceDeletePreview.model_fields))
        )
        return Subject(what=what, state=state_digest(record), preview=preview)

    subject, outcome = await delete_when_confirmed(
        env,
        tool="delete_invoice",
        args=args,
        lock=("invoice", args.invoice_number),
        look=look,
        delete=lambda: env.client.invoices.delete(args.invoice_number),
        look_up=lambda: env.client.invoices.get(args.invoice_number),
        how_to_check=f"get_invoice(invoice_number={args.invoice_number})",
    )
    data = inv.InvoiceDeletion(**outcome, preview=subject.preview)
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
