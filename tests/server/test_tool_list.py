"""What the model sees in tools/list: stable, annotated on purpose, described, small.

The whole listing is snapshotted, so any change to it is a reviewed diff. To accept a change:
``UPDATE_SNAPSHOTS=1 python -m pytest tests/server/test_tool_list.py``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from .conftest import OpenSession

pytestmark = pytest.mark.anyio
SNAPSHOT = Path(__file__).parent / "snapshots" / "tools_list.json"

EXPECTED_HINTS = {
    # name: (readOnly, destructive, idempotent)
    "list_customers": (True, False, True),
    "get_customer": (True, False, True),
    "create_customer": (False, False, False),
    "update_customer": (False, True, True),
    "delete_customer": (False, True, False),
    "list_invoices": (True, False, True),
    "get_invoice": (True, False, True),
    "create_invoice": (False, False, False),
    "update_invoice": (False, True, True),
    "delete_invoice": (False, True, False),
    "call_kashflow_api": (False, True, False),
}


async def listing(open_session: OpenSession) -> list[dict[str, Any]]:
    async with open_session() as (client, _):
        tools = (await client.list_tools()).tools
    return [tool.model_dump(mode="json", by_alias=True, exclude_none=True) for tool in tools]


async def test_tools_list_matches_the_reviewed_snapshot(open_session: OpenSession) -> None:
    current = await listing(open_session)
    if os.environ.get("UPDATE_SNAPSHOTS") or not SNAPSHOT.exists():
        SNAPSHOT.write_text(json.dumps(current, indent=1, ensure_ascii=False) + "\n")
    assert current == json.loads(SNAPSHOT.read_text())


async def test_every_tool_sets_title_and_all_four_annotations(open_session: OpenSession) -> None:
    tools = {tool["name"]: tool for tool in await listing(open_session)}
    assert set(tools) == set(EXPECTED_HINTS)
    for name, (read_only, destructive, idempotent) in EXPECTED_HINTS.items():
        hints = tools[name]["annotations"]
        assert tools[name]["title"]
        assert hints == {
            "readOnlyHint": read_only,
            "destructiveHint": destructive,
            "idempotentHint": idempotent,
            "openWorldHint": True,
        }, name


async def test_every_tool_has_an_output_schema(open_session: OpenSession) -> None:
    for tool in await listing(open_session):
        assert tool["outputSchema"]["type"] == "object", tool["name"]


async def test_every_id_argument_says_where_to_find_it(open_session: OpenSession) -> None:
    for tool in await listing(open_session):
        for name, field in tool["inputSchema"]["properties"].items():
            if name.endswith(("_id", "_number", "_token")) or name in ("source", "method"):
                assert field.get("description"), f"{tool['name']}.{name}"


async def test_money_arguments_are_strings(open_session: OpenSession) -> None:
    tools = {tool["name"]: tool for tool in await listing(open_session)}
    line = tools["create_invoice"]["inputSchema"]["$defs"]["InvoiceLineIn"]["properties"]
    assert line["rate"]["type"] == "string" and "pattern" in line["rate"]
    invoice = tools["get_invoice"]["outputSchema"]["properties"]
    assert invoice["gross_amount"]["type"] == "string"
