"""Invoice-shaped documents, mapped both ways between KashFlow's records and the assistant's.

KashFlow keeps invoices, quotes, credit notes and purchases (receipts) in one record, Invoice,
and their lines in InvoiceLine: one mapping serves them all. Reading turns wire quirks into
plain values (``-1`` VAT → "exempt", .NET's empty date → None, the delivery address record →
an address or nothing); writing merges the header fields given onto the record as KashFlow
holds it, since its updates overwrite every field. A credit note is an invoice totalling less
than nothing (its lines are negative): ``credit_note_from_wire`` shows it as what it credits.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..kashflow.money import VAT_EXEMPT as WIRE_EXEMPT
from ..kashflow.money import line_net, line_vat, round_half_up
from ..kashflow.wire import records as wire
from ..schemas import credit_notes as cn
from ..schemas import invoices as inv
from ..schemas.common import DeliveryAddress, DeliveryAddressIn, DocumentLine, DocumentLineIn
from ..schemas.notes import InvoiceNote
from ..schemas.values import VAT_EXEMPT
from .core.addresses import DOCUMENT_DELIVERY, address_of, apply_address
from .core.convert import HOME_CURRENCY, midnight, or_none, to_date

ZERO = Decimal(0)


def totals(lines: list[wire.InvoiceLine]) -> tuple[Decimal, Decimal]:
    """Net and VAT of a document as KashFlow works them out: the sums of its lines."""
    net = sum((line_net(li.Quantity or ZERO, li.Rate or ZERO) for li in lines), ZERO)
    return net, sum((li.VatAmount or ZERO for li in lines), ZERO)


def status(record: wire.Invoice, today: date) -> inv.InvoiceStatus:
    gross = (record.NetAmount or ZERO) + (record.VATAmount or ZERO)
    due = gross - (record.AmountPaid or ZERO)
    # A document totalling nothing, or less, owes nothing: it is not "paid" (KashFlow may still
    # flag it Paid, since what was paid covers it).
    if gross < 0:
        return "credit"
    if gross == 0:
        return "zero"
    if record.Paid == 1 or due <= 0:
        return "paid"
    due_date = to_date(record.DueDate)
    return "overdue" if due_date is not None and due_date < today else "unpaid"


def _amounts(record: wire.Invoice) -> tuple[Decimal, Decimal, Decimal, Decimal, Decimal]:
    net, vat, paid = record.NetAmount or ZERO, record.VATAmount or ZERO, record.AmountPaid or ZERO
    return net, vat, net + vat, paid, net + vat - paid


def amount_due(record: wire.Invoice) -> Decimal:
    """What is still owed on a document (less than nothing on a credit note with credit left)."""
    return _amounts(record)[4]


def is_credit_note(record: wire.Invoice) -> bool:
    return _amounts(record)[2] < 0


# --------------------------------------------------------------------------- reading


def _line_from_wire(line: wire.InvoiceLine) -> DocumentLine:
    quantity, rate = line.Quantity or ZERO, line.Rate or ZERO
    vat_rate = line.VatRate if line.VatRate is not None else ZERO
    return DocumentLine(
        line_id=line.LineID or 0,
        description=line.Description or "",
        quantity=quantity,
        rate=rate,
        vat_rate=VAT_EXEMPT if vat_rate == WIRE_EXEMPT else format(vat_rate.normalize(), "f"),
        vat_amount=line.VatAmount or ZERO,
        net_amount=line_net(quantity, rate),
        nominal_id=line.ChargeType or None,
        project_id=line.ProjID or None,
    )


def _delivery_address(record: wire.Invoice) -> DeliveryAddress | None:
    address = record.DeliveryAddress
    if address is None or not any(address.model_dump().values()):
        return None
    return DeliveryAddress(**address_of(address.model_dump(), DOCUMENT_DELIVERY))


def note_from_wire(note: wire.InvoiceNotes) -> InvoiceNote:
    return InvoiceNote(note_id=note.NoteId or 0, date=to_date(note.NoteDate), note=note.Notes or "")


def invoice_from_wire(
    record: wire.Invoice, today: date, notes: list[wire.InvoiceNotes] | None = None
) -> inv.Invoice:
    net, vat, gross, paid, due = _amounts(record)
    return inv.Invoice(
        invoice_number=record.InvoiceNumber or 0,
        invoice_id=record.InvoiceDBID or 0,
        customer_id=record.CustomerID or 0,
        customer_name=or_none(record.CustomerName or record.Customer),
        invoice_date=to_date(record.InvoiceDate),
        due_date=to_date(record.DueDate),
        status=status(record, today),
        customer_reference=or_none(record.CustomerReference),
        project_id=record.ProjectID or None,
        currency_code=record.CurrencyCode or HOME_CURRENCY,
        exchange_rate=record.ExchangeRate,
        net_amount=net,
        vat_amount=vat,
        gross_amount=gross,
        amount_paid=paid,
        amount_due=due,
        lines=[_line_from_wire(line) for line in record.Lines or ()],
        delivery_address=_delivery_address(record),
        use_custom_delivery_address=bool(record.UseCustomDeliveryAddress),
        permalink=or_none(record.PermaLink),
        notes=[note_from_wire(note) for note in notes or ()],
    )


def _credited_line(line: wire.InvoiceLine) -> DocumentLine:
    """A credit note's line as what it credits: the negative factor made positive."""
    shown = _line_from_wire(line)
    if shown.quantity < 0:
        shown.quantity = _minus(shown.quantity)
    else:
        shown.rate = _minus(shown.rate)
    shown.vat_amount, shown.net_amount = _minus(shown.vat_amount), _minus(shown.net_amount)
    return shown


