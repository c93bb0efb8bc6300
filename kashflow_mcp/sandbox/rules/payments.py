"""Payment rules: a payment against an invoice is positive, dated, and no more than is due; it
names a payment method and a bank account the account has.

Inferred (KashFlow documents neither): a PayMethod or PayAccount of 0 means none was named -
the payment goes to the account's main bank account (its current account, nominal 1200) and
records no method - while any other id must be one GetInvPayMethods or GetBankAccounts lists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from .invoices import gross
from .records import fill
from .values import Refusal, day_of, money, text, to_decimal

CURRENT_ACCOUNT_CODE = 1200


def main_bank_account(accounts: Sequence[Mapping[str, Any]]) -> int:
    """The AccountID a payment naming no bank account goes to: the one on nominal 1200."""
    for account in accounts:
        if account["AccountCode"] == CURRENT_ACCOUNT_CODE:
            return int(account["AccountID"])
    if not accounts:
        raise Refusal("The account has no bank account for the payment to go to")
    return int(accounts[0]["AccountID"])


def _checked_id(
    sent: Mapping[str, Any],
    field: str,
    rows: Sequence[Mapping[str, Any]],
    id_field: str,
    what: str,
    listed_by: str,
) -> int:
    value = sent.get(field) or 0
    if value and value not in {row[id_field] for row in rows}:
        raise Refusal(f"{field} must be {what} of this account ({listed_by}); {value} is not")
    return int(value)


def with_account(
    sent: Mapping[str, Any],
    methods: Sequence[Mapping[str, Any]],
    accounts: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """``sent`` with its method and bank account checked, and the main account when none."""
    method = _checked_id(
        sent, "PayMethod", methods, "MethodID", "a payment method", "GetInvPayMethods"
    )
    account = _checked_id(
        sent, "PayAccount", accounts, "AccountID", "a bank account", "GetBankAccounts"
    )
    return {**sent, "PayMethod": method, "PayAccount": account or main_bank_account(accounts)}


def make_payment(
    sent: Mapping[str, Any], *, pay_id: int, invoice: Mapping[str, Any]
) -> dict[str, Any]:
    record = fill("Payment", sent, "Payment", skip={"PayID"})
    if day_of(sent.get("PayDate"), "PayDate") is None:
        raise Refusal("PayDate is required")
    amount = money(to_decimal(sent.get("PayAmount"), "PayAmount"))
    if amount <= 0:
        raise Refusal("PayAmount must be greater than 0")
    due = gross(invoice) - Decimal(invoice["AmountPaid"])
    if amount > due:
        raise Refusal(
            f"PayAmount must not exceed the amount due on invoice "
            f"{invoice['InvoiceNumber']} ({text(max(due, Decimal(0)))})"
        )
    record.update(PayID=pay_id, PayInvoice=invoice["InvoiceNumber"], PayAmount=text(amount))
    return record
