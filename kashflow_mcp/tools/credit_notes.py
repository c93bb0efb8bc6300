"""Credit notes: raise one for a customer, and set one against an invoice once confirmed.

KashFlow keeps a credit note as an invoice whose lines are negative: it is raised with
InsertInvoice (the quantities given are sent negative) and set against an invoice with
applyCreditNoteToInvoice, which records the credit as a payment on the invoice and the
opposite one on the credit note. Setting a credit note against an invoice has no undo in the
API, so it is confirmed like a delete: the token is bound to both documents as they are, and
the act holds both documents' write locks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ..kashflow import KashFlowError
from ..kashflow.wire import records as wire
from ..schemas import credit_notes as cn
from ..schemas.common import DocumentLineIn
from . import documents
from .base import Kind, ToolEnv, ToolFailure, ToolResult, ToolSpec
from .core import reference
from .core.confirmation import Subject, act_when_confirmed, state_digest
from .core.convert import HOME_CURRENCY, midnight
from .core.lookups import fetch_customer, fetch_invoice, highest_number, new_document_like
from .core.reads import concurrently
from .core.reconcile import LOOKED_UP, send_once
from .core.render import render
from .toolsets import PAYMENTS

ZERO = Decimal(0)


# --------------------------------------------------------------------------- creating


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
        env.cache.invalidate()
        created = await fetch_invoice(env, number)
    heading = f"created credit note {number}{LOOKED_UP if looked_up else ''}"
    application = None
    if args.invoice_number is not None:
        wanted = cn.ApplyCreditNoteArgs(
            credit_note_number=number, invoice_number=args.invoice_number
        )
        try:
            application = await _apply(env, wanted)
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


# --------------------------------------------------------------------------- applying


@dataclass(frozen=True)
class _Pair:
    """A credit note and an invoice as read, and what setting one against the other shows."""

    note: wire.Invoice
    invoice: wire.Invoice
    preview: cn.CreditApplicationPreview


async def apply_credit_note(args: cn.ApplyCreditNoteArgs, env: ToolEnv) -> ToolResult:
    result = await _apply(env, args)
    return ToolResult(result, render(result))


async def _read_pair(env: ToolEnv, args: cn.ApplyCreditNoteArgs) -> tuple[wire.Invoice, ...]:
    return tuple(
        await concurrently(
            lambda: fetch_invoice(env, args.credit_note_number),
            lambda: fetch_invoice(env, args.invoice_number),
        )
    )


async def _apply(env: ToolEnv, args: cn.ApplyCreditNoteArgs) -> cn.CreditApplication:
    if args.credit_note_number == args.invoice_number:
        raise ToolFailure("credit_note_number and invoice_number name the same document.")

    async def look() -> Subject:
        note, invoice = await _read_pair(env, args)
        pair = _Pair(note, invoice, _preview(note, invoice))
        shown = pair.preview
        what = (
            f"credit note {shown.credit_note_number} ({shown.currency_code} {shown.credit_left} "
            f"credit left) against invoice {shown.invoice_number} ({shown.currency_code} "
            f"{shown.invoice_amount_due} due) of customer {shown.customer_id}, applying "
            f"{shown.currency_code} {shown.amount_to_apply}"
        )
        return Subject(what=what, state=state_digest(note, invoice), preview=pair)

    async def act(subject: Subject) -> tuple[wire.Invoice, wire.Invoice, bool]:
        before: _Pair = subject.preview

        async def applied() -> bool | None:
            moved = _moved(before, *await _read_pair(env, args))
            if moved is False:  # cannot tell what happened: report the outcome unknown
                raise ToolFailure("the documents changed otherwise")
            return moved

        done, looked_up = await send_once(
            lambda: env.client.invoices.apply_credit_note(
                before.invoice.InvoiceDBID or 0, before.note.InvoiceDBID or 0
            ),
            applied,
            what=f"setting credit note {args.credit_note_number} against invoice "
            f"{args.invoice_number}",
            how_to_check=f"get_invoice(invoice_number={args.invoice_number})",
        )
        env.cache.invalidate()
        note, invoice = await _read_pair(env, args)
        if not done and not _moved(before, note, invoice):
            raise ToolFailure(
                f"KashFlow answered that it did not set credit note {args.credit_note_number} "
                f"against invoice {args.invoice_number}; check both with get_invoice."
            )
        return note, invoice, looked_up

    subject, done, held = await act_when_confirmed(
        env,
        tool="apply_credit_note",
        args=args,
        lock=("invoice", args.invoice_number),
        more_locks=(("invoice", args.credit_note_number),),
        look=look,
        act=act,
        question=lambda s: f"Set {s.what}?",
        action=lambda s: f"setting {s.what}",
    )
    pair: _Pair = subject.preview
    if done is None:
        return cn.CreditApplication(**held, preview=pair.preview)
    note, invoice, looked_up = done
    amount = (invoice.AmountPaid or ZERO) - (pair.invoice.AmountPaid or ZERO)
    currency = pair.preview.currency_code
    message = (
        f"Set credit note {args.credit_note_number} against invoice {args.invoice_number}: "
        f"{currency} {amount} applied; invoice {args.invoice_number} now has {currency} "
        f"{documents.amount_due(invoice)} due.{LOOKED_UP if looked_up else ''}"
    )
    return cn.CreditApplication(
        status="applied",
        message=message,
        preview=pair.preview,
        amount_applied=amount,
        credit_note=documents.credit_note_from_wire(note),
        invoice=documents.invoice_from_wire(invoice, date.today()),
    )


def _preview(note: wire.Invoice, invoice: wire.Invoice) -> cn.CreditApplicationPreview:
    """What setting ``note`` against ``invoice`` would do; refused when it cannot be done."""
    credit, number = note.InvoiceNumber, invoice.InvoiceNumber
    if not documents.is_credit_note(note):
        raise ToolFailure(
            f"Invoice {credit} is not a credit note (it does not total less than nothing). "
            "Raise one with create_credit_note."
        )
    if note.CustomerID != invoice.CustomerID:
        raise ToolFailure(
            f"Credit note {credit} is customer {note.CustomerID}'s and invoice {number} is "
            f"customer {invoice.CustomerID}'s: a credit note goes against its own customer's "
            "invoices."
        )
    if note.CurrencyCode != invoice.CurrencyCode:
        raise ToolFailure(
            f"Credit note {credit} is in {note.CurrencyCode} and invoice {number} in "
            f"{invoice.CurrencyCode}: they must be in the same currency."
        )
    left, due = documents.credit_note_from_wire(note).credit_left, documents.amount_due(invoice)
    if left <= 0:
        raise ToolFailure(f"Credit note {credit} has no credit left.")
    if documents.is_credit_note(invoice) or due <= 0:
        raise ToolFailure(f"Invoice {number} has nothing left to pay.")
    return cn.CreditApplicationPreview(
        credit_note_number=credit or 0,
        invoice_number=number or 0,
        customer_id=invoice.CustomerID or 0,
        customer_name=invoice.CustomerName or invoice.Customer or None,
        currency_code=invoice.CurrencyCode or HOME_CURRENCY,
        credit_left=left,
        invoice_amount_due=due,
        amount_to_apply=min(left, due),
    )


def _moved(before: _Pair, note: wire.Invoice, invoice: wire.Invoice) -> bool | None:
    """True when the invoice gained what the credit note gave up; None when neither moved;
    False when they moved otherwise (something else changed them)."""
    gained = (invoice.AmountPaid or ZERO) - (before.invoice.AmountPaid or ZERO)
    gave = (before.note.AmountPaid or ZERO) - (note.AmountPaid or ZERO)
    if gained == gave == 0:
        return None
    return gained > 0 and gained == gave


CREDIT_NOTE_TOOLS = (
    ToolSpec(
        name="create_credit_note",
        title="Create a credit note",
        description="Credit a customer: give what is credited as positive amounts. The "
        "result shows it as credit (used, left), never as paid.",
        args=cn.CreateCreditNoteArgs,
        result=cn.CreditNoteCreation,
        handler=create_credit_note,
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
        args=cn.ApplyCreditNoteArgs,
        result=cn.CreditApplication,
        handler=apply_credit_note,
        toolset=PAYMENTS,
        kind=Kind.DESTRUCTIVE,
        operations=("applyCreditNoteToInvoice",),
    ),
)
