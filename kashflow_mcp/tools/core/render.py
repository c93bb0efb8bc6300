"""Compact text renderings of tool results.

The model reads the text content of every result, so it should be short: ``key: value`` pairs
on one line, lists as a header row and ``|``-separated rows, empty values left out. Never
pretty-printed JSON. The structured content carries the same data for programs.

Text stored in KashFlow must not be able to pass for our own layout: a value that contains a
separator is quoted on a line of its own, and ``|`` inside a table cell is escaped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    # One result line per record: newlines inside free text would break the layout.
    return str(value).replace("\r", "").replace("\n", " / ")


_SEPARATORS = re.compile(r';|: |\||\n|"')


def _free(value: Any) -> bool:
    """Text that could be mistaken for more fields if shown inline."""
    return isinstance(value, str) and _SEPARATORS.search(value) is not None


def _quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _cell(value: Any) -> str:
    return _item(value).replace("|", "\\|")


def _empty(value: Any) -> bool:
    # False counts as empty: "ec: no" on every record costs tokens and says nothing.
    return value is None or value is False or value == "" or value == [] or value == {}


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, BaseModel | list | dict)


def inline(model: BaseModel) -> str:
    """All non-empty fields of a model on one line."""
    parts = []
    for name, value in model:
        if _empty(value):
            continue
        if isinstance(value, BaseModel):
            parts.append(f"{name}: ({inline(value)})")
        elif isinstance(value, list):
            parts.append(f"{name}: [{_listed(value)}]")
        elif isinstance(value, dict):
            parts.append(f"{name}: {_listed(value)}")
        else:
            parts.append(f"{name}: {_quoted(value) if _free(value) else scalar(value)}")
    return "; ".join(parts)


def _listed(value: list[Any] | dict[str, Any]) -> str:
    """A list's items, or a mapping's ``key value`` pairs, comma-separated."""
    if isinstance(value, dict):
        return ", ".join(f"{k} {scalar(v)}" for k, v in value.items())
    return ", ".join(_item(v) for v in value)


def _item(value: Any) -> str:
    if isinstance(value, BaseModel):
        return inline(value)
    return _quoted(value) if _free(value) else scalar(value)


def table(rows: list[BaseModel], columns: Sequence[str] | None = None) -> list[str]:
    """A header of field names (``columns``, or every field), then one ``|``-separated row per
    record."""
    if not rows:
        return ["(none)"]
    columns = list(columns or type(rows[0]).model_fields)
    lines = [" | ".join(columns)]
    for row in rows:
        values = (getattr(row, column) for column in columns)
        lines.append(" | ".join("" if _empty(v) else _cell(v) for v in values))
    return lines


def render(model: BaseModel, *, heading: str | None = None) -> str:
    """Scalars on one line; nested records one line each; lists of records as tables."""
    scalars: list[str] = []
    blocks: list[str] = []  # after the scalars' line, in field order
    for name, value in model:
        if _empty(value):
            continue
        if _free(value):
            blocks.append(f"{name}: {_quoted(value)}")
        elif _is_scalar(value):
            scalars.append(f"{name}: {scalar(value)}")
        elif isinstance(value, list) and isinstance(value[0], BaseModel):
            blocks.append(f"{name} ({len(value)}):")
            blocks.extend(table(value))
        elif isinstance(value, BaseModel):
            blocks.append(f"{name}: {inline(value)}")
        else:
            blocks.append(f"{name}: {_listed(value)}")
    lines = [heading] if heading else []
    if scalars:
        lines.append("; ".join(scalars))
    return "\n".join([*lines, *blocks])
