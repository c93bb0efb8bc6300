"""Credit notes set against invoices: which pair of payments each application made.

KashFlow applies a credit note by recording two payments at once: the amount on the invoice,
and the same amount negative on the credit note (see ``rules.credit_notes``). The pair stands
or falls together: ``release`` undoes the other half of every application of a document that
is going, so the document left behind owes again what the credit had settled.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from ..rules.credit_notes import application_payments
from ..rules.invoices import recompute_totals
from ..rules.values import money
from .table import Record, Table

if TYPE_CHECKING:
    from .books import Books


class Application(NamedTuple):
    id: int
    credit_note_id: int
    invoice_id: int
    credit_payment_id: int
    invoice_payment_id: int

    def other_half(self, dbid: int) -> tuple[int, int]:
        """(InvoiceDBID, PayID) of the half that is not on document ``dbid``."""
        if dbid == self.credit_note_id:
            return self.invoice_id, self.invoice_payment_id
        return self.credit_note_id, self.credit_payment_id


_COLUMNS = "id, credit_note_id, invoice_id, credit_payment_id, invoice_payment_id"


class CreditApplications(Table):
    def add(
        self, *, credit_note_id: int, invoice_id: int, credit_payment_id: int,
        invoice_payment_id: int,
    ) -> None:  # fmt: skip
        self._db.execute(
            "INSERT INTO credit_applications "
            "(credit_note_id, invoice_id, credit_payment_id, invoice_payment_id) "
            "VALUES (?, ?, ?, ?)",
            (credit_note_id, invoice_id, credit_payment_id, invoice_payment_id),
        )

    def involving(self, dbid: int) -> list[Application]:
        """Every application the document (credit note or invoice) ``dbid`` takes part in."""
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM credit_applications "
            "WHERE credit_note_id = ? OR invoice_id = ? ORDER BY id",
            (dbid, dbid),
        )
        return [Application(*row) for row in rows]

    def paid_with(self, pay_id: int) -> list[Application]:
        """The application (none or one) whose pair of payments includes ``pay_id``."""
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM credit_applications "
            "WHERE credit_payment_id = ? OR invoice_payment_id = ?",
            (pay_id, pay_id),
        )
        return [Application(*row) for row in rows]

    def remove(self, application_id: int) -> None:
        self._db.execute("DELETE FROM credit_applications WHERE id = ?", (application_id,))


def bank_account(books: Books) -> int:
    """The account an application's pair of payments names: the first bank account, if any
    (KashFlow asks for one, though the pair moves no money)."""
    accounts = books.reference.get("bank_accounts")
    return int(accounts[0]["AccountID"]) if accounts else 0


def record_application(
    books: Books, invoice: Record, note: Record, amount: Decimal, day: date
) -> None:
    """Set ``amount`` of credit note ``note`` against ``invoice``: the pair of payments, kept
    as a pair, and both documents re-totalled. Both must already be in the books."""
    first = books.allocate("payment", 2)
    to_invoice, from_note = application_payments(
        invoice, note, amount, pay_ids=(first, first + 1), day=day, account=bank_account(books)
    )
    books.payments.add([(invoice["InvoiceDBID"], to_invoice), (note["InvoiceDBID"], from_note)])
    books.credit_applications.add(
        credit_note_id=note["InvoiceDBID"],
        invoice_id=invoice["InvoiceDBID"],
        credit_payment_id=from_note["PayID"],
        invoice_payment_id=to_invoice["PayID"],
    )
    for document, change in ((invoice, amount), (note, -amount)):
        paid = Decimal(document["AmountPaid"]) + change
        books.invoices.replace(recompute_totals(document, paid))


def release(books: Books, dbid: int) -> None:
    """Undo, on the other document, every credit application document ``dbid`` is part of.

    Call before deleting ``dbid``: its own half goes with it. The other document's payment is
    removed through ``books.payments`` and the document re-totalled, like any other change.
    """
    for application in books.credit_applications.involving(dbid):
        _undo_other_half(books, application, dbid)


def release_payment(books: Books, pay_id: int, dbid: int) -> None:
    """Undo the other half of the credit application payment ``pay_id`` (on document ``dbid``)
    is half of, if any. Call before deleting the payment: a pair stands or falls together, so
    deleting either half leaves neither document settled by the credit."""
    for application in books.credit_applications.paid_with(pay_id):
        _undo_other_half(books, application, dbid)


def _undo_other_half(books: Books, application: Application, dbid: int) -> None:
    other, pay_id = application.other_half(dbid)
    books.payments.delete(pay_id)
    books.credit_applications.remove(application.id)
    document = books.invoices.by_id(other)
    if document is not None:
        left = books.payments.for_invoice(other)
        paid = money(sum((Decimal(p["PayAmount"]) for p in left), Decimal(0)))
        books.invoices.replace(recompute_totals(document, paid))
