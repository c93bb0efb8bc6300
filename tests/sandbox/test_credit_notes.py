"""Credit notes as KashFlow keeps them: invoices with negative lines, set against invoices by a
pair of payments that moves no money, undone together when either document goes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kashflow_mcp.kashflow import KashFlowClient, KashFlowRefused, NotFoundError

from .books import line, new_customer, new_invoice, pay

pytestmark = pytest.mark.anyio


async def credit_note(kf: KashFlowClient, customer: int, rate: str = "50", **fields) -> int:
    """A credit note for ``rate`` + 20% VAT: an invoice whose one line's quantity is -1."""
    return await new_invoice(kf, customer, line("Returned", "-1", rate, "20"), **fields)


async def ids(kf: KashFlowClient, *numbers: int) -> list[int]:
    return [(await kf.invoices.get(number)).InvoiceDBID or 0 for number in numbers]


async def apply(kf: KashFlowClient, invoice: int, note: int) -> bool:
    invoice_id, note_id = await ids(kf, invoice, note)
    return await kf.invoices.apply_credit_note(invoice_id, note_id)


async def test_a_credit_note_is_an_invoice_totalling_less_than_nothing(kf: KashFlowClient):
    customer = await new_customer(kf)
    first = await new_invoice(kf, customer)

    number = await credit_note(kf, customer)
    note = await kf.invoices.get(number)

    assert number == first + 1  # one series of numbers for both
    assert (note.NetAmount, note.VATAmount, note.AmountPaid) == (
        Decimal("-50.00"),
        Decimal("-10.00"),
        Decimal("0.00"),
    )
    # Unpaid until its credit has gone out of it, as KashFlow's help pages describe.
    assert note.Paid == 0
    assert number in [i.InvoiceNumber for i in await kf.invoices.unpaid()]


async def test_applying_records_the_credit_on_both_documents(kf: KashFlowClient):
    customer = await new_customer(kf)
    invoice = await new_invoice(kf, customer, line("Work", "1", "100", "20"))
    note = await credit_note(kf, customer)

    assert await apply(kf, invoice, note) is True

    owed, credit = await kf.invoices.get(invoice), await kf.invoices.get(note)
    assert (owed.AmountPaid, owed.Paid) == (Decimal("60.00"), 0)
    assert (credit.AmountPaid, credit.Paid) == (Decimal("-60.00"), 1)
    to_invoice = await kf.payments.for_invoice(invoice)
    from_note = await kf.payments.for_invoice(note)
    assert [(p.PayInvoice, p.PayAmount) for p in to_invoice] == [(invoice, Decimal("60.00"))]
    assert [(p.PayInvoice, p.PayAmount) for p in from_note] == [(note, Decimal("-60.00"))]
    assert to_invoice[0].PayDate == from_note[0].PayDate  # one bulk payment: the same day
    assert to_invoice[0].PayDate and to_invoice[0].PayDate.date() == date.today()


async def test_the_smaller_of_the_credit_left_and_the_amount_due_is_applied(kf: KashFlowClient):
    customer = await new_customer(kf)
    small = await new_invoice(kf, customer, line("Small", "1", "25", "20"))
    large = await new_invoice(kf, customer, line("Large", "1", "500", "20"))
    note = await credit_note(kf, customer, "100")  # 120.00 of credit

    await apply(kf, small, note)  # owes 30.00: 30.00 of the credit goes
    await apply(kf, large, note)  # owes 600.00: the 90.00 left goes

    assert (await kf.invoices.get(small)).AmountPaid == Decimal("30.00")
    assert (await kf.invoices.get(large)).AmountPaid == Decimal("90.00")
    used = await kf.invoices.get(note)
    assert (used.AmountPaid, used.Paid) == (Decimal("-120.00"), 1)
    with pytest.raises(KashFlowRefused, match="no credit left"):
        await apply(kf, large, note)


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("not a credit note", "is not a credit note"),
        ("another customer's", "goes against its own customer's invoices"),
        ("another currency", "same currency"),
        ("nothing due", "nothing left to pay"),
        ("itself", "not an invoice a credit note can be set against"),
    ],
)
async def test_an_application_that_cannot_be_is_refused(kf: KashFlowClient, case: str, words: str):
    customer, other = await new_customer(kf), await new_customer(kf, "Other Ltd")
    invoice = await new_invoice(kf, customer, line("Work", "1", "100", "20"))
    note = await credit_note(kf, customer)
    pairs = {
        "not a credit note": (invoice, await new_invoice(kf, customer)),
        "another customer's": (await new_invoice(kf, other), note),
        "another currency": (await new_invoice(kf, customer, CurrencyCode="EUR"), note),
        "nothing due": (invoice, note),
        "itself": (note, note),
    }
    if case == "nothing due":
        await pay(kf, invoice, "120")
    target, credit = pairs[case]

    with pytest.raises(KashFlowRefused, match=words):
        await apply(kf, target, credit)

    assert [p.PayAmount for p in await kf.payments.for_invoice(note)] == []


async def test_an_application_naming_a_missing_document_is_not_found(kf: KashFlowClient):
    customer = await new_customer(kf)
    (invoice_id,) = await ids(kf, await new_invoice(kf, customer))

    with pytest.raises(NotFoundError, match="Credit note with InvoiceDBID not found"):
        await kf.invoices.apply_credit_note(invoice_id, 999)
    with pytest.raises(NotFoundError, match="Invoice with InvoiceDBID not found"):
        await kf.invoices.apply_credit_note(999, invoice_id)


