"""Invoices: KashFlow's sales invoices, their lines and notes, and the lists it keeps of them.

A credit note is an invoice too, with negative lines: it is raised with ``insert`` and set
against an invoice with ``apply_credit_note``.
"""

from __future__ import annotations

from datetime import date

from ..wire.records import Invoice, InvoiceLine, InvoiceNotes
from .common import Area, many, one


class Invoices(Area):
    async def for_customer(self, customer_id: int) -> list[Invoice]:
        rows = await self._soap.call_list("GetInvoicesForCustomer", {"CustID": customer_id})
        return many(Invoice, rows)

    async def get(self, number: int) -> Invoice:
        row = await self._soap.call("GetInvoice", {"InvoiceNumber": number})
        return one(Invoice, row, "GetInvoice", f"no invoice number {number}", "InvoiceDBID")

    async def by_id(self, invoice_id: int) -> Invoice:
        row = await self._soap.call("GetInvoiceByID", {"InvoiceID": invoice_id})
        missing = f"no invoice with id {invoice_id}"
        return one(Invoice, row, "GetInvoiceByID", missing, "InvoiceDBID")

    async def insert(self, invoice: Invoice) -> int:
        """The new InvoiceNumber."""
        return int(await self._soap.call("InsertInvoice", {"Inv": invoice.wire()}))

    async def update(self, invoice: Invoice) -> None:
        """Overwrites header and lines. Read, merge, write."""
        await self._soap.call("UpdateInvoice", {"Inv": invoice.wire()})

    async def delete(self, number: int) -> None:
        await self._soap.call("DeleteInvoice", {"InvoiceNumber": number})

    async def delete_by_id(self, invoice_id: int) -> None:
        await self._soap.call("DeleteInvoiceByID", {"InvoiceID": invoice_id})

    async def insert_line(self, invoice_id: int, line: InvoiceLine) -> int:
        """The new LineID."""
        params = {"InvoiceID": invoice_id, "InvLine": line.wire()}
        return int(await self._soap.call("InsertInvoiceLine", params))

    # Lists across customers can be long: read as they stream in.

    async def dated(self, start: date, end: date) -> list[Invoice]:
        """Invoices dated from ``start`` to ``end``, both included."""
        params = {"StartDate": start, "EndDate": end}
        return many(Invoice, await self._soap.call_list("GetInvoicesByDateRange", params))

    async def unpaid(self) -> list[Invoice]:
        """Every invoice not paid in full (part-paid ones included)."""
        return many(Invoice, await self._soap.call_list("GetInvoices_Unpaid"))

    async def overdue(self) -> list[Invoice]:
        """Every invoice not paid in full and due before today."""
        return many(Invoice, await self._soap.call_list("GetInvoices_Overdue"))

    async def recent(self, count: int) -> list[Invoice]:
        rows = await self._soap.call("GetInvoices_Recent", {"NumberOfInvoices": count})
        return many(Invoice, rows)

    async def apply_credit_note(self, invoice_id: int, credit_note_id: int) -> bool:
        """Set a credit note against an invoice; both are InvoiceDBIDs."""
        params = {"InvoiceID": invoice_id, "CreditNoteID": credit_note_id}
        return bool(await self._soap.call("applyCreditNoteToInvoice", params))

    async def notes(self, invoice_id: int) -> list[InvoiceNotes]:
        """An invoice's notes; ``invoice_id`` is its InvoiceDBID."""
        rows = await self._soap.call("GetInvoiceNotes", {"InvoiceId": invoice_id})
        return many(InvoiceNotes, rows)

    async def add_note(self, invoice_id: int, day: date, text: str) -> bool:
        params = {"InvoiceId": invoice_id, "NoteDate": day, "Notes": text}
        return bool(await self._soap.call("InsertInvoiceNote", params))

    async def email(
        self,
        number: int,
        *,
        to: str,
        subject: str,
        body: str,
        from_email: str | None = None,
        from_name: str | None = None,
    ) -> None:
        """Send the invoice by email (a restricted operation: the operator must allow it)."""
        params = {
            "InvoiceNumber": number,
            "FromEmail": from_email,
            "FromName": from_name,
            "SubjectLine": subject,
            "Body": body,
            "RecipientEmail": to,
        }
        await self._soap.call("EmailInvoice", params)
