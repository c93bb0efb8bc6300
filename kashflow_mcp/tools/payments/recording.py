"""record_payment: money received against an invoice, at most what is due, never sent twice.

The invoice's lock is held from the first read to the read-back, so two payments on one
invoice through this server go one at a time and the second sees what the first left due.
A payment whose answer was lost is looked up on its invoice - one that was not there before,
of that amount and date - and never sent again.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ...kashflow.wire import records as wire
from ...schemas import payments as pay
from ..base import ToolEnv, ToolFailure, ToolResult, handles
from ..core import reference
from ..core.convert import HOME_CURRENCY, midnight, to_date
from ..core.reads import concurrently
from ..core.reconcile import LOOKED_UP, send_once
from ..core.render import render
from .mapping import balance, chosen_account, chosen_method, fetch_invoice, payments_of, row


def payable(args: pay.RecordPaymentArgs, record: wire.Invoice) -> Decimal:
    """What to pay: what was asked, refused unless it is more than 0 and no more than is due."""
    now = balance(record)
    number, due = now.invoice_number, f"{now.currency_code} {now.amount_due}"
    if now.status in ("credit", "zero"):
        raise ToolFailure(
            f"Invoice {number} totals {now.currency_code} {now.gross_amount} ({now.status}): "
            "there is nothing to pay on it."
        )
    if now.amount_due <= 0:
        raise ToolFailure(f"Invoice {number} is paid in full: nothing is due on it.")
    amount = now.amount_due if args.amount is None else args.amount
    if amount <= 0:
        raise ToolFailure(
            f"amount must be more than 0; invoice {number} has {due} due. A payment recorded "
            "in error is removed with delete_payment; money paid back to a customer is a "
            "refund: raise a credit note (create_credit_note) and pay it out in KashFlow."
        )
    if amount > now.amount_due:
        raise ToolFailure(
            f"amount {now.currency_code} {amount} is more than the {due} due on invoice "
            f"{number}. Record at most {now.amount_due} here; an overpayment is not an invoice "
            "payment: record the rest in KashFlow as an advance payment from the customer, or "
            "check the invoice number."
        )
    return amount


async def _recorded_like(env: ToolEnv, sent: wire.Payment, before: set[int]) -> int | None:
    """The id of the payment on the invoice that was not there before, of this amount and date."""
    payments = await env.client.payments.for_invoice(sent.PayInvoice or 0)
    matches = [
        p.PayID or 0
        for p in payments
        if p.PayID not in before
        and p.PayAmount == sent.PayAmount
        and to_date(p.PayDate) == to_date(sent.PayDate)
    ]
    if len(matches) > 1:
        raise ToolFailure("ambiguous")  # another payment just like it: report the outcome unknown
    return matches[0] if matches else None


@handles(pay.RecordPaymentArgs, pay.PaymentRecording)
async def record_payment(args: pay.RecordPaymentArgs, env: ToolEnv) -> ToolResult:
    number = args.invoice_number
    async with env.locks.hold(write=[("invoice", number)]):
        record, before, methods, accounts = await concurrently(
            lambda: fetch_invoice(env, number),
            lambda: payments_of(env, number),  # to tell ours apart should its answer be lost
            lambda: reference.pay_methods(env),
            lambda: reference.bank_accounts(env),
        )
        amount = payable(args, record)
        method = chosen_method(args.method_id, methods)
        account = chosen_account(args.bank_account_id, accounts)
        payment = wire.Payment(
            PayID=0,
            PayInvoice=number,
            PayDate=midnight(args.date or date.today()),
            PayNote=args.note or "",
            PayMethod=method.MethodID,
            PayAccount=account.AccountID,
            PayAmount=amount,
        )
        currency = record.CurrencyCode or HOME_CURRENCY
        known = {p.PayID or 0 for p in before}
        payment.PayID, looked_up = await send_once(
            lambda: env.client.payments.insert(payment),
            lambda: _recorded_like(env, payment, known),
            what=f"recording a payment of {currency} {amount} on invoice {number}",
            how_to_check=f"list_payments(invoice_number={number})",
        )
        env.sightings.saw(payment.PayID, number)
        after = await fetch_invoice(env, number)
    result = pay.PaymentRecording(payment=row(payment, methods, accounts), invoice=balance(after))
    heading = (
        f"recorded payment {payment.PayID} of {currency} {amount} on invoice {number}; it now "
        f"has {currency} {result.invoice.amount_due} due ({result.invoice.status})"
        f"{LOOKED_UP if looked_up else ''}"
    )
    return ToolResult(result, render(result, heading=heading))
