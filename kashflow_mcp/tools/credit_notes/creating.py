"""Raising a credit note: an invoice whose quantities are negative, in KashFlow's books.

What is credited is given as positive amounts; ``invoice_number`` also sets the new credit
note against that invoice, through the same confirmation as ``apply_credit_note``.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from ...kashflow import KashFlowError
from ...kashflow.wire import records as wire
from ...schemas import credit_notes as cn
from ...schemas.common import DocumentLineIn
from .. import documents
from ..base import ToolEnv, ToolFailure, ToolResult, handles
from ..core import reference
from ..core.convert import HOME_CURRENCY, midnight
from ..core.lookups import fetch_customer, fetch_invoice, highest_number, new_document_like
from ..core.reads import concurrently
from ..core.reconcile import LOOKED_UP, send_once
from ..core.render import render
from .applying import apply

ZERO = Decimal(0)


@handles(cn.CreateCreditNoteArgs, cn.CreditNoteCreation)
async def create_credit_note(args: cn.CreateCreditNoteArgs, env: ToolEnv) -> ToolResult:
    _only_positive(args.lines)
    # Held shared, as for an invoice: the customer cannot be deleted while this is raised.
    async with env.locks.hold(read=[("customer", args.customer_id)]):
        customer, currencies, highest, ids, target = await concurrently(
            lambda: fetch_customer(env, args.customer_id),
            lambda: reference.currencies(env),
            lambda: highest_number(env),
            lambda: reference.nominal_ids(env, args.lines),
            lambda: _target(env, args.invoice_number),
        )
        record = _new_credit_note(args, customer, currencies, ids, target)
        owner = ("customer", args.customer_id)
        with env.creations.start(owner) as mine:
            number, looked_up = await send_once(
                lambda: env.client.invoices.insert(record),
                lambda: new_document_like(env, record, highest, owner, mine),
                what=f"creating a credit note for customer {args.customer_id}",
                how_to_check=f"list_invoices(customer_id={args.customer_id})",
            )
            env.creations.made(owner, mine, number)
        created = await fetch_invoice(env, number)
    heading = f"created credit note {number}{LOOKED_UP if looked_up else ''}"
    application = None
    if args.invoice_number is not None:
        wanted = cn.ApplyCreditNoteArgs(
            credit_note_number=number, invoice_number=args.invoice_number
        )
        try:
            application = await apply(env, wanted)
        except (KashFlowError, ToolFailure) as exc:
            heading += (
                f"; setting it against invoice {args.invoice_number} FAILED ({exc}): the credit "
                f"note stands unused; set it with apply_credit_note"
            )
        else:
            heading += _next_step(application, wanted)
    result = cn.CreditNoteCreation(
        credit_note=documents.credit_note_from_wire(created), application=application
    )
    text = render(result.credit_note, heading=heading)
    if application is not None:
        text += "\n" + render(application, heading="application:")
    return ToolResult(result, text)


def _only_positive(lines: list[DocumentLineIn]) -> None:
    """What is credited is given as positive amounts; the credit note carries them negative."""
    for index, line in enumerate(lines):
        for field, value in (("quantity", line.quantity), ("rate", line.rate)):
            if value <= 0:
                raise ToolFailure(
                    f"lines.{index}.{field} must be more than 0: give what is credited as "
                    "positive amounts (the credit note carries them negative)."
                )


async def _target(env: ToolEnv, number: int | None) -> wire.Invoice | None:
    return None if number is None else await fetch_invoice(env, number)


def _new_credit_note(
    args: cn.CreateCreditNoteArgs,
    customer: wire.Customer,
    currencies: dict[str, wire.Currencies],
    ids: dict[int, int],
    target: wire.Invoice | None,
) -> wire.Invoice:
    """The credit note to insert: an invoice with the lines' quantities negative."""
    day = args.date or date.today()
    if target is not None:
        _check_target(target, args.customer_id)
        currency, rate = target.CurrencyCode or HOME_CURRENCY, target.ExchangeRate
    else:
        wanted = reference.customers_currency(customer, currencies)
        currency = reference.currency(wanted, currencies).CurrencyCode or HOME_CURRENCY
        # A foreign credit note without a rate takes KashFlow's rate for its currency, not 1.
        rate = Decimal(1) if currency == HOME_CURRENCY else None
    credited = [line.model_copy(update={"quantity": -line.quantity}) for line in args.lines]
    lines = documents.lines_to_wire(credited, currency, ids)
    return wire.Invoice(
        InvoiceDBID=0,
        InvoiceNumber=0,
        CustomerID=args.customer_id,
        InvoiceDate=midnight(day),
        DueDate=midnight(day + timedelta(days=customer.PaymentTerms or 0)),
        Paid=0,
        SuppressTotal=0,
        ProjectID=0,
        CustomerReference=args.customer_reference,
        CurrencyCode=currency,
        ExchangeRate=rate,
        AmountPaid=ZERO,
        NetAmount=ZERO,
        VATAmount=ZERO,
        Lines=lines,
    )


def _check_target(invoice: wire.Invoice, customer_id: int) -> None:
    """Refuse, before anything is created, an invoice this credit note could not go against."""
    number = invoice.InvoiceNumber
    if invoice.CustomerID != customer_id:
        raise ToolFailure(
            f"Invoice {number} is customer {invoice.CustomerID}'s, not customer {customer_id}'s: "
            "a credit note goes against its own customer's invoices. Nothing was created."
        )
    if documents.is_credit_note(invoice) or documents.amount_due(invoice) <= 0:
        raise ToolFailure(
            f"Invoice {number} has nothing left to pay, so there is nothing to set a credit "
            "note against. Nothing was created; leave invoice_number out to raise it unused."
        )


def _next_step(application: cn.CreditApplication, wanted: cn.ApplyCreditNoteArgs) -> str:
    if application.status == "applied":
        return f"; set against invoice {wanted.invoice_number}"
    if application.status == "declined":
        return f"; the user declined setting it against invoice {wanted.invoice_number}"
    application.message = (
        f"Not set against invoice {wanted.invoice_number} yet. Ask the user, then call "
        f"apply_credit_note(credit_note_number={wanted.credit_note_number}, "
        f"invoice_number={wanted.invoice_number}, confirmation_token=...) with this token."
    )
    return f"; setting it against invoice {wanted.invoice_number} needs confirmation"
