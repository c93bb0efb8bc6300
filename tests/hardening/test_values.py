"""Money, dates and sizes, through the MCP client: every refusal names the field.

Money is a decimal string with at most 2 places: no JSON numbers (they lose digits before any
validator sees them), no NaN, Infinity or exponents. Dates are YYYY-MM-DD and nothing else
(and within the years KashFlow keeps: ``test_dates.py``).
Every cap (string lengths, list lengths, 200 invoice lines, the generic call's body), whether
the listing shows it or not, is enforced at exactly its value.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from kashflow_mcp.server.json_schema import enforced_schema
from kashflow_mcp.tools import ALL_TOOLS

from ..server.calls import ok, text_of
from ..server.conftest import session
from .harness import ALLOWING, assert_no_internals, field_path, resolve, set_at, slots

pytestmark = pytest.mark.anyio
LINE = {"description": "Consulting", "rate": "100.00", "vat_rate": "20"}
CUSTOMER = 20001

BAD_MONEY: list[Any] = [
    12.5, 12, 1e3, 0.1, True, [], {},
    "1e3", "1E3", "1e-2", "NaN", "nan", "-NaN", "sNaN", "Infinity", "-Infinity", "inf",
    "12.345", "0.001", "12,50", "1,000.00", "", " ", "£12.50", "12.50 GBP", "+12.50",
    "0x10", "1_000", "12.", ".5", "1234567890123", "--1", "12.5.0",
]  # fmt: skip
BAD_DATES: list[Any] = [
    "31/01/2026", "01/31/2026", "2026-02-30", "2026-13-01", "2026-00-10", "20260101",
    "2026-1-5", "2026-01-01T00:00:00", "2026-01-01Z", "2026-W01-1", "2026-001", "+2026-01-01",
    "0000-01-01", "26-01-01", "2026/01/01", "next tuesday", "", 1767225600, 20260101, True,
]  # fmt: skip


async def refusal(client: Client, tool: str, arguments: dict[str, Any], field: str) -> str | None:
    """None when the call was refused naming ``field``; otherwise what went wrong."""
    result = await client.call_tool(tool, arguments)
    assert_no_internals(result, arguments)
    text = text_of(result)
    if not result.is_error:
        return f"accepted: {text[:120]}"
    if field not in text:
        return f"refused without naming {field}: {text[:200]}"
    return None


async def an_invoice(client: Client) -> int:
    created = await ok(client, "create_invoice", customer_id=CUSTOMER, lines=[LINE])
    return created["invoice"]["invoice_number"]


def with_value(arguments: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict:
    changed = copy.deepcopy(arguments)
    set_at(changed, path, value)
    return changed


MONEY_FIELDS = [
    ("create_invoice", ("lines", 0, "rate")),
    ("create_invoice", ("exchange_rate",)),
    ("update_invoice", ("lines", 0, "rate")),
    ("update_invoice", ("exchange_rate",)),
]


@pytest.mark.parametrize(("tool", "path"), MONEY_FIELDS)
async def test_money_refuses_numbers_nan_infinity_exponents_and_extra_places(
    books: Path, tool: str, path: tuple[str | int, ...]
) -> None:
    async with session(books) as (client, _):
        base: dict[str, Any] = {"customer_id": CUSTOMER, "lines": [LINE]}
        if tool == "update_invoice":
            base = {"invoice_number": await an_invoice(client), "lines": [LINE]}
        problems = []
        for value in BAD_MONEY:
            problem = await refusal(client, tool, with_value(base, path, value), field_path(path))
            if problem:
                problems.append(f"{value!r}: {problem}")
        await ok(client, tool, **with_value(base, path, "12.50"))  # the control case
    assert not problems, "\n".join(problems)


async def test_money_takes_ascii_digits_only(books: Path) -> None:
    async with session(books) as (client, _):
        problems = []
        for value in ("١٢.٥٠", "𝟗", "１２.５０", "۱۲"):
            line = {**LINE, "rate": value}
            arguments = {"customer_id": CUSTOMER, "lines": [line]}
            problem = await refusal(client, "create_invoice", arguments, "lines.0.rate")
            if problem:
                problems.append(f"{value!r}: {problem}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("tool", ["create_invoice", "update_invoice"])
@pytest.mark.parametrize("field", ["invoice_date", "due_date"])
async def test_dates_are_strictly_iso(books: Path, tool: str, field: str) -> None:
    async with session(books) as (client, _):
        base: dict[str, Any] = {"customer_id": CUSTOMER, "lines": [LINE]}
        if tool == "update_invoice":
            base = {"invoice_number": await an_invoice(client)}
        problems = []
        for value in BAD_DATES:
            problem = await refusal(client, tool, {**base, field: value}, field)
            if problem:
                problems.append(f"{value!r}: {problem}")
        await ok(client, tool, **base, invoice_date="2026-01-05", due_date="2026-02-04")
    assert not problems, "\n".join(problems)


async def test_more_than_200_invoice_lines_are_refused(books: Path) -> None:
    async with session(books) as (client, _):
        number = await an_invoice(client)
        problems = [
            await refusal(client, tool, {**base, "lines": [LINE] * 201}, "lines")
            for tool, base in (
                ("create_invoice", {"customer_id": CUSTOMER}),
                ("update_invoice", {"invoice_number": number}),
            )
        ]
        created = await ok(client, "create_invoice", customer_id=CUSTOMER, lines=[LINE] * 200)
    assert problems == [None, None], problems
    assert len(created["invoice"]["lines"]) == 200


# Minimal arguments for each tool with every nested record present, so every cap is reachable.
ADDRESS = {"lines": ["1 Quay Street"], "postcode": "BS1 4QA", "country_name": "UK"}
DELIVERY = {**ADDRESS, "name": "Goods in"}
CUSTOMER_FIELDS = {
    "address": ADDRESS,
    "delivery_address": ADDRESS,
    "extra_fields": ["a"],
    "extra_checkboxes": [True],
}
CAPPED_CALLS: dict[str, dict[str, Any]] = {
    "list_customers": {"search": "x"},
    "get_customer": {"code": "HARB01"},
    "create_customer": {"name": "Caps Ltd", **CUSTOMER_FIELDS},
    "update_customer": {"customer_id": CUSTOMER, **CUSTOMER_FIELDS},
    "delete_customer": {"customer_id": CUSTOMER, "confirmation_token": "x"},
    "create_invoice": {"customer_id": CUSTOMER, "lines": [LINE], "delivery_address": DELIVERY},
    "update_invoice": {"invoice_number": 0, "lines": [LINE], "delivery_address": DELIVERY},
    "delete_invoice": {"invoice_number": 0, "confirmation_token": "x"},
    "record_payment": {"invoice_number": 0, "amount": "0.01", "note": "x"},
    "delete_payment": {"payment_id": 810001, "confirmation_token": "x"},
    "create_credit_note": {"customer_id": CUSTOMER, "lines": [LINE], "customer_reference": "x"},
    "apply_credit_note": {
        "credit_note_number": 1001,
        "invoice_number": 0,
        "confirmation_token": "x",
    },
    "add_invoice_note": {"invoice_number": 0, "note": "Called them"},
    "email_invoice": {
        "invoice_number": 0,
        "to": "a@b.example",
        "subject": "s",
        "body": "b",
        "confirmation_token": "x",
    },
    "call_kashflow_api": {"method": "GetCurrencies", "body": {}, "confirmation_token": "x"},
}
# Tools with no string or list argument, so nothing to cap; a test checks that is still so.
UNCAPPED: dict[str, str] = {
    "list_invoices": "takes integers, dates and a status from a fixed list only",
    "get_invoice": "takes integers only",
    "list_accounts": "takes no arguments",
    "list_payments": "takes integers and dates only",
    "list_payment_methods": "takes no arguments",
    "list_bank_accounts": "takes no arguments",
    "aged_debtors": "takes a date and integers only",
}


def caps_in(schema: Any) -> list[str]:
    """Every length cap anywhere in a schema, its definitions included."""
    if isinstance(schema, list):
        return [cap for item in schema for cap in caps_in(item)]
    if not isinstance(schema, dict):
        return []
    own = [key for key in ("maxLength", "maxItems") if key in schema]
    return own + [cap for value in schema.values() for cap in caps_in(value)]


def test_every_tool_has_its_caps_checked_or_says_why_it_has_none() -> None:
    """A new tool must be added to CAPPED_CALLS, or to UNCAPPED with the reason."""
    every, listed = {spec.name for spec in ALL_TOOLS}, set(CAPPED_CALLS) | set(UNCAPPED)
    assert not every - listed, f"in neither CAPPED_CALLS nor UNCAPPED: {every - listed}"
    assert not listed - every, f"no such tools: {listed - every}"
    assert not set(CAPPED_CALLS) & set(UNCAPPED), set(CAPPED_CALLS) & set(UNCAPPED)


@pytest.mark.parametrize("tool", sorted(UNCAPPED))
def test_a_tool_said_to_have_no_caps_has_none(tool: str) -> None:
    spec = next(spec for spec in ALL_TOOLS if spec.name == tool)
    assert caps_in(enforced_schema(spec.args)) == [], f"{tool} has caps: add it to CAPPED_CALLS"


async def test_every_cap_is_enforced_at_its_value(books: Path) -> None:
    """Caps come from the validation schema, so those the listing leaves unsaid count too."""
    args = {spec.name: spec.args for spec in ALL_TOOLS}
    async with session(books, allow_operations=ALLOWING) as (client, _):
        number = await an_invoice(client)
        problems, checked = [], []
        for tool, base in CAPPED_CALLS.items():
            base = {k: (number if k == "invoice_number" else v) for k, v in base.items()}
            schema = enforced_schema(args[tool])
            defs = schema.get("$defs", {})
            for path, sub in slots(schema, defs, base):
                name = field_path(path)
                for limit_key, over, at in _over_and_at(sub, defs):
                    checked.append(f"{tool}.{name}.{limit_key}")
                    problem = await refusal(client, tool, with_value(base, path, over), name)
                    if problem:
                        problems.append(f"{tool} {name} over {limit_key}: {problem}")
                    result = await client.call_tool(tool, with_value(base, path, at))
                    if f"{name}: " in text_of(result) and "at most" in text_of(result):
                        problems.append(f"{tool} {name} refused AT its {limit_key}")
    assert len(checked) > 40, checked  # the walk really reached the nested records
    reached = {entry.split(".", 1)[0] for entry in checked}
    assert reached == set(CAPPED_CALLS), f"no cap reached for {set(CAPPED_CALLS) - reached}"
    assert not problems, "\n".join(problems)


def _over_and_at(schema: dict[str, Any], defs: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(which cap, a value just over it, a value exactly at it) for each cap in ``schema``."""
    caps = []
    if "maxLength" in schema and "pattern" not in schema:
        limit = schema["maxLength"]
        caps.append(("maxLength", "x" * (limit + 1), "x" * limit))
    if "maxItems" in schema:
        limit = schema["maxItems"]
        item = resolve(schema.get("items", {}), defs)
        sample: Any = {"string": "x", "boolean": True}.get(item.get("type"), LINE)
        caps.append(("maxItems", [sample] * (limit + 1), [sample] * limit))
    return caps


