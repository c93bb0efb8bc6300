"""A message nested too deep to parse gets an answer on every transport; no client waits forever.

The SDK's JSON parser gives up at 200 levels. Over stdio and SSE the SDK then dropped the
request unanswered; our server refuses anything deeper than ``MAX_DEPTH`` before the SDK parses
it, answering a JSON-RPC error with the request's id. Streamable HTTP answers with its own
parse error, in both protocol generations.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, MCPError
from mcp.client.sse import sse_client
from mcp.client.stdio import StdioServerParameters
from mcp_types import jsonrpc_message_adapter

from kashflow_mcp.server.nesting import MAX_DEPTH, refusal, too_deep

from ..support import http_server
from .calls import ok
from .test_transports import SERVE, child_env

pytestmark = pytest.mark.anyio
DEEP = 200  # where pydantic's parser gives up


def nested(depth: int) -> Any:
    value: Any = "leaf"
    for level in range(depth):
        value = [value] if level % 2 else {"n": value}
    return value


async def call_deep(client: Client) -> BaseException | None:
    """What a generic call with a body nested ``DEEP`` levels comes back as, within 30 s."""
    body = {"Deep": nested(DEEP)}
    with anyio.fail_after(30):  # an unanswered request would wait here for ever
        try:
            await client.call_tool("call_kashflow_api", {"method": "GetCurrencies", "body": body})
        except MCPError as exc:
            return exc
    return None


async def test_stdio_answers_a_request_too_deep_to_parse(books: Path) -> None:
    server = StdioServerParameters(command=SERVE[0], args=[*SERVE[1:], str(books)], env=child_env())
    async with Client(server, read_timeout_seconds=30) as client:
        refused = await call_deep(client)
        still_served = await ok(client, "get_customer", customer_id=20001)
    assert isinstance(refused, MCPError), refused
    assert refused.error.code == -32600
    assert f"more than {MAX_DEPTH} levels deep" in refused.error.message
    assert still_served["code"] == "HARB01"


def rpc(message: dict[str, Any]) -> bytes:
    return (json.dumps(message) + "\n").encode()


async def test_stdio_answers_with_the_requests_own_id_and_skips_notifications(
    books: Path,
) -> None:
    init = {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t"}}
    call = {"name": "call_kashflow_api", "arguments": {"method": "GetCurrencies"}}
    at_limit = {**call, "arguments": {**call["arguments"], "body": {"B": nested(MAX_DEPTH - 5)}}}
    over = {**call, "arguments": {**call["arguments"], "body": {"B": nested(MAX_DEPTH)}}}
    lines = [
        rpc({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": init}),
        rpc({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        rpc({"jsonrpc": "2.0", "method": "notifications/progress", "params": over}),  # no id
        rpc({"jsonrpc": "2.0", "id": "deep-one", "method": "tools/call", "params": over}),
        rpc({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": at_limit}),
        rpc({"jsonrpc": "2.0", "id": 4, "method": "tools/call", "params": call}),
    ]
    with anyio.fail_after(60):
        async with await anyio.open_process([*SERVE, str(books)], env=child_env()) as process:
            assert process.stdin and process.stdout
            for line in lines:
                await process.stdin.send(line)
            stdout = b""
            while stdout.count(b"\n") < 4:
                stdout += await process.stdout.receive()
            await process.stdin.aclose()
            assert await process.wait() == 0
    answers = {m["id"]: m for m in map(json.loads, stdout.decode().splitlines())}
    assert sorted(answers, key=str) == [1, 3, 4, "deep-one"]
    assert answers["deep-one"]["error"]["code"] == -32600
    assert answers[3]["result"]["isError"] is True  # at the limit it reaches the tool
    assert "body.B: no such parameter" in answers[3]["result"]["content"][0]["text"]


async def test_sse_answers_a_request_too_deep_to_parse(books: Path) -> None:
    with http_server(books, transport="sse") as url:
        async with Client(sse_client(f"{url}/sse")) as client:
            refused = await call_deep(client)
            still_served = await ok(client, "get_customer", customer_id=20001)
    assert isinstance(refused, MCPError), refused
    assert f"more than {MAX_DEPTH} levels deep" in refused.error.message
    assert still_served["code"] == "HARB01"


@pytest.mark.parametrize("mode", ["legacy", "auto"])
async def test_streamable_http_answers_a_request_too_deep_to_parse(books: Path, mode: str) -> None:
    """The SDK answers this one itself: a parse error (2025) or the tool's own refusal (2026)."""
    with http_server(books, transport="http") as url:
        async with Client(f"{url}/mcp", mode=mode) as client:
            refused = await call_deep(client)
            await ok(client, "get_customer", customer_id=20001)
    if mode == "legacy":
        assert isinstance(refused, MCPError) and refused.error.code == -32700


def json_nested(depth: int) -> str:
    return json.dumps({"a": nested(depth - 1)})


@pytest.mark.parametrize(
    ("text", "deep"),
    [
        (json_nested(MAX_DEPTH), False),
        (json_nested(MAX_DEPTH + 1), True),
        (json.dumps({"s": "[" * 150 + "]" * 150}), False),  # brackets inside a string
        (json.dumps({"s": '"' + "{" * 150 + "}" * 150}), False),  # after an escaped quote
        (json.dumps([[1, 2]] * 300), False),  # wide, not deep
        ("[" * 300, False),  # not JSON: the parser refuses it
        ("not json at all", False),
    ],
)
def test_nesting_is_measured_outside_strings(text: str, deep: bool) -> None:
    assert too_deep(text) is deep


def test_the_refusal_carries_the_requests_id_and_only_requests_get_one() -> None:
    deep = '{"n":' * 5000 + "1" + "}" * 5000  # far past what json or pydantic would parse
    request = '{"params":{"x":' + deep + '},"jsonrpc":"2.0","method":"tools/call","id":"a]b"}'
    assert too_deep(request)
    answer = refusal(request)
    assert answer is not None and answer.id == "a]b" and answer.error.code == -32600
    assert refusal('{"jsonrpc":"2.0","method":"notify","params":' + deep + "}") is None
    assert refusal('{"jsonrpc":"2.0","id":9,"result":' + deep + "}") is None
    assert refusal('{"jsonrpc":"2.0","id":true,"method":"m","params":' + deep + "}") is None


def test_whatever_passes_the_limit_the_sdk_can_parse() -> None:
    body = '{"n":' * (MAX_DEPTH - 2) + "1" + "}" * (MAX_DEPTH - 2)  # the envelope adds 2
    line = (
        '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":'
        + body
        + "}}"
    )
    assert not too_deep(line) and too_deep(line, MAX_DEPTH - 1)  # exactly at the limit
    jsonrpc_message_adapter.validate_json(line, by_name=False)
