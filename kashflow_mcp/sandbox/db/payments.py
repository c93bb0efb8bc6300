"""Payments against invoices, in the order they were recorded.

Payments are added and removed only through ``add`` and ``delete``, so whatever else must
follow a payment (the books' postings) has one place to hook into.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from .table import INT64, Record, Table, dump, key

# The day of a payment, as its PayDate is stored (yyyy-mm-ddT00:00:00).
_DAY = "substr(json_extract(data, '$.PayDate'), 1, 10)"


class Payments(Table):
    def for_invoice(self, dbid: int) -> list[Record]:
        return self._records("SELECT data FROM payments WHERE invoice_id = ? ORDER BY id", (dbid,))

    def by_id(self, pay_id: object) -> tuple[int, Record] | None:
        """The payment with this PayID and its invoice's InvoiceDBID, or None."""
        row = self._db.execute(
            "SELECT invoice_id, data FROM payments WHERE id = ?", (key(pay_id),)
        ).fetchone()
        return (int(row[0]), json.loads(row[1])) if row else None

    def dated_between(self, first: str, last: str, *, limit: int, offset: int) -> list[Record]:
        """Payments dated from ``first`` to ``last`` inclusive (``yyyy-mm-dd``), oldest first."""
        return self._records(
            f"SELECT data FROM payments WHERE {_DAY} BETWEEN ? AND ? ORDER BY {_DAY}, id "
            "LIMIT ? OFFSET ?",
            (first, last, max(0, min(limit, INT64 - 1)), max(0, min(offset, INT64 - 1))),
        )

    def count_dated_between(self, first: str, last: str) -> int:
        (count,) = self._db.execute(
            f"SELECT count(*) FROM payments WHERE {_DAY} BETWEEN ? AND ?", (first, last)
        ).fetchone()
        return int(count)

    def add(self, rows: Iterable[tuple[int, Record]]) -> None:
        """``rows`` pairs each payment with its invoice's InvoiceDBID."""
        self._db.executemany(
            "INSERT INTO payments (id, invoice_id, data) VALUES (?, ?, ?)",
            ((payment["PayID"], dbid, dump(payment)) for dbid, payment in rows),
        )

    def delete(self, pay_id: int) -> None:
        self._db.execute("DELETE FROM payments WHERE id = ?", (pay_id,))
