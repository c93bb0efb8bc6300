"""delete_payment: preview, then delete once confirmed, under the lock of the payment's invoice.

KashFlow cannot read one payment by its id: only an invoice's payments, or a period's. So the
payment's invoice is taken from where this server last saw the payment (recording or listing
it: ``ToolEnv.sightings``) and confirmed by reading that invoice's payments; a payment never
seen here is searched for once among every payment on the books, a page at a time. The
preview names the invoice; the token is bound to the payment and the invoice as they are,
and the delete acts on them as read again under the invoice's lock.
"""

from __future__ import annotations

from ...kashflow import NotFoundError
from ...kashflow.wire import records as wire
from ...schemas import payments as pay
from ...schemas.values import EARLIEST_DATE, LATEST_DATE
from ..base import ToolEnv, ToolFailure, ToolResult, handles
from ..core import reference
from ..core.confirmation import Subject, delete_when_confirmed, state_digest
from ..core.reads import concurrently
from ..core.render import render
from ..documents import is_credit_note
from .listing import dated
from .mapping import ZERO, balance, row

FIND_PAYMENTS = "Find payment ids with list_payments."


async def _on_invoice(
    env: ToolEnv, payment_id: int, number: int
) -> tuple[wire.Payment, wire.Invoice] | None:
    """The payment and its invoice, if the payment is on invoice ``number``."""
    try:
        payments, record = await concurrently(
            lambda: env.client.payments.for_invoice(number),
            lambda: env.client.invoices.get(number),
        )
    except NotFoundError:
        return None
    found = next((p for p in payments if p.PayID == payment_id), None)
    return (found, record) if found is not None else None


async def find_payment(env: ToolEnv, payment_id: int) -> tuple[wire.Payment, wire.Invoice]:
    """The payment and its invoice, where this server saw it or, failing that, anywhere."""
    seen_on = env.sightings.invoice_of(payment_id)
    found = await _on_invoice(env, payment_id, seen_on) if seen_on else None
    if found is None:
        everything = await dated(env, EARLIEST_DATE, LATEST_DATE)
        home = next((p.PayInvoice for p in everything if p.PayID == payment_id), None)
        found = await _on_invoice(env, payment_id, home) if home else None
    if found is None:
        raise ToolFailure(f"No payment {payment_id}. {FIND_PAYMENTS}")
    env.sightings.saw(payment_id, found[1].InvoiceNumber or 0)
    return found


@handles(pay.DeletePaymentArgs, pay.PaymentDeletion)
async def delete_payment(args: pay.DeletePaymentArgs, env: ToolEnv) -> ToolResult:
    home: list[int] = []  # the invoice the payment is on, once looking has found it

    async def look() -> Subject:
        (payment, record), methods, accounts = await concurrently(
            lambda: find_payment(env, args.payment_id),
            lambda: reference.pay_methods(env),
            lambda: reference.bank_accounts(env),
        )
        number = record.InvoiceNumber or 0
        if is_credit_note(record):
            # Half of the pair that set the credit note against an invoice: taking it away
            # alone would leave the invoice settled by credit the note no longer gives.
            raise ToolFailure(
                f"Payment {args.payment_id} is on credit note {number}: it is the credit set "
                "against an invoice, not money received. To undo the credit, delete the "
                "invoice's half (delete_payment on the invoice's payment from this credit "
                "note), or delete the credit note itself (delete_invoice)."
            )
        home[:] = [number]
        left = (record.AmountPaid or ZERO) - (payment.PayAmount or ZERO)
        preview = pay.PaymentDeletePreview(
            payment=row(payment, methods, accounts), invoice=balance(record, paid=left)
        )
        after = preview.invoice
        what = (
            f"payment {args.payment_id} of {after.currency_code} {preview.payment.amount} on "
            f"invoice {number} of customer {after.customer_id}, leaving "
            f"{after.currency_code} {after.amount_due} due ({after.status})"
        )
        return Subject(
            what=what,
            state=state_digest(payment, record),
            preview=preview,
            locks=(("invoice", number),),
        )

    async def still_there() -> None:
        """Raises NotFoundError once the payment is gone: settles a lost answer."""
        payments = await env.client.payments.for_invoice(home[0])
        if all(p.PayID != args.payment_id for p in payments):
            raise NotFoundError(f"no payment {args.payment_id}", operation="GetInvoicePayment")

    subject, outcome = await delete_when_confirmed(
        env,
        tool="delete_payment",
        args=args,
        lock=None,  # the invoice to lock is known only once the payment is found
        look=look,
        delete=lambda: env.client.payments.delete(args.payment_id),
        look_up=still_there,
        how_to_check=f"list_payments on the invoice of payment {args.payment_id}",
    )
    data = pay.PaymentDeletion(**outcome, preview=subject.preview)
    return ToolResult(data, render(data))
