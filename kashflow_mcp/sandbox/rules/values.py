"""Values as the books hold them: money to the penny, decimals as canonical strings, dates.

A decimal leaves here as a string (never a float); a date as ``yyyy-mm-ddT00:00:00``, the way
KashFlow writes a dateTime with no time of day.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

PENNY = Decimal("0.01")
# Far beyond any real invoice, far inside what Decimal arithmetic handles exactly.
LIMIT = Decimal(10) ** 12
NO_DATE = "0001-01-01T00:00:00"


class Refusal(Exception):
    """The request is understood but refused: the service answers ``Status=NO`` with ``detail``."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


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


def period_of(params: Mapping[str, Any]) -> tuple[str, str]:
    """A request's ``StartDate`` and ``EndDate``, both required, as ISO days."""
    first = day_of(params.get("StartDate"), "StartDate")
    last = day_of(params.get("EndDate"), "EndDate")
    if first is None or last is None:
        raise Refusal("StartDate and EndDate are required")
    return first.isoformat(), last.isoformat()


def stamp() -> str:
    """Now, as KashFlow writes Created/Updated: local time to the second, no zone."""
    return datetime.now().replace(microsecond=0).isoformat()
