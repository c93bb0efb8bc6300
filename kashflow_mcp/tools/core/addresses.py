"""Addresses, wherever a KashFlow record keeps one.

A customer's billing and delivery addresses are numbered fields of the customer record
(``Address1``…, ``DeliveryAddress1``…); a document's delivery address is a record of its own
(``Line1``…, with a ``Name``). One description of where each part sits serves them all, both ways.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...schemas.common import AddressIn, DeliveryAddressIn
from .convert import or_none, padded, trimmed


@dataclass(frozen=True)
class AddressFields:
    """Where each part of an address sits in a wire record."""

    lines: str
    """The prefix of the four numbered line fields: ``Address`` for Address1..Address4."""
    postcode: str
    country_name: str
    country_code: str
    name: str | None = None


BILLING = AddressFields("Address", "Postcode", "CountryName", "CountryCode")
CUSTOMER_DELIVERY = AddressFields(
    "DeliveryAddress", "DeliveryPostcode", "DeliveryCountryName", "DeliveryCountryCode"
)
DOCUMENT_DELIVERY = AddressFields("Line", "PostCode", "CountryName", "CountryCode", name="Name")


def address_of(record: Mapping[str, Any], where: AddressFields) -> dict[str, Any]:
    """The address in ``record`` (a wire record's fields) as the assistant's model fields."""
    found: dict[str, Any] = {
        "lines": trimmed([record.get(f"{where.lines}{i}") or "" for i in range(1, 5)], ""),
        "postcode": or_none(record.get(where.postcode)),
        "country_name": or_none(record.get(where.country_name)),
        "country_code": or_none(record.get(where.country_code)),
    }
    if where.name is not None:
        found["name"] = or_none(record.get(where.name))
    return found


def apply_address(
    record: dict[str, Any], given: AddressIn | DeliveryAddressIn, where: AddressFields
) -> None:
    """Write the parts of ``given`` that were given into ``record``; lines replace all four."""
    if given.lines is not None:
        for i, line in enumerate(padded(given.lines, 4), start=1):
            record[f"{where.lines}{i}"] = line
    parts = [
        (given.postcode, where.postcode),
        (given.country_name, where.country_name),
        (given.country_code, where.country_code),
    ]
    if where.name is not None and isinstance(given, DeliveryAddressIn):
        parts.append((given.name, where.name))
    for value, key in parts:
        if value is not None:
            record[key] = value
