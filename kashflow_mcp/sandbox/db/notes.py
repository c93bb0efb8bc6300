"""Notes on invoices (KashFlow's InvoiceNotes), in the order they were added."""

from __future__ import annotations

from .table import Record, Table, dump


class Notes(Table):
    def for_invoice(self, dbid: int) -> list[Record]:
        return self._records(
            "SELECT data FROM invoice_notes WHERE invoice_id = ? ORDER BY id", (dbid,)
        )

    def add(self, note: Record) -> None:
        """``note`` names its invoice by InvoiceDBID (its ``InvoiceId``)."""
        self._db.execute(
            "INSERT INTO invoice_notes (id, invoice_id, data) VALUES (?, ?, ?)",
            (note["NoteId"], note["InvoiceId"], dump(note)),
        )
