"""Failures come back as isError results that say what failed, why, and what to do next."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette

from kashflow_mcp.sandbox import FaultRule

from .calls import refused
from .conftest import OpenSession

pytestmark = pytest.mark.anyio


def sandbox_of(kashflow) -> Starlette:  # type: ignore[no-untyped-def]
    return kashflow.transport.app  # the in-process sandbox behind this client


@pytest.mark.parametrize(
    ("reason", "setting"),
    [
        ("Incorrect username or password", "Separate API password"),
        ("The API is not enabled for this account", "Enable SOAP API"),
        ("Access denied: IP address 203.0.113.9 is not allowed",
         "Restrict access to specific IP addresses"),
    ],
)  # fmt: skip
async def test_account_problems_name_the_kashflow_setting_to_fix(
    open_session: OpenSession, reason: str, setting: str
) -> None:
    async with open_session() as (client, kashflow):
        sandbox_of(kashflow).state.faults.add(FaultRule(refuse=reason))
        message = await refused(client, "list_customers")
        assert reason in message and setting in message


async def test_an_outage_says_nothing_changed_and_when_to_retry(open_session: OpenSession) -> None:
    async with open_session() as (client, kashflow):
        rule = FaultRule(operation="GetCustomers", times=-1, status=503, retry_after=0)
        sandbox_of(kashflow).state.faults.add(rule)
        message = await refused(client, "list_customers")
        assert "HTTP 503" in message and "Nothing was changed" in message


LINE = [{"description": "Work", "rate": "50.00", "vat_rate": "20"}]


async def test_a_write_turned_away_with_429_says_so_once(open_session: OpenSession) -> None:
    async with open_session() as (client, kashflow):
        rule = FaultRule(operation="InsertInvoice", status=429, retry_after=1)
        sandbox_of(kashflow).state.faults.add(rule)
        message = await refused(client, "create_invoice", customer_id=20001, lines=LINE)
    assert message == (
        "KashFlow was busy (HTTP 429) and did not process InsertInvoice. "
        "Nothing was changed by this failure; try again in 1s."
    )


async def test_a_read_turned_away_with_429_says_so_once(open_session: OpenSession) -> None:
    # A short deadline: the read is retried once after the 1s asked for, then given up.
    async with open_session(call_deadline=1.5) as (client, kashflow):
        rule = FaultRule(operation="GetInvoice", times=-1, status=429, retry_after=1)
        sandbox_of(kashflow).state.faults.add(rule)
        message = await refused(client, "get_invoice", invoice_number=1)
    assert message == (
        "KashFlow answered GetInvoice with HTTP 429. "
        "Nothing was changed by this failure; try again in 1s."
    )


async def test_a_slow_kashflow_hits_the_per_call_deadline(open_session: OpenSession) -> None:
    async with open_session(call_deadline=0.5) as (client, kashflow):
        rule = FaultRule(operation="GetCustomers", times=-1, latency=3)
        sandbox_of(kashflow).state.faults.add(rule)
        message = await refused(client, "list_customers")
        assert "within 0.5s" in message
        assert "Nothing was changed" in message


async def test_errors_carry_no_traceback_or_xml(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        for message in (
            await refused(client, "get_invoice", invoice_number=10**9),
            await refused(client, "create_invoice", customer_id="x", lines="none"),
            await refused(client, "call_kashflow_api", method="GetInvoice", body={"X": 1}),
        ):
            assert "Traceback" not in message and "<" not in message
            assert "errors.pydantic.dev" not in message
