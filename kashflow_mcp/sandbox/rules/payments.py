"""Payment rules: a payment against an invoice is positive, dated, and no more than is due."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .invoices import gross
from .records import fill
from .values import Refusal, day_of, money, text, to_decimal


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
