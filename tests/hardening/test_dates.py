"""Dates outside the years KashFlow keeps (1900-2099) are refused, naming the field.

Every date argument of every tool, found from the tools' schemas, and dates in the generic
call's body: "9999-12-31" must not overflow into a bare error, nor "0001-01-02" pass for no
date at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kashflow_mcp.server.json_schema import enforced_schema
from kashflow_mcp.tools import ALL_TOOLS

from ..server.calls import ok, text_of
from ..server.conftest import session
from .harness import assert_no_internals, field_path, slots
from .test_values import CUSTOMER, LINE, an_invoice, with_value

pytestmark = pytest.mark.anyio

OUT_OF_RANGE_DATES = ["9999-12-31", "0001-01-02", "0001-01-01", "1899-12-31", "2100-01-01"]
# A call for every tool that takes a date; the test below finds the date fields themselves.
DATED_CALLS: dict[str, dict[str, Any]] = {
    "create_invoice": {"customer_id": CUSTOMER, "lines": [LINE]},
    "update_invoice": {"invoice_number": 0},
    "record_payment": {"invoice_number": 0, "amount": "0.01"},
    "list_payments": {"date_from": "2026-01-01", "date_to": "2026-01-31"},
    "create_credit_note": {"customer_id": CUSTOMER, "lines": [LINE]},
    "add_invoice_note": {"invoice_number": 0, "note": "Called them"},
    "list_invoices": {},
    "aged_debtors": {},
}


def date_fields() -> list[tuple[str, tuple[str | int, ...]]]:
    found = []
    for spec in ALL_TOOLS:
        schema = enforced_schema(spec.args)
        for path, sub in slots(schema, schema.get("$defs", {}), DATED_CALLS.get(spec.name, {})):
            if sub.get("format") == "date":
                found.append((spec.name, path))
    return found


def test_every_tool_taking_a_date_is_checked() -> None:
    assert {tool for tool, _ in date_fields()} == set(DATED_CALLS)


async def test_dates_outside_the_years_kashflow_keeps_are_refused_naming_the_field(
    books: Path,
) -> None:
    async with session(books) as (client, _):
        number = await an_invoice(client)
        problems = []
        for tool, path in date_fields():
            base = {
                k: (number if k == "invoice_number" else v) for k, v in DATED_CALLS[tool].items()
            }
            name = field_path(path)
            for value in OUT_OF_RANGE_DATES:
                result = await client.call_tool(tool, with_value(base, path, value))
                assert_no_internals(result)
                text = text_of(result)
                if not (result.is_error and f"{name}: dates must be from 1900-01-01" in text):
                    problems.append(f"{tool} {name}={value}: {text[:120]}")
            for value in ("1900-01-01", "2099-12-31"):  # the first and last day are fine
                both = base
                for other, where in date_fields():  # every date of the tool on that day
                    if other == tool:
                        both = with_value(both, where, value)
                result = await client.call_tool(tool, both)
                if result.is_error:
                    problems.append(f"{tool} {name}={value} refused: {text_of(result)[:120]}")
    assert not problems, "\n".join(problems)


async def test_the_generic_call_refuses_dates_outside_those_years_too(books: Path) -> None:
    async with session(books) as (client, _):
        texts = []
        for start in ("9999-12-31", "0001-01-01T00:00:00", "1899-12-31"):
            body = {"StartDate": start, "EndDate": "2026-01-31"}
            result = await client.call_tool(
                "call_kashflow_api", {"method": "GetInvoicesByDateRange", "body": body}
            )
            assert result.is_error
            texts.append(text_of(result))
        body = {"StartDate": "1900-01-01", "EndDate": "2099-12-31T23:59:59"}
        await ok(client, "call_kashflow_api", method="GetInvoicesByDateRange", body=body)
    for text in texts:
        assert "body.StartDate: dates must be from 1900-01-01 to 2099-12-31" in text, text
