"""Payments received against sales invoices, and the methods they can be paid by.

KashFlow reads payments by invoice (``GetInvoicePayment``) or by period, a page at a time
(``GetInvoicePaymentsByDateRange``, pages from 1); it cannot read one payment by its id.
"""

from __future__ import annotations

from datetime import date

from ..wire.records import Payment, PaymentMethod
from .common import Area, many


class Payments(Area):
    async def insert(self, payment: Payment) -> int:
        """The new payment's id. ``PayInvoice`` is the invoice's number."""
        params = {"InvoicePayment": payment.wire()}
        return int(await self._soap.call("InsertInvoicePayment", params))

    async def for_invoice(self, number: int) -> list[Payment]:
        rows = await self._soap.call("GetInvoicePayment", {"InvoiceNumber": number})
        return many(Payment, rows)

    async def delete(self, payment_id: int) -> None:
        await self._soap.call("DeleteInvoicePayment", {"InvoicePaymentNumber": payment_id})

    async def methods(self) -> list[PaymentMethod]:
        return many(PaymentMethod, await self._soap.call("GetInvPayMethods"))

    async def count_dated(self, start: date, end: date) -> int:
        params = {"StartDate": start, "EndDate": end}
        return int(await self._soap.call("GetInvoicePaymentsCountforDateRange", params) or 0)

    async def page_dated(self, start: date, end: date, page: int) -> list[Payment]:
        """One page (from 1) of the payments dated from ``start`` to ``end``, both included."""
        params = {"StartDate": start, "EndDate": end, "PageNumber": page}
        return many(Payment, await self._soap.call("GetInvoicePaymentsByDateRange", params))
