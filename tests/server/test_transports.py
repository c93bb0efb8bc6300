"""The same tools over stdio (a real subprocess), SSE and Streamable HTTP (a real socket)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import anyio
import httpx
import pytest
from mcp import Client
from mcp.client.sse import sse_client
from mcp.client.stdio import StdioServerParameters

from kashflow_mcp.config import Settings
from kashflow_mcp.connection import open_client
from kashflow_mcp.server import ConfigurationError, build_server
from kashflow_mcp.server.http import http_app

from ..support import INITIALIZE, MCP_ACCEPT, http_server
from .calls import ok, text_of
from .conftest import OpenSession

pytestmark = pytest.mark.anyio
HTTP_TOKEN = "s3cret-token-long-enough-to-be-accepted"
SERVE = [sys.executable, "-m", "kashflow_mcp", "serve", "--sandbox", "--sandbox-db"]


def child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1"}


async def test_stdio_subprocess_serves_the_tools(books: Path) -> None:
    server = StdioServerParameters(command=SERVE[0], args=[*SERVE[1:], str(books)], env=child_env())
    async with Client(server, read_timeout_seconds=30) as client:
        assert "SANDBOX" in (client.instructions or "")
        rows = (await ok(client, "list_customers", limit=2))["customers"]
        got = await ok(client, "get_customer", customer_id=rows[0]["customer_id"])
        assert got["name"] == rows[0]["name"]


async def test_stdio_stdout_carries_protocol_messages_only(books: Path) -> None:
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {},
            "clientInfo": {"name": "t", "version": "0"}}},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {
            "name": "get_customer", "arguments": {"customer_id": 424242}}},
    ]  # fmt: skip
    command = [*SERVE, str(books), "--log-level", "DEBUG"]
    with anyio.fail_after(60):
        async with await anyio.open_process(command, env=child_env()) as process:
            assert process.stdin and process.stdout and process.stderr
            for message in messages:
                await process.stdin.send((json.dumps(message) + "\n").encode())
            stdout = b""
            while stdout.count(b"\n") < 2:
                stdout += await process.stdout.receive()
            await process.stdin.aclose()  # the server must exit by itself once stdin closes
            assert await process.wait() == 0
            stdout += b"".join([chunk async for chunk in process.stdout])
            stderr = b"".join([chunk async for chunk in process.stderr]).decode()
    lines = stdout.decode().splitlines()
    assert len(lines) == 2 and all(json.loads(line)["jsonrpc"] == "2.0" for line in lines)
    answer = json.loads(lines[1])["result"]
    assert answer["isError"] is True and "No customer 424242" in answer["content"][0]["text"]
    assert "DEBUG" in stderr  # logs went to stderr


async def test_older_clients_using_the_handshake_protocol_work(open_session: OpenSession) -> None:
    async with open_session(mode="legacy") as (client, _):
        rows = (await ok(client, "list_customers", limit=1))["customers"]
        assert rows


async def test_sse_serves_the_tools(books: Path) -> None:
    with http_server(books, transport="sse") as url:
        async with Client(sse_client(f"{url}/sse")) as client:
            rows = (await ok(client, "list_customers", limit=1))["customers"]
            assert rows and rows[0]["customer_id"] > 0


async def test_streamable_http_serves_the_tools(books: Path) -> None:
    with http_server(books, transport="http") as url:
        async with Client(f"{url}/mcp") as client:
            rows = (await ok(client, "list_customers", limit=1))["customers"]
            assert rows and rows[0]["customer_id"] > 0


async def test_a_foreign_host_or_origin_is_refused(books: Path) -> None:
    with http_server(books, transport="http") as url:
        async with httpx.AsyncClient(timeout=10) as http:
            evil_host = await http.post(
                f"{url}/mcp", json=INITIALIZE, headers={**MCP_ACCEPT, "Host": "evil.example"}
            )
            evil_origin = await http.post(
                f"{url}/mcp",
                json=INITIALIZE,
                headers={**MCP_ACCEPT, "Origin": "http://evil.example"},
            )
            fine = await http.post(f"{url}/mcp", json=INITIALIZE, headers=MCP_ACCEPT)
    assert evil_host.status_code in (400, 421) and evil_origin.status_code == 403
    assert fine.status_code == 200


async def test_a_configured_bearer_token_is_required(books: Path) -> None:
    with http_server(books, transport="http", auth_token=HTTP_TOKEN) as url:
        async with httpx.AsyncClient(timeout=10) as http:
            missing = await http.post(f"{url}/mcp", json=INITIALIZE, headers=MCP_ACCEPT)
            wrong = await http.post(
                f"{url}/mcp", json=INITIALIZE, headers={**MCP_ACCEPT, "Authorization": "Bearer x"}
            )
            in_query = await http.post(
                f"{url}/mcp?token={HTTP_TOKEN}", json=INITIALIZE, headers=MCP_ACCEPT
            )
            right = await http.post(
                f"{url}/mcp",
                json=INITIALIZE,
                headers={**MCP_ACCEPT, "Authorization": f"Bearer {HTTP_TOKEN}"},
            )
    assert missing.status_code == wrong.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    assert in_query.status_code == 400
    assert right.status_code == 200
    assert HTTP_TOKEN not in missing.text + wrong.text + in_query.text


def test_listening_beyond_loopback_needs_a_token(books: Path) -> None:
    config = Settings(sandbox=True, sandbox_db=books, transport="http", host="0.0.0.0")
    with pytest.raises(ConfigurationError, match="without a bearer token"):
        http_app(build_server(config, open_client(config)), config)


@pytest.mark.parametrize("token", ["", "   "])
def test_an_empty_token_is_no_token(books: Path, token: str) -> None:
    config = Settings(
        sandbox=True, sandbox_db=books, transport="http", host="0.0.0.0", auth_token=token
    )
    assert config.auth_token is None
    with pytest.raises(ConfigurationError, match="without a bearer token"):
        http_app(build_server(config, open_client(config)), config)


@pytest.mark.parametrize("host", ["127.0.0.1", "0.0.0.0"])
def test_a_token_shorter_than_32_characters_is_refused(books: Path, host: str) -> None:
    def app_with(token: str) -> object:
        config = Settings(
            sandbox=True, sandbox_db=books, transport="http", host=host, auth_token=token
        )
        return http_app(build_server(config, open_client(config)), config)

    with pytest.raises(ConfigurationError, match="31 characters long; it must have at least 32"):
        app_with("x" * 31)
    with pytest.raises(ConfigurationError, match="printable ASCII without spaces"):
        app_with("a token with spaces in it, long enough")
    assert app_with("x" * 32) is not None


async def test_oversized_request_bodies_are_refused(books: Path) -> None:
    with http_server(books, transport="http") as url:
        async with httpx.AsyncClient(timeout=10) as http:
            huge = {**INITIALIZE, "params": {**INITIALIZE["params"], "pad": "x" * 2_000_000}}
            response = await http.post(f"{url}/mcp", json=huge, headers=MCP_ACCEPT)
    assert response.status_code == 413


async def test_a_token_from_one_http_session_is_void_in_another(books: Path) -> None:
    with http_server(books, transport="http") as url:
        async with (
            Client(f"{url}/mcp", mode="legacy") as first,
            Client(f"{url}/mcp", mode="legacy") as second,
        ):
            number = (await ok(first, "list_invoices", customer_id=20001))["invoices"][0][
                "invoice_number"
            ]
            token = (await ok(first, "delete_invoice", invoice_number=number))["confirmation_token"]
            stolen = await second.call_tool(
                "delete_invoice", {"invoice_number": number, "confirmation_token": token}
            )
            assert stolen.is_error and "issued to another session" in text_of(stolen)
            await ok(first, "delete_invoice", invoice_number=number, confirmation_token=token)
