"""Customers: look-ups (by id, code, email, postcode, text, last change), inserts, whole-record
updates and deletes (balances: ``reports``).

``UpdateCustomer`` overwrites the whole record, as KashFlow does: fields not sent are written
empty (only CustomerID and Created survive, and the Code when none is sent). Codes are unique
per account, compared without regard to case; a customer sent without one gets one made from
its name. Deleting a customer deletes its invoices and their payments.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..db import Books, Record
from ..dispatch import Params, serves
from ..rules.customers import generate_code, make_customer, sent_code
from ..rules.records import existing, sent_record
from ..rules.values import Refusal, stamp


def _existing(books: Books, customer_id: Any) -> Record:
    return existing(books.customers.by_id(customer_id), "Customer", customer_id)


def _by_code(books: Books, code: Any) -> Record:
    found = books.customers.by_code(str(code or ""))
    return existing(found, "Customer", code or "(no code given)")


def _check_code_free(books: Books, code: str, but: int | None = None) -> None:
    if books.customers.code_taken(code, but=but):
        raise Refusal(f"Customer code {code} already exists; customer codes must be unique")


@serves("GetCustomers")
def get_customers(books: Books, params: Params) -> list[Record]:
    return books.customers.all()


@serves("GetCustomer")
def get_customer(books: Books, params: Params) -> Record:
    return _by_code(books, params.get("CustomerCode"))


@serves("GetCustomerByID")
def get_customer_by_id(books: Books, params: Params) -> Record:
    return _existing(books, params.get("CustomerID"))


@serves("GetCustomerByEmail")
def get_customer_by_email(books: Books, params: Params) -> Record:
    email = str(params.get("CustomerEmail") or "")
    return existing(books.customers.by_email(email), "Customer", email or "(no email given)")


@serves("GetCustomersByPostcode")
def get_customers_by_postcode(books: Books, params: Params) -> list[Record]:
    return books.customers.by_postcode(str(params.get("Postcode") or ""))


@serves("GetCustomersModifiedSince")
def get_customers_modified_since(books: Books, params: Params) -> list[Record]:
    """Customers created or updated at ModifiedSince or later (inclusive: inferred)."""
    since = params.get("ModifiedSince")
    if not isinstance(since, datetime) or since.year == 1:
        raise Refusal("ModifiedSince is required")
    return books.customers.modified_since(since.replace(tzinfo=None, microsecond=0).isoformat())


@serves("SearchCustomerByCustText")
def search_customer_by_text(books: Books, params: Params) -> Record:
    """One customer, as the WSDL answers: the one whose code is SearchVal, else the first whose
    code or name holds it, in any case (what it matches is inferred: KashFlow documents no more
    than the operation's name)."""
    text = str(params.get("SearchVal") or "").strip()
    if not text:
        raise Refusal("SearchVal is required")
    return existing(books.customers.first_with_text(text), "Customer", text)


@serves("InsertCustomer")
def insert_customer(books: Books, params: Params) -> int:
    sent = sent_record(params, "custr")
    code = sent_code(sent)
    if code:
        _check_code_free(books, code)
    else:
        code = generate_code(str(sent.get("Name") or ""), books.customers.code_taken)
    customer_id = books.allocate("customer")
    now = stamp()
    record = make_customer(sent, customer_id=customer_id, code=code, created=now, updated=now)
    books.customers.add([record])
    return customer_id


@serves("UpdateCustomer")
def update_customer(books: Books, params: Params) -> None:
    sent = sent_record(params, "custr")
    if not sent.get("CustomerID"):
        raise Refusal("CustomerID is required to update a customer")
    old = _existing(books, sent["CustomerID"])
    code = sent_code(sent) or old["Code"]
    _check_code_free(books, code, but=old["CustomerID"])
    record = make_customer(
        sent,
        customer_id=old["CustomerID"],
        code=code,
        created=old["Created"],
        updated=stamp(),
    )
    books.customers.replace(record)
    # UpdateCustomerResult is optional in the WSDL and KashFlow documents no value for it.
    return None


@serves("DeleteCustomer")
def delete_customer(books: Books, params: Params) -> int:
    customer = _existing(books, params.get("CustomerID"))
    books.customers.delete(customer["CustomerID"])
    return 1
