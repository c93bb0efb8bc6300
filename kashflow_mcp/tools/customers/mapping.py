"""Between KashFlow's Customer record and the assistant's customer: one to one where the names
differ only in case, and by hand for addresses, flags, custom fields and dates."""

from __future__ import annotations

from ...kashflow.api.customers import CustomerSummary
from ...kashflow.wire import records as wire
from ...schemas import customers as cs
from ...schemas.common import Address
from ..core.addresses import BILLING, CUSTOMER_DELIVERY, address_of, apply_address
from ..core.convert import or_none, padded, to_date, trimmed

# Customer fields that map one to one (snake_case → KashFlow's name).
_SCALARS = {
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


def customer_from_wire(record: wire.Customer) -> cs.Customer:
    data = record.model_dump()
    values = {snake: data[pascal] for snake, pascal in _SCALARS.items()}
    values = {k: (or_none(v) if isinstance(v, str) else v) for k, v in values.items()}
    for key in ("source", "currency_id"):
        values[key] = values[key] or None  # 0 means "none" on the wire
    values.update(code=record.Code or "", name=record.Name or "")
    values["show_discount"] = bool(record.ShowDiscount)
    delivery = Address(**address_of(data, CUSTOMER_DELIVERY))
    return cs.Customer(
        **values,
        customer_id=record.CustomerID or 0,
        ec=bool(record.EC),
        outside_ec=bool(record.OutsideEC),
        address=Address(**address_of(data, BILLING)),
        delivery_address=delivery if record.CustHasDeliveryAddress else None,
        extra_fields=trimmed([data[f"ExtraText{i}"] or "" for i in range(1, 21)], ""),
        extra_checkboxes=trimmed([bool(data[f"CheckBox{i}"]) for i in range(1, 21)], False),
        created=to_date(record.Created),
        updated=to_date(record.Updated),
    )


def customer_to_wire(fields: cs.CustomerFields, base: wire.Customer | None) -> wire.Customer:
    """``base`` with every field the assistant gave applied; a new record when base is None."""
    data = base.model_dump() if base else {}
    for snake, pascal in _SCALARS.items():
        value = getattr(fields, snake, None)
        if value is not None:
            data[pascal] = value
    if fields.ec is not None:
        data["EC"] = int(fields.ec)
    if fields.outside_ec is not None:
        data["OutsideEC"] = int(fields.outside_ec)
    if fields.address is not None:
        apply_address(data, fields.address, BILLING)
    if fields.delivery_address is not None:
        data["CustHasDeliveryAddress"] = 1
        apply_address(data, fields.delivery_address, CUSTOMER_DELIVERY)
    if fields.extra_fields is not None:
        for i, text in enumerate(padded(fields.extra_fields, 20), start=1):
            data[f"ExtraText{i}"] = text
    if fields.extra_checkboxes is not None:
        boxes = [*map(int, fields.extra_checkboxes), *[0] * 20][:20]
        for i, box in enumerate(boxes, start=1):
            data[f"CheckBox{i}"] = box
    return wire.Customer.model_validate(data)


def customer_row(record: CustomerSummary) -> cs.CustomerRow:
    return cs.CustomerRow(
        customer_id=record.CustomerID or 0,
        code=record.Code or "",
        name=record.Name or "",
        email=or_none(record.Email),
        postcode=or_none(record.Postcode),
    )
