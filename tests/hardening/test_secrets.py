"""Secrets canaries: the KashFlow password and the HTTP bearer token appear nowhere.

Random canary values are planted as the KashFlow password (served by a sandbox on a real
socket), as a wrong password, and as the bearer token - and KashFlow is made to hand them back:
a customer's stored text holds them, and refusals quote them. Then the whole surface runs with
DEBUG logging - in-process with a log file, the stdio server and the HTTP server as subprocesses
with their stdout and stderr captured, and the CLI's doctor - through successes, wrong ids,
refused arguments and injected faults. No canary may appear in any output, log, tool result or
error; where KashFlow echoed one, the redaction mark stands in its place.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client
from starlette.applications import Starlette

from kashflow_mcp.config import Settings
from kashflow_mcp.connection import open_client
from kashflow_mcp.kashflow import OPERATIONS, KashFlowClient, Kind
from kashflow_mcp.kashflow.wire.records import Customer
from kashflow_mcp.sandbox import FaultRule, create_app
from kashflow_mcp.sandbox.faults import FaultInjector
from kashflow_mcp.server import build_server
from kashflow_mcp.server.redaction import MASK, Redactor, redact_logs

from ..support import INITIALIZE, MCP_ACCEPT, serve_in_thread
from .harness import everything_in

pytestmark = pytest.mark.anyio

USER = "canary-bookkeeper"
PASSWORD = f"canary-pw-{secrets.token_hex(8)}"
WRONG_PASSWORD = f"canary-wrong-pw-{secrets.token_hex(8)}"
TOKEN = f"canary-token-{secrets.token_hex(16)}"
CANARIES = (PASSWORD, WRONG_PASSWORD, TOKEN)
RESTRICTED = next(name for name, op in OPERATIONS.items() if op.kind is Kind.RESTRICTED)
SERVE = [sys.executable, "-m", "kashflow_mcp"]


def assert_no_canaries(outputs: dict[str, str]) -> None:
    leaks = []
    for where, text in outputs.items():
        for canary in CANARIES:
            kind, secret = canary.rsplit("-", 1)
            # The random part alone too: a secret reformatted or cut short is still a leak.
            at = text.find(secret)
            if at >= 0:
                leaks.append(f"{kind} in {where}: ...{text[max(0, at - 150) : at + 20]!r}")
    assert not leaks, "\n".join(leaks)


@pytest.fixture
def debug_handler(tmp_path: Path) -> Iterator[logging.FileHandler]:
    """Everything logged in this process, at DEBUG, into a file."""
    handler = logging.FileHandler(tmp_path / "debug.log", encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        handler.close()


@pytest.fixture
def debug_log(debug_handler: logging.FileHandler) -> Path:
    return Path(debug_handler.baseFilename)


# What KashFlow is made to hand back: stored text, and refusals quoting what they were sent.
PLANTED_CODE = "CANARY01"
PLANTED_NOTES = f"Portal login {USER} / {PASSWORD}; MCP token {TOKEN}"
ECHOES = {
    "GetCustomerByID": f"Password {PASSWORD} is not valid for this account",
    "GetCurrencies": f"Login {USER}:{PASSWORD} refused (token {TOKEN})",
    "InsertInvoicePayment": f"Bank feed password {PASSWORD} has expired",
}


async def plant(url: str) -> None:
    """A customer whose stored text holds the canaries, written straight into KashFlow."""
    async with KashFlowClient(username=USER, password=PASSWORD, url=url) as kashflow:
        await kashflow.customers.insert(
            Customer(
                Code=PLANTED_CODE,
                Name=f"Canary {PASSWORD} Ltd",
                Notes=PLANTED_NOTES,
                Email=f"{PASSWORD}@example.com",
                ExtraText1=TOKEN,
            )
        )


async def exercise_echoes(client: Client, faults: FaultInjector) -> list[str]:
    """Every way this server shows KashFlow's text: records, lists, generic calls, refusals."""
    calls = Recorder(client)
    planted = (await calls.call("get_customer", code=PLANTED_CODE))["customer_id"]
    await calls.call("list_customers", search="canary", limit=5)
    await calls.call("list_customers", limit=500)
    await calls.call("call_kashflow_api", method="GetCustomerByID", body={"CustomerID": planted})
    await calls.call("call_kashflow_api", method="GetCustomer", body={"CustomerCode": "CANARY01"})
    await calls.call("delete_customer", customer_id=planted)  # the preview names it
    line = {"description": "Echo", "rate": "10.00", "vat_rate": "20"}
    for operation, reason in ECHOES.items():
        faults.add(FaultRule(operation=operation, refuse=reason))
    await calls.call("get_customer", customer_id=planted)
    await calls.call("call_kashflow_api", method="GetCurrencies", body={})
    # The payment's refusal is only logged (the invoice itself is made).
    await calls.call("create_invoice", customer_id=planted, lines=[line], paid=True)
    faults.clear()
    return calls.seen


