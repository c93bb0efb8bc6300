"""Payments under faults: lost answers are looked up, never re-sent; throttling and timeouts
are reported truthfully; writes to one invoice go one at a time.

The sandbox runs on a real loopback socket, so that "commit, then drop the connection" really
drops it and calls made at once really are in flight together.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from starlette.applications import Starlette

from kashflow_mcp.kashflow.wire.records import Payment

from ..support import mcp_on_socket
from .calls import ok, refused, text_of
from .over_sockets import PASSWORD, USER, connected, fault

pytestmark = pytest.mark.anyio
CUSTOMER = 20001
TODAY = datetime.combine(date.today(), datetime.min.time())
HUNDRED = [{"description": "Fixed fee", "rate": "100.00", "vat_rate": "0"}]  # 100.00 due


async def new_invoice(client: Client) -> int:
    created = await ok(client, "create_invoice", customer_id=CUSTOMER, lines=HUNDRED)
    return int(created["invoice"]["invoice_number"])


# --------------------------------------------------------------------------- lost answers


async def test_a_payment_whose_answer_is_lost_is_found_not_sent_again(
    sandbox: tuple[Starlette, str], tmp_path: Path
) -> None:
    app, url = sandbox
    async with connected(url, tmp_path) as (client, kashflow):
        number = await new_invoice(client)
        fault(app, "InsertInvoicePayment", drop_after_commit=True)
        result = await client.call_tool(
            "record_payment", {"invoice_number": number, "amount": "40.00"}
        )
        stored = await kashflow.payments.for_invoice(number)
    assert not result.is_error, text_of(result)
    assert "answer was lost" in text_of(result)
    data = result.structured_content or {}
    assert [p.PayID for p in stored] == [data["payment"]["payment_id"]]
    assert (data["invoice"]["amount_paid"], data["invoice"]["amount_due"]) == ("40.00", "60.00")
    assert app.state.faults.counts["InsertInvoicePayment"] == 1


async def test_a_lost_answer_is_not_matched_to_an_identical_payment_made_before(
    sandbox: tuple[Starlette, str], tmp_path: Path
) -> None:
    app, url = sandbox
    async with connected(url, tmp_path) as (client, kashflow):
        number = await new_invoice(client)
        earlier = await ok(client, "record_payment", invoice_number=number, amount="10.00")
        fault(app, "InsertInvoicePayment", drop_after_commit=True)
        later = await ok(client, "record_payment", invoice_number=number, amount="10.00")
        stored = await kashflow.payments.for_invoice(number)
    assert later["payment"]["payment_id"] != earlier["payment"]["payment_id"]
    assert [p.PayID for p in stored] == [
        earlier["payment"]["payment_id"],
        later["payment"]["payment_id"],
    ]


async def test_a_payment_that_never_committed_is_reported_as_not_done(
    sandbox: tuple[Starlette, str], tmp_path: Path
) -> None:
    app, url = sandbox
    async with connected(url, tmp_path) as (client, kashflow):
        number = await new_invoice(client)
        fault(app, "InsertInvoicePayment", status=500)
        message = await refused(client, "record_payment", invoice_number=number)
        stored = await kashflow.payments.for_invoice(number)
    assert "most likely did not happen" in message and "not re-sent" in message
    assert f"list_payments(invoice_number={number})" in message
    assert stored == [] and app.state.faults.counts["InsertInvoicePayment"] == 1


async def test_when_another_identical_payment_lands_the_outcome_is_reported_unknown(
    sandbox: tuple[Starlette, str], tmp_path: Path
) -> None:
    """Someone else paid the same amount the same day while our answer was lost: which of the
    two is ours cannot be told, so neither is claimed."""
    app, url = sandbox
    async with connected(url, tmp_path) as (client, kashflow):
        number = await new_invoice(client)
        fault(app, "InsertInvoicePayment", latency=1.0, drop_after_commit=True)
        async with anyio.create_task_group() as group:
            outcome: dict[str, str] = {}

            async def pay() -> None:
                outcome["text"] = await refused(
                    client, "record_payment", invoice_number=number, amount="10.00"
                )

            group.start_soon(pay)
            while app.state.faults.counts["InsertInvoicePayment"] < 1:
                await anyio.sleep(0.005)
            await kashflow.payments.insert(  # elsewhere, not through our server
                Payment(PayInvoice=number, PayAmount=Decimal(10), PayDate=TODAY, PayMethod=2)
            )
        stored = await kashflow.payments.for_invoice(number)
    assert "may or may not have happened" in outcome["text"]
    assert len(stored) == 2  # theirs and ours, ours sent once
    assert app.state.faults.counts["InsertInvoicePayment"] == 2


async def test_a_payment_whose_outcome_is_unknown_still_drops_the_lists(
    sandbox: tuple[Starlette, str], tmp_path: Path
) -> None:
    """However a write ends, no list is served from before it."""
    app, url = sandbox
    async with connected(url, tmp_path) as (client, _):
        number = await new_invoice(client)
        unpaid = await ok(client, "list_invoices", status="unpaid", limit=500)
        assert number in {row["invoice_number"] for row in unpaid["invoices"]}
        # The payment commits but its answer is lost, and looking it up fails: unknown.
        fault(app, "InsertInvoicePayment", latency=0.5, drop_after_commit=True)
        outcome: dict[str, str] = {}
        with anyio.fail_after(30):
            async with anyio.create_task_group() as group:

                async def pay() -> None:
                    outcome["text"] = await refused(client, "record_payment", invoice_number=number)

                group.start_soon(pay)
                while app.state.faults.counts["InsertInvoicePayment"] < 1:
                    await anyio.sleep(0.005)
                fault(app, "GetInvoicePayment", status=500, times=-1)
        app.state.faults.clear()
        after = await ok(client, "list_invoices", status="unpaid", limit=500)
    assert "may or may not have happened" in outcome["text"]
    assert number not in {row["invoice_number"] for row in after["invoices"]}  # paid in full


async def test_a_delete_whose_answer_is_lost_is_confirmed_by_looking(
    sandbox: tuple[Starlette, str], tmp_path: Path
) -> None:
    app, url = sandbox
    async with connected(url, tmp_path) as (client, kashflow):
        number = await new_invoice(client)
        paid = await ok(client, "record_payment", invoice_number=number, amount="25.00")
        payment_id = paid["payment"]["payment_id"]
        token = (await ok(client, "delete_payment", payment_id=payment_id))["confirmation_token"]
        fault(app, "DeleteInvoicePayment", drop_after_commit=True)
        result = await client.call_tool(
            "delete_payment", {"payment_id": payment_id, "confirmation_token": token}
        )
        stored = await kashflow.payments.for_invoice(number)
    assert not result.is_error, text_of(result)
    assert (result.structured_content or {})["status"] == "deleted"
    assert "answer was lost" in text_of(result)
    assert stored == [] and app.state.faults.counts["DeleteInvoicePayment"] == 1


# --------------------------------------------------------------------------- throttling, time


async def test_reads_turned_away_with_429_are_retried(
    sandbox: tuple[Starlette, str], tmp_path: Path
) -> None:
    app, url = sandbox
    async with connected(url, tmp_path) as (client, _):
        number = await new_invoice(client)
        fault(app, "GetInvoice", status=429, retry_after=0, times=2)
        data = await ok(client, "record_payment", invoice_number=number)
    assert data["invoice"]["status"] == "paid"
    assert app.state.faults.counts["InsertInvoicePayment"] == 1


async def test_a_payment_turned_away_with_429_is_not_resent_and_says_nothing_was_done(
    sandbox: tuple[Starlette, str], tmp_path: Path
) -> None:
    app, url = sandbox
    async with connected(url, tmp_path) as (client, kashflow):
        number = await new_invoice(client)
        fault(app, "InsertInvoicePayment", status=429, retry_after=7)
        message = await refused(client, "record_payment", invoice_number=number)
        stored = await kashflow.payments.for_invoice(number)
    assert "did not process InsertInvoicePayment" in message and "try again in 7s" in message
    assert stored == [] and app.state.faults.counts["InsertInvoicePayment"] == 1


async def test_a_payment_still_unanswered_at_the_deadline_is_reported_as_unknown(
    sandbox: tuple[Starlette, str], tmp_path: Path
) -> None:
    app, url = sandbox
    async with connected(url, tmp_path, call_deadline=1.5) as (client, _):
        number = await new_invoice(client)
        fault(app, "InsertInvoicePayment", latency=3)
        message = await refused(client, "record_payment", invoice_number=number)
    assert "may or may not" in message
    assert app.state.faults.counts["InsertInvoicePayment"] == 1


# --------------------------------------------------------------------------- one at a time


async def test_two_payments_at_once_on_one_invoice_the_second_sees_what_is_due(
    sandbox: tuple[Starlette, str], tmp_path: Path
) -> None:
    app, url = sandbox
    with mcp_on_socket(
        url, username=USER, password=PASSWORD, audit_log=tmp_path / "audit.jsonl"
    ) as mcp_url:
        async with Client(mcp_url) as client:
            number = await new_invoice(client)
            fault(app, "*", latency=0.05, times=-1)
            results: list[Any] = [None, None]
            with anyio.fail_after(30):
                async with anyio.create_task_group() as group:
                    for index in (0, 1):

                        async def pay(index: int = index) -> None:
                            arguments = {"invoice_number": number, "amount": "60.00"}
                            results[index] = await client.call_tool("record_payment", arguments)

                        group.start_soon(pay)
            final = await ok(client, "get_invoice", invoice_number=number)
    done = [r for r in results if not r.is_error]
    turned_away = [text_of(r) for r in results if r.is_error]
    assert len(done) == 1 and len(turned_away) == 1
    assert "is more than the GBP 40.00 due on invoice" in turned_away[0]
    assert (final["amount_paid"], final["amount_due"]) == ("60.00", "40.00")
    assert app.state.faults.counts["InsertInvoicePayment"] == 1


async def test_a_payment_waits_for_a_confirmed_delete_of_another_on_its_invoice(
    sandbox: tuple[Starlette, str], tmp_path: Path
) -> None:
    """The delete holds the invoice: a payment made meanwhile sees the invoice owing again."""
    app, url = sandbox
    with mcp_on_socket(
        url, username=USER, password=PASSWORD, audit_log=tmp_path / "audit.jsonl"
    ) as mcp_url:
        async with Client(mcp_url) as client:
            number = await new_invoice(client)
            paid = await ok(client, "record_payment", invoice_number=number)  # paid in full
            payment_id = paid["payment"]["payment_id"]
            held = await ok(client, "delete_payment", payment_id=payment_id)
            fault(app, "DeleteInvoicePayment", latency=0.5)
            with anyio.fail_after(30):
                async with anyio.create_task_group() as group:
                    group.start_soon(
                        lambda: ok(
                            client, "delete_payment", payment_id=payment_id,
                            confirmation_token=held["confirmation_token"],
                        )
                    )  # fmt: skip
                    while app.state.faults.counts["DeleteInvoicePayment"] < 1:
                        await anyio.sleep(0.005)
                    again = await client.call_tool("record_payment", {"invoice_number": number})
    assert not again.is_error, text_of(again)
    assert (again.structured_content or {})["payment"]["amount"] == "100.00"
