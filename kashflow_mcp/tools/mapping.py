"""The explicit mapping between KashFlow's wire records and the assistant's models.

Reading turns wire quirks into plain values (0/1 → bool, ``-1`` VAT → "exempt", .NET's empty
date ``0001-01-01`` → None, numbered fields → lists). Writing merges the fields the assistant
gave onto the record as KashFlow holds it, because KashFlow's updates overwrite every field.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..kashflow.api import CustomerSummary
from ..kashflow.wire import records as wire
from ..schemas import customers as cs
from ..schemas import invoices as inv
from ..schemas.common import VAT_EXEMPT

PENNY = Decimal("0.01")
ZERO = Decimal("0")
WIRE_VAT_EXEMPT = Decimal("-1")
HOME_CURRENCY = "GBP"

# Customer fields that map one to one (snake_case → KashFlow's name).
_CUSTOMER_SCALARS = {
    "code": "Code",
    "name": "Name",
    "contact": "Contact",
    "contact_title": "ContactTitle",
    "contact_first_name": "ContactFirstName",
    "contact_last_name": "ContactLastName",
    "telephone": "Telephone",
    "mobile": "Mobile",
    "fax": "Fax",
    "email": "Email",
    "website": "Website",
    "vat_number": "VATNumber",
    "notes": "Notes",
    "source": "Source",
    "discount": "Discount",
    "show_discount": "ShowDiscount",
    "payment_terms": "PaymentTerms",
    "currency_id": "CurrencyID",
}
_BILLING = ("Address", "Postcode", "CountryName", "CountryCode")
_DELIVERY = ("DeliveryAddress", "DeliveryPostcode", "DeliveryCountryName", "DeliveryCountryCode")


def midnight(day: date) -> datetime:
    """KashFlow's dates are dateTimes: a day is sent as its midnight."""
    return datetime.combine(day, datetime.min.time())


def to_date(value: datetime | None) -> date | None:
    """.NET writes DateTime.MinValue (year 1) for "no date"."""
    return None if value is None or value.year <= 1 else value.date()


def _trimmed(values: list[Any], empty: Any) -> list[Any]:
    while values and values[-1] == empty:
        values.pop()
    return values


def _or_none(value: str | None) -> str | None:
    return value or None


def _address(record: wire.Customer, names: tuple[str, ...]) -> cs.Address:
    prefix, postcode, country_name, country_code = names
    lines = [getattr(record, f"{prefix}{i}") or "" for i in range(1, 5)]
    return cs.Address(
        lines=_trimmed(lines, ""),
        postcode=_or_none(getattr(record, postcode)),
        country_name=_or_none(getattr(record, country_name)),
        country_code=_or_none(getattr(record, country_code)),
    )


def customer_from_wire(record: wire.Customer) -> cs.Customer:
    values = {snake: getattr(record, pascal) for snake, pascal in _CUSTOMER_SCALARS.items()}
    values = {k: (_or_none(v) if isinstance(v, str) else v) for k, v in values.items()}
    for key in ("source", "currency_id"):
        values[key] = values[key] or None  # 0 means "none" on the wire
    values.update(code=record.Code or "", name=record.Name or "")
    values["show_discount"] = bool(record.ShowDiscount)
    return cs.Customer(
        **values,
        customer_id=record.CustomerID or 0,
        ec=bool(record.EC),
        outside_ec=bool(record.OutsideEC),
        address=_address(record, _BILLING),
        delivery_address=_address(record, _DELIVERY) if record.CustHasDeliveryAddress else None,
        extra_fields=_trimmed([getattr(record, f"ExtraText{i}") or "" for i in range(1, 21)], ""),
        extra_checkboxes=_trimmed(
            [bool(getattr(record, f"CheckBox{i}")) for i in range(1, 21)], False
        ),
        created=to_date(record.Created),
        updated=to_date(record.Updated),
    )


def customer_row(record: CustomerSummary) -> cs.CustomerRow:
    return cs.CustomerRow(
        customer_id=record.CustomerID or 0,
        code=record.Code or "",
        name=record.Name or "",
        email=_or_none(record.Email),
        postcode=_or_none(record.Postcode),
    )


def _apply_address(data: dict[str, Any], given: cs.AddressIn, names: tuple[str, ...]) -> None:
    prefix, postcode, country_name, country_code = names
    if given.lines is not None:
        padded = [*given.lines, "", "", "", ""][:4]
        for i, line in enumerate(padded, start=1):
            data[f"{prefix}{i}"] = line
    for value, key in (
        (given.postcode, postcode),
        (given.country_name, country_name),
        (given.country_code, country_code),
    ):
        if value is not None:
            data[key] = value


