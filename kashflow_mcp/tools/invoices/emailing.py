"""Emailing an invoice (KashFlow's EmailInvoice): offered only where the operator allowed it.

EmailInvoice is a restricted operation, so this tool is never on by default: it is offered once
the operator allows EmailInvoice by name (``--allow-operation``), exactly when
call_kashflow_api would send it. It always asks first, as a delete does: the preview names the
invoice, who it goes to and from, the subject and the body, and the token is bound to those and
to the invoice as it is. Mail cannot be called back, and KashFlow keeps no record of what it
sent that could be read: an answer lost on the way is reported as unknown, never re-sent.
"""

from __future__ import annotations

from datetime import date

from ...kashflow.wire import records as wire
from ...schemas import invoices as inv
from .. import documents
from ..base import ToolEnv, ToolFailure, ToolResult, handles
from ..core.confirmation import Subject, act_when_confirmed, state_digest
from ..core.reads import concurrently, fetch
from ..core.reconcile import send_once
from ..core.render import render

_TOOL = "email_invoice"


async def _unverifiable() -> None:
    raise ToolFailure("KashFlow keeps no record of sent email that could be read")


@handles(inv.EmailInvoiceArgs, inv.InvoiceEmailing)
async def email_invoice(args: inv.EmailInvoiceArgs, env: ToolEnv) -> ToolResult:
    number = args.invoice_number

    async def look() -> Subject:
        record, company = await concurrently(
            lambda: fetch(
                env.client.invoices.get(number),
                f"No invoice number {number}. Find invoice numbers with list_invoices.",
            ),
            env.client.reference.company,
        )
        preview = _preview(args, record, company)
        what = (
            f"invoice {number} ({preview.currency_code} {preview.gross_amount}, {preview.status}) "
            f"of customer {preview.customer_id} to {args.to}"
        )
        return Subject(what=what, state=state_digest(record), preview=preview)

    async def send(subject: Subject) -> None:
        preview: inv.InvoiceEmailPreview = subject.preview
        await send_once(
            lambda: env.client.invoices.email(
                number,
                to=preview.to,
                subject=preview.subject,
                body=preview.body,
                from_email=preview.from_email,
                from_name=preview.from_name,
            ),
            _unverifiable,
            what=f"emailing invoice {number} to {args.to}",
            how_to_check=f"{args.to} (or the invoice in KashFlow)",
        )

    subject, _, held = await act_when_confirmed(
        env,
        tool=_TOOL,
        args=args,
        lock=("invoice", number),
        look=look,
        act=send,
        question=lambda s: f"Email {s.what}?\nSubject: {args.subject}\n\n{args.body}",
        action=lambda s: f"emailing {s.what}",
    )
    if not held:
        held = {"status": "sent", "message": f"Emailed {subject.what}."}
    data = inv.InvoiceEmailing(**held, preview=subject.preview)
    return ToolResult(data, render(data))


def _preview(
    args: inv.EmailInvoiceArgs, record: wire.Invoice, company: wire.CompanyDetails
) -> inv.InvoiceEmailPreview:
    invoice = documents.invoice_from_wire(record, date.today())
    return inv.InvoiceEmailPreview(
        invoice_number=invoice.invoice_number,
        customer_id=invoice.customer_id,
        customer_name=invoice.customer_name,
        currency_code=invoice.currency_code,
        gross_amount=invoice.gross_amount,
        status=invoice.status,
        to=args.to,
        from_name=company.CompanyName or None,
        from_email=company.PrimaryEmail or None,
        subject=args.subject,
        body=args.body,
    )
