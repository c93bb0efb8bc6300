"""Payments against invoices: recording one, deleting one, listing an invoice's or a period's.

A payment names its invoice by NUMBER (PayInvoice), as KashFlow's do; it may not be more than
is still due, and the invoice is paid once its payments cover it. Deleting a payment takes its
PayID (``InvoicePaymentNumber``) and leaves the invoice owing that much again.

A period's payments come a page at a time, oldest first (by PayDate, then PayID), from
PageNumber 1; inferred: KashFlow documents neither the page size nor where pages start, and
integrators page from 1 until a page comes back empty. ``PAGE_SIZE`` is our choice.
"""

from __future__ import annotations

from decimal import Decimal

from ..db import Books, Record
from ..db.credit_notes import release_payment
from ..dispatch import Params, serves
from ..rules.invoices import recompute_totals
from ..rules.payments import make_payment, with_account
from ..rules.records import existing, sent_record
from ..rules.values import Refusal, money, period_of

PAGE_SIZE = 100


@serves("InsertInvoicePayment")
def insert_invoice_payment(books: Books, params: Params) -> int:
    sent = sent_record(params, "InvoicePayment")
    number = sent.get("PayInvoice")
    invoice = existing(books.invoices.by_number(number), "Invoice", number)
    sent = with_account(
        sent, books.reference.get("pay_methods"), books.reference.get("bank_accounts")
    )
    pay_id = books.allocate("payment")
    payment = make_payment(sent, pay_id=pay_id, invoice=invoice)
    books.payments.add([(invoice["InvoiceDBID"], payment)])
    paid = Decimal(invoice["AmountPaid"]) + Decimal(payment["PayAmount"])
    books.invoices.replace(recompute_totals(invoice, paid))
    return pay_id


@serves("DeleteInvoicePayment")
def delete_invoice_payment(books: Books, params: Params) -> None:
    pay_id = params.get("InvoicePaymentNumber")
    dbid, _ = existing(books.payments.by_id(pay_id), "Payment", pay_id)
    release_payment(books, pay_id, dbid)
    books.payments.delete(pay_id)
    invoice = existing(books.invoices.by_id(dbid), "Invoice with InvoiceDBID", dbid)
    left = books.payments.for_invoice(dbid)
    paid = money(sum((Decimal(p["PayAmount"]) for p in left), Decimal(0)))
    books.invoices.replace(recompute_totals(invoice, paid))
    # DeleteInvoicePaymentResponse carries Status and StatusDetail only.
    return None


@serves("GetInvoicePayment")
def get_invoice_payment(books: Books, params: Params) -> list[Record]:
    number = params.get("InvoiceNumber")
    invoice = existing(books.invoices.by_number(number), "Invoice", number)
    return books.payments.for_invoice(invoice["InvoiceDBID"])


@serves("GetInvoicePaymentsByDateRange")
def get_payments_by_date_range(books: Books, params: Params) -> list[Record]:
    first, last = period_of(params)
    page = params.get("PageNumber") or 0
    if page < 1:
        raise Refusal("PageNumber must be 1 or more")
    return books.payments.dated_between(first, last, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)


@serves("GetInvoicePaymentsCountforDateRange")
def count_payments_by_date_range(books: Books, params: Params) -> int:
    return books.payments.count_dated_between(*period_of(params))