def customer_to_wire(fields: cs.CustomerFields, base: wire.Customer | None) -> wire.Customer:
    """``base`` with every field the assistant gave applied; a new record when base is None."""
    data = base.model_dump() if base else {}
    for snake, pascal in _CUSTOMER_SCALARS.items():
        value = getattr(fields, snake, None)
        if value is not None:
            data[pascal] = value
    if fields.ec is not None:
        data["EC"] = int(fields.ec)
    if fields.outside_ec is not None:
        data["OutsideEC"] = int(fields.outside_ec)
    if fields.address is not None:
        _apply_address(data, fields.address, _BILLING)
    if fields.delivery_address is not None:
        data["CustHasDeliveryAddress"] = 1
        _apply_address(data, fields.delivery_address, _DELIVERY)
    if fields.extra_fields is not None:
        for i in range(1, 21):
            data[f"ExtraText{i}"] = (
                fields.extra_fields[i - 1] if i <= len(fields.extra_fields) else ""
            )
    if fields.extra_checkboxes is not None:
        boxes = fields.extra_checkboxes
        for i in range(1, 21):
            data[f"CheckBox{i}"] = int(boxes[i - 1]) if i <= len(boxes) else 0
    return wire.Customer.model_validate(data)


# --------------------------------------------------------------------------- invoices


def money(value: Decimal) -> Decimal:
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def line_vat(quantity: Decimal, rate: Decimal, vat_rate: Decimal) -> Decimal:
    """VAT on one line, rounded half-up to the penny (exempt lines carry none)."""
    if vat_rate <= 0:
        return ZERO
    return money(quantity * rate * vat_rate / 100)


def invoice_totals(lines: list[wire.InvoiceLine]) -> tuple[Decimal, Decimal]:
    """Net and VAT of a document as KashFlow works them out: the sums of its lines."""
    net = sum((money((li.Quantity or ZERO) * (li.Rate or ZERO)) for li in lines), ZERO)
    return net, sum((li.VatAmount or ZERO for li in lines), ZERO)


def invoice_status(record: wire.Invoice, today: date) -> inv.InvoiceStatus:
    gross = (record.NetAmount or ZERO) + (record.VATAmount or ZERO)
    due = gross - (record.AmountPaid or ZERO)
    # A document totalling nothing, or less, owes nothing: it is not "paid" (KashFlow may still
    # flag it Paid, since what was paid covers it).
    if gross < 0:
        return "credit"
    if gross == 0:
        return "zero"
    if record.Paid == 1 or due <= 0:
        return "paid"
    due_date = to_date(record.DueDate)
    return "overdue" if due_date is not None and due_date < today else "unpaid"


def _amounts(record: wire.Invoice) -> tuple[Decimal, Decimal, Decimal, Decimal, Decimal]:
    net, vat, paid = record.NetAmount or ZERO, record.VATAmount or ZERO, record.AmountPaid or ZERO
    return net, vat, net + vat, paid, net + vat - paid


def invoice_row(record: wire.Invoice, today: date) -> inv.InvoiceRow:
    _, _, gross, _, due = _amounts(record)
    return inv.InvoiceRow(
        invoice_number=record.InvoiceNumber or 0,
        invoice_date=to_date(record.InvoiceDate),
        due_date=to_date(record.DueDate),
        currency_code=record.CurrencyCode or HOME_CURRENCY,
        gross_amount=gross,
        amount_due=due,
        status=invoice_status(record, today),
    )


def _line_from_wire(line: wire.InvoiceLine) -> inv.InvoiceLine:
    quantity, rate = line.Quantity or ZERO, line.Rate or ZERO
    vat_rate = line.VatRate if line.VatRate is not None else ZERO
    return inv.InvoiceLine(
        line_id=line.LineID or 0,
        description=line.Description or "",
        quantity=quantity,
        rate=rate,
        vat_rate=VAT_EXEMPT if vat_rate == WIRE_VAT_EXEMPT else format(vat_rate.normalize(), "f"),
        vat_amount=line.VatAmount or ZERO,
        net_amount=money(quantity * rate),
        nominal_id=line.ChargeType or None,
        project_id=line.ProjID or None,
    )


