"""What a body for call_kashflow_api must hold beyond the WSDL's types: required fields, money.

Every top-level parameter of an operation is required. Inside records the WSDL cannot say what
is needed: it marks every .NET value type (each int, decimal, date) ``minOccurs="1"`` whatever
the service does with it. KashFlow documents little of it either, so ``REQUIRED`` is
**inferred**: what a record cannot mean without (a payment needs its invoice, date and amount;
an invoice its customer and date; an update the id of the record it overwrites), kept the same
as the sandbox's own refusals (``sandbox/books.py``, ``customer_ops.py``, ``invoice_ops.py``),
which a test checks both ways.

A path names a field inside the body: ``Inv.InvoiceDate``; ``Inv.Lines[].Description`` is that
field of every line; ``A|B`` is satisfied by either. A required value must be given and not
blank: not null, not an empty or all-space string, not an empty list, and not 0 for a whole
number (0 is how KashFlow says "none" for an id).
"""

from __future__ import annotations

from ...kashflow import Operation
from ...kashflow.codec import ANY_ITEM_TYPES
from ...kashflow.wsdl_types import TYPES, ArrayType, RecordType, field_types


def _document(param: str, *, update: bool = False, header_only: bool = False) -> tuple[str, ...]:
    """An Invoice-class record (invoice, quote, receipt): its party and date, a described line."""
    rules = [f"{param}.CustomerID", f"{param}.InvoiceDate"]
    if not header_only:
        rules.append(f"{param}.Lines[].Description")
    if update:
        rules.insert(0, f"{param}.InvoiceNumber|{param}.InvoiceDBID")
    return tuple(rules)


_PAYMENT = ("PayInvoice", "PayDate", "PayAmount")
_JOURNAL_LINES = ("Jnl.Lines[].NominalID", "Jnl.Lines[].Amount")

REQUIRED: dict[str, tuple[str, ...]] = {
    # customers and suppliers: a name; an update names the record it overwrites
    "InsertCustomer": ("custr.Name",),
    "UpdateCustomer": ("custr.CustomerID", "custr.Name"),
    "InsertSupplier": ("supl.Name",),
    "UpdateSupplier": ("sup.SupplierID", "sup.Name"),
    # documents
    "InsertInvoice": _document("Inv"),
    "InsertInvoice_TypeDefined": _document("Inv_TD"),
    "UpdateInvoice": _document("Inv", update=True),
    "UpdateInvoice_TypeDefined": _document("InvTD", update=True),
    "UpdateInvoiceHeader": _document("Inv", update=True, header_only=True),
    "InsertQuote": _document("Quote"),
    "UpdateQuote": _document("Quote", update=True),
    "UpdateQuoteHeader": _document("Quote", update=True, header_only=True),
    "InsertReceipt": _document("Inv"),
    "InsertReceipt_TypeDefined": _document("Inv_TD"),
    "UpdateReceipt": _document("Receipt", update=True),
    "UpdateReceipt_TypeDefined": _document("Receipt_TD", update=True),
    "UpdateReceiptHeader": _document("Receipt", update=True, header_only=True),
    # a line added to a document says what it is for
    "InsertInvoiceLine": ("InvLine.Description",),
    "InsertInvoiceLineWithInvoiceNumber": ("InvLine.Description",),
    "InsertQuoteLine": ("QuoteLine.Description",),
    "InsertReceiptLine": ("InvLine.Description",),
    "InsertReceiptLineFromNumber": ("InvLine.Description",),
    # payments: which document (its number), when, how much
    "InsertInvoicePayment": tuple(f"InvoicePayment.{name}" for name in _PAYMENT),
    "InsertReceiptPayment": tuple(f"ReceiptPayment.{name}" for name in _PAYMENT),
    # bank, journals, projects, products
    "InsertBankTransaction": ("bp.accid", "bp.TransactionDate"),
    "UpdateBankTransaction": ("bp.accid", "bp.TransactionDate"),
    "InsertJournal": ("Jnl.JournalDate", "Jnl.Lines", *_JOURNAL_LINES),
    "UpdateJournal": ("Jnl.JournalNumber|Jnl.DBID", "Jnl.JournalDate", *_JOURNAL_LINES),
    "UpdateJournalHeader": ("Jnl.JournalNumber|Jnl.DBID", "Jnl.JournalDate"),
    "InsertOrUpdateProject": ("Project.Name",),
    "AddOrUpdateSubProduct": ("sp.Name", "sp.ParentID"),
}

# Decimal fields that are amounts of money: a decimal string with at most the currency's
# decimals (2 for every currency KashFlow offers), as the tools take them (schemas/common.py).
MONEY_DECIMALS = 2
MONEY: frozenset[str] = frozenset(
    {
        "BankTransaction.moneyin",
        "BankTransaction.moneyout",
        "BankTransaction.VatAmount",
        "Invoice.NetAmount",
        "Invoice.VATAmount",
        "Invoice.AmountPaid",
        "Invoice_TypeDefined.NetAmount",
        "Invoice_TypeDefined.VATAmount",
        "Invoice_TypeDefined.AmountPaid",
        "InvoiceLine.Rate",
        "InvoiceLine.VatAmount",
        "JournalLine.Amount",
        "Payment.PayAmount",
        "SubProduct.Price",
        "SubProduct.WholesalePrice",
    }
)
# Decimal fields that are not money: any number of decimals, still no exponent, NaN or float.
NOT_MONEY: dict[str, str] = {
    "BankTransaction.VatRate": "a VAT percentage",
    "Customer.Discount": "a discount percentage",
    "Invoice.ExchangeRate": "an exchange rate",
    "Invoice_TypeDefined.ExchangeRate": "an exchange rate",
    "InvoiceLine.Quantity": "a quantity",
    "InvoiceLine.VatRate": "a VAT percentage (-1 is exempt)",
    "SubProduct.VatRate": "a VAT percentage",
}


def is_money(record_type: str, name: str) -> bool:
    """Unlisted decimals are taken as money: the stricter rule is the safer guess."""
    key = f"{record_type}.{name}"
    return key in MONEY or key not in NOT_MONEY


def item_type(record_type: str, name: str) -> str | None:
    """The type of the items of a list field (``anyType`` items only where we know them)."""
    spec = TYPES.get(field_types(record_type).get(name, ""))
    if not isinstance(spec, ArrayType):
        return None
    if spec.item_type == "anyType":
        return ANY_ITEM_TYPES.get((record_type, name))
    return spec.item_type


def type_at(op: Operation, path: str) -> str | None:
    """The WSDL type at a body path (``Inv.Lines[].Description`` -> ``string``), None if none."""
    first, *rest = path.split(".")
    kind: str | None = dict(op.params).get(first)
    parent: str | None = None
    for part in rest:
        if kind is None or not isinstance(TYPES.get(kind), RecordType):
            return None
        parent, kind = kind, field_types(kind).get(part.removesuffix("[]"))
        if part.endswith("[]"):
            kind = item_type(parent, part[:-2]) if kind else None
    return kind
