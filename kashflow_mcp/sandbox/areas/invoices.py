"""Invoices: look-ups and lists, inserts, whole-invoice updates, added and removed lines,
header updates, deletes; and each operation's ``_TypeDefined`` twin.

``InsertInvoice`` numbers the invoice one above the highest number the account ever issued;
``UpdateInvoice`` overwrites header and lines of the invoice named by InvoiceNumber (or
InvoiceDBID), keeping only its ids, number and payments; totals and the paid status are always
recomputed, never taken from the request. Credit notes are invoices too (negative lines).

The ``_TypeDefined`` operations take and give ``Invoice_TypeDefined``: the same record with its
lines typed (``<InvoiceLine>``, no ``xsi:type``) and without the PDF link and delivery address
(WSDL). Inferred: ``UpdateInvoice_TypeDefined`` keeps the delivery address it cannot carry, and
``UpdateInvoiceHeader`` overwrites the header as ``UpdateInvoice`` does but keeps the lines.
A deleted document takes its notes with it, and undoes on the other document the credit
applications it was part of (``db.credit_notes.release``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from ..db import Books, Record
from ..db.credit_notes import release
from ..dispatch import Params, serves
from ..rules.invoices import (
    check_payments_still_fit,
    make_invoice,
    price_line,
    recompute_totals,
    typed,
)
from ..rules.records import existing, sent_record
from ..rules.values import Refusal, day_of


def _by_number(books: Books, number: Any) -> Record:
    return existing(books.invoices.by_number(number), "Invoice", number)


def _by_id(books: Books, dbid: Any) -> Record:
    return existing(books.invoices.by_id(dbid), "Invoice with InvoiceDBID", dbid)


def _customer_of(books: Books, sent: Mapping[str, Any]) -> Record:
    if not sent.get("CustomerID"):
        raise Refusal("Invoice CustomerID is required")
    return existing(books.customers.by_id(sent["CustomerID"]), "Customer", sent["CustomerID"])


def _lines(sent: Mapping[str, Any]) -> list[Any]:
    return list(sent.get("Lines") or ())


@serves("GetInvoice")
def get_invoice(books: Books, params: Params) -> Record:
    return _by_number(books, params.get("InvoiceNumber"))


@serves("GetInvoiceByID")
def get_invoice_by_id(books: Books, params: Params) -> Record:
    return _by_id(books, params.get("InvoiceID"))


@serves("GetInvoicesForCustomer")
def get_invoices_for_customer(books: Books, params: Params) -> list[Record]:
    wanted = params.get("CustID")
    customer = existing(books.customers.by_id(wanted), "Customer", wanted)
    return books.invoices.for_customer(customer["CustomerID"])


@serves("GetInvoicesByDateRange")
def get_invoices_by_date_range(books: Books, params: Params) -> list[Record]:
    first = day_of(params.get("StartDate"), "StartDate")
    last = day_of(params.get("EndDate"), "EndDate")
    if first is None or last is None:
        raise Refusal("StartDate and EndDate are required")
    return books.invoices.dated_between(first.isoformat(), last.isoformat())


@serves("GetInvoices_Unpaid")
def get_unpaid(books: Books, params: Params) -> list[Record]:
    return books.invoices.unpaid()


@serves("GetInvoices_Overdue")
def get_overdue(books: Books, params: Params) -> list[Record]:
    """Not fully paid and due before today."""
    return books.invoices.overdue(date.today().isoformat())


@serves("GetInvoices_Recent")
def get_recent(books: Books, params: Params) -> list[Record]:
    return books.invoices.recent(int(params.get("NumberOfInvoices") or 0))


@serves("GetInvoice_TypeDefined")
def get_invoice_typed(books: Books, params: Params) -> Record:
    return typed(get_invoice(books, params))


@serves("GetInvoicesForCustomer_typeDefined")
def get_invoices_for_customer_typed(books: Books, params: Params) -> list[Record]:
    return [typed(i) for i in get_invoices_for_customer(books, params)]


@serves("GetInvoices_Unpaid_TypeDefined")
def get_unpaid_typed(books: Books, params: Params) -> list[Record]:
    return [typed(i) for i in get_unpaid(books, params)]


@serves("GetInvoices_Overdue_TypeDefined")
def get_overdue_typed(books: Books, params: Params) -> list[Record]:
    return [typed(i) for i in get_overdue(books, params)]


@serves("GetInvoices_Recent_TypeDefined")
def get_recent_typed(books: Books, params: Params) -> list[Record]:
    return [typed(i) for i in get_recent(books, params)]


@serves("InsertInvoice")
def insert_invoice(books: Books, params: Params) -> int:
    return _insert(books, sent_record(params, "Inv"))


@serves("InsertInvoice_TypeDefined")
def insert_invoice_typed(books: Books, params: Params) -> int:
    return _insert(books, sent_record(params, "Inv_TD"))


def _insert(books: Books, sent: Mapping[str, Any]) -> int:
    lines = _lines(sent)
    customer = _customer_of(books, sent)
    # Inside BEGIN IMMEDIATE: no other writer can take the same number meanwhile.
    number = books.invoices.next_number()
    dbid = books.allocate("invoice")
    first = books.allocate("line", len(lines)) if lines else 0
    record = make_invoice(
        sent,
        dbid=dbid,
        number=number,
        customer=customer,
        line_ids=[first + offset for offset in range(len(lines))],
        amount_paid=Decimal(0),
        currencies=books.reference.exchange_rates(),
    )
    books.invoices.add([record])
    return number


def _target(books: Books, sent: Mapping[str, Any]) -> Record:
    number, dbid = sent.get("InvoiceNumber"), sent.get("InvoiceDBID")
    if not number and not dbid:
        raise Refusal("InvoiceNumber or InvoiceDBID is required to update an invoice")
    found = _by_number(books, number) if number else _by_id(books, dbid)
    if number and dbid and found["InvoiceDBID"] != dbid:
        raise Refusal(f"InvoiceNumber {number} and InvoiceDBID {dbid} must name the same invoice")
    return found


def _kept_line_ids(books: Books, old: Record, lines: list[Any]) -> list[int]:
    """Lines sent back with one of this invoice's LineIDs keep it; the others get new ids."""
    free = {line["LineID"] for line in old["Lines"]}
    wanted = [line.get("LineID") if isinstance(line, Mapping) else None for line in lines]
    kept = []
    for line_id in wanted:
        kept.append(line_id if line_id in free else None)
        free.discard(line_id)
    missing = kept.count(None)
    fresh = books.allocate("line", missing) if missing else 0
    ids = []
    for line_id in kept:
        if line_id is None:
            line_id, fresh = fresh, fresh + 1
        ids.append(line_id)
    return ids