@pytest.mark.parametrize("deleted", ["credit note", "invoice"])
async def test_deleting_either_document_undoes_the_other_half(kf: KashFlowClient, deleted: str):
    customer = await new_customer(kf)
    invoice = await new_invoice(kf, customer, line("Work", "1", "100", "20"))
    note = await credit_note(kf, customer)
    await apply(kf, invoice, note)
    await pay(kf, invoice, "10")  # a real payment stays where it is

    gone, kept = (note, invoice) if deleted == "credit note" else (invoice, note)
    await kf.invoices.delete(gone)

    left = await kf.invoices.get(kept)
    payments = [p.PayAmount for p in await kf.payments.for_invoice(kept)]
    if deleted == "credit note":
        assert (left.AmountPaid, left.Paid, payments) == (Decimal("10.00"), 0, [Decimal("10.00")])
    else:
        assert (left.AmountPaid, left.Paid, payments) == (Decimal("0.00"), 0, [])


@pytest.mark.parametrize("half", ["credit note", "invoice"])
async def test_deleting_either_payment_of_the_pair_deletes_both(kf: KashFlowClient, half: str):
    customer = await new_customer(kf)
    invoice = await new_invoice(kf, customer, line("Work", "1", "100", "20"))
    note = await credit_note(kf, customer)  # 60.00 of credit
    await apply(kf, invoice, note)
    await pay(kf, invoice, "10")  # a real payment stays where it is
    on_invoice = await kf.payments.for_invoice(invoice)
    on_note = await kf.payments.for_invoice(note)
    paired = on_note[0] if half == "credit note" else on_invoice[0]
    assert paired.PayAmount == (Decimal("-60.00") if half == "credit note" else Decimal("60.00"))

    await kf.payments.delete(paired.PayID or 0)

    left, credit = await kf.invoices.get(invoice), await kf.invoices.get(note)
    assert [p.PayAmount for p in await kf.payments.for_invoice(invoice)] == [Decimal("10.00")]
    assert await kf.payments.for_invoice(note) == []
    assert (left.AmountPaid, left.Paid) == (Decimal("10.00"), 0)
    assert (credit.AmountPaid, credit.Paid) == (Decimal("0.00"), 0)  # all its credit is back


async def test_a_credit_note_cannot_be_edited_to_credit_less_than_was_used(kf: KashFlowClient):
    customer = await new_customer(kf)
    invoice = await new_invoice(kf, customer, line("Work", "1", "100", "20"))
    note = await credit_note(kf, customer)
    await apply(kf, invoice, note)
    old = await kf.invoices.get(note)
    smaller = (old.Lines or [])[0].model_copy(update={"Rate": Decimal(10)})

    with pytest.raises(KashFlowRefused, match=r"60\.00 of its credit used; its lines cannot"):
        await kf.invoices.update(old.model_copy(update={"Lines": [smaller]}))
    larger = (old.Lines or [])[0].model_copy(update={"Rate": Decimal(80)})
    await kf.invoices.update(old.model_copy(update={"Lines": [larger]}))

    now = await kf.invoices.get(note)
    assert (now.NetAmount, now.AmountPaid, now.Paid) == (Decimal("-80.00"), Decimal("-60.00"), 0)


async def test_deleting_the_customer_takes_both_halves_with_it(kf: KashFlowClient, empty_app):
    customer = await new_customer(kf)
    invoice = await new_invoice(kf, customer, line("Work", "1", "100", "20"))
    await apply(kf, invoice, await credit_note(kf, customer))

    await kf.customers.delete(customer)

    with empty_app.state.store.read() as books:
        counts = [
            books._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("payments", "credit_applications", "invoices")
        ]
    assert counts == [0, 0, 0]


async def test_the_demo_company_has_a_credit_note_set_against_an_invoice(demo_kf: KashFlowClient):
    documents = await demo_kf.invoices.recent(10_000)
    notes = [d for d in documents if (d.NetAmount or 0) + (d.VATAmount or 0) < 0]

    assert len(notes) == 1
    (note,) = notes
    credit = (note.NetAmount or 0) + (note.VATAmount or 0)
    assert (note.AmountPaid, note.Paid) == (credit, 1)  # used up
    (given,) = await demo_kf.payments.for_invoice(note.InvoiceNumber or 0)
    target = int((given.PayNote or "").rpartition(" ")[2])  # "Applied to invoice N"
    settled = await demo_kf.invoices.get(target)
    taken = [p.PayAmount for p in await demo_kf.payments.for_invoice(target)]
    assert given.PayAmount == credit and taken == [-credit]
    assert settled.CustomerID == note.CustomerID and settled.Paid == 0  # part-paid by credit


async def test_the_pair_names_the_first_bank_account_and_no_method(kf: KashFlowClient, empty_app):
    with empty_app.state.store.write() as books:
        accounts = [{"AccountID": 7, "AccountName": "Current", "AccountCode": 1200},
                    {"AccountID": 8, "AccountName": "Savings", "AccountCode": 1210}]  # fmt: skip
        books.reference.set("bank_accounts", accounts)
    customer = await new_customer(kf)
    invoice = await new_invoice(kf, customer, line("Work", "1", "100", "20"))
    note = await credit_note(kf, customer)

    await apply(kf, invoice, note)

    pair = [*await kf.payments.for_invoice(invoice), *await kf.payments.for_invoice(note)]
    assert [(p.PayAccount, p.PayMethod) for p in pair] == [(7, 0), (7, 0)]