async def test_call_kashflow_api_refuses_an_oversized_body(books: Path) -> None:
    async with session(books) as (client, _):
        for method in ("GetCustomer", "InsertCustomer", "NoSuchOperationAtAll"):
            body = {"CustomerCode": "x" * 70_000}
            result = await client.call_tool("call_kashflow_api", {"method": method, "body": body})
            assert result.is_error
            assert_no_internals(result)
            if method != "NoSuchOperationAtAll":
                assert "body is larger than 64000 bytes" in text_of(result)
    async with session(books, max_body_bytes=1000) as (client, _):
        body = {"CustomerCode": "x" * 1200}
        result = await client.call_tool(
            "call_kashflow_api", {"method": "GetCustomer", "body": body}
        )
        assert result.is_error and "body is larger than 1000 bytes" in text_of(result)


async def test_call_kashflow_api_body_cap_counts_bytes(books: Path) -> None:
    async with session(books) as (client, _):
        body = {"CustomerCode": "€" * 30_000}
        result = await client.call_tool(
            "call_kashflow_api", {"method": "GetCustomer", "body": body}
        )
    assert "body is larger than 64000 bytes" in text_of(result)


async def test_control_characters_are_refused_naming_the_argument(books: Path) -> None:
    async with session(books) as (client, _):
        number = await an_invoice(client)
        bell_line = {**LINE, "description": "a\x07"}
        cases = [
            ("create_customer", {"name": "Ctl Ltd", "notes": "a\x01b"}, "notes"),
            ("update_customer", {"customer_id": CUSTOMER, "contact": "a\x1bb"}, "contact"),
            (
                "create_customer",
                {"name": "Ctl", "address": {"lines": ["a\x00"]}},
                "address.lines.0",
            ),
            (
                "create_invoice",
                {"customer_id": CUSTOMER, "lines": [bell_line]},
                "lines.0.description",
            ),
            (
                "update_invoice",
                {"invoice_number": number, "customer_reference": "\x08"},
                "customer_reference",
            ),
        ]
        problems = []
        for tool, arguments, field in cases:
            problem = await refusal(client, tool, arguments, f"{field}:")
            if problem:
                problems.append(f"{tool} {field}: {problem}")
    assert not problems, "\n".join(problems)


async def test_error_texts_are_bounded_like_results(books: Path) -> None:
    async with session(books, max_result_chars=2000) as (client, _):
        body = {"CustomerCode": "x" * 60_000}
        result = await client.call_tool(
            "call_kashflow_api", {"method": "GetCustomer", "body": body}
        )
    assert result.is_error
    assert len(text_of(result)) <= 2100, len(text_of(result))
