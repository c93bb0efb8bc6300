"""Every call that could change the books is in the audit log, whatever its outcome.

A call that gets as far as acting writes an ``attempt`` line first, durably, and an
``outcome`` line after, sharing its id; a call refused before acting writes one outcome line.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from kashflow_mcp.config import Settings
from kashflow_mcp.connection import open_client
from kashflow_mcp.sandbox import FaultRule
from kashflow_mcp.server import build_server

from ..support import sandbox_on_socket
from .calls import ok, refused
from .conftest import OpenSession

pytestmark = pytest.mark.anyio

LINE = [{"description": "Audited work", "rate": "50.00", "vat_rate": "20"}]


def entries(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def calls(path: Path) -> list[tuple[str, str, str | None]]:
    """(tool, first event, outcome) per call, in the order the calls began."""
    seen: dict[str, list[dict[str, Any]]] = {}
    for entry in entries(path):
        seen.setdefault(entry["id"], []).append(entry)
    return [(pair[0]["tool"], pair[0]["event"], pair[-1].get("outcome")) for pair in seen.values()]


async def test_a_confirmed_delete_is_an_attempt_and_an_outcome_without_the_token(
    open_session: OpenSession, tmp_path: Path
) -> None:
    log = tmp_path / "audit.jsonl"
    async with open_session(audit_log=log) as (client, _):
        customer = (await ok(client, "create_customer", name="Audited Ltd"))["customer_id"]
        token = (await ok(client, "delete_customer", customer_id=customer))["confirmation_token"]
        await ok(client, "delete_customer", customer_id=customer, confirmation_token=token)
    lines = entries(log)
    assert [(e["event"], e["tool"], e.get("outcome")) for e in lines] == [
        ("attempt", "create_customer", None),
        ("outcome", "create_customer", "done"),
        ("attempt", "delete_customer", None),
        ("outcome", "delete_customer", "confirmation_required"),
        ("attempt", "delete_customer", None),
        ("outcome", "delete_customer", "done"),
    ]
    assert [lines[i]["id"] for i in (0, 2, 4)] == [lines[i]["id"] for i in (1, 3, 5)]
    assert len({e["id"] for e in lines}) == 3
    assert lines[4]["target"] == lines[5]["target"] == {"customer_id": customer}
    assert lines[4]["arguments"]["confirmation_token"] == "(given)"
    assert token not in log.read_text()
    assert all(e["time"].endswith("+00:00") for e in lines)


async def test_an_outcome_names_what_was_created(open_session: OpenSession, tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    async with open_session(audit_log=log) as (client, _):
        customer = await ok(client, "create_customer", name="Ids Ltd")
        invoice = (await ok(client, "create_invoice", customer_id=customer["customer_id"],
                            lines=LINE))["invoice"]  # fmt: skip
    outcomes = [e for e in entries(log) if e["event"] == "outcome"]
    assert outcomes[0]["ids"] == {"customer_id": customer["customer_id"], "code": customer["code"]}
    assert outcomes[1]["ids"] == {
        "invoice_number": invoice["invoice_number"],
        "customer_id": customer["customer_id"],
    }


async def test_payments_log_the_invoice_and_payment_they_act_on(
    open_session: OpenSession, tmp_path: Path
) -> None:
    log = tmp_path / "audit.jsonl"
    async with open_session(audit_log=log) as (client, _):
        number = (await ok(client, "create_invoice", customer_id=20001, lines=LINE))["invoice"][
            "invoice_number"
        ]
        paid = (await ok(client, "record_payment", invoice_number=number))["payment"]
        token = (await ok(client, "delete_payment", payment_id=paid["payment_id"]))[
            "confirmation_token"
        ]
        await ok(client, "delete_payment", payment_id=paid["payment_id"], confirmation_token=token)
    lines = [e for e in entries(log) if e["tool"] != "create_invoice"]
    assert [(e["event"], e["tool"], e.get("outcome")) for e in lines] == [
        ("attempt", "record_payment", None),
        ("outcome", "record_payment", "done"),
        ("attempt", "delete_payment", None),
        ("outcome", "delete_payment", "confirmation_required"),
        ("attempt", "delete_payment", None),
        ("outcome", "delete_payment", "done"),
    ]
    assert lines[0]["target"] == {"invoice_number": number}
    assert lines[1]["ids"] == {
        "payment_id": paid["payment_id"],
        "invoice_number": number,
        "customer_id": 20001,
    }
    assert lines[4]["target"] == lines[5]["target"] == {"payment_id": paid["payment_id"]}


async def test_a_generic_write_logs_the_id_kashflow_answered(
    open_session: OpenSession, tmp_path: Path
) -> None:
    log = tmp_path / "audit.jsonl"
    async with open_session(audit_log=log) as (client, _):
        invoice = (await ok(client, "create_invoice", customer_id=20001, lines=LINE))["invoice"]
        payment = {"InvoicePayment": {"PayInvoice": invoice["invoice_number"],
                                      "PayDate": "2025-01-31", "PayAmount": "10.00"}}  # fmt: skip
        held = await ok(client, "call_kashflow_api", method="InsertInvoicePayment", body=payment)
        done = await ok(
            client,
            "call_kashflow_api",
            method="InsertInvoicePayment",
            body=payment,
            confirmation_token=held["confirmation_token"],
        )
    outcome = entries(log)[-1]
    assert (outcome["outcome"], outcome["ids"]) == ("done", {"result": done["result"]})


async def test_an_invoice_whose_payment_failed_is_logged_as_partial(
    open_session: OpenSession, tmp_path: Path
) -> None:
    log = tmp_path / "audit.jsonl"
    async with open_session(audit_log=log) as (client, kashflow):
        refusal = FaultRule(operation="InsertInvoicePayment", refuse="Bank account is locked")
        kashflow.transport.app.state.faults.add(refusal)
        created = await ok(client, "create_invoice", customer_id=20001, lines=LINE, paid=True)
        await ok(client, "create_invoice", customer_id=20001, lines=LINE, paid=True)
    assert created["payment_recorded"] is False
    failed, paid = [e for e in entries(log) if e["event"] == "outcome"]
    number = created["invoice"]["invoice_number"]
    assert failed["outcome"] == "partial"
    assert failed["ids"]["invoice_number"] == number
    assert f"created invoice {number}; recording the payment FAILED" in failed["detail"]
    assert "Bank account is locked" in failed["detail"]
    assert (paid["outcome"], paid["detail"]) == ("done", "")


async def test_refusals_and_failures_are_logged_but_reads_are_not(
    open_session: OpenSession, tmp_path: Path
) -> None:
    log = tmp_path / "audit.jsonl"
    async with open_session(audit_log=log) as (client, _):
        await ok(client, "list_customers")
        await refused(client, "delete_invoice", invoice_number=1, confirmation_token="forged")
        await refused(client, "create_invoice", customer_id=1, lines=[])
        await ok(client, "call_kashflow_api", method="GetVATRates")
    assert calls(log) == [
        ("delete_invoice", "attempt", "refused"),
        ("create_invoice", "outcome", "refused"),  # bad arguments: refused before acting
        ("call_kashflow_api", "attempt", "done"),
    ]
    lines = entries(log)
    assert "not one this server issued" in lines[1]["detail"] or "No invoice" in lines[1]["detail"]
    assert lines[2]["arguments"] == {"customer_id": 1, "lines": []}
    assert lines[3]["target"] == {"method": "GetVATRates"}


async def test_secret_looking_arguments_are_not_copied_into_the_log(
    open_session: OpenSession, tmp_path: Path
) -> None:
    log = tmp_path / "audit.jsonl"
    async with open_session(audit_log=log) as (client, _):
        body = {"CustomerCode": "X", "Password": "pasted-password-123"}
        await refused(client, "call_kashflow_api", method="GetCustomer", body=body)
    entry = entries(log)[0]
    assert entry["arguments"]["body"]["Password"] == "(given)"
    assert "pasted-password-123" not in log.read_text()


async def test_the_attempt_is_on_disk_before_kashflow_hears_of_the_write(
    open_session: OpenSession, tmp_path: Path
) -> None:
    log = tmp_path / "audit.jsonl"
    async with open_session(audit_log=log) as (client, kashflow):
        faults = kashflow.transport.app.state.faults
        faults.add(FaultRule(operation="InsertCustomer", latency=1))
        async with anyio.create_task_group() as group:

            async def create() -> None:
                await ok(client, "create_customer", name="In Flight Ltd")

            group.start_soon(create)
            with anyio.fail_after(10):
                while faults.counts["InsertCustomer"] == 0:
                    await anyio.sleep(0.01)
            while_sent = entries(log)  # read back by another handle while KashFlow works
    assert [(e["event"], e["arguments"]) for e in while_sent] == [
        ("attempt", {"name": "In Flight Ltd"})
    ]
    assert [e["event"] for e in entries(log)] == ["attempt", "outcome"]


async def test_each_line_is_fsynced_before_the_call_goes_on(
    open_session: OpenSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "audit.jsonl"
    synced: list[int] = []  # lines in the file each time it was fsync'd
    real_fsync = os.fsync

    def watched_fsync(fd: int) -> None:
        real_fsync(fd)
        if log.exists() and os.fstat(fd).st_ino == log.stat().st_ino:
            synced.append(len(log.read_bytes().splitlines()))

    monkeypatch.setattr(os, "fsync", watched_fsync)
    async with open_session(audit_log=log) as (client, _):
        await ok(client, "create_customer", name="Synced Ltd")
        await refused(client, "create_invoice", customer_id=1, lines=[])
    assert synced == [1, 2, 3]


async def test_other_calls_go_on_while_an_audit_line_is_being_synced(
    open_session: OpenSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "audit.jsonl"
    in_fsync, release = threading.Event(), threading.Event()
    real_fsync = os.fsync

    def slow_disk(fd: int) -> None:
        if log.exists() and os.fstat(fd).st_ino == log.stat().st_ino and not release.is_set():
            in_fsync.set()
            release.wait(timeout=5)  # a disk taking its time over the attempt line
            in_fsync.clear()
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", slow_disk)
    async with open_session(audit_log=log) as (client, _), anyio.create_task_group() as group:

        async def create() -> None:
            await ok(client, "create_customer", name="Slow Disk Ltd")

        group.start_soon(create)
        with anyio.fail_after(10):
            while not in_fsync.is_set():
                await anyio.sleep(0.01)
        await ok(client, "list_customers", limit=1)
        read_while_syncing = in_fsync.is_set()
        release.set()
    assert read_while_syncing, "the read waited for the audit log's fsync"
    assert [e["event"] for e in entries(log)] == ["attempt", "outcome"]


async def test_nothing_is_sent_when_the_attempt_cannot_be_logged(
    open_session: OpenSession, tmp_path: Path
) -> None:
    unwritable = tmp_path / "a-directory"
    unwritable.mkdir()
    async with open_session(audit_log=unwritable) as (client, kashflow):
        message = await refused(client, "create_customer", name="Unlogged Ltd")
        sent = dict(kashflow.transport.app.state.faults.counts)
    assert message.startswith("Nothing was sent to KashFlow: create_customer could not be")
    assert str(tmp_path) not in message
    assert "InsertCustomer" not in sent


async def test_the_ids_an_outcome_names_are_redacted_too(tmp_path: Path) -> None:
    """A result can carry our own password back (a code KashFlow echoes): so can its ids."""
    password = "audit-canary-password-77"
    log = tmp_path / "audit.jsonl"
    with sandbox_on_socket(tmp_path / "books.db", password=password) as (_, url):
        config = Settings(username="sandbox", password=password, api_url=url, audit_log=log)
        kashflow = open_client(config)
        try:
            async with Client(build_server(config, kashflow)) as client:
                await ok(client, "create_customer", name="Echo Ltd", code=password)
        finally:
            await kashflow.aclose()
    written = log.read_text()
    assert password not in written and '"code": "[redacted]"' in written
