"""Payments against invoices, in the order they were recorded."""

from __future__ import annotations

from collections.abc import Iterable

from .table import Record, Table, dump


class Payments(Table):
    def for_invoice(self, dbid: int) -> list[Record]:
        return self._records("SELECT data FROM payments WHERE invoice_id = ? ORDER BY id", (dbid,))

    def add(self, rows: Iterable[tuple[int, Record]]) -> None:
        """``rows`` pairs each payment with its invoice's InvoiceDBID."""
        self._db.executemany(
            "INSERT INTO payments (id, invoice_id, data) VALUES (?, ?, ?)",
            ((payment["PayID"], dbid, dump(payment)) for dbid, payment in rows),
        )

    def delete(self, pay_id: int) -> None:
        self._db.execute("DELETE FROM payments WHERE id = ?", (pay_id,))
