"""Sales invoices: the handlers of get, create, update and delete (the mapping is in
``tools.documents``; lists and email have modules of their own)."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from decimal import Decimal

from ...kashflow import KashFlowError
from ...kashflow.wire import records as wire
from ...schemas import invoices as inv
from .. import documents
from ..base import ToolEnv, ToolFailure, ToolResult, handles
from ..core import reference
from ..core.confirmation import Subject, delete_when_confirmed, state_digest
from ..core.convert import HOME_CURRENCY, midnight
from ..core.lookups import fetch_customer, fetch_invoice, highest_number, new_document_like
from ..core.reads import concurrently
from ..core.reconcile import LOOKED_UP, send_once
from ..core.render import render
from ..core.update import require_changes, update_record

logger = logging.getLogger(__name__)


@handles(inv.GetInvoiceArgs, inv.Invoice)
async def get_invoice(args: inv.GetInvoiceArgs, env: ToolEnv) -> ToolResult:
    record = await fetch_invoice(env, args.invoice_number)
    if args.customer_id is not None and record.CustomerID != args.customer_id:
        raise ToolFailure(
            f"Invoice {args.invoice_number} belongs to customer {record.CustomerID}, "
            f"not {args.customer_id}."
        )
    # GetInvoiceNotes takes the invoice's system id, known only once the invoice is read.
    notes = await env.client.invoices.notes(record.InvoiceDBID or 0)
    invoice = documents.invoice_from_wire(record, date.today(), notes)
    return ToolResult(invoice, render(invoice))


# --------------------------------------------------------------------------- creating


@handles(inv.CreateInvoiceArgs, inv.InvoiceCreation)
async def create_invoice(args: inv.CreateInvoiceArgs, env: ToolEnv) -> ToolResult:
    # Held shared: invoices for one customer go on side by side, but the customer cannot be
    # deleted through this server while one is being raised.
    async with env.locks.hold(read=[("customer", args.customer_id)]):
        customer, currencies, highest, ids = await concurrently(
            lambda: fetch_customer(env, args.customer_id),
            lambda: reference.currencies(env),
            lambda: highest_number(env),
            lambda: reference.nominal_ids(env, args.lines),
        )
        record = _new_invoice(args, customer, currencies, ids)
        owner = ("customer", args.customer_id)
        with env.creations.start(owner) as mine:
            number, looked_up = await send_once(
                lambda: env.client.invoices.insert(record),
                lambda: new_document_like(env, record, highest, owner, mine),
                what=f"creating an invoice for customer {args.customer_id}",
                how_to_check=f"list_invoices(customer_id={args.customer_id})",
            )
            env.creations.made(owner, mine, number)
        created = await fetch_invoice(env, number)
        payment_recorded, note = False, ""
        if args.paid:
            async with env.locks.hold(write=[("invoice", number)]):
                payment_recorded, note = await _record_full_payment(env, created)
                if payment_recorded:
                    created = await fetch_invoice(env, number)
    result = inv.InvoiceCreation(
        invoice=documents.invoice_from_wire(created, date.today()),
        payment_recorded=payment_recorded,
    )
    heading = f"created invoice {number}{note}{LOOKED_UP if looked_up else ''}"
    return ToolResult(result, render(result.invoice, heading=heading))


def _new_invoice(
    args: inv.CreateInvoiceArgs,
    customer: wire.Customer,
    currencies: dict[str, wire.Currencies],
    ids: dict[int, int],
) -> wire.Invoice:
    """The invoice to insert: KashFlow's defaults for what was not given."""
    invoice_date = args.invoice_date or date.today()
    due_date = args.due_date or invoice_date + timedelta(days=customer.PaymentTerms or 0)
    if due_date < invoice_date:
        raise ToolFailure("due_date cannot be before invoice_date.")
    wanted = args.currency_code or reference.customers_currency(customer, currencies)
    currency = reference.currency(wanted, currencies).CurrencyCode or HOME_CURRENCY
    draft = wire.Invoice(
        InvoiceDBID=0,
        InvoiceNumber=0,
        CustomerID=args.customer_id,
        InvoiceDate=midnight(invoice_date),
        DueDate=midnight(due_date),
        Paid=0,
        SuppressTotal=0,
        ProjectID=0,
        # A foreign invoice without a rate takes KashFlow's rate for its currency, not 1.
        ExchangeRate=Decimal(1) if currency == HOME_CURRENCY else None,
        AmountPaid=Decimal(0),
        NetAmount=Decimal(0),
        VATAmount=Decimal(0),
        Lines=documents.lines_to_wire(args.lines, currency, ids),
    )
    record = documents.header_to_wire(args, draft)
    record.CurrencyCode = currency
    return record


