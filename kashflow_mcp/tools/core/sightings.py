"""Where this server last saw a record KashFlow cannot read by itself: a payment's invoice.

KashFlow reads payments by invoice or by period, never one by its id, so deleting a payment
named by its id means finding its invoice. A tool that sees a payment (recording or listing
it) notes its invoice here; a later call reads that invoice's payments to confirm it is still
there, and searches every payment only for one never seen. A hint, never trusted unchecked.
"""

from __future__ import annotations

from collections import OrderedDict


class Sightings:
    """Payment id -> the invoice number it was last seen on; the oldest are forgotten first."""

    def __init__(self, size: int = 10_000) -> None:
        self._size = size
        self._seen: OrderedDict[int, int] = OrderedDict()

    def saw(self, payment_id: int, invoice_number: int) -> None:
        self._seen[payment_id] = invoice_number
        self._seen.move_to_end(payment_id)
        while len(self._seen) > self._size:
            self._seen.popitem(last=False)

    def invoice_of(self, payment_id: int) -> int | None:
        return self._seen.get(payment_id)
