"""Invoice rules: lines priced with their VAT, totals from the lines, the paid status.

A line's VAT is quantity × rate × VatRate / 100 rounded half-up to the penny (VatRate -1 is
exempt: no VAT), its net is quantity × rate rounded the same way; an invoice's totals are the
sums of its lines; an invoice is paid (``Paid=1``) once its payments cover net + VAT. A credit
note is an invoice whose lines total less than nothing: it is paid once as much has gone out
of it (negative payments: set against invoices, or refunded), and stays unpaid until then, as
KashFlow's help pages describe both.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ...kashflow.wsdl_types import record_fields
from .records import fill
from .values import Refusal, day_of, money, text, to_decimal, wire_date

EXEMPT = Decimal(-1)

# Fields the service computes or owns: whatever a caller sends for them is ignored.
_READ_ONLY = {
    "InvoiceDBID",
    "InvoiceNumber",
    "Customer",
    "CustomerName",
    "Paid",
    "Lines",
    "NetAmount",
    "VATAmount",
    "AmountPaid",
    "PermaLink",
    "ReadableString",
}
_NON_TEXT_LINE_FIELDS = {name for name, kind in record_fields("InvoiceLine") if kind != "string"}


def price_line(sent: Any, index: int, line_id: int) -> dict[str, Any]:
    """A complete invoice line with its VAT worked out; ``index`` is 1-based, for messages."""
    what = f"Line {index}"
    # Without xsi:type the codec cannot read the line as an InvoiceLine and leaves its values
    # as raw text; the real service fails such calls too.
    if not isinstance(sent, Mapping) or any(
        isinstance(sent.get(name), str) for name in _NON_TEXT_LINE_FIELDS
    ):
        raise Refusal(f'{what} must be sent as <anyType xsi:type="InvoiceLine">')
    record = fill("InvoiceLine", sent, what, skip={"LineID", "VatAmount"})
    if not record["Description"].strip():
        raise Refusal(f"{what}: Description is required")
    if record["ValuesInCurrency"] not in (0, 1):
        raise Refusal(f"{what}: ValuesInCurrency must be 0 or 1")
    quantity = to_decimal(sent.get("Quantity"), f"{what} Quantity", Decimal(1))
    rate = to_decimal(sent.get("Rate"), f"{what} Rate")
    vat_rate = to_decimal(sent.get("VatRate"), f"{what} VatRate")
    if vat_rate != EXEMPT and not Decimal(0) <= vat_rate <= Decimal(100):
        raise Refusal(f"{what}: VatRate must be a percentage from 0 to 100, or -1 for exempt")
    vat = Decimal(0) if vat_rate == EXEMPT else money(quantity * rate * vat_rate / 100)
    record.update(
        Quantity=text(quantity), Rate=text(rate), VatRate=text(vat_rate), VatAmount=text(vat)
    )
    record["LineID"] = line_id
    return record


def line_net(line: Mapping[str, Any]) -> Decimal:
    return money(Decimal(line["Quantity"]) * Decimal(line["Rate"]))


def gross(invoice: Mapping[str, Any]) -> Decimal:
    return Decimal(invoice["NetAmount"]) + Decimal(invoice["VATAmount"])


def recompute_totals(invoice: dict[str, Any], amount_paid: Decimal) -> dict[str, Any]:
    """The invoice with its totals worked out again: net and VAT from its lines, AmountPaid
    from ``amount_paid`` and the paid flag from the two (changed in place, and returned)."""
    invoice["NetAmount"] = text(sum((line_net(line) for line in invoice["Lines"]), Decimal(0)))
    vat = sum((Decimal(line["VatAmount"]) for line in invoice["Lines"]), Decimal(0))
    invoice["VATAmount"] = text(money(vat))
    invoice["AmountPaid"] = text(money(amount_paid))
    invoice["Paid"] = 1 if covered(gross(invoice), amount_paid) else 0
    return invoice


def covered(total: Decimal, paid: Decimal) -> bool:
    """Whether payments of ``paid`` settle a document totalling ``total`` (either sign)."""
    return paid >= total if total >= 0 else paid <= total


def make_invoice(
    sent: Mapping[str, Any],
    *,
    dbid: int,
    number: int,
    customer: Mapping[str, Any],
    line_ids: list[int],
    amount_paid: Decimal,
    currencies: Mapping[str, Decimal],
) -> dict[str, Any]:
    """A complete invoice from what was sent; ``line_ids`` holds one id per sent line."""
    record = fill("Invoice", sent, "Invoice", skip=_READ_ONLY)
    issued = day_of(sent.get("InvoiceDate"), "InvoiceDate")
    if issued is None:
        raise Refusal("InvoiceDate is required")
    due = day_of(sent.get("DueDate"), "DueDate") or _add_days(issued, customer["PaymentTerms"])
    if due < issued:
        raise Refusal("DueDate must not be before InvoiceDate")
    code = (record["CurrencyCode"] or "GBP").strip().upper()
    if code not in currencies:
        raise Refusal(f"CurrencyCode must be one of {', '.join(sorted(currencies))}")
    rate = to_decimal(sent.get("ExchangeRate"), "ExchangeRate", currencies[code])
    if rate <= 0:
        raise Refusal("ExchangeRate must be greater than 0")
    if record["SuppressTotal"] not in (0, 1):
        raise Refusal("SuppressTotal must be 0 or 1")
    lines = list(sent.get("Lines") or ())
    record.update(
        InvoiceDBID=dbid,
        InvoiceNumber=number,
        InvoiceDate=wire_date(issued),
        DueDate=wire_date(due),
        CustomerID=customer["CustomerID"],
        Customer=customer["Name"],
        CustomerName=customer["Name"],
        CurrencyCode=code,
        ExchangeRate=text(rate),
        Lines=[price_line(line, i, line_ids[i - 1]) for i, line in enumerate(lines, 1)],
        PermaLink=permalink(dbid),
    )
    return recompute_totals(record, amount_paid)


def _add_days(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        raise Refusal("InvoiceDate must be a date before the year 9990") from None


def permalink(dbid: int) -> str:
    # .invalid is reserved (RFC 2606): plausible, and it can never reach a real server.
    return f"https://sandbox.kashflow.invalid/pdf/invoice/{dbid}"


def check_payments_still_fit(old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
    """Payments recorded against an invoice stay true after an edit (inferred: KashFlow's web
    app does not let an invoice be edited below what was paid on it, nor its currency change
    once paid in another)."""
    paid = Decimal(old["AmountPaid"])
    if paid == 0:
        return
    if new["CurrencyCode"] != old["CurrencyCode"]:
        raise Refusal(
            f"Invoice {old['InvoiceNumber']} has payments in {old['CurrencyCode']}; its currency "
            "cannot change"
        )
    if paid > 0 and gross(new) < paid:
        raise Refusal(
            f"Invoice {old['InvoiceNumber']} has {text(paid)} paid against it; its lines cannot "
            f"total less ({text(gross(new))})"
        )
    if paid < 0 and gross(new) > paid:
        raise Refusal(
            f"Credit note {old['InvoiceNumber']} has {text(-paid)} of its credit used; its lines "
            f"cannot credit less ({text(-gross(new))})"
        )


_TYPED_FIELDS = [name for name, _ in record_fields("Invoice_TypeDefined")]


def typed(invoice: Mapping[str, Any]) -> dict[str, Any]:
    """The invoice as an Invoice_TypeDefined: the same fields, less those it lacks (the PDF
    link and the delivery address); its lines go out as typed InvoiceLine elements."""
    return {name: invoice[name] for name in _TYPED_FIELDS}
