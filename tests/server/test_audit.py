"""Every call that could change the books leaves one JSON line, whatever its outcome."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .calls import ok, refused
from .conftest import OpenSession

pytestmark = pytest.mark.anyio


def entries(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


async def test_a_confirmed_delete_is_logged_twice_without_the_token(
    open_session: OpenSession, tmp_path: Path
) -> None:
    log = tmp_path / "audit.jsonl"
    async with open_session(audit_log=log) as (client, _):
        customer = (await ok(client, "create_customer", name="Audited Ltd"))["customer_id"]
        token = (await ok(client, "delete_customer", customer_id=customer))["confirmation_token"]
        await ok(client, "delete_customer", customer_id=customer, confirmation_token=token)
    lines = entries(log)
    assert [(e["tool"], e["outcome"]) for e in lines] == [
        ("create_customer", "done"),
        ("delete_customer", "confirmation_required"),
        ("delete_customer", "done"),
    ]
    assert lines[2]["target"] == {"customer_id": customer}
    assert lines[2]["arguments"]["confirmation_token"] == "(given)"
    assert token not in log.read_text()
    assert all(e["time"].endswith("+00:00") for e in lines)


async def test_refusals_and_failures_are_logged_but_reads_are_not(
    open_session: OpenSession, tmp_path: Path
) -> None:
    log = tmp_path / "audit.jsonl"
    async with open_session(audit_log=log) as (client, _):
        await ok(client, "list_customers")
        await refused(client, "delete_invoice", invoice_number=1, confirmation_token="forged")
        await refused(client, "create_invoice", customer_id=1, lines=[])
        await ok(client, "call_kashflow_api", method="GetVATRates")
    lines = entries(log)
    assert [(e["tool"], e["outcome"]) for e in lines] == [
        ("delete_invoice", "refused"),
        ("create_invoice", "refused"),
        ("call_kashflow_api", "done"),
    ]
    assert "not one this server issued" in lines[0]["detail"] or "No invoice" in lines[0]["detail"]
    assert lines[2]["target"] == {"method": "GetVATRates"}


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
