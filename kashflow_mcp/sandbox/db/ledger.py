"""The books' entries: replaced whenever a document or payment changes, and read for reports.

Posting happens here and nowhere else. Triggers on the invoices and payments tables (see
``schema``) note every document whose rows were added, changed or deleted, by whatever code;
``settle``, run by the store just before each write transaction commits, posts those
documents again from what the tables now hold (a deleted one posts nothing). So every
operation's writes post, and no operation has to remember to.

Amounts are whole pence of pounds (integers), so sums in SQL are exact.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from ..ledger.accounts import DEBTORS, Chart, check_sales_types
from ..ledger.postings import post
from .reference import Reference
from .table import Record, Table

_ENTRY_COLUMNS = (
    "invoice_id, payment_id, customer_id, entry_date, nominal_id, pence, role, project_id, "
    "narrative"
)
_PENDING = "SELECT invoice_id FROM ledger_pending"


class Ledger(Table):
    def chart(self) -> Chart:
        reference = Reference(self._db)
        return Chart.of(reference.get("nominal_codes"), reference.get("bank_accounts"))

    def check_lines(self, record: Record, before: Record | None = None) -> None:
        """Refuse lines that name no sales type (see ``accounts.check_sales_types``)."""
        old = before["Lines"] if before else ()
        check_sales_types(record.get("Lines") or (), old, self.chart())

    def check_documents(self, records: Iterable[Record]) -> None:
        chart = self.chart()
        for record in records:
            check_sales_types(record.get("Lines") or (), (), chart)

    def settle(self) -> None:
        """Post again every document a change since the last settle left stale."""
        if self._db.execute(f"SELECT EXISTS ({_PENDING})").fetchone()[0] == 0:
            return
        self._db.execute(f"DELETE FROM ledger_entries WHERE invoice_id IN ({_PENDING})")
        payments: dict[int, list[Record]] = defaultdict(list)
        for dbid, data in self._db.execute(
            f"SELECT invoice_id, data FROM payments WHERE invoice_id IN ({_PENDING})"
        ).fetchall():
            payments[dbid].append(json.loads(data))
        documents = self._db.execute(
            f"SELECT id, customer_id, data FROM invoices WHERE id IN ({_PENDING})"
        ).fetchall()
        chart = self.chart()
        halves = {
            pay_id
            for pair in self._db.execute(
                "SELECT credit_payment_id, invoice_payment_id FROM credit_applications"
            )
            for pay_id in pair
        }
        rows = [
            (dbid, e.payment_id, customer, e.day, e.nominal_id, e.pence, e.role, e.project_id,
             e.narrative)
            for dbid, customer, data in documents
            for e in post(json.loads(data), payments[dbid], chart, halves)
        ]  # fmt: skip
        self._db.executemany(
            f"INSERT INTO ledger_entries ({_ENTRY_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)", rows
        )
        self._db.execute("DELETE FROM ledger_pending")

    # ----------------------------------------------------------------------- reading

    def totals(self, first: str, last: str) -> list[tuple[int, int]]:
        """(nominal id, net pence) of the entries dated ``first`` to ``last`` inclusive."""
        rows = self._db.execute(
            "SELECT nominal_id, sum(pence) FROM ledger_entries WHERE entry_date BETWEEN ? AND ? "
            "GROUP BY nominal_id",
            (first, last),
        )
        return [(int(nominal), int(total)) for nominal, total in rows]

    def entries(self, nominal_id: int, first: str, last: str) -> list[dict[str, Any]]:
        """One nominal's entries dated ``first`` to ``last``, in date order, with their
        document's number and the customer's code."""
        rows = self._db.execute(
            "SELECT e.entry_date, e.nominal_id, e.pence, e.invoice_id, e.payment_id, "
            "e.customer_id, e.project_id, e.narrative, i.number, coalesce(c.code, '') "
            "FROM ledger_entries e JOIN invoices i ON i.id = e.invoice_id "
            "LEFT JOIN customers c ON c.id = e.customer_id "
            "WHERE e.nominal_id = ? AND e.entry_date BETWEEN ? AND ? ORDER BY e.entry_date, e.id",
            (nominal_id, first, last),
        )
        keys = ("day", "nominal_id", "pence", "invoice_id", "payment_id", "customer_id")
        keys += ("project_id", "narrative", "number", "code")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def debts(self, until: str | None = None) -> list[tuple[int, str, int, int]]:
        """(customer id, due date, pence owed, pence paid) of each document with something
        on trade debtors, counting entries dated up to ``until`` (all when None)."""
        dated = "AND e.entry_date <= ?" if until else ""
        rows = self._db.execute(
            "SELECT e.customer_id, i.due_date, sum(e.pence), "
            "-sum(CASE WHEN e.payment_id != 0 THEN e.pence ELSE 0 END) "
            "FROM ledger_entries e JOIN invoices i ON i.id = e.invoice_id "
            f"WHERE e.nominal_id = ? {dated} GROUP BY e.invoice_id HAVING sum(e.pence) != 0",
            (DEBTORS.id, until) if until else (DEBTORS.id,),
        )
        return [(int(c), str(due), int(owed), int(paid)) for c, due, owed, paid in rows]

    def customer_balance(self, customer_id: int) -> tuple[int, int]:
        """(pence owed, pence paid) by a customer, over all their documents."""
        owed, paid = self._db.execute(
            "SELECT coalesce(sum(pence), 0), "
            "-coalesce(sum(CASE WHEN payment_id != 0 THEN pence ELSE 0 END), 0) "
            "FROM ledger_entries WHERE customer_id = ? AND nominal_id = ?",
            (customer_id, DEBTORS.id),
        ).fetchone()
        return int(owed), int(paid)

    def customers(self) -> dict[int, tuple[str, str]]:
        """Customer id -> (name, code), for the reports' rows."""
        rows = self._db.execute("SELECT id, name, code FROM customers")
        return {int(customer): (name, code) for customer, name, code in rows}

    def by_customer(self, role: str, first: str, last: str) -> Mapping[int, int]:
        """Customer id -> pence of their entries of ``role`` dated ``first`` to ``last``."""
        rows = self._db.execute(
            "SELECT customer_id, sum(pence) FROM ledger_entries "
            "WHERE role = ? AND entry_date BETWEEN ? AND ? GROUP BY customer_id",
            (role, first, last),
        )
        return {int(customer): int(total) for customer, total in rows}
