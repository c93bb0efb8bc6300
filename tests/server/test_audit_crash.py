"""A server killed with SIGKILL mid-write leaves an attempt line for every write it sent.

The server runs as a real process over HTTP, against a sandbox on loopback whose books are an
SQLite file: KashFlow outlives the server, and writes in flight when it dies still commit.
Every invoice the books then hold beyond the demo ones must be traceable to an attempt line
with its arguments, and ``kashflow-mcp audit`` must list the attempts that never ended.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from kashflow_mcp.cli import main
from kashflow_mcp.sandbox import FaultRule, create_app

from ..support import serve_in_thread
from .calls import ok
from .test_shutdown import free_port, wait_for_port

pytestmark = pytest.mark.anyio

ANSWERED, SENT_WHEN_KILLED, IN_FLIGHT = 40, 5, 20
LATENCY = 1.5  # seconds KashFlow takes over each of the last writes
# A realistic password: the server redacts it from everything it writes, the audit log too.
PASSWORD = "crash-test-password"
CUSTOMER = 20001


def line_for(n: int) -> list[dict[str, str]]:
    return [{"description": f"Crash test {n}", "rate": "10.00", "vat_rate": "20"}]


def new_invoices(app: Any, after: int) -> list[dict[str, Any]]:
    with app.state.store.read() as books:
        return [i for i in books.invoices.recent(1000) if i["InvoiceNumber"] > after]


async def create_invoices(client: Client, numbers: range) -> None:
    async def create(n: int) -> None:
        await ok(client, "create_invoice", customer_id=CUSTOMER, lines=line_for(n))

    async with anyio.create_task_group() as group:
        for n in numbers:
            group.start_soon(create, n)


async def doomed(client: Client, n: int) -> None:
    """A call answered by no one: the server dies while KashFlow works on it."""
    with contextlib.suppress(Exception):
        await client.call_tool("create_invoice", {"customer_id": CUSTOMER, "lines": line_for(n)})


async def test_sigkill_mid_write_leaves_an_attempt_for_every_invoice_committed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "audit.jsonl"
    app = create_app(tmp_path / "books.db", username="u", password=PASSWORD)
    with app.state.store.read() as books:
        demo_highest = books.invoices.recent(1)[0]["InvoiceNumber"]
    faults, port = app.state.faults, free_port()
    with serve_in_thread(app) as sandbox_url, anyio.fail_after(60):
        env = {
            **os.environ,
            "KASHFLOW_USERNAME": "u",
            "KASHFLOW_PASSWORD": PASSWORD,
            "KASHFLOW_API_URL": f"{sandbox_url}/api/service.asmx",
            "KASHFLOW_AUDIT_LOG": str(log),
        }
        command = [sys.executable, "-m", "kashflow_mcp", "serve", "--transport", "http",
                   "--port", str(port)]  # fmt: skip
        async with await anyio.open_process(command, env=env) as server:
            try:
                await wait_for_port(port, server)
                url = f"http://127.0.0.1:{port}/mcp"
                async with Client(url) as client:
                    await create_invoices(client, range(ANSWERED))  # all answered
                faults.add(FaultRule(operation="InsertInvoice", times=-1, latency=LATENCY))

                try:
                    async with Client(url) as client, anyio.create_task_group() as group:
                        for n in range(ANSWERED, ANSWERED + IN_FLIGHT):
                            group.start_soon(doomed, client, n)
                        while faults.counts["InsertInvoice"] < ANSWERED + SENT_WHEN_KILLED:
                            await anyio.sleep(0.01)
                        server.kill()
                        await server.wait()
                except Exception:  # the client's connection died with the server: expected
                    pass
            finally:
                if server.returncode is None:
                    server.kill()
        # The writes the sandbox was still working on commit after the server has gone.
        while len(new_invoices(app, demo_highest)) < faults.counts["InsertInvoice"]:
            await anyio.sleep(0.05)
        committed = new_invoices(app, demo_highest)

    entries = [json.loads(line) for line in log.read_text().splitlines()]
    attempts = {e["id"]: e for e in entries if e.get("event") == "attempt"}
    ended = {e.get("id") for e in entries if e.get("event") == "outcome"}
    by_description = {e["arguments"]["lines"][0]["description"]: e for e in attempts.values()}
    untraced = [
        invoice["InvoiceNumber"]
        for invoice in committed
        if (attempt := by_description.get(invoice["Lines"][0]["Description"])) is None
        or attempt["arguments"]["customer_id"] != invoice["CustomerID"]
        or attempt["arguments"]["lines"][0]["rate"] != "10.00"
    ]
    assert len(committed) >= ANSWERED + SENT_WHEN_KILLED
    assert untraced == []
    never_ended = {
        by_description[i["Lines"][0]["Description"]]["id"]
        for i in committed
        if by_description[i["Lines"][0]["Description"]]["id"] not in ended
    }
    assert never_ended  # some were committed after the server had died

    assert main(["audit", "--log", str(log)]) == 0
    report = capsys.readouterr().out
    listed = {line.rsplit("(id ", 1)[1].rstrip(")") for line in report.splitlines()
              if line.endswith(")") and "(id " in line}  # fmt: skip
    assert f"{len(listed)} call(s) in {log} were attempted and never reported an outcome" in report
    assert listed == set(attempts) - ended
    assert never_ended <= listed
