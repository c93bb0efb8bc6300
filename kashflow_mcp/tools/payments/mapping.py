"""Payments as the assistant sees them, the invoice they are on, and the defaults they take.

KashFlow's Payment names its method and bank account by id; rows show their names. A payment
that names neither is paid by bank transfer (the method KashFlow calls BACS) into the main
bank account (the current account, nominal 1200): the choices a bookkeeper would make.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ...kashflow.wire import records as wire
from ...schemas import payments as pay
from ...schemas.values import EARLIEST_DATE
from ..base import ToolEnv, ToolFailure
from ..core.convert import HOME_CURRENCY, or_none, to_date
from ..core.reads import fetch
from ..documents import status

ZERO = Decimal(0)
CURRENT_ACCOUNT_CODE = 1200
FIND_NUMBERS = "Find invoice numbers with list_invoices."


async def fetch_invoice(env: ToolEnv, number: int) -> wire.Invoice:
    missing = f"No invoice number {number} (it may have been deleted). {FIND_NUMBERS}"
    return await fetch(env.client.invoices.get(number), missing)


async def payments_of(env: ToolEnv, number: int) -> list[wire.Payment]:
    missing = f"No invoice number {number} (it may have been deleted). {FIND_NUMBERS}"
    return await fetch(env.client.payments.for_invoice(number), missing)


def balance(record: wire.Invoice, paid: Decimal | None = None) -> pay.InvoiceBalance:
    """Where the invoice stands; with ``paid``, where it would stand with that much paid."""
    gross = (record.NetAmount or ZERO) + (record.VATAmount or ZERO)
    if paid is None:
        paid = record.AmountPaid or ZERO
    else:
        record = record.model_copy(update={"AmountPaid": paid, "Paid": int(paid >= gross)})
    return pay.InvoiceBalance(
        invoice_number=record.InvoiceNumber or 0,
        customer_id=record.CustomerID or 0,
        customer_name=or_none(record.CustomerName or record.Customer),
        currency_code=record.CurrencyCode or HOME_CURRENCY,
        gross_amount=gross,
        amount_paid=paid,
        amount_due=gross - paid,
        status=status(record, date.today()),
    )


def row(
    payment: wire.Payment, methods: list[wire.PaymentMethod], accounts: list[wire.BankAccount]
) -> pay.PaymentRow:
    method = {m.MethodID: m.MethodName for m in methods}.get(payment.PayMethod)
    account = {a.AccountID: a.AccountName for a in accounts}.get(payment.PayAccount)
    return pay.PaymentRow(
        payment_id=payment.PayID or 0,
        invoice_number=payment.PayInvoice or 0,
        date=to_date(payment.PayDate),
        amount=payment.PayAmount or ZERO,
        method=or_none(method),
        bank_account=or_none(account),
        note=or_none(payment.PayNote),
    )


def in_order(payments: list[wire.Payment]) -> list[wire.Payment]:
    """Oldest first, then in the order recorded."""
    return sorted(payments, key=lambda p: (to_date(p.PayDate) or EARLIEST_DATE, p.PayID or 0))


# --------------------------------------------------------------------------- defaults


def default_method(methods: list[wire.PaymentMethod]) -> wire.PaymentMethod | None:
    """Bank transfer: the method KashFlow calls BACS (or "bank transfer")."""
    for method in methods:
        name = (method.MethodName or "").casefold()
        if "bacs" in name or "bank transfer" in name:
            return method
    return None


def main_account(accounts: list[wire.BankAccount]) -> wire.BankAccount | None:
    """The current account on nominal 1200; else the only account, where there is one."""
    found = next((a for a in accounts if a.AccountCode == CURRENT_ACCOUNT_CODE), None)
    return found or (accounts[0] if len(accounts) == 1 else None)


def chosen_method(given: int | None, methods: list[wire.PaymentMethod]) -> wire.PaymentMethod:
    if given:
        found = next((m for m in methods if m.MethodID == given), None)
    else:
        found = default_method(methods)
    if found is None:
        listed = ", ".join(f"{m.MethodID} {m.MethodName}" for m in methods) or "none"
        wanted = f"No payment method {given}" if given else "No BACS payment method to default to"
        raise ToolFailure(f"{wanted}. Give method_id, one of: {listed} (list_payment_methods).")
    return found


def chosen_account(given: int | None, accounts: list[wire.BankAccount]) -> wire.BankAccount:
    if given:
        found = next((a for a in accounts if a.AccountID == given), None)
    else:
        found = main_account(accounts)
    if found is None:
        listed = ", ".join(f"{a.AccountID} {a.AccountName}" for a in accounts) or "none"
        wanted = f"No bank account {given}" if given else "No main bank account to default to"
        raise ToolFailure(f"{wanted}. Give bank_account_id, one of: {listed} (list_bank_accounts).")
    return found
