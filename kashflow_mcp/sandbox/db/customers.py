"""Customers: found by id, code (in any case), email (any one of several), postcode, text in
their code or name, or when they last changed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .table import Record, Table, dump, key


def email_key(email: str) -> str:
    return email.strip().lower()


def postcode_key(postcode: str) -> str:
    return "".join(postcode.split()).upper()


def _row(c: Record) -> tuple[Any, ...]:
    return (
        c["CustomerID"],
        c["Code"],
        c["Name"],
        email_key(c["Email"]),
        postcode_key(c["Postcode"]),
        dump(c),
    )


class Customers(Table):
    def _where(self, where: str = "", args: Iterable[Any] = ()) -> list[Record]:
        return self._records(f"SELECT data FROM customers {where} ORDER BY id", args)

    def all(self) -> list[Record]:
        return self._where()

    def by_id(self, customer_id: Any) -> Record | None:
        found = self._where("WHERE id = ?", (key(customer_id),))
        return found[0] if found else None

    def by_code(self, code: str) -> Record | None:
        found = self._where("WHERE code = ?", (code.strip(),))
        return found[0] if found else None

    def by_email(self, email: str) -> Record | None:
        wanted = email_key(email)
        if not wanted:
            return None
        found = self._where("WHERE email = ?", (wanted,))
        if found:
            return found[0]
        # The Email field may hold several addresses; match any one of them exactly.
        for record in self._where("WHERE instr(email, ?) > 0", (wanted,)):
            addresses = record["Email"].replace(";", ",").split(",")
            if wanted in (email_key(address) for address in addresses):
                return record
        return None

    def by_postcode(self, postcode: str) -> list[Record]:
        wanted = postcode_key(postcode)
        return self._where("WHERE postcode = ?", (wanted,)) if wanted else []

    def modified_since(self, moment: str) -> list[Record]:
        """Customers created or updated at ``moment`` (``yyyy-mm-ddTHH:MM:SS``) or later."""
        return self._where("WHERE json_extract(data, '$.Updated') >= ?", (moment,))

    def first_with_text(self, text: str) -> Record | None:
        """The customer whose code is ``text`` in any case, else the first (by id) whose code or
        name holds it in any case (SearchCustomerByCustText, inferred)."""
        exact = self.by_code(text)
        if exact is not None:
            return exact
        wanted = text.strip().casefold()
        for customer_id, code, name in self._db.execute(
            "SELECT id, code, name FROM customers ORDER BY id"
        ):
            if wanted in code.casefold() or wanted in name.casefold():
                return self.by_id(customer_id)
        return None

    def code_taken(self, code: str, *, but: int | None = None) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM customers WHERE code = ? AND id IS NOT ?", (code, but)
        ).fetchone()
        return row is not None

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM customers").fetchone()[0])

    def add(self, records: Iterable[Record]) -> None:
        self._db.executemany(
            "INSERT INTO customers (id, code, name, email, postcode, data) VALUES (?,?,?,?,?,?)",
            map(_row, records),
        )

    def replace(self, record: Record) -> None:
        row = _row(record)
        self._db.execute(
            "UPDATE customers SET code = ?, name = ?, email = ?, postcode = ?, data = ? "
            "WHERE id = ?",
            (*row[1:], row[0]),
        )

    def delete(self, customer_id: int) -> int:
        """Remove a customer with its invoices and their payments and notes; the number of
        invoices. A credit note is set only against its own customer's invoices, so both
        halves of each application go too."""
        self._db.execute(
            "DELETE FROM payments WHERE invoice_id IN "
            "(SELECT id FROM invoices WHERE customer_id = ?)",
            (customer_id,),
        )
        for table in ("invoice_notes", "credit_applications"):
            self._db.execute(
                f"DELETE FROM {table} WHERE invoice_id IN "
                "(SELECT id FROM invoices WHERE customer_id = ?)",
                (customer_id,),
            )
        removed = self._db.execute(
            "DELETE FROM invoices WHERE customer_id = ?", (customer_id,)
        ).rowcount
        self._db.execute("DELETE FROM customers WHERE id = ?", (customer_id,))
        return int(removed)