def invoice_from_wire(record: wire.Invoice, today: date) -> inv.Invoice:
    net, vat, gross, paid, due = _amounts(record)
    address = record.DeliveryAddress
    return inv.Invoice(
        invoice_number=record.InvoiceNumber or 0,
        invoice_id=record.InvoiceDBID or 0,
        customer_id=record.CustomerID or 0,
        customer_name=_or_none(record.CustomerName or record.Customer),
        invoice_date=to_date(record.InvoiceDate),
        due_date=to_date(record.DueDate),
        status=invoice_status(record, today),
        customer_reference=_or_none(record.CustomerReference),
        project_id=record.ProjectID or None,
        currency_code=record.CurrencyCode or HOME_CURRENCY,
        exchange_rate=record.ExchangeRate,
        net_amount=net,
        vat_amount=vat,
        gross_amount=gross,
        amount_paid=paid,
        amount_due=due,
        lines=[_line_from_wire(line) for line in record.Lines or ()],
        delivery_address=_delivery_from_wire(address) if address and _has_any(address) else None,
        use_custom_delivery_address=bool(record.UseCustomDeliveryAddress),
        permalink=_or_none(record.PermaLink),
    )


def _has_any(address: wire.DeliveryAddress) -> bool:
    return any(value for value in address.model_dump().values())


def _delivery_from_wire(address: wire.DeliveryAddress) -> inv.DeliveryAddress:
    lines = [address.Line1 or "", address.Line2 or "", address.Line3 or "", address.Line4 or ""]
    return inv.DeliveryAddress(
        name=_or_none(address.Name),
        lines=_trimmed(lines, ""),
        postcode=_or_none(address.PostCode),
        country_name=_or_none(address.CountryName),
        country_code=_or_none(address.CountryCode),
    )


def line_to_wire(
    line: inv.InvoiceLineIn, sort: int, nominal_id: int, foreign: bool
) -> wire.InvoiceLine:
    vat_rate = WIRE_VAT_EXEMPT if line.vat_rate == VAT_EXEMPT else Decimal(line.vat_rate)
    return wire.InvoiceLine(
        Quantity=line.quantity,
        Description=line.description,
        Rate=line.rate,
        VatRate=vat_rate,
        VatAmount=line_vat(line.quantity, line.rate, vat_rate),
        ChargeType=nominal_id,
        ProjID=line.project_id or 0,
        ProductID=0,
        LineID=0,
        Sort=sort,
        # Rates typed in a foreign invoice's currency must not be converted from GBP again.
        ValuesInCurrency=1 if foreign else 0,
    )


def _delivery_to_wire(
    given: inv.DeliveryAddressIn, base: wire.DeliveryAddress | None
) -> wire.DeliveryAddress:
    data = base.model_dump() if base else {}
    if given.lines is not None:
        for i, text in enumerate([*given.lines, "", "", "", ""][:4], start=1):
            data[f"Line{i}"] = text
    for value, key in (
        (given.name, "Name"),
        (given.postcode, "PostCode"),
        (given.country_name, "CountryName"),
        (given.country_code, "CountryCode"),
    ):
        if value is not None:
            data[key] = value
    return wire.DeliveryAddress.model_validate(data)


def invoice_header_to_wire(fields: inv.InvoiceFields, base: wire.Invoice) -> wire.Invoice:
    """``base`` with the header fields the assistant gave applied (lines untouched)."""
    data = base.model_dump()
    if fields.invoice_date is not None:
        data["InvoiceDate"] = midnight(fields.invoice_date)
    if fields.due_date is not None:
        data["DueDate"] = midnight(fields.due_date)
    for value, key in (
        (fields.customer_reference, "CustomerReference"),
        (fields.project_id, "ProjectID"),
        (fields.exchange_rate, "ExchangeRate"),
        (fields.use_custom_delivery_address, "UseCustomDeliveryAddress"),
    ):
        if value is not None:
            data[key] = value
    if fields.currency_code is not None:
        data["CurrencyCode"] = fields.currency_code.upper()
    record = wire.Invoice.model_validate(data)
    if fields.delivery_address is not None:
        record.DeliveryAddress = _delivery_to_wire(fields.delivery_address, base.DeliveryAddress)
    return record


def changed_fields(before: Any, after: Any) -> list[str]:
    """Top-level fields whose value differs between two result models."""
    old, new = before.model_dump(), after.model_dump()
    return [key for key in new if old.get(key) != new[key] and key != "updated"]