def _minus(value: Decimal) -> Decimal:
    return ZERO - value  # never "-0.00"


def credit_note_from_wire(record: wire.Invoice) -> cn.CreditNote:
    """A credit note with its amounts as credit (positive), and how much of it is used."""
    net, vat, gross, paid, _ = _amounts(record)
    used, left = round_half_up(_minus(paid)), round_half_up(max(paid - gross, ZERO))
    state = "used" if left <= 0 else "unused" if used == 0 else "part_used"
    return cn.CreditNote(
        credit_note_number=record.InvoiceNumber or 0,
        credit_note_id=record.InvoiceDBID or 0,
        customer_id=record.CustomerID or 0,
        customer_name=or_none(record.CustomerName or record.Customer),
        date=to_date(record.InvoiceDate),
        status=state,
        customer_reference=or_none(record.CustomerReference),
        currency_code=record.CurrencyCode or HOME_CURRENCY,
        net_amount=_minus(net),
        vat_amount=_minus(vat),
        gross_amount=_minus(gross),
        credit_used=used,
        credit_left=left,
        lines=[_credited_line(line) for line in record.Lines or ()],
    )


def invoice_row(
    record: wire.Invoice, today: date, *, with_customer: bool = False
) -> inv.InvoiceRow:
    """A list's row; ``with_customer`` names the customer, for lists that span customers."""
    _, _, gross, _, due = _amounts(record)
    return inv.InvoiceRow(
        invoice_number=record.InvoiceNumber or 0,
        customer_id=record.CustomerID if with_customer else None,
        customer_name=or_none(record.CustomerName or record.Customer) if with_customer else None,
        invoice_date=to_date(record.InvoiceDate),
        due_date=to_date(record.DueDate),
        currency_code=record.CurrencyCode or HOME_CURRENCY,
        gross_amount=gross,
        amount_due=due,
        status=status(record, today),
    )


# --------------------------------------------------------------------------- writing


def lines_to_wire(
    lines: list[DocumentLineIn], currency: str, nominal_ids: dict[int, int]
) -> list[wire.InvoiceLine]:
    """Lines as KashFlow takes them: in order, VAT worked out, nominal codes as internal ids."""
    # Rates typed in a foreign document's currency must not be converted from GBP again.
    in_currency = 1 if currency != HOME_CURRENCY else 0
    wired = []
    for sort, line in enumerate(lines, start=1):
        vat_rate = WIRE_EXEMPT if line.vat_rate == VAT_EXEMPT else Decimal(line.vat_rate)
        wired.append(
            wire.InvoiceLine(
                Quantity=line.quantity,
                Description=line.description,
                Rate=line.rate,
                VatRate=vat_rate,
                VatAmount=line_vat(line.quantity, line.rate, vat_rate),
                ChargeType=nominal_ids.get(line.nominal_code or 0, 0),
                ProjID=line.project_id or 0,
                ProductID=0,
                LineID=0,
                Sort=sort,
                ValuesInCurrency=in_currency,
            )
        )
    return wired


def _delivery_to_wire(
    given: DeliveryAddressIn, base: wire.DeliveryAddress | None
) -> wire.DeliveryAddress:
    data = base.model_dump() if base else {}
    apply_address(data, given, DOCUMENT_DELIVERY)
    return wire.DeliveryAddress.model_validate(data)


def header_to_wire(fields: inv.InvoiceFields, base: wire.Invoice) -> wire.Invoice:
    """``base`` with the header fields the assistant gave applied (lines untouched)."""
    data = base.model_dump()
    if fields.invoice_date is not None:
        data["InvoiceDate"] = midnight(fields.invoice_date)
    if fields.due_date is not None:
        data["DueDate"] = midnight(fields.due_date)
    for value, key in (
        (fields.customer_reference, "CustomerReference"),
        (fields.project_id, "ProjectID"),
        (fields.exchange_rate, "ExchangeRate"),
        (fields.use_custom_delivery_address, "UseCustomDeliveryAddress"),
    ):
        if value is not None:
            data[key] = value
    if fields.currency_code is not None:
        data["CurrencyCode"] = fields.currency_code.upper()
    record = wire.Invoice.model_validate(data)
    if fields.delivery_address is not None:
        record.DeliveryAddress = _delivery_to_wire(fields.delivery_address, base.DeliveryAddress)
    return record


# --------------------------------------------------------------------------- comparing

# Fields an update sets. The rest (totals, status, what is due, ids, the customer's name) are
# KashFlow's to compute: a difference there after the write is not somebody else's change.
SETTABLE = frozenset(
    {
        "invoice_date",
        "due_date",
        "customer_id",
        "customer_reference",
        "project_id",
        "currency_code",
        "exchange_rate",
        "lines",
        "delivery_address",
        "use_custom_delivery_address",
    }
)


def _projection(invoice: inv.Invoice) -> dict[str, object]:
    """An invoice as fields to compare; lines by what they say, not by their ids."""
    data = invoice.model_dump(exclude={"permalink"})
    data["lines"] = [
        (li.description, li.quantity, li.rate, li.vat_rate, li.nominal_id, li.project_id)
        for li in invoice.lines
    ]
    return data


def differences(old: inv.Invoice, new: inv.Invoice) -> list[str]:
    """The fields whose values differ between two views of an invoice."""
    was, now = _projection(old), _projection(new)
    return [key for key in now if was.get(key) != now[key]]


def settable_differences(old: inv.Invoice, new: inv.Invoice) -> list[str]:
    return [key for key in differences(old, new) if key in SETTABLE]
