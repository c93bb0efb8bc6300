"""A call that fails after KashFlow applied its write says the books changed, never the opposite.

A model told "nothing was changed, try again" after a customer was in fact created would create
it twice. Once a write has been applied, whatever fails afterwards (reading the result back, the
deadline) is reported as: applied, then this failed; do not repeat; check first.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kashflow_mcp.sandbox import FaultRule

from .calls import ok, refused
from .conftest import OpenSession

pytestmark = pytest.mark.anyio


def fault(kashflow, **rule) -> None:  # type: ignore[no-untyped-def]
    kashflow.transport.app.state.faults.add(FaultRule(**rule))


def last_outcome(books: Path) -> dict:  # type: ignore[type-arg]
    lines = [json.loads(line) for line in books.with_name("audit.jsonl").read_text().splitlines()]
    return [line for line in lines if line.get("event") == "outcome"][-1]


async def test_a_create_whose_read_back_fails_says_it_was_made(
    open_session: OpenSession, books: Path
) -> None:
    async with open_session() as (client, kashflow):
        fault(kashflow, operation="GetCustomerByID", status=503, times=-1)
        message = await refused(client, "create_customer", name="Made Ltd", code="MADE01")
        kashflow.transport.app.state.faults.clear()
        made = await ok(client, "get_customer", code="MADE01")
    assert "KashFlow applied InsertCustomer for this call, but then" in message
    assert "HTTP 503" in message and "do not repeat the call" in message
    assert "Nothing was changed" not in message
    assert made["name"] == "Made Ltd"
    assert last_outcome(books)["outcome"] == "partial"


async def test_an_update_whose_read_back_fails_says_it_was_made(
    open_session: OpenSession, books: Path
) -> None:
    async with open_session() as (client, kashflow):
        fault(kashflow, operation="GetCustomerByID", times=1)  # the first read goes through
        fault(kashflow, operation="GetCustomerByID", status=503, times=-1)
        message = await refused(client, "update_customer", customer_id=20001, notes="written")
        kashflow.transport.app.state.faults.clear()
        now = await ok(client, "get_customer", customer_id=20001)
    assert "KashFlow applied UpdateCustomer for this call" in message
    assert "Nothing was changed" not in message and now["notes"] == "written"
    assert last_outcome(books)["outcome"] == "partial"


async def test_a_deadline_passing_after_the_write_says_it_was_made(
    open_session: OpenSession,
) -> None:
    async with open_session(call_deadline=1.0) as (client, kashflow):
        fault(kashflow, operation="GetCustomerByID", latency=5.0, times=1)
        message = await refused(client, "create_customer", name="Slow Read Ltd", code="SLOW01")
    assert "KashFlow applied InsertCustomer for this call, but then the call did not finish" in (
        message
    )


async def test_a_failure_before_any_write_still_says_nothing_changed(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, kashflow):
        fault(kashflow, operation="GetCustomerByID", status=503, times=-1)
        message = await refused(client, "update_customer", customer_id=20001, notes="never sent")
    assert "Nothing was changed by this failure" in message and "applied" not in message
