"""What the model sees in tools/list: stable, annotated on purpose, described, small.

The whole listing - every tool a server can offer, those offered only once the operator allows
their restricted operation included - is snapshotted, so any change to it is a reviewed diff.
To accept a change: ``UPDATE_SNAPSHOTS=1 python -m pytest tests/server/test_tool_list.py``.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bench.budgets import DEFAULT_BUDGET, EVERYTHING_BUDGET, TOOLSET_BUDGET
from kashflow_mcp.config import Settings
from kashflow_mcp.schemas.common import ArgsModel, ResultModel
from kashflow_mcp.server import json_schema, shipped_schemas
from kashflow_mcp.server.json_schema import argument_schema, enforced_schema
from kashflow_mcp.server.listing import listing_for, size_of
from kashflow_mcp.tools import ALL_TOOLS, EVERY_ALLOWANCE, TOOLSETS, Kind, Toolset
from kashflow_mcp.tools.toolsets import ACCOUNTS

from .conftest import OpenSession

pytestmark = pytest.mark.anyio
SNAPSHOT = Path(__file__).parent / "snapshots" / "tools_list.json"
# Rules the listing may leave unsaid: the server still refuses a call breaking any of them,
# naming the field (test_arguments.py and tests/hardening/test_values.py prove it).
UNSAID = frozenset(
    {"maxLength", "minLength", "minItems", "minimum", "exclusiveMinimum", "additionalProperties"}
)

# What each tool does to the books; a change here is a reviewed change of what clients are told.
EXPECTED_KINDS = {
    "list_customers": Kind.READ,
    "get_customer": Kind.READ,
    "create_customer": Kind.WRITE,
    "update_customer": Kind.OVERWRITE,
    "delete_customer": Kind.DESTRUCTIVE,
    "list_invoices": Kind.READ,
    "get_invoice": Kind.READ,
    "create_invoice": Kind.WRITE,
    "update_invoice": Kind.OVERWRITE,
    "delete_invoice": Kind.DESTRUCTIVE,
    "record_payment": Kind.WRITE,
    "list_payments": Kind.READ,
    "delete_payment": Kind.DESTRUCTIVE,
    "list_payment_methods": Kind.READ,
    "list_bank_accounts": Kind.READ,
    "create_credit_note": Kind.WRITE,
    "apply_credit_note": Kind.DESTRUCTIVE,
    "add_invoice_note": Kind.WRITE,
    "email_invoice": Kind.WRITE,
    "aged_debtors": Kind.READ,
    "call_kashflow_api": Kind.GUARDED,
    "list_accounts": Kind.READ,
}
# (readOnlyHint, destructiveHint, idempotentHint) as each kind means them.
HINTS_OF_KIND = {
    Kind.READ: (True, False, True),
    Kind.WRITE: (False, False, False),
    Kind.OVERWRITE: (False, True, True),
    Kind.DESTRUCTIVE: (False, True, False),
    Kind.GUARDED: (False, True, False),
}
ALLOWING = list(EVERY_ALLOWANCE)  # email_invoice is offered once EmailInvoice is allowed
EVERY_TOOL: dict[str, Any] = {"toolsets": ["all"], "allow_operations": ALLOWING}


async def listing(open_session: OpenSession, **settings: Any) -> list[dict[str, Any]]:
    async with open_session(**settings) as (client, _):
        tools = (await client.list_tools()).tools
    return [tool.model_dump(mode="json", by_alias=True, exclude_none=True) for tool in tools]


async def test_tools_list_matches_the_reviewed_snapshot(open_session: OpenSession) -> None:
    current = await listing(open_session, **EVERY_TOOL)
    if os.environ.get("UPDATE_SNAPSHOTS") or not SNAPSHOT.exists():
        SNAPSHOT.write_text(json.dumps(current, indent=1, ensure_ascii=False) + "\n")
    assert current == json.loads(SNAPSHOT.read_text())


async def test_the_default_toolsets_fit_in_24_kb(open_session: OpenSession) -> None:
    """Measured as the benchmark does: the tools array as compact UTF-8 JSON."""
    assert size_of(await listing(open_session)) <= DEFAULT_BUDGET


@pytest.mark.parametrize("toolset", TOOLSETS, ids=lambda toolset: toolset.name)
async def test_each_toolset_fits_in_8_kb(toolset: Toolset) -> None:
    """With every tool it can offer: those the operator must allow count too."""
    # The accounts toolset comes only with several accounts: measured on a server of two.
    accounts = 2 if toolset is ACCOUNTS else 1
    settings = Settings(toolsets=[toolset.name], allow_operations=ALLOWING)
    entries = await listing_for(settings, accounts=accounts)
    if accounts > 1:
        entries = [entry for entry in entries if entry["name"] == "list_accounts"]
    assert entries and size_of(entries) <= TOOLSET_BUDGET, size_of(entries)


async def test_everything_together_fits_in_64_kb() -> None:
    assert size_of(await listing_for(Settings(**EVERY_TOOL))) <= EVERYTHING_BUDGET


async def test_every_tool_sets_title_and_the_annotations_of_its_kind(
    open_session: OpenSession,
) -> None:
    tools = {tool["name"]: tool for tool in await listing(open_session, **EVERY_TOOL)}
    kinds = {spec.name: spec.kind for spec in ALL_TOOLS}
    assert kinds == EXPECTED_KINDS and set(tools) == set(EXPECTED_KINDS) - {"list_accounts"}
    for name, kind in EXPECTED_KINDS.items():
        if name not in tools:
            continue
        read_only, destructive, idempotent = HINTS_OF_KIND[kind]
        assert tools[name]["title"]
        # Every tool reaches KashFlow: openWorldHint is left at the protocol's default, true.
        assert tools[name]["annotations"] == {
            "readOnlyHint": read_only,
            "destructiveHint": destructive,
            "idempotentHint": idempotent,
        }, name


async def test_every_tool_has_an_output_schema(open_session: OpenSession) -> None:
    for tool in await listing(open_session, **EVERY_TOOL):
        assert tool["outputSchema"]["type"] == "object", tool["name"]


async def test_every_id_argument_says_where_to_find_it(open_session: OpenSession) -> None:
    for tool in await listing(open_session, **EVERY_TOOL):
        for name, field in tool["inputSchema"]["properties"].items():
            if name.endswith(("_id", "_number", "_token")) or name in ("source", "method"):
                assert field.get("description"), f"{tool['name']}.{name}"


async def test_money_arguments_are_strings(open_session: OpenSession) -> None:
    tools = {tool["name"]: tool for tool in await listing(open_session)}
    line = tools["create_invoice"]["inputSchema"]["properties"]["lines"]["items"]["properties"]
    assert line["rate"]["type"] == "string" and "pattern" in line["rate"]
    invoice = tools["get_invoice"]["outputSchema"]["properties"]
    assert invoice["gross_amount"]["type"] == "string"


def _resolve(schema: Any, defs: dict[str, Any]) -> Any:
    if isinstance(schema, list):
        return [_resolve(item, defs) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        target = defs[schema["$ref"].rsplit("/", 1)[-1]]
        schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
    return {k: _resolve(v, defs) for k, v in schema.items() if k != "$defs"}


def _left_unsaid(shown: Any, enforced: Any, where: str = "") -> list[str]:
    """The rules ``enforced`` has and ``shown`` leaves out; fails on any other difference."""
    if not isinstance(enforced, dict):
        assert shown == enforced, where
        return []
    assert isinstance(shown, dict), where
    assert set(shown) <= set(enforced), (
        f"{where}: shown but not enforced {set(shown) - set(enforced)}"
    )
    left = [f"{where}.{key}" for key in enforced if key not in shown]
    assert {key for key in enforced if key not in shown} <= UNSAID, f"{where}: {left}"
    for key, value in shown.items():
        if key == "properties":
            assert set(value) == set(enforced[key]), where
            for name in value:
                left += _left_unsaid(value[name], enforced[key][name], f"{where}/{name}")
        elif isinstance(value, dict):
            left += _left_unsaid(value, enforced[key], f"{where}.{key}")
        else:
            assert value == enforced[key], f"{where}.{key}"
    return left


@pytest.mark.parametrize("spec", ALL_TOOLS, ids=lambda spec: spec.name)
def test_every_tool_names_its_handler_which_declares_its_models(spec: Any) -> None:
    assert spec.runs.endswith(f":{spec.name}"), "a handler is named for its tool"
    assert spec.implementation.handler.__name__ == spec.name
    assert issubclass(spec.args, ArgsModel) and issubclass(spec.result, ResultModel)


def test_a_tool_naming_anything_but_a_handler_fails_to_load() -> None:
    spec = replace(ALL_TOOLS[0], runs="customers.handlers:code_stem")
    with pytest.raises(TypeError, match="not a @handles handler"):
        spec.implementation  # noqa: B018 - loading it is the test


@pytest.mark.parametrize("spec", ALL_TOOLS, ids=lambda spec: spec.name)
def test_the_listing_leaves_out_only_rules_the_server_enforces(spec: Any) -> None:
    """A shorter listing must never mean a looser server: what a model is shown is the
    validation schema itself, less a few rules left unsaid."""
    enforced = enforced_schema(spec.args)
    shown = argument_schema(spec.args)
    _left_unsaid(
        _resolve(shown, shown.get("$defs", {})), _resolve(enforced, enforced.get("$defs", {}))
    )


def test_the_caps_left_unsaid_are_still_validated() -> None:
    args = {spec.name: spec.args for spec in ALL_TOOLS}["create_customer"]
    enforced = enforced_schema(args)
    shown = argument_schema(args)
    name, shown_name = enforced["properties"]["name"], shown["properties"]["name"]
    assert (name["maxLength"], name["minLength"]) == (255, 1)
    assert "maxLength" not in shown_name and "minLength" not in shown_name
    assert enforced["additionalProperties"] is False and "additionalProperties" not in shown
    assert shown["properties"]["notes"]["maxLength"] == 4000  # long text says how long


def test_the_shipped_schemas_snapshot_is_current() -> None:
    """Start-up serves the schemas in shipped_schemas.py: they must be what the models give.
    ``UPDATE_SNAPSHOTS=1`` rewrites the file."""
    current = json_schema.shipped_schemas_source()
    if os.environ.get("UPDATE_SNAPSHOTS"):
        json_schema.SHIPPED.write_text(current, encoding="utf-8")
    assert json_schema.SHIPPED.read_text(encoding="utf-8") == current


def test_shipped_schemas_serve_only_while_their_fingerprint_matches(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    spec = {spec.name: spec for spec in ALL_TOOLS}["create_customer"]
    marked = {"type": "object", "properties": {}, "marker": True}
    lines = [f"{kind} create_customer\t{json.dumps(marked)}" for kind in ("arguments", "result")]
    monkeypatch.setattr(shipped_schemas, "SCHEMAS", "\n" + "\n".join(lines) + "\n")
    monkeypatch.setattr(shipped_schemas, "FINGERPRINT", json_schema.fingerprint())
    json_schema._shipped.cache_clear()
    try:
        assert json_schema.tool_schemas(spec) == (marked, marked)
        assert not caplog.records
        monkeypatch.setattr(shipped_schemas, "FINGERPRINT", "of other sources")
        json_schema._shipped.cache_clear()
        with caplog.at_level(logging.WARNING, logger=json_schema.__name__):
            arguments, result = json_schema.tool_schemas(spec)
        assert arguments["properties"]["name"] == {"type": "string"}
        assert result["properties"]["customer_id"] == {"type": "integer"}
        assert "do not match the sources" in caplog.text  # a slow start says why
    finally:
        monkeypatch.undo()
        json_schema._shipped.cache_clear()


def test_the_fingerprint_holds_when_the_package_is_reached_through_a_link(tmp_path: Path) -> None:
    root = Path(json_schema.__file__).resolve().parents[2]
    link = tmp_path / "linked"
    link.symlink_to(root, target_is_directory=True)
    code = "from kashflow_mcp.server import json_schema as j; print(j.__file__, j.fingerprint())"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(link)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    where, fingerprint = done.stdout.split()
    assert where.startswith(str(link)), "the package was reached through the link"
    assert fingerprint == json_schema.fingerprint() != ""
