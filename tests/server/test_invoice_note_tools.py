"""add_invoice_note and the notes get_invoice shows, through the MCP client on the sandbox."""

from __future__ import annotations

from datetime import date
from typing import Any

import anyio
import pytest

from kashflow_mcp.sandbox import FaultRule

from .calls import ok, refused, text_of
from .conftest import OpenSession

pytestmark = pytest.mark.anyio
CUSTOMER = 20001
WORK = [{"description": "Design work", "rate": "100.00", "vat_rate": "20"}]


async def an_invoice(client: Any) -> int:
    created = await ok(client, "create_invoice", customer_id=CUSTOMER, lines=WORK)
    return int(created["invoice"]["invoice_number"])


async def test_a_note_is_added_and_get_invoice_shows_it(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        number = await an_invoice(client)
        first = await ok(
            client, "add_invoice_note", invoice_number=number, note="Rang Ellie", date="2026-01-05"
        )
        second = await ok(client, "add_invoice_note", invoice_number=number, note="  Paid soon  ")
        shown = await client.call_tool("get_invoice", {"invoice_number": number})
    assert first["invoice_number"] == number
    assert (first["note"]["date"], first["note"]["note"]) == ("2026-01-05", "Rang Ellie")
    assert (second["note"]["date"], second["note"]["note"]) == (
        date.today().isoformat(),
        "Paid soon",
    )
    notes = (shown.structured_content or {})["notes"]
    assert [n["note_id"] for n in notes] == [first["note"]["note_id"], second["note"]["note_id"]]
    assert [n["note"] for n in notes] == ["Rang Ellie", "Paid soon"]
    assert "notes (2):" in text_of(shown) and "Rang Ellie" in text_of(shown)


async def test_an_invoice_without_notes_shows_none(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        shown = await client.call_tool("get_invoice", {"invoice_number": await an_invoice(client)})
    assert (shown.structured_content or {}).get("notes", []) == []
    assert "notes" not in text_of(shown)


async def test_a_blank_note_or_a_missing_invoice_is_refused(open_session: OpenSession) -> None:
    async with open_session() as (client, kashflow):
        number = await an_invoice(client)
        blank = await refused(client, "add_invoice_note", invoice_number=number, note="   ")
        missing = await refused(client, "add_invoice_note", invoice_number=999999, note="Hello")
        sent = dict(kashflow.transport.app.state.faults.counts)  # type: ignore[attr-defined]
    assert "note" in blank and "blank" in blank
    assert "No invoice number 999999" in missing
    assert "InsertInvoiceNote" not in sent


async def test_a_refusal_by_kashflow_is_passed_on(open_session: OpenSession) -> None:
    async with open_session() as (client, kashflow):
        number = await an_invoice(client)
        faults = kashflow.transport.app.state.faults  # type: ignore[attr-defined]
        faults.add(FaultRule(operation="InsertInvoiceNote", refuse="Notes are locked"))
        message = await refused(client, "add_invoice_note", invoice_number=number, note="Hi")
    assert "Notes are locked" in message


async def test_two_identical_notes_at_once_are_each_their_own(open_session: OpenSession) -> None:
    """Each call finds its note by what was added since it looked: under the invoice's lock,
    no other note comes in between, so two calls never claim the same one."""
    async with open_session() as (client, kashflow):
        number = await an_invoice(client)
        faults = kashflow.transport.app.state.faults  # type: ignore[attr-defined]
        faults.add(FaultRule(operation="InsertInvoiceNote", latency=0.2, times=2))
        results: list[dict[str, Any]] = []

        async def add() -> None:
            results.append(
                await ok(client, "add_invoice_note", invoice_number=number, note="Chased")
            )

        with anyio.fail_after(20):
            async with anyio.create_task_group() as group:
                group.start_soon(add)
                group.start_soon(add)
        dbid = (await kashflow.invoices.get(number)).InvoiceDBID or 0
        stored = await kashflow.invoices.notes(dbid)
    assert sorted(r["note"]["note_id"] for r in results) == sorted(n.NoteId for n in stored)
    assert len(stored) == 2
