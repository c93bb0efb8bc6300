"""The books inside one transaction: the file's meta data and ids, and each area's table.

``books.customers.by_code(...)``, ``books.invoices.next_number()``: one attribute per area,
each defined in the module of that name; ``books.ledger`` holds the entries the documents post.
"""

from __future__ import annotations

import sqlite3

from .credit_notes import CreditApplications
from .customers import Customers
from .invoices import Invoices
from .ledger import Ledger
from .notes import Notes
from .outbox import Outbox
from .payments import Payments
from .reference import Reference


class Books:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self.reference = Reference(db)
        self.customers = Customers(db)
        self.invoices = Invoices(db)
        self.payments = Payments(db)
        self.notes = Notes(db)
        self.credit_applications = CreditApplications(db)
        self.outbox = Outbox(db)
        self.ledger = Ledger(db)

    def meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def allocate(self, sequence: str, count: int = 1) -> int:
        """Reserve ``count`` consecutive ids; returns the first."""
        (last,) = self._db.execute(
            "UPDATE sequences SET value = value + ? WHERE name = ? RETURNING value",
            (count, sequence),
        ).fetchone()
        return int(last) - count + 1