@pytest.fixture
def kashflow(tmp_path: Path) -> Iterator[tuple[str, Starlette]]:
    """A sandbox KashFlow on a real socket whose password is the canary: (its URL, the app)."""
    app = create_app(tmp_path / "kashflow.db", username=USER, password=PASSWORD)
    try:
        with serve_in_thread(app) as url:
            yield f"{url}/api/service.asmx", app
    finally:
        app.state.store.close()


def kashflow_env(url: str, password: str = PASSWORD, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KASHFLOW")}
    return {
        **env,
        "PYTHONUNBUFFERED": "1",
        "KASHFLOW_USERNAME": USER,
        "KASHFLOW_PASSWORD": password,
        "KASHFLOW_API_URL": url,
        "KASHFLOW_CALL_DEADLINE": "5",
        "KASHFLOW_TIMEOUT": "5",
        "KASHFLOW_MCP_TOKEN": TOKEN,
        **extra,
    }


class Recorder:
    """Calls tools and keeps everything the model would read, failures included."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.seen: list[str] = []

    async def call(self, tool: str, **arguments: Any) -> dict[str, Any]:
        try:
            result = await self.client.call_tool(tool, arguments)
        except Exception as exc:  # a protocol-level failure is output too, and a finding
            self.seen.append(f"{tool} raised {type(exc).__name__}: {exc}")
            raise
        self.seen.append(everything_in(result))
        return result.structured_content or {}


async def exercise(client: Client, faults: FaultInjector) -> list[str]:
    """Every tool, through success, wrong ids, refused arguments and injected faults."""
    calls = Recorder(client)
    tools = (await client.list_tools()).tools
    calls.seen += [
        client.instructions or "",
        json.dumps([t.model_dump(mode="json") for t in tools]),
    ]
    first = (await calls.call("list_customers", limit=3))["customers"][0]["customer_id"]
    await calls.call("get_customer", customer_id=first)
    await calls.call("get_customer", customer_id=424242)
    await calls.call("get_customer", code="NO-SUCH-CODE")
    await calls.call("list_invoices", customer_id=first)
    await calls.call("list_invoices", customer_id=424242)
    await calls.call("get_invoice", invoice_number=999999)
    await calls.call("create_customer", name=12345)
    new = (await calls.call("create_customer", name="Canary Ltd"))["customer_id"]
    await calls.call("update_customer", customer_id=new, notes="checked")
    line = {"description": "Audit", "rate": "10.00", "vat_rate": "20"}
    number = (await calls.call("create_invoice", customer_id=new, lines=[line]))["invoice"][
        "invoice_number"
    ]
    await calls.call("delete_invoice", invoice_number=number, confirmation_token="forged")
    token = (await calls.call("delete_invoice", invoice_number=number))["confirmation_token"]
    await calls.call("delete_invoice", invoice_number=number, confirmation_token=token)
    await calls.call("delete_customer", customer_id=new)
    for method, body in (
        ("GetCompanyDetails", {}),
        ("GetCurrencies", {}),
        ("GetCustomer", {"CustomerCode": "NOPE", "Password": "guess"}),
        ("GetCustomer", {"UserName": USER}),
        ("NoSuchOperation", {}),
        (RESTRICTED, {}),
        ("UpdateCustomer", {"custr": {"CustomerID": first}}),
    ):
        await calls.call("call_kashflow_api", method=method, body=body)
    # Faults: a busy service (retried reads), a failed write, a write whose answer is lost.
    faults.add(FaultRule(operation="GetCustomerByID", times=-1, status=503, retry_after=0))
    await calls.call("get_customer", customer_id=first)
    faults.clear()
    faults.add(FaultRule(operation="InsertCustomer", status=500))
    await calls.call("create_customer", name="Fault Ltd")
    faults.add(FaultRule(operation="InsertCustomer", drop_after_commit=True))
    await calls.call("create_customer", name="Dropped Ltd")
    faults.add(FaultRule(operation="GetInvoice", status=429, retry_after=0))
    await calls.call("get_invoice", invoice_number=999999)
    return calls.seen


async def exercise_wrong_password(client: Client) -> list[str]:
    calls = Recorder(client)
    await calls.call("list_customers", limit=1)
    await calls.call("get_customer", customer_id=20001)
    await calls.call("call_kashflow_api", method="GetCompanyDetails", body={})
    return calls.seen


async def test_in_process_server_never_shows_the_password(
    kashflow: tuple[str, Starlette], debug_handler: logging.FileHandler
) -> None:
    url, app = kashflow
    await plant(url)
    seen = []
    for password in (PASSWORD, WRONG_PASSWORD):
        settings = Settings(
            username=USER, password=password, auth_token=TOKEN, api_url=url, call_deadline=5
        )
        redact_logs(Redactor.for_settings(settings), [debug_handler])  # as serve does
        client = open_client(settings)
        seen.append(repr(settings) + str(settings) + repr(client))
        try:
            with anyio.fail_after(60):
                async with Client(build_server(settings, client)) as mcp:
                    if password == PASSWORD:
                        seen += await exercise(mcp, app.state.faults)
                        seen += await exercise_echoes(mcp, app.state.faults)
                    else:
                        seen += await exercise_wrong_password(mcp)
        finally:
            await client.aclose()
    log = Path(debug_handler.baseFilename).read_text()
    assert " DEBUG " in log and "kashflow_mcp" in log  # the log really was at DEBUG
    assert any("KashFlow refused" in text for text in seen)  # the wrong password was refused
    assert MASK in "\n".join(seen) and MASK in log  # KashFlow's echoes were there, and redacted
    assert_no_canaries({"tool results": "\n".join(seen), "log file": log})


async def test_stdio_server_never_shows_the_password(
    tmp_path: Path, kashflow: tuple[str, Starlette], debug_log: Path
) -> None:
    url, app = kashflow
    await plant(url)
    stderr = tmp_path / "stdio-stderr.log"
    command = [*SERVE, "serve", "--log-level", "DEBUG"]
    seen = []
    with stderr.open("w", encoding="utf-8") as errlog, anyio.fail_after(90):
        right = StdioServerParameters(command=command[0], args=command[1:], env=kashflow_env(url))
        async with Client(stdio_client(right, errlog=errlog), read_timeout_seconds=30) as client:
            seen += await exercise(client, app.state.faults)
            seen += await exercise_echoes(client, app.state.faults)
        wrong = StdioServerParameters(
            command=command[0], args=command[1:], env=kashflow_env(url, WRONG_PASSWORD)
        )
        async with Client(stdio_client(wrong, errlog=errlog), read_timeout_seconds=30) as client:
            seen += await exercise_wrong_password(client)
    server_stderr = stderr.read_text(encoding="utf-8")
    assert " DEBUG " in server_stderr
    assert MASK in "\n".join(seen) and MASK in server_stderr
    assert_no_canaries(
        {
            "stdout (tool results)": "\n".join(seen),
            "server stderr": server_stderr,
            "client log file": debug_log.read_text(),
        }
    )


async def test_cli_doctor_and_start_up_errors_never_show_the_password(
    kashflow: tuple[str, Starlette],
) -> None:
    url, app = kashflow
    runs = {
        "doctor (right password)": ([*SERVE, "doctor"], kashflow_env(url), 0),
        "doctor (wrong password)": ([*SERVE, "doctor"], kashflow_env(url, WRONG_PASSWORD), 1),
        "doctor (bad setting)": (
            [*SERVE, "doctor"],
            kashflow_env(url, KASHFLOW_TIMEOUT="soon"),
            2,
        ),
        "serve beyond loopback without a token": (
            [*SERVE, "serve", "--transport", "http", "--host", "0.0.0.0"],
            {k: v for k, v in kashflow_env(url).items() if k != "KASHFLOW_MCP_TOKEN"},
            2,
        ),
    }
    runs["doctor (the password echoed)"] = ([*SERVE, "doctor"], kashflow_env(url), 1)
    outputs = {}
    with anyio.fail_after(60):
        for name, (command, env, expected) in runs.items():
            if name == "doctor (the password echoed)":
                reason = f"Password {PASSWORD} is not valid for this account"
                app.state.faults.add(FaultRule(operation="GetCompanyDetails", refuse=reason))
            done = await anyio.run_process(command, env=env, check=False)
            out, err = done.stdout.decode(), done.stderr.decode()
            assert done.returncode == expected, f"{name}: {out}{err}"
            outputs[f"{name} stdout"], outputs[f"{name} stderr"] = out, err
    assert "OK: signed in" in outputs["doctor (right password) stdout"]
    assert "credentials rejected" in outputs["doctor (wrong password) stdout"]
    assert "password: set" in outputs["doctor (right password) stdout"]
    assert f"Password {MASK} is not valid" in outputs["doctor (the password echoed) stdout"]
    assert_no_canaries(outputs)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def wait_until_listening(url: str) -> None:
    with anyio.fail_after(30):
        while True:
            try:
                async with httpx.AsyncClient(timeout=2) as http:
                    await http.get(url)
                return
            except httpx.TransportError:
                await anyio.sleep(0.1)


@asynccontextmanager
async def http_server_process(
    tmp_path: Path, env: dict[str, str], *flags: str
) -> AsyncIterator[tuple[str, Path, Path]]:
    """``kashflow-mcp serve --transport http`` on a free loopback port: (base URL, stdout, stderr).

    Stopped with SIGTERM (uvicorn's graceful shutdown) when the block ends.
    """
    port = free_port()
    stdout, stderr = tmp_path / "http-stdout.log", tmp_path / "http-stderr.log"
    command = [*SERVE, "serve", "--transport", "http", "--port", str(port), *flags]
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = await anyio.open_process(command, env=env, stdout=out, stderr=err)
        try:
            base = f"http://127.0.0.1:{port}"
            await wait_until_listening(base)
            yield base, stdout, stderr
        finally:
            process.terminate()
            with anyio.fail_after(15):
                await process.wait()
            await process.aclose()


async def test_http_server_never_shows_the_token_or_the_password(
    tmp_path: Path, kashflow: tuple[str, Starlette]
) -> None:
    url, app = kashflow
    await plant(url)
    env = kashflow_env(url)
    seen = []
    async with http_server_process(tmp_path, env, "--log-level", "DEBUG") as (base, stdout, stderr):
        with anyio.fail_after(60):
            async with httpx.AsyncClient(timeout=10) as http:
                for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
                    response = await http.post(
                        f"{base}/mcp", json=INITIALIZE, headers={**MCP_ACCEPT, **headers}
                    )
                    assert response.status_code == 401
                    seen.append(f"{response.headers}\n{response.text}")
            auth = {"Authorization": f"Bearer {TOKEN}"}
            async with (
                httpx2.AsyncClient(headers=auth, timeout=30) as http2,
                Client(streamable_http_client(f"{base}/mcp", http_client=http2)) as client,
            ):
                calls = Recorder(client)
                await calls.call("list_customers", limit=2)
                await calls.call("get_customer", customer_id=424242)
                await calls.call("call_kashflow_api", method="GetCompanyDetails", body={})
                app.state.faults.add(FaultRule(operation="GetInvoice", times=-1, status=503))
                await calls.call("get_invoice", invoice_number=1)
                app.state.faults.clear()
                seen += calls.seen
                seen += await exercise_echoes(client, app.state.faults)
    outputs = {
        "responses and results": "\n".join(seen),
        "server stdout": stdout.read_text(encoding="utf-8"),
        "server stderr": stderr.read_text(encoding="utf-8"),
    }
    assert " DEBUG " in outputs["server stderr"]
    assert MASK in outputs["responses and results"] and MASK in outputs["server stderr"]
    # uvicorn's own records go through the same redacting handler as everything else.
    assert " INFO uvicorn.error: " in outputs["server stderr"]
    assert_no_canaries(outputs)


async def test_a_token_sent_in_the_url_is_not_written_to_the_access_log(
    tmp_path: Path, kashflow: tuple[str, Starlette]
) -> None:
    url, _ = kashflow
    env = kashflow_env(url)
    async with (
        http_server_process(tmp_path, env, "--log-level", "INFO") as (base, stdout, stderr),
        httpx.AsyncClient(timeout=10) as http,
    ):
        for name in ("token", "access_token", "Token", "api_key"):
            await http.post(f"{base}/mcp?{name}={TOKEN}", json=INITIALIZE, headers=MCP_ACCEPT)
    assert_no_canaries(
        {
            "server stdout": stdout.read_text(encoding="utf-8"),
            "server stderr": stderr.read_text(encoding="utf-8"),
        }
    )
