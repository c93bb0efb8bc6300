"""Invoices: found by number or InvoiceDBID, listed by customer, date, due date and age.

A document's lines must name sales types (checked here, for every operation that writes one);
what it posts is the ledger's business, noted by triggers whatever the change (see ``ledger``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from .ledger import Ledger
from .table import INT64, Record, Table, dump, key

_SELECT = "SELECT i.data, c.name FROM invoices i LEFT JOIN customers c ON c.id = i.customer_id "


def _row(i: Record) -> tuple[Any, ...]:
    dates = i["InvoiceDate"][:10], i["DueDate"][:10]
    return (i["InvoiceDBID"], i["InvoiceNumber"], i["CustomerID"], *dates, i["Paid"], dump(i))


class Invoices(Table):
    def _where(self, where: str, args: Iterable[Any] = ()) -> list[Record]:
        found = []
        for data, name in self._db.execute(_SELECT + where, tuple(args)):
            record = json.loads(data)
            if name is not None:
                # Invoices show the customer's current name, as KashFlow's do.
                record["Customer"] = record["CustomerName"] = name
            found.append(record)
        return found

    def by_number(self, number: Any) -> Record | None:
        found = self._where("WHERE i.number = ?", (key(number),))
        return found[0] if found else None

    def by_id(self, dbid: Any) -> Record | None:
        found = self._where("WHERE i.id = ?", (key(dbid),))
        return found[0] if found else None

    def for_customer(self, customer_id: int) -> list[Record]:
        return self._where("WHERE i.customer_id = ? ORDER BY i.number", (customer_id,))

    def dated_between(self, first: str, last: str) -> list[Record]:
        """Invoices dated from ``first`` to ``last`` inclusive (``yyyy-mm-dd``)."""
        return self._where("WHERE i.invoice_date BETWEEN ? AND ? ORDER BY i.number", (first, last))

    def unpaid(self) -> list[Record]:
        return self._where("WHERE i.paid = 0 ORDER BY i.number")

    def overdue(self, today: str) -> list[Record]:
        return self._where("WHERE i.paid = 0 AND i.due_date < ? ORDER BY i.number", (today,))

    def recent(self, count: int) -> list[Record]:
        return self._where("ORDER BY i.number DESC LIMIT ?", (max(0, min(count, INT64 - 1)),))

    def next_number(self) -> int:
        """One above the highest number ever issued: a deleted invoice's number is never reused.

        The counter remembers numbers whose invoices are gone; the books' highest number keeps
        it right for invoices added in bulk without it (the demo's, ``--scale``'s).
        """
        (number,) = self._db.execute(
            "UPDATE sequences SET value = max(value, "
            "(SELECT coalesce(max(number), 0) FROM invoices)) + 1 "
            "WHERE name = 'invoice_number' RETURNING value"
        ).fetchone()
        return int(number)

    def add(self, records: Iterable[Record]) -> None:
        records = list(records)
        Ledger(self._db).check_documents(records)
        self._db.executemany(
            "INSERT INTO invoices (id, number, customer_id, invoice_date, due_date, paid, data) "
            "VALUES (?,?,?,?,?,?,?)",
            map(_row, records),
        )

    def replace(self, record: Record) -> None:
        Ledger(self._db).check_lines(record, before=self.by_id(record["InvoiceDBID"]))
        row = _row(record)
        self._db.execute(
            "UPDATE invoices SET number = ?, customer_id = ?, invoice_date = ?, due_date = ?, "
            "paid = ?, data = ? WHERE id = ?",
            (*row[1:], row[0]),
        )

    def delete(self, dbid: int) -> None:
        """Remove an invoice with its payments and notes (``credit_notes.release`` first)."""
        self._db.execute("DELETE FROM payments WHERE invoice_id = ?", (dbid,))
        self._db.execute("DELETE FROM invoice_notes WHERE invoice_id = ?", (dbid,))
        self._db.execute(
            "DELETE FROM credit_applications WHERE credit_note_id = ? OR invoice_id = ?",
            (dbid, dbid),
        )
        self._db.execute("DELETE FROM invoices WHERE id = ?", (dbid,))
