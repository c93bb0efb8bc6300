"""Mail: ``EmailInvoice``. The sandbox sends nothing; it keeps each message in an outbox
(``/_sandbox/outbox``) with who it was to, from whom, its subject, its body and the invoice.

Inferred, as KashFlow documents only the parameters: a blank RecipientEmail goes to the
customer's own email address(es), and is refused when the customer has none; recipients are
separated by commas or semicolons, and each must look like an address; a blank FromEmail or
FromName is the company's (GetCompanyDetails); subject and body are kept as sent (KashFlow may
fill blanks from the account's email template).
"""

from __future__ import annotations

import re
from typing import Any

from ..db import Books
from ..dispatch import Params, serves
from ..rules.records import existing
from ..rules.values import Refusal, stamp

_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def recipients(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;]", text) if part.strip()]


def _addresses(sent: str, customer: dict[str, Any]) -> list[str]:
    addresses = recipients(sent) or recipients(customer["Email"])
    if not addresses:
        raise Refusal(
            f"RecipientEmail is required: customer {customer['Code']} has no email address"
        )
    for address in addresses:
        if not _ADDRESS.fullmatch(address):
            raise Refusal(f"RecipientEmail {address} is not an email address")
    return addresses


@serves("EmailInvoice")
def email_invoice(books: Books, params: Params) -> None:
    number = params.get("InvoiceNumber")
    invoice = existing(books.invoices.by_number(number), "Invoice", number)
    customer = existing(
        books.customers.by_id(invoice["CustomerID"]), "Customer", invoice["CustomerID"]
    )
    company = books.reference.get("company") or {}
    books.outbox.add(
        {
            "sent": stamp(),
            "invoice_number": invoice["InvoiceNumber"],
            "invoice_id": invoice["InvoiceDBID"],
            "customer_id": customer["CustomerID"],
            "to": _addresses(str(params.get("RecipientEmail") or ""), customer),
            "from_email": str(params.get("FromEmail") or "") or company.get("PrimaryEmail", ""),
            "from_name": str(params.get("FromName") or "") or company.get("CompanyName", ""),
            "subject": str(params.get("SubjectLine") or ""),
            "body": str(params.get("Body") or ""),
        }
    )
