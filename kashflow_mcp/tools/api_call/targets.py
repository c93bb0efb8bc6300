"""Which existing record each write or delete of call_kashflow_api acts on, and how to read it.

A declarative table, checked against the catalogue and the WSDL by a test: for each operation,
the kind of record, where its key sits in the body, and which read operation fetches it with
which parameter. Parameter names follow the WSDL, never a neighbour: ``DeleteInvoiceByID`` takes
``InvoiceID`` and so does ``GetInvoiceByID``, but ``GetProjectById`` takes ``ProjId`` and
``InsertInvoiceNote`` ``InvoiceId``. A document's "ID" is its system-wide ``InvoiceDBID``
(KashFlow's own ``GetInvoiceByID`` reads it so; for receipts, which have no read by id, this is
**inferred** the same way).

Lines, payments and allocations change what a document shows or what is owed on it, so they
are bound to that document like an update. Notes and attachments added to a record, and new
records, have nothing existing to bind (``INSERTS``). Where KashFlow has no way to read the one
record named (a payment by its number alone), ``UNREADABLE`` says why: the preview says so, and
the token is bound to the exact arguments only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RecordKind:
    """What a preview shows of a record, by the WSDL's field names."""

    name: str
    type: str
    """The WSDL type the read operations return."""
    id: str
    """Its system id: absent or 0 means KashFlow has no such record."""
    number: str
    """What people call it by (its number or code)."""
    shows: tuple[str, ...] = ()
    """Further fields a preview shows."""
    party: str | None = None
    """For Invoice-class documents: who CustomerID names; they show party, amounts, status."""


def _document(name: str, party: str) -> RecordKind:
    return RecordKind(name, "Invoice", "InvoiceDBID", "InvoiceNumber", party=party)


INVOICE = _document("invoice", "customer")
CREDIT_NOTE = _document("credit note", "customer")
QUOTE = _document("quote", "customer")
RECEIPT = _document("purchase invoice (receipt)", "supplier")
CUSTOMER = RecordKind("customer", "Customer", "CustomerID", "Code", ("Name", "Email"))
SUPPLIER = RecordKind("supplier", "Supplier", "SupplierID", "Code", ("Name", "Email"))
PROJECT = RecordKind(
    "project", "Project", "ID", "Number", ("Name", "Reference", "CustomerID", "Status")
)
PRODUCT = RecordKind("product", "SubProduct", "id", "Code", ("Name", "Price", "ParentID"))
JOURNAL = RecordKind("journal", "JournalEntry", "DBID", "JournalNumber", ("JournalDate", "Comment"))
BANK_TRANSACTION = RecordKind(
    "bank transaction",
    "BankTransaction",
    "ID",
    "ID",
    ("accid", "TransactionDate", "moneyin", "moneyout", "Comment", "CustomerId", "SupplierId"),
)
ATTACHMENT = RecordKind(
    "receipt attachment", "ReceiptAttachment", "AttachmentID", "AttachmentID",
    ("ReceiptID", "ActualFilename", "FileSize"),
)  # fmt: skip


@dataclass(frozen=True)
class Lookup:
    """How to read the record whose key is at ``key`` in the body.

    A single-record read takes the key as ``param``. A list read (``match`` set) returns
    records among which the one whose ``match`` field equals the key is the target; its
    ``param``, if any, takes the body's ``scope`` value, or every ``each`` value in turn
    (``(list operation, field)``: all bank accounts, for a transaction named by id alone).
    """

    key: str
    read: str
    param: str | None
    match: str | None = None
    scope: str | None = None
    each: tuple[str, str] | None = None


def by(key: str, read: str, param: str) -> Lookup:
    return Lookup(key, read, param)


def among(
    key: str,
    read: str,
    match: str,
    *,
    param: str | None = None,
    scope: str | None = None,
    each: tuple[str, str] | None = None,
) -> Lookup:
    return Lookup(key, read, param, match, scope, each)


@dataclass(frozen=True)
class Dependents:
    """Records that go with the target (a customer's invoices): shown and bound too."""

    label: str
    read: str
    param: str
    field: str
    """The target's field whose value the read takes."""
    kind: RecordKind
    """What each of them is: they are locked with the target."""


@dataclass(frozen=True)
class Target:
    kind: RecordKind
    lookups: tuple[Lookup, ...]
    """Ways the body may name it; every one it gives is read, and all must agree."""
    line: str | None = None
    """Body path of the ``LineID`` of a line of the document the operation removes."""
    new_when_absent: bool = False
    """Insert-or-update: no key (or 0) means a new record, with nothing to bind."""
    dependents: tuple[Dependents, ...] = ()


def _one(kind: RecordKind, *lookups: Lookup, **options: Any) -> tuple[Target, ...]:
    return (Target(kind, lookups, **options),)


