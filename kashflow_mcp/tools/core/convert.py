"""Turning KashFlow's wire quirks into plain values, and back.

.NET writes DateTime.MinValue (year 1) for "no date"; KashFlow's dates are dateTimes; numbered
fields (ExtraText1..20, Address1..4) become lists without their empty tail; an empty string
means "not set".
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

HOME_CURRENCY = "GBP"


def midnight(day: date) -> datetime:
    """A day as KashFlow takes it: its midnight."""
    return datetime.combine(day, datetime.min.time())


def to_date(value: datetime | None) -> date | None:
    return None if value is None or value.year <= 1 else value.date()


def trimmed(values: list[Any], empty: Any) -> list[Any]:
    """``values`` without the run of ``empty`` at its end."""
    while values and values[-1] == empty:
        values.pop()
    return values


def or_none(value: str | None) -> str | None:
    return value or None


def padded(values: list[str], size: int) -> list[str]:
    """``values`` filled out with empty strings to ``size`` items (numbered wire fields)."""
    return [*values, *[""] * size][:size]
