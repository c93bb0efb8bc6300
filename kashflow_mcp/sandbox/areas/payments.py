"""Payments against invoices: recording one, listing an invoice's.

A payment names its invoice by NUMBER (PayInvoice), as KashFlow's do; it may not be more than
is still due, and the invoice is paid once its payments cover it.
"""

from __future__ import annotations

from decimal import Decimal

from ..db import Books, Record
from ..dispatch import Params, serves
from ..rules.invoices import recompute_totals
from ..rules.payments import make_payment
from ..rules.records import existing, sent_record


@serves("InsertInvoicePayment")
def insert_invoice_payment(books: Books, params: Params) -> int:
    sent = sent_record(params, "InvoicePayment")
    number = sent.get("PayInvoice")
    invoice = existing(books.invoices.by_number(number), "Invoice", number)
    pay_id = books.allocate("payment")
    payment = make_payment(sent, pay_id=pay_id, invoice=invoice)
    books.payments.add([(invoice["InvoiceDBID"], payment)])
    paid = Decimal(invoice["AmountPaid"]) + Decimal(payment["PayAmount"])
    books.invoices.replace(recompute_totals(invoice, paid))
    return pay_id


@serves("GetInvoicePayment")
def get_invoice_payment(books: Books, params: Params) -> list[Record]:
    number = params.get("InvoiceNumber")
    invoice = existing(books.invoices.by_number(number), "Invoice", number)
    return books.payments.for_invoice(invoice["InvoiceDBID"])