async def _record_full_payment(env: ToolEnv, record: wire.Invoice) -> tuple[bool, str]:
    gross = (record.NetAmount or Decimal(0)) + (record.VATAmount or Decimal(0))
    payment = wire.Payment(
        PayID=0,
        PayInvoice=record.InvoiceNumber,
        PayDate=record.InvoiceDate,
        PayNote="Paid in full (recorded when the invoice was created)",
        PayMethod=0,
        PayAccount=0,
        PayAmount=gross,
    )

    async def recorded() -> int | None:
        payments = await env.client.payments.for_invoice(record.InvoiceNumber or 0)
        return 1 if any(p.PayAmount == gross for p in payments) else None

    try:
        await send_once(
            lambda: env.client.payments.insert(payment),
            recorded,
            what=f"recording the payment of invoice {record.InvoiceNumber}",
            how_to_check=f"get_invoice(invoice_number={record.InvoiceNumber})",
        )
    except (KashFlowError, ToolFailure) as exc:
        logger.warning("invoice %s created but its payment failed: %s", record.InvoiceNumber, exc)
        return False, f"; recording the payment FAILED ({exc}): record it in KashFlow"
    return True, "; payment in full recorded"


# --------------------------------------------------------------------------- changing


@handles(inv.UpdateInvoiceArgs, inv.InvoiceUpdate)
async def update_invoice(args: inv.UpdateInvoiceArgs, env: ToolEnv) -> ToolResult:
    require_changes(args, "invoice_number")
    number, today = args.invoice_number, date.today()

    async def prepare() -> tuple[dict[int, int], dict[str, wire.Currencies]]:
        """What the merge needs besides the invoice: read side by side with it."""
        known = reference.currencies if args.currency_code else reference.no_currencies
        ids, currencies = await concurrently(
            lambda: reference.nominal_ids(env, args.lines), lambda: known(env)
        )
        return ids, currencies

    done = await update_record(
        env,
        lock=("invoice", number),
        read=lambda: fetch_invoice(env, number),
        prepare=prepare,
        merge=lambda current, prepared: _merged(args, current, *prepared),
        write=env.client.invoices.update,
        view=lambda record: documents.invoice_from_wire(record, today),
        changed=documents.differences,
        conflicting=documents.settable_differences,
        what=f"invoice {number}",
        check=f"get_invoice(invoice_number={number})",
    )
    result = inv.InvoiceUpdate(invoice=done.after, changed=done.changed, conflicts=done.conflicts)
    return ToolResult(result, render(done.after, heading=done.heading))


def _merged(
    args: inv.UpdateInvoiceArgs,
    current: wire.Invoice,
    ids: dict[int, int],
    currencies: dict[str, wire.Currencies],
) -> wire.Invoice:
    """The invoice as it is to be written, refusing what KashFlow's books rules forbid."""
    record = documents.header_to_wire(args, current)
    paid = current.AmountPaid or Decimal(0)
    currency = record.CurrencyCode or HOME_CURRENCY
    if currency != (current.CurrencyCode or HOME_CURRENCY):
        if paid > 0:
            raise ToolFailure(
                f"Invoice {current.InvoiceNumber} has {current.CurrencyCode} {paid} paid against "
                "it; its currency cannot change once payments are recorded."
            )
        known = reference.currency(currency, currencies)  # refused unless the account has it
        if args.exchange_rate is None:  # the old currency's rate means nothing in the new one
            record.ExchangeRate = known.ExchangeRate
        foreign = 1 if currency != HOME_CURRENCY else 0
        for line in record.Lines or ():
            line.ValuesInCurrency = foreign  # the lines keep their amounts, now in this currency
    if record.InvoiceDate and record.DueDate and record.DueDate < record.InvoiceDate:
        raise ToolFailure("due_date cannot be before invoice_date.")
    if args.lines is not None:
        record.Lines = documents.lines_to_wire(args.lines, currency, ids)
        record.NetAmount, record.VATAmount = documents.totals(record.Lines)
        gross = record.NetAmount + record.VATAmount
        if gross < paid:
            raise ToolFailure(
                f"Invoice {current.InvoiceNumber} has {currency} {paid} paid against it; these "
                f"lines would total {gross}, less than was paid. Keep the total at {paid} or more."
            )
    return record


@handles(inv.DeleteInvoiceArgs, inv.InvoiceDeletion)
async def delete_invoice(args: inv.DeleteInvoiceArgs, env: ToolEnv) -> ToolResult:
    async def look() -> Subject:
        record = await fetch_invoice(env, args.invoice_number)
        invoice = documents.invoice_from_wire(record, date.today())
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
