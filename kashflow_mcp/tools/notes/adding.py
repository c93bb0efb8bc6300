"""Notes on invoices: add one (a chasing call, a promise to pay); get_invoice shows them.

InsertInvoiceNote answers only true or false, so the new note is found by reading the
invoice's notes before and after, under the invoice's write lock: no other note can be added
through this server in between. A lost answer is settled the same way, never by sending again.
"""

from __future__ import annotations

from datetime import date

from ...kashflow.wire import records as wire
from ...schemas import notes as ns
from .. import documents
from ..base import ToolEnv, ToolFailure, ToolResult, handles
from ..core.convert import to_date
from ..core.lookups import fetch_invoice
from ..core.reconcile import LOOKED_UP, send_once
from ..core.render import render


@handles(ns.AddInvoiceNoteArgs, ns.InvoiceNoteAdded)
async def add_invoice_note(args: ns.AddInvoiceNoteArgs, env: ToolEnv) -> ToolResult:
    number, day = args.invoice_number, args.date or date.today()
    check = f"get_invoice(invoice_number={number})"
    async with env.locks.hold(write=[("invoice", number)]):
        dbid = (await fetch_invoice(env, number)).InvoiceDBID or 0
        known = {note.NoteId for note in await env.client.invoices.notes(dbid)}

        async def new_notes() -> tuple[list[wire.InvoiceNotes], list[wire.InvoiceNotes]]:
            """Notes added since ``known`` was read: all of them, and those saying ours."""
            added = [n for n in await env.client.invoices.notes(dbid) if n.NoteId not in known]
            ours = [n for n in added if n.Notes == args.note and to_date(n.NoteDate) == day]
            return added, ours

        async def found() -> bool | None:
            return True if (await new_notes())[1] else None

        done, looked_up = await send_once(
            lambda: env.client.invoices.add_note(dbid, day, args.note),
            found,
            what=f"adding a note to invoice {number}",
            how_to_check=check,
        )
        if not done:
            raise ToolFailure(f"KashFlow answered that it did not add a note to invoice {number}.")
        added, ours = await new_notes()
    # KashFlow may store the text a little differently: then the one new note is ours.
    note = ours[-1] if ours else added[0] if len(added) == 1 else None
    if note is None:
        raise ToolFailure(
            f"KashFlow added the note to invoice {number}, but it could not be told apart on "
            f"reading the notes back; check with {check}, and do not add it again."
        )
    result = ns.InvoiceNoteAdded(invoice_number=number, note=documents.note_from_wire(note))
    heading = f"added a note to invoice {number}{LOOKED_UP if looked_up else ''}"
    return ToolResult(result, render(result.note, heading=heading))
