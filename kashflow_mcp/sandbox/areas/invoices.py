"""Invoice and payment operations.

``InsertInvoice`` numbers the invoice one above the account's highest; ``UpdateInvoice``
overwrites header and lines of the invoice named by InvoiceNumber (or InvoiceDBID), keeping only
its ids, number and payments; totals and the paid status are always recomputed, never taken
from the request.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from ..db import Books, Record, SandboxStore
from ..rules.invoices import gross, make_invoice, price_line, recompute_totals
from ..rules.payments import make_payment
from ..rules.records import not_found, sent_record
from ..rules.values import Refusal, day_of, text

Params = dict[str, Any]


def _by_number(books: Books, number: Any) -> Record:
    found = books.invoices.by_number(number)
    if found is None:
        raise not_found("Invoice", number)
    return found


def _by_id(books: Books, dbid: Any) -> Record:
    found = books.invoices.by_id(dbid)
    if found is None:
        raise not_found("Invoice with InvoiceDBID", dbid)
    return found


def _customer_of(books: Books, sent: Mapping[str, Any]) -> Record:
    if not sent.get("CustomerID"):
        raise Refusal("Invoice CustomerID is required")
    found = books.customers.by_id(sent["CustomerID"])
    if found is None:
        raise not_found("Customer", sent["CustomerID"])
    return found


def _lines(sent: Mapping[str, Any]) -> list[Any]:
    return list(sent.get("Lines") or ())


def get_invoice(store: SandboxStore, params: Params) -> Params:
    with store.read() as books:
        return {"GetInvoiceResult": _by_number(books, params.get("InvoiceNumber"))}


def get_invoice_by_id(store: SandboxStore, params: Params) -> Params:
    with store.read() as books:
        return {"GetInvoiceByIDResult": _by_id(books, params.get("InvoiceID"))}


def get_invoices_for_customer(store: SandboxStore, params: Params) -> Params:
    with store.read() as books:
        customer = books.customers.by_id(params.get("CustID"))
        if customer is None:
            raise not_found("Customer", params.get("CustID"))
        found = books.invoices.for_customer(customer["CustomerID"])
    return {"GetInvoicesForCustomerResult": found}


def get_invoices_by_date_range(store: SandboxStore, params: Params) -> Params:
    first = day_of(params.get("StartDate"), "StartDate")
    last = day_of(params.get("EndDate"), "EndDate")
    if first is None or last is None:
        raise Refusal("StartDate and EndDate are required")
    with store.read() as books:
        found = books.invoices.dated_between(first.isoformat(), last.isoformat())
    return {"GetInvoicesByDateRangeResult": found}


def get_unpaid(store: SandboxStore, params: Params) -> Params:
    with store.read() as books:
        return {"GetInvoices_UnpaidResult": books.invoices.unpaid()}


def get_overdue(store: SandboxStore, params: Params) -> Params:
    """Not fully paid and due before today."""
    with store.read() as books:
        return {"GetInvoices_OverdueResult": books.invoices.overdue(date.today().isoformat())}


def get_recent(store: SandboxStore, params: Params) -> Params:
    with store.read() as books:
        found = books.invoices.recent(int(params.get("NumberOfInvoices") or 0))
    return {"GetInvoices_RecentResult": found}


def insert_invoice(store: SandboxStore, params: Params) -> Params:
    sent = sent_record(params, "Inv")
    lines = _lines(sent)
    with store.write() as books:
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
    return {"InsertInvoiceResult": number}


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


def update_invoice(store: SandboxStore, params: Params) -> Params:
    sent = sent_record(params, "Inv")
    with store.write() as books:
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
        _check_payments_still_fit(old, record)
        books.invoices.replace(record)
    return {}


def _check_payments_still_fit(old: Record, new: Record) -> None:
    """Payments recorded against an invoice stay true after an edit (inferred: KashFlow's web
    app does not let an invoice be edited below what was paid on it, nor its currency change
    once paid in another)."""
    paid = Decimal(old["AmountPaid"])
    if paid <= 0:
        return
    if new["CurrencyCode"] != old["CurrencyCode"]:
        raise Refusal(
            f"Invoice {old['InvoiceNumber']} has payments in {old['CurrencyCode']}; its currency "
            "cannot change"
        )
    if gross(new) < paid:
        raise Refusal(
            f"Invoice {old['InvoiceNumber']} has {text(paid)} paid against it; its lines cannot "
            f"total less ({text(gross(new))})"
        )


def _append_line(books: Books, invoice: Record, line: Any) -> int:
    if not isinstance(line, Mapping):
        raise Refusal("InvLine is required")
    line_id = books.allocate("line")
    old = dict(invoice)
    invoice["Lines"] = [*invoice["Lines"], price_line(line, len(invoice["Lines"]) + 1, line_id)]
    record = recompute_totals(invoice, Decimal(invoice["AmountPaid"]))
    _check_payments_still_fit(old, record)
    books.invoices.replace(record)
    return line_id


def insert_invoice_line(store: SandboxStore, params: Params) -> Params:
    with store.write() as books:
        invoice = _by_id(books, params.get("InvoiceID"))
        return {"InsertInvoiceLineResult": _append_line(books, invoice, params.get("InvLine"))}


def insert_invoice_line_by_number(store: SandboxStore, params: Params) -> Params:
    with store.write() as books:
        invoice = _by_number(books, params.get("InvoiceNumber"))
        line_id = _append_line(books, invoice, params.get("InvLine"))
    return {"InsertInvoiceLineWithInvoiceNumberResult": line_id}


def delete_invoice(store: SandboxStore, params: Params) -> Params:
    with store.write() as books:
        books.invoices.delete(_by_number(books, params.get("InvoiceNumber"))["InvoiceDBID"])
    return {"DeleteInvoiceResult": 1}


def delete_invoice_by_id(store: SandboxStore, params: Params) -> Params:
    with store.write() as books:
        books.invoices.delete(_by_id(books, params.get("InvoiceID"))["InvoiceDBID"])
    return {"DeleteInvoiceByIDResult": 1}


def insert_invoice_payment(store: SandboxStore, params: Params) -> Params:
    """PayInvoice is the invoice NUMBER. Paying more than is due is refused."""
    sent = sent_record(params, "InvoicePayment")
    with store.write() as books:
        invoice = _by_number(books, sent.get("PayInvoice"))
        pay_id = books.allocate("payment")
        payment = make_payment(sent, pay_id=pay_id, invoice=invoice)
        books.payments.add([(invoice["InvoiceDBID"], payment)])
        paid = Decimal(invoice["AmountPaid"]) + Decimal(payment["PayAmount"])
        books.invoices.replace(recompute_totals(invoice, paid))
    return {"InsertInvoicePaymentResult": pay_id}


def get_invoice_payment(store: SandboxStore, params: Params) -> Params:
    with store.read() as books:
        invoice = _by_number(books, params.get("InvoiceNumber"))
        return {"GetInvoicePaymentResult": books.payments.for_invoice(invoice["InvoiceDBID"])}


HANDLERS = {
    "GetInvoice": get_invoice,
    "GetInvoiceByID": get_invoice_by_id,
    "GetInvoicesForCustomer": get_invoices_for_customer,
    "GetInvoicesByDateRange": get_invoices_by_date_range,
    "GetInvoices_Unpaid": get_unpaid,
    "GetInvoices_Overdue": get_overdue,
    "GetInvoices_Recent": get_recent,
    "InsertInvoice": insert_invoice,
    "UpdateInvoice": update_invoice,
    "InsertInvoiceLine": insert_invoice_line,
    "InsertInvoiceLineWithInvoiceNumber": insert_invoice_line_by_number,
    "DeleteInvoice": delete_invoice,
    "DeleteInvoiceByID": delete_invoice_by_id,
    "InsertInvoicePayment": insert_invoice_payment,
    "GetInvoicePayment": get_invoice_payment,
}
