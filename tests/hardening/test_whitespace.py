"""Whitespace: caps count the text as sent, as the published maxLength does; free text is then
trimmed; text that must say something may not be only spaces."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from kashflow_mcp.schemas.customers import CreateCustomerArgs
from kashflow_mcp.server.json_schema import enforced_schema

from ..server.calls import ok, refused
from ..server.conftest import session

pytestmark = pytest.mark.anyio
LINE = {"description": "Work", "rate": "10.00", "vat_rate": "20"}


async def test_a_cap_counts_the_spaces_sent_as_the_schema_does(books: Path) -> None:
    reference = "R" * 255 + " "
    schema = enforced_schema(CreateCustomerArgs)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"name": "Spaces Ltd", "contact": reference}, schema)
    async with session(books) as (client, _):
        message = await refused(client, "create_customer", name="Spaces Ltd", contact=reference)
        assert "contact" in message and "at most 255" in message
        made = await ok(client, "create_customer", name="  Spaces Ltd  ", contact=" Ann ")
    assert (made["name"], made["contact"]) == ("Spaces Ltd", "Ann")  # then trimmed


@pytest.mark.parametrize(
    ("tool", "arguments", "field"),
    [
        ("create_customer", {"name": "   "}, "name"),
        ("update_customer", {"customer_id": 20001, "name": " "}, "name"),
        ("create_invoice", {"customer_id": 20001, "lines": [{**LINE, "description": " "}]},
         "lines.0.description"),
    ],
)  # fmt: skip
async def test_text_that_must_say_something_may_not_be_only_spaces(
    books: Path, tool: str, arguments: dict, field: str
) -> None:
    async with session(books) as (client, _):
        message = await refused(client, tool, **arguments)
    assert f"{field}: must not be blank" in message
