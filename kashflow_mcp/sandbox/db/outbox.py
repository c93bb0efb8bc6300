"""The outbox: the invoices EmailInvoice was asked to send, kept instead of being sent."""

from __future__ import annotations

from .table import Record, Table, dump


class Outbox(Table):
    def add(self, message: Record) -> int:
        """Keep ``message``; its id, in the order messages were kept."""
        cursor = self._db.execute("INSERT INTO outbox (data) VALUES (?)", (dump(message),))
        return int(cursor.lastrowid or 0)

    def all(self) -> list[Record]:
        rows = self._rows("SELECT id, data FROM outbox ORDER BY id")
        return [{"id": message_id, **message} for message_id, message in rows]

    def clear(self) -> None:
        self._db.execute("DELETE FROM outbox")
