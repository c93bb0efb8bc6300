"""The HTTP surface, on a real socket: SSE (/sse, /messages/) and Streamable HTTP (/mcp).

Host and Origin are checked on every endpoint; a configured bearer token is required on every
path and method, and never accepted in the URL; request bodies are capped everywhere and
refused while still arriving, not after being buffered whole; and confirmation tokens minted
for one client are not usable by another.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
import httpx
import pytest
from mcp import Client
from mcp.client.sse import sse_client
from pydantic import SecretStr
from starlette.types import Receive, Scope, Send

from kashflow_mcp.config import Settings
from kashflow_mcp.server import ConfigurationError
from kashflow_mcp.server.http import BearerTokenGuard, check_exposure

from ..server.calls import ok, text_of
from ..support import INITIALIZE, MCP_ACCEPT, http_server

pytestmark = pytest.mark.anyio

TOKEN = "s3cret-hardening-token-of-forty-characters"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
FOREIGN_HOSTS = [
    "evil.example",
    "evil.example:80",
    "127.0.0.1.evil.example",
    "localhost.evil.example:8000",
]
FOREIGN_ORIGINS = [
    "http://evil.example",
    "https://evil.example",
    "null",
    "http://127.0.0.1.evil.example",
    "http://localhost.evil.example:8000",
]
FIVE_MB = 5 * 1024 * 1024


@asynccontextmanager
async def sse_session(http: httpx.AsyncClient, url: str, **headers: str) -> AsyncIterator[str]:
    """Open the SSE stream and yield the message endpoint it announces (with its session id)."""
    with anyio.fail_after(10):
        async with http.stream("GET", f"{url}/sse", headers=headers) as stream:
            assert stream.status_code == 200
            async for line in stream.aiter_lines():
                if line.startswith("data:"):
                    yield line.removeprefix("data:").strip()
                    return
    raise AssertionError("the SSE stream announced no endpoint")


# --------------------------------------------------------------------------- Host and Origin


async def test_streamable_http_checks_host_and_origin_on_every_method(books: Path) -> None:
    refused = []
    with http_server(books, transport="http") as url:
        async with httpx.AsyncClient(timeout=10) as http:
            for method in ("POST", "GET", "DELETE"):
                body = INITIALIZE if method == "POST" else None
                for host in FOREIGN_HOSTS:
                    response = await http.request(
                        method, f"{url}/mcp", json=body, headers={**MCP_ACCEPT, "Host": host}
                    )
                    refused.append((method, host, response.status_code in (400, 421)))
                for origin in FOREIGN_ORIGINS:
                    response = await http.request(
                        method, f"{url}/mcp", json=body, headers={**MCP_ACCEPT, "Origin": origin}
                    )
                    refused.append((method, origin, response.status_code == 403))
            fine = await http.post(
                f"{url}/mcp", json=INITIALIZE, headers={**MCP_ACCEPT, "Origin": url}
            )
    assert [case for case in refused if not case[2]] == []
    assert fine.status_code == 200


async def test_sse_checks_host_and_origin_on_the_stream_and_the_message_endpoint(
    books: Path,
) -> None:
    stream_refused, post_refused = [], []
    with http_server(books, transport="sse") as url:
        # A fresh connection for each refused stream, so each refusal is seen on its own.
        for host in FOREIGN_HOSTS:
            async with httpx.AsyncClient(timeout=10) as http:
                response = await http.get(f"{url}/sse", headers={"Host": host})
            stream_refused.append((host, response.status_code in (400, 421)))
        for origin in FOREIGN_ORIGINS:
            async with httpx.AsyncClient(timeout=10) as http:
                response = await http.get(f"{url}/sse", headers={"Origin": origin})
            stream_refused.append((origin, response.status_code == 403))
        async with httpx.AsyncClient(timeout=10) as http, sse_session(http, url) as endpoint:
            for host in FOREIGN_HOSTS:
                response = await http.post(
                    f"{url}{endpoint}", json=INITIALIZE, headers={"Host": host}
                )
                post_refused.append((host, response.status_code in (400, 421)))
            for origin in FOREIGN_ORIGINS:
                response = await http.post(
                    f"{url}{endpoint}", json=INITIALIZE, headers={"Origin": origin}
                )
                post_refused.append((origin, response.status_code == 403))
            fine = await http.post(f"{url}{endpoint}", json=INITIALIZE)
    assert [case for case in stream_refused if not case[1]] == []
    assert [case for case in post_refused if not case[1]] == []
    assert fine.status_code == 202


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


async def test_a_refused_sse_connection_is_not_an_application_error(books: Path) -> None:
    errors = Records()
    with http_server(books, transport="sse") as url:
        logging.getLogger("uvicorn.error").addHandler(errors)
        try:
            async with httpx.AsyncClient(timeout=10) as http:
                await http.get(f"{url}/sse", headers={"Host": "evil.example"})
                await http.get(f"{url}/sse", headers={"Origin": "http://evil.example"})
        finally:
            logging.getLogger("uvicorn.error").removeHandler(errors)
    assert [r.getMessage() for r in errors.records if r.levelno >= logging.ERROR] == []


# --------------------------------------------------------------------------- bearer token

PATHS = ["/mcp", "/mcp/", "/sse", "/messages/", "/messages/?session_id=00", "/", "/nope"]


@pytest.mark.parametrize("transport", ["http", "sse"])
async def test_a_configured_token_is_required_on_every_path_and_method(
    books: Path, transport: str
) -> None:
    open_doors = []
    with http_server(books, transport=transport, auth_token=TOKEN) as url:
        async with httpx.AsyncClient(timeout=10) as http:
            for path in PATHS:
                for method in ("GET", "POST", "DELETE", "PUT", "OPTIONS", "HEAD"):
                    for headers in (
                        {},
                        {"Authorization": "Bearer wrong"},
                        {"Authorization": TOKEN},
                    ):
                        response = await http.request(method, f"{url}{path}", headers=headers)
                        challenge = response.headers.get("www-authenticate", "")
                        if response.status_code != 401 or not challenge.startswith("Bearer"):
                            open_doors.append((method, path, headers, response.status_code))
    assert open_doors == []


async def test_the_right_token_opens_both_transports(books: Path) -> None:
    with http_server(books, transport="sse", auth_token=TOKEN) as url:
        async with Client(sse_client(f"{url}/sse", headers=AUTH)) as client:
            assert (await ok(client, "list_customers", limit=1))["customers"]
    with http_server(books, transport="http", auth_token=TOKEN) as url:
        async with httpx.AsyncClient(timeout=10) as http:
            response = await http.post(
                f"{url}/mcp", json=INITIALIZE, headers={**MCP_ACCEPT, **AUTH}
            )
    assert response.status_code == 200


async def _status_with_authorization(port: int, authorization: bytes) -> bytes:
    """POST /mcp with this exact Authorization header, bytes as given (httpx would tidy them)."""
    body = json.dumps(INITIALIZE).encode()
    head = (
        f"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"Accept: application/json, text/event-stream\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n"
    ).encode()
    with anyio.fail_after(10):
        async with await anyio.connect_tcp("127.0.0.1", port) as stream:
            await stream.send(head + b"Authorization: " + authorization + b"\r\n\r\n" + body)
            return (await stream.receive()).split(b"\r\n", 1)[0]


async def test_an_empty_bearer_credential_is_refused(books: Path) -> None:
    with http_server(books, transport="http", auth_token=TOKEN) as url:
        port = int(url.rsplit(":", 1)[1])
        answers = {
            header: await _status_with_authorization(port, header)
            for header in (b"Bearer", b"Bearer ", b"Bearer    ", b"bearer \t", b"Bearer \t \t")
        }
        right = await _status_with_authorization(port, f"Bearer {TOKEN}".encode())
    assert {header: status for header, status in answers.items() if b" 401 " not in status} == {}
    assert b" 200 " in right


def test_an_empty_token_cannot_guard_anything() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        raise AssertionError("never reached")

    for empty in ("", "  "):
        with pytest.raises(ValueError, match="cannot be empty"):
            BearerTokenGuard(app, SecretStr(empty))


@pytest.mark.parametrize("name", ["token", "access_token", "auth", "auth_token"])
async def test_a_token_in_the_query_string_is_refused(books: Path, name: str) -> None:
    with http_server(books, transport="http", auth_token=TOKEN) as url:
        async with httpx.AsyncClient(timeout=10) as http:
            alone = await http.post(
                f"{url}/mcp?{name}={TOKEN}", json=INITIALIZE, headers=MCP_ACCEPT
            )
            with_header = await http.post(
                f"{url}/mcp?{name}={TOKEN}", json=INITIALIZE, headers={**MCP_ACCEPT, **AUTH}
            )
    assert alone.status_code == with_header.status_code == 400
    assert TOKEN not in alone.text + with_header.text


async def test_the_token_is_refused_in_the_url_under_any_name(books: Path) -> None:
    names = ["Token", "ACCESS_TOKEN", "Auth", "api_key", "apikey", "key", "bearer", "access-token"]
    accepted = []
    with http_server(books, transport="http", auth_token=TOKEN) as url:
        async with httpx.AsyncClient(timeout=10) as http:
            for name in names:
                response = await http.post(
                    f"{url}/mcp?{name}={TOKEN}", json=INITIALIZE, headers={**MCP_ACCEPT, **AUTH}
                )
                if response.status_code != 400:
                    accepted.append((name, response.status_code))
    assert accepted == []


# --------------------------------------------------------------------------- body size


async def test_a_5mb_body_is_refused_on_every_endpoint(books: Path) -> None:
    huge = b'{"jsonrpc":"2.0","id":1,"method":"ping","pad":"' + b"x" * FIVE_MB + b'"}'
    answers: dict[str, int] = {}

    async def post(http: httpx.AsyncClient, name: str, url: str, **headers: str) -> None:
        answers[name] = (await http.post(url, content=huge, headers=headers)).status_code

    with http_server(books, transport="http") as url:
        async with httpx.AsyncClient(timeout=30) as http:
            await post(http, "POST /mcp", f"{url}/mcp", **MCP_ACCEPT)
            for path in ("/", "/nope", "/mcp/extra"):
                await post(http, f"POST {path}", f"{url}{path}")
    with http_server(books, transport="sse") as url:
        async with httpx.AsyncClient(timeout=30) as http:
            async with sse_session(http, url) as endpoint:
                await post(http, "POST /messages/ (live session)", f"{url}{endpoint}")
            unknown = "/messages/?session_id=0123456789abcdef0123456789abcdef"
            await post(http, "POST /messages/ (no session)", f"{url}{unknown}")
            await post(http, "POST /sse", f"{url}/sse")
    with http_server(books, transport="http", auth_token=TOKEN) as url:
        async with httpx.AsyncClient(timeout=30) as http:
            await post(http, "POST /mcp (no token)", f"{url}/mcp")
    assert answers["POST /mcp"] == 413
    assert answers["POST /messages/ (live session)"] == 413
    assert answers["POST /messages/ (no session)"] == 413
    assert answers["POST /mcp (no token)"] == 401
    assert all(400 <= status < 500 for status in answers.values()), answers


async def _refused_while_arriving(port: int, path: str, chunked: bool) -> bytes:
    """Start a 5 MB upload, send 1.2 MB of it, and read the answer without sending the rest."""
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {FIVE_MB}"
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"Accept: application/json, text/event-stream\r\n{framing}\r\n\r\n"
    )
    piece = b"x" * 65536
    with anyio.fail_after(10):
        async with await anyio.connect_tcp("127.0.0.1", port) as stream:
            await stream.send(head.encode())
            for _ in range(1_200_000 // len(piece) + 1):
                chunk = f"{len(piece):x}\r\n".encode() + piece + b"\r\n" if chunked else piece
                try:
                    await stream.send(chunk)
                except (anyio.BrokenResourceError, anyio.ClosedResourceError, OSError):
                    break  # the server already answered and closed: exactly the point
            return (await stream.receive()).split(b"\r\n", 1)[0]


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
@pytest.mark.parametrize(
    ("transport", "path"),
    [("http", "/mcp"), ("sse", "/messages/?session_id=0123456789abcdef0123456789abcdef")],
)
async def test_an_oversized_body_is_refused_before_it_has_all_arrived(
    books: Path, transport: str, path: str, chunked: bool
) -> None:
    with http_server(books, transport=transport) as url:
        status = await _refused_while_arriving(int(url.rsplit(":", 1)[1]), path, chunked)
    assert b" 413 " in status, status


# --------------------------------------------------------------------------- sessions

LINE = [{"description": "Work", "rate": "50.00", "vat_rate": "20"}]


def connect(url: str, transport: str) -> Client:
    if transport == "sse":
        return Client(sse_client(f"{url}/sse"))
    return Client(f"{url}/mcp", mode="legacy")  # the handshake protocol has sessions


@pytest.mark.parametrize("transport", ["http", "sse"])
async def test_a_token_minted_in_one_session_is_refused_in_another(
    books: Path, transport: str
) -> None:
    """Two concurrent sessions: B cannot redeem the token A was given; A still can."""
    with http_server(books, transport=transport) as url:
        async with connect(url, transport) as alice, connect(url, transport) as bob:
            customer = (await ok(alice, "create_customer", name="Sessions Ltd"))["customer_id"]
            created = await ok(alice, "create_invoice", customer_id=customer, lines=LINE)
            number = created["invoice"]["invoice_number"]
            preview = await ok(alice, "delete_invoice", invoice_number=number)
            token = preview["confirmation_token"]
            arguments = {"invoice_number": number, "confirmation_token": token}
            by_bob = await bob.call_tool("delete_invoice", arguments)
            lookup = await alice.call_tool("get_invoice", {"invoice_number": number})
            by_alice = await alice.call_tool("delete_invoice", arguments)
    assert by_bob.is_error, f"another session redeemed the token: {text_of(by_bob)[:120]}"
    assert not lookup.is_error, "the invoice was deleted by the other session"
    assert not by_alice.is_error, text_of(by_alice)


async def test_the_right_token_under_another_scheme_is_refused(books: Path) -> None:
    with http_server(books, transport="http", auth_token=TOKEN) as url:
        port = int(url.rsplit(":", 1)[1])
        answers = {
            scheme: await _status_with_authorization(port, f"{scheme} {TOKEN}".encode())
            for scheme in ("Basic", "Token", "Bearerx", "Digest")
        }
    assert {scheme: status for scheme, status in answers.items() if b" 401 " not in status} == {}


@pytest.mark.parametrize(
    "token", ["a" * 20 + " " + "b" * 20, "a" * 40 + "\u00e9", "a" * 40 + "\t", "a" * 40 + "\x7f"]
)
def test_a_token_a_header_cannot_carry_as_is_stops_start_up(token: str) -> None:
    config = Settings(sandbox=True, transport="http", auth_token=token)
    with pytest.raises(ConfigurationError, match="printable ASCII without spaces"):
        check_exposure(config)