_INVOICE_BY_NUMBER = by("InvoiceNumber", "GetInvoice", "InvoiceNumber")
_INVOICE_BY_ID = by("InvoiceID", "GetInvoiceByID", "InvoiceID")
_QUOTE_BY_NUMBER = by("QuoteNumber", "GetQuoteByNumber", "QuoteNumber")
_QUOTE_BY_ID = by("QuoteID", "GetQuoteByID", "QuoteID")
_RECEIPT_BY_NUMBER = by("ReceiptNumber", "GetReceipt", "ReceiptNumber")
_RECEIPT_BY_ID = among("ReceiptID", "GetReceipts", "InvoiceDBID")
_EVERY_ACCOUNT = ("GetBankAccounts", "AccountID")
# A bank transaction is listed by account only: named by its id alone, every account is read.
_ADVANCE_PAYMENT = among(
    "BankTxId", "GetBankTransactions", "ID", param="AccountID", each=_EVERY_ACCOUNT
)


def _invoice_in(param: str) -> tuple[Lookup, ...]:
    return (
        by(f"{param}.InvoiceNumber", "GetInvoice", "InvoiceNumber"),
        by(f"{param}.InvoiceDBID", "GetInvoiceByID", "InvoiceID"),
    )


def _quote_in(param: str) -> tuple[Lookup, ...]:
    return (
        by(f"{param}.InvoiceNumber", "GetQuoteByNumber", "QuoteNumber"),
        by(f"{param}.InvoiceDBID", "GetQuoteByID", "QuoteID"),
    )


def _receipt_in(param: str) -> tuple[Lookup, ...]:
    return (
        by(f"{param}.InvoiceNumber", "GetReceipt", "ReceiptNumber"),
        among(f"{param}.InvoiceDBID", "GetReceipts", "InvoiceDBID"),
    )


def _journal_in(param: str) -> tuple[Lookup, ...]:
    return (
        by(f"{param}.JournalNumber", "GetJournal", "JournalNumber"),
        among(f"{param}.DBID", "GetJournals", "DBID"),
    )


_WITH_DOCUMENTS = (
    Dependents("invoice(s)", "GetInvoicesForCustomer", "CustID", "CustomerID", INVOICE),
    Dependents("quote(s)", "GetQuotesForCustomer", "CustID", "CustomerID", QUOTE),
)

