"""Customer operations: each takes the store and the decoded parameters, returns the outputs.

``UpdateCustomer`` overwrites the whole record, as KashFlow does: fields not sent are written
empty (only CustomerID and Created survive, and the Code when none is sent). Codes are unique
per account, compared without regard to case; a customer sent without one gets one made from
its name. Deleting a customer deletes its invoices and their payments.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..db import Books, Record, SandboxStore
from ..rules.customers import generate_code, make_customer, sent_code
from ..rules.invoices import gross
from ..rules.records import not_found, sent_record
from ..rules.values import Refusal, stamp, text

Params = dict[str, Any]


def _existing(books: Books, customer_id: Any) -> Record:
    found = books.customers.by_id(customer_id)
    if found is None:
        raise not_found("Customer", customer_id)
    return found


def _by_code(books: Books, code: Any) -> Record:
    found = books.customers.by_code(str(code or ""))
    if found is None:
        raise not_found("Customer", code or "(no code given)")
    return found


def _check_code_free(books: Books, code: str, but: int | None = None) -> None:
    if books.customers.code_taken(code, but=but):
        raise Refusal(f"Customer code {code} already exists; customer codes must be unique")


def get_customers(store: SandboxStore, params: Params) -> Params:
    with store.read() as books:
        return {"GetCustomersResult": books.customers.all()}


def get_customer(store: SandboxStore, params: Params) -> Params:
    with store.read() as books:
        return {"GetCustomerResult": _by_code(books, params.get("CustomerCode"))}


def get_customer_by_id(store: SandboxStore, params: Params) -> Params:
    with store.read() as books:
        return {"GetCustomerByIDResult": _existing(books, params.get("CustomerID"))}


def get_customer_by_email(store: SandboxStore, params: Params) -> Params:
    email = str(params.get("CustomerEmail") or "")
    with store.read() as books:
        found = books.customers.by_email(email)
    if found is None:
        raise not_found("Customer", email or "(no email given)")
    return {"GetCustomerByEmailResult": found}


def get_customers_by_postcode(store: SandboxStore, params: Params) -> Params:
    with store.read() as books:
        found = books.customers.by_postcode(str(params.get("Postcode") or ""))
    return {"GetCustomersByPostcodeResult": found}


def insert_customer(store: SandboxStore, params: Params) -> Params:
    sent = sent_record(params, "custr")
    with store.write() as books:
        code = sent_code(sent)
        if code:
            _check_code_free(books, code)
        else:
            code = generate_code(str(sent.get("Name") or ""), books.customers.code_taken)
        customer_id = books.allocate("customer")
        now = stamp()
        record = make_customer(sent, customer_id=customer_id, code=code, created=now, updated=now)
        books.customers.add([record])
    return {"InsertCustomerResult": customer_id}


def update_customer(store: SandboxStore, params: Params) -> Params:
    sent = sent_record(params, "custr")
    if not sent.get("CustomerID"):
        raise Refusal("CustomerID is required to update a customer")
    with store.write() as books:
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
    return {}


def delete_customer(store: SandboxStore, params: Params) -> Params:
    with store.write() as books:
        customer = _existing(books, params.get("CustomerID"))
        books.customers.delete(customer["CustomerID"])
    return {"DeleteCustomerResult": 1}


def get_customer_balance(store: SandboxStore, params: Params) -> Params:
    """Value: what the customer has paid; Balance: what is still owed, over all invoices."""
    with store.read() as books:
        customer = _by_code(books, params.get("CustomerCode"))
        invoices = books.invoices.for_customer(customer["CustomerID"])
    paid = sum((Decimal(i["AmountPaid"]) for i in invoices), Decimal(0))
    owed = sum((max(gross(i) - Decimal(i["AmountPaid"]), Decimal(0)) for i in invoices), Decimal(0))
    balance = {
        "CustomerId": customer["CustomerID"],
        "CustomerCode": customer["Code"],
        "Value": text(paid),
        "Balance": text(owed),
    }
    return {"GetCustomerBalanceResult": balance}


HANDLERS = {
    "GetCustomers": get_customers,
    "GetCustomer": get_customer,
    "GetCustomerByID": get_customer_by_id,
    "GetCustomerByEmail": get_customer_by_email,
    "GetCustomersByPostcode": get_customers_by_postcode,
    "InsertCustomer": insert_customer,
    "UpdateCustomer": update_customer,
    "DeleteCustomer": delete_customer,
    "GetCustomerBalance": get_customer_balance,
}
