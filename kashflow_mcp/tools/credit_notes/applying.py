"""Setting a credit note against an invoice, once the user agrees.

``applyCreditNoteToInvoice`` records the credit as a payment on the invoice and the opposite one
on the credit note. It has no undo in the API, so it is confirmed like a delete: the token is
bound to both documents as they are, and the act holds both documents' write locks. A lost
answer is settled by both documents' amounts paid, never by sending again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ...kashflow.wire import records as wire
from ...schemas import credit_notes as cn
from .. import documents
from ..base import ToolEnv, ToolFailure, ToolResult, handles
from ..core.confirmation import Subject, act_when_confirmed, state_digest
from ..core.convert import HOME_CURRENCY
from ..core.lookups import fetch_invoice
from ..core.reads import concurrently
from ..core.reconcile import LOOKED_UP, send_once
from ..core.render import render

ZERO = Decimal(0)


@dataclass(frozen=True)
class _Pair:
    """A credit note and an invoice as read, and what setting one against the other shows."""

    note: wire.Invoice
    invoice: wire.Invoice
    preview: cn.CreditApplicationPreview


@handles(cn.ApplyCreditNoteArgs, cn.CreditApplication)
async def apply_credit_note(args: cn.ApplyCreditNoteArgs, env: ToolEnv) -> ToolResult:
    result = await apply(env, args)
    return ToolResult(result, render(result))


async def _read_pair(env: ToolEnv, args: cn.ApplyCreditNoteArgs) -> tuple[wire.Invoice, ...]:
    return tuple(
        await concurrently(
            lambda: fetch_invoice(env, args.credit_note_number),
            lambda: fetch_invoice(env, args.invoice_number),
        )
    )


async def apply(env: ToolEnv, args: cn.ApplyCreditNoteArgs) -> cn.CreditApplication:
    """Preview (or ask), then apply once agreed: apply_credit_note's whole work, and the second
    half of create_credit_note with an invoice_number."""
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