TARGETS: dict[str, tuple[Target, ...]] = {
    # customers
    "UpdateCustomer": _one(CUSTOMER, by("custr.CustomerID", "GetCustomerByID", "CustomerID")),
    "SetCustomerVATNumber": _one(CUSTOMER, by("CustomerCode", "GetCustomer", "CustomerCode")),
    "SetCustomerCurrency": _one(CUSTOMER, by("CustomerCode", "GetCustomer", "CustomerCode")),
    "DeleteCustomer": _one(
        CUSTOMER,
        by("CustomerID", "GetCustomerByID", "CustomerID"),
        dependents=_WITH_DOCUMENTS,  # KashFlow deletes a customer's invoices and quotes with it
    ),
    # suppliers
    "UpdateSupplier": _one(SUPPLIER, by("sup.SupplierID", "GetSupplierByID", "SupplierID")),
    "SetSupplierVATNumber": _one(SUPPLIER, by("SupplierCode", "GetSupplier", "SupplierCode")),
    "SetSupplierCurrency": _one(SUPPLIER, by("SupplierCode", "GetSupplier", "SupplierCode")),
    "DeleteSupplier": _one(SUPPLIER, by("SupplierID", "GetSupplierByID", "SupplierID")),
    # invoices
    "UpdateInvoice": _one(INVOICE, *_invoice_in("Inv")),
    "UpdateInvoiceHeader": _one(INVOICE, *_invoice_in("Inv")),
    "UpdateInvoice_TypeDefined": _one(INVOICE, *_invoice_in("InvTD")),
    "InsertInvoiceLine": _one(INVOICE, _INVOICE_BY_ID),
    "InsertInvoiceLineWithInvoiceNumber": _one(INVOICE, _INVOICE_BY_NUMBER),
    "DeleteInvoiceLine": _one(INVOICE, _INVOICE_BY_NUMBER, line="LineID"),
    "DeleteInvoiceLineWithInvoiceID": _one(INVOICE, _INVOICE_BY_ID, line="LineID"),
    "InsertInvoicePayment": _one(
        INVOICE, by("InvoicePayment.PayInvoice", "GetInvoice", "InvoiceNumber")
    ),
    "AllocateAdvancePaymentToInvoice": (
        Target(INVOICE, (_INVOICE_BY_NUMBER,)),
        Target(BANK_TRANSACTION, (_ADVANCE_PAYMENT,)),
    ),
    "applyCreditNoteToInvoice": (
        Target(INVOICE, (_INVOICE_BY_ID,)),
        Target(CREDIT_NOTE, (by("CreditNoteID", "GetInvoiceByID", "InvoiceID"),)),
    ),
    "DeleteInvoice": _one(INVOICE, _INVOICE_BY_NUMBER),
    "DeleteInvoiceByID": _one(INVOICE, _INVOICE_BY_ID),
    # restricted, sent only once the operator allows it: bound to the invoice it mails, as
    # email_invoice binds it
    "EmailInvoice": _one(INVOICE, _INVOICE_BY_NUMBER),
    # quotes
    "UpdateQuote": _one(QUOTE, *_quote_in("Quote")),
    "UpdateQuoteHeader": _one(QUOTE, *_quote_in("Quote")),
    "InsertQuoteLine": _one(QUOTE, _QUOTE_BY_ID),
    "ConvertQuoteToInvoice": _one(QUOTE, _QUOTE_BY_ID),
    "DeleteQuote": _one(QUOTE, _QUOTE_BY_NUMBER),
    "DeleteQuoteByID": _one(QUOTE, _QUOTE_BY_ID),
    "DeleteQuoteLine": _one(QUOTE, _QUOTE_BY_NUMBER, line="LineID"),
    "DeleteQuoteLineWithQuoteID": _one(QUOTE, _QUOTE_BY_ID, line="LineID"),
    # purchases ("receipts")
    "UpdateReceipt": _one(RECEIPT, *_receipt_in("Receipt")),
    "UpdateReceiptHeader": _one(RECEIPT, *_receipt_in("Receipt")),
    "UpdateReceipt_TypeDefined": _one(RECEIPT, *_receipt_in("Receipt_TD")),
    "InsertReceiptLine": _one(RECEIPT, _RECEIPT_BY_ID),
    "InsertReceiptLineFromNumber": _one(RECEIPT, _RECEIPT_BY_NUMBER),
    "InsertReceiptPayment": _one(
        RECEIPT, by("ReceiptPayment.PayInvoice", "GetReceipt", "ReceiptNumber")
    ),
    "AllocateAdvancePaymentToReceipt": (
        Target(RECEIPT, (_RECEIPT_BY_NUMBER,)),
        Target(BANK_TRANSACTION, (_ADVANCE_PAYMENT,)),
    ),
    "DeleteReceipt": _one(RECEIPT, _RECEIPT_BY_NUMBER),
    "DeleteReceiptByID": _one(RECEIPT, _RECEIPT_BY_ID),
    "DeleteReceiptLine": _one(RECEIPT, _RECEIPT_BY_NUMBER, line="LineID"),
    "DeleteReceiptLineWithReceiptID": _one(RECEIPT, _RECEIPT_BY_ID, line="LineID"),
    "DeleteReceiptAttachment": _one(
        ATTACHMENT,
        among(
            "AttachmentID",
            "GetReceiptAttachments",
            "AttachmentID",
            param="ReceiptID",
            scope="ReceiptID",
        ),
    ),
    # bank
    "UpdateBankTransaction": _one(
        BANK_TRANSACTION,
        among("TransactionID", "GetBankTransactions", "ID", param="AccountID", scope="bp.accid"),
    ),
    "DeleteBankTransaction": _one(
        BANK_TRANSACTION,
        among("TransactionID", "GetBankTransactions", "ID", param="AccountID", each=_EVERY_ACCOUNT),
    ),
    # journals
    "UpdateJournal": _one(JOURNAL, *_journal_in("Jnl")),
    "UpdateJournalHeader": _one(JOURNAL, *_journal_in("Jnl")),
    "DeleteJournal": _one(JOURNAL, by("JournalNumber", "GetJournal", "JournalNumber")),
    "DeleteJournalByID": _one(JOURNAL, among("JournalID", "GetJournals", "DBID")),
    # projects and products: insert-or-update, by whether the id is given
    "InsertOrUpdateProject": _one(
        PROJECT, by("Project.ID", "GetProjectById", "ProjId"), new_when_absent=True
    ),
    "AddOrUpdateSubProduct": _one(
        PRODUCT, by("sp.id", "GetSubProductByID", "ProductID"), new_when_absent=True
    ),
}

INSERTS: frozenset[str] = frozenset(
    {
        "InsertCustomer",
        "InsertSupplier",
        "InsertInvoice",
        "InsertInvoice_TypeDefined",
        "InsertQuote",
        "InsertReceipt",
        "InsertReceipt_TypeDefined",
        "InsertBankTransaction",
        "CreateBankAccount",
        "InsertJournal",
        "InsertNominalCode",
        "InsertInvoiceNote",
        "InsertReceiptNote",
        "AttachFileToReceipt",
    }
)
"""Writes that add a record (or a note or file to one) and change nothing that exists."""

_NO_PAYMENT_READ = (
    "KashFlow cannot read one payment by its number (GetInvoicePayment and GetReceiptPayment "
    "list a document's payments by the document's number); the API has no way to change a "
    "recorded payment, so its number alone pins it down"
)
UNREADABLE: dict[str, str] = {
    "DeleteInvoicePayment": _NO_PAYMENT_READ,
    "DeleteReceiptPayment": _NO_PAYMENT_READ,
}
