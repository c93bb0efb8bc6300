"""Paging whole KashFlow lists: SOAP has no paging, so a list is read once and sliced here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TypeVar

from pydantic import BaseModel

from .render import table

T = TypeVar("T")


def page_bounds(total: int, offset: int, limit: int) -> tuple[int, int, int | None]:
    """Slice bounds for one page and the offset of the next (None at the end)."""
    start = min(offset, total)
    end = min(start + limit, total)
    return start, end, end if end < total else None


def as_of_text(loaded_at: float) -> str:
    return datetime.fromtimestamp(loaded_at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def page_text(
    what: str,
    rows: Sequence[BaseModel],
    start: int,
    total: int,
    next_offset: int | None,
    as_of: str,
    *,
    scope: str = "",
    columns: Sequence[str] | None = None,
) -> str:
    """A page as the model reads it: "what 1-25 of 90; next_offset 25 (as of …)", then a table
    (of ``columns``, or every field); ``scope`` leads the heading ("customer 7: ")."""
    shown = f"{what} {start + 1}-{start + len(rows)} of {total}" if rows else f"no {what} match"
    heading = scope + shown
    if next_offset is not None:
        heading += f"; next_offset {next_offset}"
    return "\n".join([f"{heading} (as of {as_of})", *table(list(rows), columns)])
