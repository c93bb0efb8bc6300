"""Credit notes and notes whose answers are lost, late or refused: looked up, never re-sent,
and reported truthfully. The sandbox runs on a real socket so that "commit, then drop the
connection" really drops it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import anyio
import pytest
from mcp import Client
from starlette.applications import Starlette

from kashflow_mcp.kashflow import KashFlowClient

from .calls import ok, refused, text_of
from .over_sockets import connected, fault

pytestmark = pytest.mark.anyio
CUSTOMER = 20001
WORK = [{"description": "Survey", "rate": "250.00", "vat_rate": "20"}]
REFUND = [{"description": "Survey refunded", "rate": "50.00", "vat_rate": "20"}]


async def credit_notes(kashflow: KashFlowClient) -> list[int]:
    documents = await kashflow.invoices.for_customer(CUSTOMER)
    return [d.InvoiceNumber or 0 for d in documents if (d.NetAmount or 0) < 0]


async def pair(client: Client) -> tuple[int, int]:
    invoice = await ok(client, "create_invoice", customer_id=CUSTOMER, lines=WORK)
    note = await ok(client, "create_credit_note", customer_id=CUSTOMER, lines=REFUND)
    return note["credit_note"]["credit_note_number"], invoice["invoice"]["invoice_number"]


async def held_token(client: Client, note: int, number: int) -> str:
    arguments = {"credit_note_number": note, "invoice_number": number}
    return (await ok(client, "apply_credit_note", **arguments))["confirmation_token"]


async def test_a_credit_note_whose_answer_is_lost_is_found_not_repeated(
    sandbox: tuple[Starlette, str], tmp_path: Path
) -> None:
    app, url = sandbox
    async with connected(url, tmp_path) as (client, kashflow):
        fault(app, "InsertInvoice", drop_after_commit=True)
        made = await client.call_tool(
            "create_credit_note", {"customer_id": CUSTOMER, "lines": REFUND}
        )
        found = await credit_notes(kashflow)
    assert not made.is_error and "answer was lost" in text_of(made)
    assert found == [made.structured_content["credit_note"]["credit_note_number"]]  # type: ignore[index]
    assert app.state.faults.counts["InsertInvoice"] == 1


async def test_a_credit_note_that_never_committed_is_reported_as_not_done(
    sandbox: tuple[Starlette, str], tmp_path: Path
) -> None:
    app, url = sandbox
    async with connected(url, tmp_path) as (client, kashflow):
        fault(app, "InsertInvoice", status=500)
        message = await refused(client, "create_credit_note", customer_id=CUSTOMER, lines=REFUND)
        assert await credit_notes(kashflow) == []
    assert "most likely did not happen" in message and "not re-sent" in message


async def test_an_application_whose_answer_is_lost_is_confirmed_not_repeated(
    sandbox: tuple[Starlette, str], tmp_path: Path
) -> None:
    app, url = sandbox
    async with connected(url, tmp_path) as (client, kashflow):
        note, number = await pair(client)
        token = await held_token(client, note, number)
        fault(app, "applyCreditNoteToInvoice", drop_after_commit=True)
        done = await ok(
            client,
            "apply_credit_note",
            credit_note_number=note,
            invoice_number=number,
            confirmation_token=token,
        )
        payments = await kashflow.payments.for_invoice(number)
    assert done["status"] == "applied" and "answer was lost" in done["message"]
    assert [p.PayAmount for p in payments] == [Decimal("60.00")]
    assert app.state.faults.counts["applyCreditNoteToInvoice"] == 1


async def test_an_application_that_never_committed_is_reported_as_not_done(
    sandbox: tuple[Starlette, str], tmp_path: Path
) -> None:
    app, url = sandbox
    async with connected(url, tmp_path) as (client, kashflow):
        note, number = await pair(client)
        token = await held_token(client, note, number)
        fault(app, "applyCreditNoteToInvoice", status=500)
        message = await refused(
            client,
            "apply_credit_note",
            credit_note_number=note,
            invoice_number=number,
            confirmation_token=token,
        )
        assert await kashflow.payments.for_invoice(number) == []
    assert "most likely did not happen" in message and "not re-sent" in message


async def test_an_application_past_the_deadline_says_it_may_have_been_made(
    sandbox: tuple[Starlette, str], tmp_path: Path
) -> None:
    app, url = sandbox
    async with connected(url, tmp_path, call_deadline=1.0) as (client, kashflow):
        note, number = await pair(client)
        token = await held_token(client, note, number)
        fault(app, "applyCreditNoteToInvoice", latency=2.0)
        message = await refused(
            client,
            "apply_credit_note",
            credit_note_number=note,
            invoice_number=number,
            confirmation_token=token,
        )
        with anyio.fail_after(10):  # the sandbox finishes what it was sent, once
            while not await kashflow.payments.for_invoice(number):
                await anyio.sleep(0.1)
        payments = await kashflow.payments.for_invoice(number)
    assert "may or may not have been made" in message
    assert "Nothing was changed" not in message
    assert [p.PayAmount for p in payments] == [Decimal("60.00")]


async def test_a_note_whose_answer_is_lost_is_found_not_repeated(
    sandbox: tuple[Starlette, str], tmp_path: Path
) -> None:
    app, url = sandbox
    async with connected(url, tmp_path) as (client, kashflow):
        number = (await ok(client, "create_invoice", customer_id=CUSTOMER, lines=WORK))["invoice"][
            "invoice_number"
        ]
        fault(app, "InsertInvoiceNote", drop_after_commit=True)
        added = await ok(client, "add_invoice_note", invoice_number=number, note="Chased")
        dbid = (await kashflow.invoices.get(number)).InvoiceDBID or 0
        notes = await kashflow.invoices.notes(dbid)
    assert [n.Notes for n in notes] == ["Chased"]
    assert added["note"]["note_id"] == notes[0].NoteId
    assert app.state.faults.counts["InsertInvoiceNote"] == 1


async def test_a_note_that_never_committed_is_reported_as_not_done(
    sandbox: tuple[Starlette, str], tmp_path: Path
) -> None:
    app, url = sandbox
    async with connected(url, tmp_path) as (client, kashflow):
        number = (await ok(client, "create_invoice", customer_id=CUSTOMER, lines=WORK))["invoice"][
            "invoice_number"
        ]
        fault(app, "InsertInvoiceNote", status=500)
        message = await refused(client, "add_invoice_note", invoice_number=number, note="Lost")
        dbid = (await kashflow.invoices.get(number)).InvoiceDBID or 0
        assert await kashflow.invoices.notes(dbid) == []
    assert "most likely did not happen" in message
