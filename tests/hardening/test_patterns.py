"""Every string field with a pattern or an enum takes exactly what its schema says it takes.

JSON Schema patterns are ECMA-262 regular expressions: ``$`` is the end of the input (Python's
also matches before a final newline), nothing is trimmed first and case matters. For each tool
and each such field in the schema the server enforces, hypothesis sends values made to match
and values made to miss - near misses especially: a trailing newline, surrounding spaces,
another case, a whole number - and the server must accept exactly those that match, and refuse
every non-string, naming the field. The model is shown the same patterns and enums.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kashflow_mcp.sandbox import FaultRule
from kashflow_mcp.server.json_schema import enforced_schema
from kashflow_mcp.tools import ALL_TOOLS

from ..server.calls import text_of
from .conftest import fuzz_settings
from .harness import Path_, Remote, Schema, field_path, remote_session, resolve, set_at, slots

NO_SUCH_ID = 999_999
LINE = {"description": "Pattern check", "rate": "1.00", "vat_rate": "20", "quantity": "1"}
PLACE = {"country_code": "GB"}
CUSTOMER = {"discount": "5", "address": PLACE, "delivery_address": PLACE}
INVOICE = {"lines": [LINE], "currency_code": "GBP", "exchange_rate": "1.00"}
# Valid arguments for each tool with every field that has a pattern or an enum present. They
# change nothing: the ids do not exist, and the one write that could succeed is refused.
CALLS: dict[str, dict[str, Any]] = {
    "create_customer": {"name": "Pattern Ltd", "code": "PATT01", **CUSTOMER},
    "update_customer": {"customer_id": NO_SUCH_ID, **CUSTOMER},
    "create_invoice": {"customer_id": NO_SUCH_ID, **INVOICE, "delivery_address": PLACE},
    "update_invoice": {"invoice_number": NO_SUCH_ID, **INVOICE, "delivery_address": PLACE},
    "list_invoices": {"customer_id": 20001, "status": "paid"},
    "record_payment": {"invoice_number": NO_SUCH_ID, "amount": "1.00"},
    "call_kashflow_api": {"method": "GetCurrencies"},
}
NOT_STRINGS = st.one_of(
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def constrained_fields() -> list[tuple[str, Path_, Schema]]:
    """(tool, path, schema) of every string field with a pattern or an enum, in every tool."""
    found = []
    for spec in ALL_TOOLS:
        schema = enforced_schema(spec.args)
        for path, sub in slots(schema, schema.get("$defs", {}), CALLS.get(spec.name, {})):
            sub = resolve(sub, schema.get("$defs", {}))
            if sub.get("type") == "string" and ("pattern" in sub or "enum" in sub):
                found.append((spec.name, path, sub))
    return found


FIELDS = constrained_fields()


def ecma(pattern: str) -> re.Pattern[str]:
    """The pattern as ECMA-262 reads it, in Python: its final ``$`` is the end of the input."""
    assert pattern.endswith("$") and pattern.count("$") == 1, pattern
    return re.compile(pattern[:-1] + r"\Z")


def accepts(schema: Schema, value: str) -> bool:
    if "enum" in schema:
        return value in schema["enum"]
    return ecma(schema["pattern"]).search(value) is not None


def near_misses(good: str) -> list[str]:
    return [
        good + "\n", "\n" + good, " " + good, good + " ", good + "\t", good.upper(), good.lower(),
        good.swapcase(), good + good, good[:-1], good + "\u200b", "\uff10" + good,
    ]  # fmt: skip


def strings_for(schema: Schema) -> st.SearchStrategy[str]:
    if "enum" in schema:
        matching: st.SearchStrategy[str] = st.sampled_from(schema["enum"])
    else:
        matching = st.from_regex(ecma(schema["pattern"]))
        # Python's own reading of the pattern: some of these end in a newline.
        matching |= st.from_regex(schema["pattern"])
    return st.one_of(
        matching,
        matching.flatmap(lambda good: st.sampled_from(near_misses(good))),
        st.text(max_size=12),
    )


def given_value(tool: str, path: Path_) -> Any:
    """The field's value in ``CALLS``: a control that must be taken."""
    value: Any = CALLS[tool]
    for part in path:
        value = value[part]
    return value


def refusal_of(remote: Remote, tool: str, path: Path_, value: Any) -> str | None:
    """The text refusing the arguments, or None when they were taken."""
    arguments = copy.deepcopy(CALLS[tool])
    set_at(arguments, path, value)
    text = text_of(remote.call(tool, arguments))
    return text if text.startswith("Invalid arguments") else None


def test_every_constrained_field_has_arguments_to_test_it_with() -> None:
    tools = {spec.name for spec in ALL_TOOLS}
    assert {tool for tool, _, _ in FIELDS} == set(CALLS) and set(CALLS) <= tools
    assert len(FIELDS) >= 20, [(tool, field_path(path)) for tool, path, _ in FIELDS]


@pytest.mark.parametrize("tool", sorted(CALLS))
def test_the_model_is_shown_the_patterns_and_enums_enforced(books: Path, tool: str) -> None:
    with remote_session(books) as remote:
        shown = remote.tools()[tool].input_schema
    for name, path, enforced in ((n, p, s) for n, p, s in FIELDS if n == tool):
        published = shown
        for part in path:
            published = resolve(published, shown.get("$defs", {}))
            published = (
                published["items"] if isinstance(part, int) else published["properties"][part]
            )
        published = resolve(published, shown.get("$defs", {}))
        assert published.get("pattern") == enforced.get("pattern"), (name, path)
        assert published.get("enum") == enforced.get("enum"), (name, path)
        assert published["type"] == "string", (name, path)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("tool", "path", "schema"),
    FIELDS,
    ids=[f"{tool}.{field_path(path)}" for tool, path, _ in FIELDS],
)
def test_a_string_is_taken_exactly_when_it_matches_its_schema(
    books: Path, tool: str, path: Path_, schema: Schema
) -> None:
    name = field_path(path)
    with remote_session(books) as remote:
        faults = remote.kashflow.transport.app.state.faults  # type: ignore[union-attr]
        faults.add(FaultRule(operation="InsertCustomer", times=-1, refuse="not in this test"))
        assert refusal_of(remote, tool, path, given_value(tool, path)) is None

        @fuzz_settings()
        @given(value=strings_for(schema))
        def check(value: str) -> None:
            refusal = refusal_of(remote, tool, path, value)
            if accepts(schema, value):
                assert refusal is None, f"{name}={value!r} matches but was refused: {refusal}"
            else:
                assert refusal is not None, f"{name}={value!r} does not match but was taken"
                assert f"{name}: " in refusal, f"{name} not named: {refusal}"

        check()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("tool", "path", "schema"),
    FIELDS,
    ids=[f"{tool}.{field_path(path)}" for tool, path, _ in FIELDS],
)
def test_anything_but_a_string_is_refused(
    books: Path, tool: str, path: Path_, schema: Schema
) -> None:
    name = field_path(path)
    with remote_session(books) as remote:

        @fuzz_settings()
        @given(value=NOT_STRINGS)
        def check(value: Any) -> None:
            refusal = refusal_of(remote, tool, path, value)
            assert refusal is not None and f"{name}: " in refusal, f"{name}={value!r} was taken"

        check()
