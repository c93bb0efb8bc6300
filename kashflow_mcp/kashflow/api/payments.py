"""Payments received against sales invoices."""

from __future__ import annotations

from ..wire.records import Payment
from .common import Area, many


class Payments(Area):
    async def insert(self, payment: Payment) -> int:
        """The new payment's id. ``PayInvoice`` is the invoice's number."""
        params = {"InvoicePayment": payment.wire()}
        return int(await self._soap.call("InsertInvoicePayment", params))

    async def for_invoice(self, number: int) -> list[Payment]:
        rows = await self._soap.call("GetInvoicePayment", {"InvoiceNumber": number})
        return many(Payment, rows)
