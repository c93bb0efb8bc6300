"""The bookkeeping rules the sandbox follows: pure functions, no I/O.

Records leave here *wire-ready*: every field of the WSDL record present, decimals as canonical
strings (never float), dates as ``yyyy-mm-ddT00:00:00``. That is also how they are stored, so
a stored record goes back out through the codec without another conversion.

Rules: a line's VAT is quantity × rate × VatRate / 100 rounded half-up to the penny (VatRate -1
is exempt: no VAT), its net is quantity × rate rounded the same way; an invoice's totals are the
sums of its lines; an invoice is paid (``Paid=1``) once its payments cover net + VAT.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from ...kashflow.wsdl_types import TYPES, ArrayType, record_fields

PENNY = Decimal("0.01")
EXEMPT = Decimal(-1)
# Far beyond any real invoice, far inside what Decimal arithmetic handles exactly.
LIMIT = Decimal(10) ** 12
NO_DATE = "0001-01-01T00:00:00"
MAX_TERMS = 3650

# Fields the service computes or owns: whatever a caller sends for them is ignored.
_INVOICE_READ_ONLY = {
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
_CUSTOMER_READ_ONLY = {"CustomerID", "Code", "Created", "Updated"}
_ZERO_OR_ONE = {"EC", "OutsideEC", "CustHasDeliveryAddress"} | {
    f"CheckBox{i}" for i in range(1, 21)
}


class Refusal(Exception):
    """The request is understood but refused: the service answers ``Status=NO`` with ``detail``."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


# --------------------------------------------------------------------------- values


def money(value: Decimal) -> Decimal:
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def text(value: Decimal) -> str:
    return format(value, "f")


def to_decimal(value: Any, what: str, default: Decimal = Decimal(0)) -> Decimal:
    """A finite decimal of sane size from a decoded value (None means "not sent")."""
    if value is None:
        return default
    try:
        result = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        raise Refusal(f"{what} must be a number") from None
    if not result.is_finite() or abs(result) >= LIMIT:
        raise Refusal(f"{what} must be a finite number below 1,000,000,000,000")
    return result


def wire_date(day: date) -> str:
    return f"{day.isoformat()}T00:00:00"


def day_of(value: Any, what: str) -> date | None:
    """The calendar day of a decoded dateTime; None when unset (.NET's 0001-01-01 included)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise Refusal(f"{what} must be a date as yyyy-mm-ddTHH:MM:SS") from None
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        raise Refusal(f"{what} must be a date")
    return None if value.year == 1 else value


def blank(type_name: str) -> dict[str, Any]:
    """A record with every field present and empty: "", 0, false, or the empty date."""
    record: dict[str, Any] = {}
    for name, kind in record_fields(type_name):
        spec = TYPES.get(kind)
        if isinstance(spec, ArrayType):
            record[name] = []
        elif spec is not None:
            record[name] = blank(kind)
        else:
            record[name] = _EMPTY.get(kind, "")
    return record


_EMPTY: dict[str, Any] = {
    "int": 0,
    "integer": 0,
    "decimal": "0",
    "boolean": False,
    "dateTime": NO_DATE,
}


def _wire_value(value: Any, kind: str, what: str) -> Any:
    if kind in ("int", "integer"):
        return int(value)
    if kind == "decimal":
        return text(to_decimal(value, what))
    if kind == "boolean":
        return bool(value)
    if kind == "dateTime":
        day = day_of(value, what)
        return wire_date(day) if day else NO_DATE
    if kind in TYPES:
        return fill(kind, value if isinstance(value, Mapping) else {}, what)
    return value if isinstance(value, str) else str(value)


def fill(
    type_name: str, sent: Mapping[str, Any], what: str, skip: Collection[str] = ()
) -> dict[str, Any]:
    """A complete record: what was sent, everything else empty (the service's overwrite)."""
    record = blank(type_name)
    for name, kind in record_fields(type_name):
        if name not in skip and sent.get(name) is not None:
            record[name] = _wire_value(sent[name], kind, f"{what}.{name}")
    return record


# --------------------------------------------------------------------------- customers


def make_customer(
    sent: Mapping[str, Any], *, customer_id: int, code: str, created: str, updated: str
) -> dict[str, Any]:
    record = fill("Customer", sent, "Customer", skip=_CUSTOMER_READ_ONLY)
    if not record["Name"].strip():
        raise Refusal("Customer Name is required")
    for name in sorted(_ZERO_OR_ONE):
        if record[name] not in (0, 1):
            raise Refusal(f"Customer {name} must be 0 or 1")
    if not Decimal(0) <= Decimal(record["Discount"]) <= Decimal(100):
        raise Refusal("Customer Discount must be a percentage between 0 and 100")
    if not 0 <= record["PaymentTerms"] <= MAX_TERMS:
        raise Refusal(f"Customer PaymentTerms must be a number of days from 0 to {MAX_TERMS}")
    record.update(CustomerID=customer_id, Code=code, Created=created, Updated=updated)
    return record


def sent_code(sent: Mapping[str, Any]) -> str:
    return str(sent.get("Code") or "").strip()


def generate_code(name: str, taken: Callable[[str], bool]) -> str:
    """KashFlow-style code for a customer sent without one: name letters plus a counter."""
    stem = re.sub(r"[^A-Z0-9]", "", name.upper())[:6] or "CUST"
    counter = 1
    while taken(code := f"{stem}{counter:02d}"):
        counter += 1
    return code


# --------------------------------------------------------------------------- invoices

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


def settle(invoice: dict[str, Any], amount_paid: Decimal) -> dict[str, Any]:
    """Recompute totals from the lines and the paid status from ``amount_paid``."""
    invoice["NetAmount"] = text(sum((line_net(line) for line in invoice["Lines"]), Decimal(0)))
    vat = sum((Decimal(line["VatAmount"]) for line in invoice["Lines"]), Decimal(0))
    invoice["VATAmount"] = text(money(vat))
    invoice["AmountPaid"] = text(money(amount_paid))
    invoice["Paid"] = 1 if amount_paid >= gross(invoice) else 0
    return invoice


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
    record = fill("Invoice", sent, "Invoice", skip=_INVOICE_READ_ONLY)
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
    return settle(record, amount_paid)


def _add_days(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        raise Refusal("InvoiceDate must be a date before the year 9990") from None


def permalink(dbid: int) -> str:
    # .invalid is reserved (RFC 2606): plausible, and it can never reach a real server.
    return f"https://sandbox.kashflow.invalid/pdf/invoice/{dbid}"


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


# --------------------------------------------------------------------------- requests


def sent_record(params: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    """The record parameter ``name`` of a request, which must be present."""
    value = params.get(name)
    if not isinstance(value, Mapping):
        raise Refusal(f"{name} is required")
    return value


def not_found(what: str, key: Any) -> Refusal:
    return Refusal(f"{what} not found: {key}")


def stamp() -> str:
    """Now, as KashFlow writes Created/Updated: local time to the second, no zone."""
    return datetime.now().replace(microsecond=0).isoformat()
