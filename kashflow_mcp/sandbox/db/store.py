"""The sandbox's books in SQLite: one real file, WAL, safe under concurrent requests.

Each record is stored as the JSON of its wire-ready dict (see ``books``) beside the few columns
lookups need. One connection serves the process behind a lock, so a transaction never
interleaves with another; every write runs in ``BEGIN IMMEDIATE`` so even a second process on
the same file cannot hand out an invoice number twice. Opening a file brings its schema up to
date (``schema``).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from .schema import migrate

_INT64 = 2**63

Record = dict[str, Any]


def _dump(record: Record) -> str:
    # A Decimal or datetime reaching here is a bug upstream: json.dumps refuses it loudly.
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def _key(value: Any) -> int | None:
    """An id usable in a query; anything SQLite cannot hold matches nothing."""
    return value if isinstance(value, int) and -_INT64 <= value < _INT64 else None


def email_key(email: str) -> str:
    return email.strip().lower()


def postcode_key(postcode: str) -> str:
    return "".join(postcode.split()).upper()


def _customer_row(c: Record) -> tuple[Any, ...]:
    return (
        c["CustomerID"],
        c["Code"],
        c["Name"],
        email_key(c["Email"]),
        postcode_key(c["Postcode"]),
        _dump(c),
    )


def _invoice_row(i: Record) -> tuple[Any, ...]:
    dates = i["InvoiceDate"][:10], i["DueDate"][:10]
    return (i["InvoiceDBID"], i["InvoiceNumber"], i["CustomerID"], *dates, i["Paid"], _dump(i))


_INVOICES = "SELECT i.data, c.name FROM invoices i LEFT JOIN customers c ON c.id = i.customer_id "


class Ledger:
    """The books inside one transaction: every query and change the operations need."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    # ----------------------------------------------------------------- meta and ids

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

    def reference(self, kind: str) -> list[Record]:
        row = self._db.execute("SELECT data FROM reference WHERE kind = ?", (kind,)).fetchone()
        return json.loads(row[0]) if row else []

    def exchange_rates(self) -> dict[str, Decimal]:
        """Each currency's rate against the pound, by ISO code."""
        return {
            row["CurrencyCode"]: Decimal(row["ExchangeRate"])
            for row in self.reference("currencies")
        }

    def set_reference(self, kind: str, rows: Any) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO reference (kind, data) VALUES (?, ?)", (kind, _dump(rows))
        )

    # ----------------------------------------------------------------- customers

    def _customers(self, where: str = "", args: Iterable[Any] = ()) -> list[Record]:
        sql = f"SELECT data FROM customers {where} ORDER BY id"
        return [json.loads(data) for (data,) in self._db.execute(sql, tuple(args))]

    def customers(self) -> list[Record]:
        return self._customers()

    def customer(self, customer_id: Any) -> Record | None:
        found = self._customers("WHERE id = ?", (_key(customer_id),))
        return found[0] if found else None

    def customer_by_code(self, code: str) -> Record | None:
        found = self._customers("WHERE code = ?", (code.strip(),))
        return found[0] if found else None

    def customer_by_email(self, email: str) -> Record | None:
        wanted = email_key(email)
        if not wanted:
            return None
        found = self._customers("WHERE email = ?", (wanted,))
        if found:
            return found[0]
        # The Email field may hold several addresses; match any one of them exactly.
        for record in self._customers("WHERE instr(email, ?) > 0", (wanted,)):
            addresses = record["Email"].replace(";", ",").split(",")
            if wanted in (email_key(address) for address in addresses):
                return record
        return None

    def customers_by_postcode(self, postcode: str) -> list[Record]:
        wanted = postcode_key(postcode)
        return self._customers("WHERE postcode = ?", (wanted,)) if wanted else []

    def code_taken(self, code: str, *, but: int | None = None) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM customers WHERE code = ? AND id IS NOT ?", (code, but)
        ).fetchone()
        return row is not None

    def count_customers(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM customers").fetchone()[0])

    def add_customers(self, records: Iterable[Record]) -> None:
        self._db.executemany(
            "INSERT INTO customers (id, code, name, email, postcode, data) VALUES (?,?,?,?,?,?)",
            map(_customer_row, records),
        )

    def replace_customer(self, record: Record) -> None:
        row = _customer_row(record)
        self._db.execute(
            "UPDATE customers SET code = ?, name = ?, email = ?, postcode = ?, data = ? "
            "WHERE id = ?",
            (*row[1:], row[0]),
        )

    def delete_customer(self, customer_id: int) -> int:
        """Remove a customer with its invoices and their payments; the number of invoices."""
        self._db.execute(
            "DELETE FROM payments WHERE invoice_id IN "
            "(SELECT id FROM invoices WHERE customer_id = ?)",
            (customer_id,),
        )
        removed = self._db.execute(
            "DELETE FROM invoices WHERE customer_id = ?", (customer_id,)
        ).rowcount
        self._db.execute("DELETE FROM customers WHERE id = ?", (customer_id,))
        return int(removed)

    # ----------------------------------------------------------------- invoices

    def _invoices(self, where: str, args: Iterable[Any] = ()) -> list[Record]:
        found = []
        for data, name in self._db.execute(_INVOICES + where, tuple(args)):
            record = json.loads(data)
            if name is not None:
                # Invoices show the customer's current name, as KashFlow's do.
                record["Customer"] = record["CustomerName"] = name
            found.append(record)
        return found

    def invoice(self, number: Any) -> Record | None:
        found = self._invoices("WHERE i.number = ?", (_key(number),))
        return found[0] if found else None

    def invoice_by_id(self, dbid: Any) -> Record | None:
        found = self._invoices("WHERE i.id = ?", (_key(dbid),))
        return found[0] if found else None

    def invoices_for_customer(self, customer_id: int) -> list[Record]:
        return self._invoices("WHERE i.customer_id = ? ORDER BY i.number", (customer_id,))

    def invoices_between(self, first: str, last: str) -> list[Record]:
        """Invoices dated from ``first`` to ``last`` inclusive (``yyyy-mm-dd``)."""
        return self._invoices(
            "WHERE i.invoice_date BETWEEN ? AND ? ORDER BY i.number", (first, last)
        )

    def unpaid_invoices(self) -> list[Record]:
        return self._invoices("WHERE i.paid = 0 ORDER BY i.number")

    def overdue_invoices(self, today: str) -> list[Record]:
        return self._invoices("WHERE i.paid = 0 AND i.due_date < ? ORDER BY i.number", (today,))

    def recent_invoices(self, count: int) -> list[Record]:
        return self._invoices("ORDER BY i.number DESC LIMIT ?", (max(0, min(count, _INT64 - 1)),))

    def next_invoice_number(self) -> int:
        """One above the highest number ever issued: a deleted invoice's number is never reused.

        The counter remembers numbers whose invoices are gone; the books' highest number keeps
        it right for invoices added without it (the demo's) and for books made before it.
        """
        (number,) = self._db.execute(
            "UPDATE sequences SET value = max(value, "
            "(SELECT coalesce(max(number), 0) FROM invoices)) + 1 "
            "WHERE name = 'invoice_number' RETURNING value"
        ).fetchone()
        return int(number)

    def add_invoices(self, records: Iterable[Record]) -> None:
        self._db.executemany(
            "INSERT INTO invoices (id, number, customer_id, invoice_date, due_date, paid, data) "
            "VALUES (?,?,?,?,?,?,?)",
            map(_invoice_row, records),
        )

    def replace_invoice(self, record: Record) -> None:
        row = _invoice_row(record)
        self._db.execute(
            "UPDATE invoices SET number = ?, customer_id = ?, invoice_date = ?, due_date = ?, "
            "paid = ?, data = ? WHERE id = ?",
            (*row[1:], row[0]),
        )

    def delete_invoice(self, dbid: int) -> None:
        self._db.execute("DELETE FROM payments WHERE invoice_id = ?", (dbid,))
        self._db.execute("DELETE FROM invoices WHERE id = ?", (dbid,))

    # ----------------------------------------------------------------- payments

    def payments(self, dbid: int) -> list[Record]:
        sql = "SELECT data FROM payments WHERE invoice_id = ? ORDER BY id"
        return [json.loads(data) for (data,) in self._db.execute(sql, (dbid,))]

    def add_payments(self, rows: Iterable[tuple[int, Record]]) -> None:
        """``rows`` pairs each payment with its invoice's InvoiceDBID."""
        self._db.executemany(
            "INSERT INTO payments (id, invoice_id, data) VALUES (?, ?, ?)",
            ((payment["PayID"], dbid, _dump(payment)) for dbid, payment in rows),
        )


class SandboxStore:
    """The database file and the lock that serialises transactions on it."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self._lock = threading.Lock()
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so we choose IMMEDIATE.
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA busy_timeout = 10000")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")
        try:
            with self.write():
                migrate(self._db, self.path)
        except BaseException:
            self._db.close()
            raise

    def __repr__(self) -> str:
        return f"SandboxStore({self.path!r})"

    @contextmanager
    def write(self) -> Iterator[Ledger]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield Ledger(self._db)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[Ledger]:
        """A consistent snapshot for several queries."""
        with self._lock:
            self._db.execute("BEGIN")
            try:
                yield Ledger(self._db)
            finally:
                self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()
