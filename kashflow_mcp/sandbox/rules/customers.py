"""Customer rules: what a complete customer record needs, and codes for those sent without."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from .records import fill
from .values import Refusal

MAX_TERMS = 3650

# Fields the service computes or owns: whatever a caller sends for them is ignored.
_READ_ONLY = {"CustomerID", "Code", "Created", "Updated"}
_ZERO_OR_ONE = {"EC", "OutsideEC", "CustHasDeliveryAddress"} | {
    f"CheckBox{i}" for i in range(1, 21)
}


def make_customer(
    sent: Mapping[str, Any], *, customer_id: int, code: str, created: str, updated: str
) -> dict[str, Any]:
    record = fill("Customer", sent, "Customer", skip=_READ_ONLY)
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
