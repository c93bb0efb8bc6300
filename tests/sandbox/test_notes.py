"""Notes on invoices: added by InvoiceDBID, read back in order, gone with their invoice."""

from __future__ import annotations

from datetime import datetime

import pytest

from kashflow_mcp.kashflow import KashFlowClient, KashFlowRefused, NotFoundError

from .books import new_customer, new_invoice

pytestmark = pytest.mark.anyio
DAY = datetime(2026, 1, 5)


async def invoice_id(kf: KashFlowClient) -> tuple[int, int]:
    number = await new_invoice(kf, await new_customer(kf))
    return number, (await kf.invoices.get(number)).InvoiceDBID or 0


async def test_notes_come_back_in_the_order_they_were_added(kf: KashFlowClient):
    _, dbid = await invoice_id(kf)

    assert await kf.invoices.add_note(dbid, DAY, "Called; promised Friday") is True
    await kf.invoices.add_note(dbid, datetime(2026, 1, 2), "Sent a reminder")

    notes = await kf.invoices.notes(dbid)
    assert [(n.InvoiceId, n.NoteDate, n.Notes) for n in notes] == [
        (dbid, DAY, "Called; promised Friday"),
        (dbid, datetime(2026, 1, 2), "Sent a reminder"),
    ]
    assert notes[0].NoteId and notes[1].NoteId and notes[0].NoteId < notes[1].NoteId
    assert (notes[0].NoteId or 0) > 930000  # their own range of ids


async def test_an_invoice_without_notes_has_none(kf: KashFlowClient):
    _, dbid = await invoice_id(kf)

    assert await kf.invoices.notes(dbid) == []


async def test_notes_are_found_by_invoicedbid_not_by_number(kf: KashFlowClient):
    number, dbid = await invoice_id(kf)

    with pytest.raises(NotFoundError, match="Invoice with InvoiceDBID not found"):
        await kf.invoices.add_note(number, DAY, "By number")
    with pytest.raises(NotFoundError):
        await kf.invoices.notes(number)
    assert await kf.invoices.notes(dbid) == []


@pytest.mark.parametrize(
    ("params", "reason"),
    [({"NoteDate": None, "Notes": "Undated"}, "NoteDate is required"),
     ({"NoteDate": DAY, "Notes": "   "}, "Notes is required"),
     ({"NoteDate": DAY, "Notes": None}, "Notes is required")],
    ids=["no-date", "blank", "no-text"],
)  # fmt: skip
async def test_a_note_without_a_date_or_text_is_refused(
    kf: KashFlowClient, params: dict, reason: str
):
    _, dbid = await invoice_id(kf)

    with pytest.raises(KashFlowRefused, match=reason):
        await kf.call("InsertInvoiceNote", {"InvoiceId": dbid, **params})
    assert await kf.invoices.notes(dbid) == []


async def test_notes_go_with_their_invoice_and_with_its_customer(kf: KashFlowClient, empty_app):
    number, dbid = await invoice_id(kf)
    await kf.invoices.add_note(dbid, DAY, "Goes with the invoice")
    customer = await new_customer(kf, "Second Ltd")
    other = await new_invoice(kf, customer)
    await kf.invoices.add_note((await kf.invoices.get(other)).InvoiceDBID or 0, DAY, "And this")

    await kf.invoices.delete(number)
    await kf.customers.delete(customer)

    with empty_app.state.store.read() as books:
        (left,) = books._db.execute("SELECT count(*) FROM invoice_notes").fetchone()
    assert left == 0
