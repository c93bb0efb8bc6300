"""Whole records from what a request sent: every WSDL field present, typed for the wire.

A record sent to the service replaces the stored one entirely, so a field not sent is written
empty ("", 0, false or the empty date), as KashFlow does.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from ...kashflow.wsdl_types import TYPES, ArrayType, record_fields
from .values import NO_DATE, Refusal, day_of, text, to_decimal, wire_date

_EMPTY: dict[str, Any] = {
    "int": 0,
    "integer": 0,
    "decimal": "0",
    "boolean": False,
    "dateTime": NO_DATE,
}


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


def sent_record(params: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    """The record parameter ``name`` of a request, which must be present."""
    value = params.get(name)
    if not isinstance(value, Mapping):
        raise Refusal(f"{name} is required")
    return value


def existing(record: dict[str, Any] | None, what: str, key: Any) -> dict[str, Any]:
    """What a look-up by ``key`` found, or the refusal saying ``what`` was not found."""
    if record is None:
        raise Refusal(f"{what} not found: {key}")
    return record
