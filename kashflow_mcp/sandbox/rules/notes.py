"""Note rules: a note on an invoice is dated and says something.

Inferred: KashFlow documents neither rule. NoteDate is required by the WSDL (``minOccurs=1``);
a note with no text would say nothing, so both are refused rather than stored.
"""

from __future__ import annotations

from typing import Any

from .values import Refusal, day_of, wire_date


def make_note(invoice_id: int, note_id: int, note_date: Any, notes: Any) -> dict[str, Any]:
    day = day_of(note_date, "NoteDate")
    if day is None:
        raise Refusal("NoteDate is required")
    if not isinstance(notes, str) or not notes.strip():
        raise Refusal("Notes is required")
    return {"InvoiceId": invoice_id, "NoteId": note_id, "NoteDate": wire_date(day), "Notes": notes}
