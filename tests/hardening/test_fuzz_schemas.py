"""Every tool, fuzzed from its own advertised inputSchema, through a real MCP client.

Schema-valid arguments must be answered (a result or a refusal a model can act on), never a
protocol failure, a traceback or an internal detail. Invalid arguments - wrong types, extra
keys, huge strings, deep nesting - must be refused with the offending field named. Whatever
the fuzzer sends, nothing is deleted without a confirmation token.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from jsonschema import Draft202012Validator

from kashflow_mcp.kashflow import OPERATIONS, Kind
from kashflow_mcp.tools import select

from ..server.calls import text_of
from .conftest import fuzz_settings
from .harness import (
    ALLOWING,
    Inventory,
    Path_,
    Schema,
    assert_no_internals,
    field_path,
    is_record,
    remote_session,
    resolve,
    set_at,
    slots,
)

# Every tool a server of one account offers (list_accounts comes with several: test_accounts).
TOOL_NAMES = sorted(spec.name for spec in select(toolsets=["all"], allowed_operations=ALLOWING))
READ_OPERATIONS = sorted(name for name, op in OPERATIONS.items() if op.kind is Kind.READ)

JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=40)
)
FREE_JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)
FREE_OBJECT = st.dictionaries(st.text(max_size=20), FREE_JSON, max_size=6)
# Values of the wrong JSON type, including the ones a lenient parser would coerce.
WRONG_VALUES: dict[str, list[Any]] = {
    "string": [[], ["x"], {"x": "y"}, True, 1.5],
    "integer": [[], {"x": 1}, "not a number", 1.5, "42", 42.0, True],
    "boolean": [[], {"x": True}, "maybe", 7, 1, "true"],
    "array": ["not a list", 5, {"x": []}],
    "object": ["not an object", 5, ["x"]],
}


def schema_check(schema: Schema) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def nested(depth: int, as_list: bool) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = [value] if as_list else {"n": value}
    return value


def with_known_ids(base: st.SearchStrategy, known: Inventory) -> st.SearchStrategy:
    """Often swap generated ids for real ones, so calls reach real records, not just 404s."""
    real = {"customer_id": sorted(known.customers), "invoice_number": sorted(known.invoices)}

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        arguments = dict(draw(base))
        for key, ids in real.items():
            if key in arguments and ids and draw(st.booleans()):
                arguments[key] = draw(st.sampled_from(ids))
        return arguments

    return build()


def api_calls(known: Inventory, methods: list[str]) -> st.SearchStrategy:
    """call_kashflow_api with real operation names and bodies made of their parameter names."""
    values = st.one_of(JSON_SCALARS, st.sampled_from(sorted(known.customers)))

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        op = OPERATIONS[draw(st.sampled_from(methods))]
        names = op.param_names
        body = draw(st.dictionaries(st.sampled_from(names), values)) if names else {}
        arguments: dict[str, Any] = {"method": op.name, "body": body}
        if draw(st.booleans()):
            arguments["confirmation_token"] = draw(st.text(max_size=400))
        return arguments

    return build()


def from_input_schema(schema: Schema, defs: dict[str, Schema] | None = None) -> st.SearchStrategy:
    """Arguments valid against a tool's inputSchema.

    Leaves (strings with patterns, formats and lengths, numbers, enums) come from
    hypothesis-jsonschema; objects and arrays are composed here, because its own object
    strategy relies on a hypothesis internal (``many.more``) that current hypothesis removed.
    """
    defs = schema.get("$defs", {}) if defs is None else defs
    schema = resolve(schema, defs)
    if schema.get("type") == "object":
        if "properties" not in schema:
            return FREE_OBJECT
        required = set(schema.get("required", ()))
        fields = {name: from_input_schema(sub, defs) for name, sub in schema["properties"].items()}
        return st.fixed_dictionaries(
            {name: value for name, value in fields.items() if name in required},
            optional={name: value for name, value in fields.items() if name not in required},
        )
    if schema.get("type") == "array":
        return st.lists(
            from_input_schema(schema.get("items", {}), defs),
            min_size=schema.get("minItems", 0),
            max_size=schema.get("maxItems", 20),
        )
    return from_schema({k: v for k, v in schema.items() if k not in ("description", "default")})


def valid_arguments(tool: str, schema: Schema, known: Inventory) -> st.SearchStrategy:
    base = from_input_schema(schema)
    if tool == "call_kashflow_api":
        base = st.one_of(base, api_calls(known, sorted(OPERATIONS)))
    return with_known_ids(base, known)


def invalid_arguments(tool: str, schema: Schema, known: Inventory) -> st.SearchStrategy:
    """Valid arguments with exactly one thing wrong, and the path of that thing."""
    defs = schema.get("$defs", {})
    # A known read operation, so the body is what gets judged, not the operation's name.
    if tool == "call_kashflow_api":
        base = with_known_ids(api_calls(known, READ_OPERATIONS), known)
    else:
        base = with_known_ids(from_input_schema(schema), known)

    @st.composite
    def build(draw: st.DrawFn) -> tuple[dict[str, Any], Path_]:
        arguments = copy.deepcopy(draw(base))
        candidates = list(slots(schema, defs, arguments))
        # A tool that takes no arguments can only be given one too many.
        kinds = ["wrong type", "too long", "deep", "extra key"] if candidates else ["extra key"]
        kind = draw(st.sampled_from(kinds))
        if kind == "extra key":
            records = [((), schema)] + [(p, s) for p, s in candidates if is_record(s)]
            records = [(p, s) for p, s in records if _exists(arguments, p)]
            path, sub = draw(st.sampled_from(records))
            name = "x_" + draw(st.from_regex(r"[a-z0-9_]{1,12}", fullmatch=True))
            assume(name not in sub.get("properties", {}))
            path = (*path, name)
            value: Any = draw(JSON_SCALARS)
        else:
            path, sub = draw(st.sampled_from(candidates))
            if kind == "wrong type":
                value = draw(st.sampled_from(_wrong_values(sub)))
            elif kind == "deep":
                value = nested(draw(st.integers(20, 200)), draw(st.booleans()))
                if sub.get("type") == "object" and not is_record(sub):
                    value = {"Nested": value}  # a free-form object: depth goes inside it
            else:
                value = _too_long(sub, draw(st.integers(1, 300_000)))
        set_at(arguments, path, value)
        return arguments, path

    return build()


def _exists(arguments: dict[str, Any], path: Path_) -> bool:
    target: Any = arguments
    for part in path:
        in_dict = isinstance(target, dict) and part in target
        in_list = isinstance(target, list) and isinstance(part, int) and part < len(target)
        if not (in_dict or in_list):
            return False
        target = target[part]
    return isinstance(target, dict)


def _wrong_values(schema: Schema) -> list[Any]:
    if "enum" in schema:
        return ["not-one-of-them", 5]
    return WRONG_VALUES[schema.get("type", "object")]


def _too_long(schema: Schema, extra: int) -> Any:
    if schema.get("type") == "object":
        return {"Padding": "x" * (64_000 + extra)}  # over call_kashflow_api's body cap
    if schema.get("type") != "string":
        return "x" * (1000 + extra)
    filler = "9" if "pattern" in schema or "format" in schema else "x"
    return filler * (schema.get("maxLength", 1000) + extra)


# --------------------------------------------------------------------------- tests


def test_every_listed_tool_is_fuzzed(books: Path) -> None:
    with remote_session(books) as remote:
        assert sorted(remote.tools()) == TOOL_NAMES


@pytest.mark.slow
@pytest.mark.parametrize("tool", TOOL_NAMES)
def test_schema_valid_arguments_are_answered_cleanly(tool: str, books: Path) -> None:
    with remote_session(books) as remote:
        schema = remote.tools()[tool].input_schema
        before = remote.inventory()

        @fuzz_settings()
        @given(arguments=valid_arguments(tool, schema, before))
        def call(arguments: dict[str, Any]) -> None:
            schema_check(schema).validate(arguments)  # the fuzzer itself keeps to the schema
            result = remote.call(tool, arguments)
            assert_no_internals(result, arguments)
            text = text_of(result)
            assert not text.startswith("Error executing tool"), f"unexpected failure: {text}"
            assert (result.structured_content or {}).get("status") != "deleted", text

        call()
        after = remote.inventory()
    assert before.customers <= after.customers, "a customer was deleted without a token"
    assert before.invoices <= after.invoices, "an invoice was deleted without a token"


@pytest.mark.slow
@pytest.mark.parametrize("tool", TOOL_NAMES)
def test_invalid_arguments_are_refused_naming_the_field(tool: str, books: Path) -> None:
    with remote_session(books) as remote:
        schema = remote.tools()[tool].input_schema
        before = remote.inventory()

        @fuzz_settings()
        @given(case=invalid_arguments(tool, schema, before))
        def call(case: tuple[dict[str, Any], Path_]) -> None:
            arguments, path = case
            result = remote.call(tool, arguments)
            assert_no_internals(result, arguments)
            text = text_of(result)
            assert result.is_error, f"accepted {field_path(path)}: {text[:500]}"
            assert field_path(path) in text, f"{field_path(path)} not named in: {text[:500]}"

        call()
        after = remote.inventory()
    assert before.customers <= after.customers
    assert before.invoices <= after.invoices


ONE_LINE = {"description": "x", "rate": "1.00", "vat_rate": "0"}
STRICT_TYPES = [
    ("get_customer", {"customer_id": "20001"}, "customer_id"),
    ("get_customer", {"customer_id": 20001.0}, "customer_id"),
    ("delete_invoice", {"invoice_number": True}, "invoice_number"),
    ("list_customers", {"limit": "5"}, "limit"),
    ("create_customer", {"name": "Strict Ltd", "ec": "yes"}, "ec"),
    ("create_invoice", {"customer_id": 20001, "paid": 1, "lines": [ONE_LINE]}, "paid"),
]


def test_json_types_are_taken_as_advertised(books: Path) -> None:
    """No lenient coercion: "20001" and 20001.0 are not ids, true is not id 1, "yes" not true."""
    with remote_session(books) as remote:
        accepted = []
        for tool, arguments, field in STRICT_TYPES:
            result = remote.call(tool, arguments)
            if not result.is_error or field not in text_of(result):
                accepted.append(f"{tool} {json.dumps(arguments)} -> {text_of(result)[:80]}")
    assert not accepted, "\n".join(accepted)


def _rpc(id_: int | None, method: str, params: dict[str, Any] | None = None) -> bytes:
    message: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
    if id_ is not None:
        message["id"] = id_
    if params is not None:
        message["params"] = params
    return (json.dumps(message) + "\n").encode()


@pytest.mark.anyio
async def test_stdio_survives_malformed_deep_and_huge_messages(books: Path) -> None:
    init = {
        "protocolVersion": "2025-11-25",
        "capabilities": {},
        "clientInfo": {"name": "t", "version": "0"},
    }
    depth = 100_000
    deep = (
        '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_customer",'
        '"arguments":{"code":' + "[" * depth + "]" * depth + "}}}\n"
    ).encode()
    huge = _rpc(3, "tools/call", {"name": "get_customer", "arguments": {"code": "x" * 5_000_000}})
    command = [
        sys.executable,
        "-m",
        "kashflow_mcp",
        "serve",
        "--sandbox",
        "--sandbox-db",
        str(books),
    ]
    with anyio.fail_after(60):
        async with await anyio.open_process(command) as process:
            assert process.stdin and process.stdout and process.stderr
            for line in (
                _rpc(1, "initialize", init),
                _rpc(None, "notifications/initialized"),
                b"this is not JSON at all\n",
                b'{"jsonrpc":"2.0","id":9,"method":"tools/call","params":"not an object"}\n',
                deep,
                huge,
                _rpc(
                    4, "tools/call", {"name": "get_customer", "arguments": {"customer_id": 20001}}
                ),
            ):
                await process.stdin.send(line)
            stdout = b""
            while b'"id":4' not in stdout:
                stdout += await process.stdout.receive()
            await process.stdin.aclose()
            assert await process.wait() == 0
            stdout += b"".join([chunk async for chunk in process.stdout])
            stderr = b"".join([chunk async for chunk in process.stderr]).decode()
    answers = {m.get("id"): m for m in map(json.loads, stdout.decode().splitlines())}
    assert "Harbourside" in json.dumps(answers[4]["result"])
    assert "code" in answers[3]["result"]["content"][0]["text"]
    assert "levels deep" in answers[2]["error"]["message"]  # answered, not dropped
    for text in (stdout.decode(), stderr):
        assert "Traceback" not in text and 'File "' not in text