@serves("UpdateInvoice")
def update_invoice(books: Books, params: Params) -> None:
    books.invoices.replace(_updated(books, sent_record(params, "Inv")))


@serves("UpdateInvoice_TypeDefined")
def update_invoice_typed(books: Books, params: Params) -> None:
    sent = sent_record(params, "InvTD")
    record = _updated(books, sent)
    old = _target(books, sent)
    record.update(
        DeliveryAddress=old["DeliveryAddress"],
        UseCustomDeliveryAddress=old["UseCustomDeliveryAddress"],
    )
    books.invoices.replace(record)


@serves("UpdateInvoiceHeader")
def update_invoice_header(books: Books, params: Params) -> None:
    sent = sent_record(params, "Inv")
    old = _target(books, sent)
    record = make_invoice(
        {**sent, "Lines": []},
        dbid=old["InvoiceDBID"],
        number=old["InvoiceNumber"],
        customer=_customer_of(books, sent),
        line_ids=[],
        amount_paid=Decimal(old["AmountPaid"]),
        currencies=books.reference.exchange_rates(),
    )
    record["Lines"] = old["Lines"]
    record = recompute_totals(record, Decimal(old["AmountPaid"]))
    check_payments_still_fit(old, record)
    books.invoices.replace(record)


def _updated(books: Books, sent: Mapping[str, Any]) -> Record:
    """The invoice ``sent`` names, overwritten with what was sent (checked, not yet stored)."""
    old = _target(books, sent)
    record = make_invoice(
        sent,
        dbid=old["InvoiceDBID"],
        number=old["InvoiceNumber"],
        customer=_customer_of(books, sent),
        line_ids=_kept_line_ids(books, old, _lines(sent)),
        amount_paid=Decimal(old["AmountPaid"]),
        currencies=books.reference.exchange_rates(),
    )
    check_payments_still_fit(old, record)
    return record


def _append_line(books: Books, invoice: Record, line: Any) -> int:
    if not isinstance(line, Mapping):
        raise Refusal("InvLine is required")
    line_id = books.allocate("line")
    old = dict(invoice)
    invoice["Lines"] = [*invoice["Lines"], price_line(line, len(invoice["Lines"]) + 1, line_id)]
    record = recompute_totals(invoice, Decimal(invoice["AmountPaid"]))
    check_payments_still_fit(old, record)
    books.invoices.replace(record)
    return line_id


@serves("InsertInvoiceLine")
def insert_invoice_line(books: Books, params: Params) -> int:
    invoice = _by_id(books, params.get("InvoiceID"))
    return _append_line(books, invoice, params.get("InvLine"))


@serves("InsertInvoiceLineWithInvoiceNumber")
def insert_invoice_line_by_number(books: Books, params: Params) -> int:
    invoice = _by_number(books, params.get("InvoiceNumber"))
    return _append_line(books, invoice, params.get("InvLine"))


def _remove_line(books: Books, invoice: Record, line_id: Any) -> int:
    kept = [line for line in invoice["Lines"] if line["LineID"] != line_id]
    if len(kept) == len(invoice["Lines"]):
        raise Refusal(f"Line {line_id} not found on invoice {invoice['InvoiceNumber']}")
    old = dict(invoice)
    record = recompute_totals({**invoice, "Lines": kept}, Decimal(invoice["AmountPaid"]))
    check_payments_still_fit(old, record)
    books.invoices.replace(record)
    return 1


@serves("DeleteInvoiceLine")
def delete_invoice_line(books: Books, params: Params) -> int:
    invoice = _by_number(books, params.get("InvoiceNumber"))
    return _remove_line(books, invoice, params.get("LineID"))


@serves("DeleteInvoiceLineWithInvoiceID")
def delete_invoice_line_by_id(books: Books, params: Params) -> int:
    invoice = _by_id(books, params.get("InvoiceID"))
    return _remove_line(books, invoice, params.get("LineID"))


def _delete(books: Books, invoice: Record) -> int:
    release(books, invoice["InvoiceDBID"])
    books.invoices.delete(invoice["InvoiceDBID"])
    return 1


@serves("DeleteInvoice")
def delete_invoice(books: Books, params: Params) -> int:
    return _delete(books, _by_number(books, params.get("InvoiceNumber")))


@serves("DeleteInvoiceByID")
def delete_invoice_by_id(books: Books, params: Params) -> int:
    return _delete(books, _by_id(books, params.get("InvoiceID")))
