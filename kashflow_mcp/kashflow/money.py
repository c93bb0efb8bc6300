"""KashFlow's arithmetic on documents: each line's net and VAT, rounded half-up to the penny.

The sandbox works a document's totals out this way, as KashFlow does, and the tools predict
them the same way before writing (HMRC allows per-line or per-invoice rounding; KashFlow's
totals are what count, so the tools never override them).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")
VAT_EXEMPT = Decimal(-1)
"""KashFlow's VatRate for a line outside VAT: it carries none."""


def round_half_up(value: Decimal) -> Decimal:
    """``value`` to the penny, halves away from zero (0.005 → 0.01)."""
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def line_net(quantity: Decimal, rate: Decimal) -> Decimal:
    return round_half_up(quantity * rate)


def line_vat(quantity: Decimal, rate: Decimal, vat_rate: Decimal) -> Decimal:
    """VAT on one line: quantity × rate × rate% (none for exempt or zero-rated lines)."""
    if vat_rate <= 0:
        return Decimal(0)
    return round_half_up(quantity * rate * vat_rate / 100)
