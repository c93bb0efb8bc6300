"""aged_debtors through the MCP client: who owes what, aged, with an accountant's figures.

The documents are dated in 2020, years before the demo company's, so on 2020-06-30 they are
all the books hold; every figure below is worked out by hand from them.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import Client

from kashflow_mcp.config import Settings
from kashflow_mcp.connection import SANDBOX_PASSWORD, SANDBOX_URL, SANDBOX_USERNAME
from kashflow_mcp.kashflow import KashFlowClient
from kashflow_mcp.kashflow.wire.records import Payment
from kashflow_mcp.sandbox import FaultRule, create_app
from kashflow_mcp.server import build_server

from .calls import ok, refused, text_of
from .conftest import OpenSession

pytestmark = pytest.mark.anyio
AS_OF = "2020-06-30"


def line(rate: str, vat: str, quantity: str = "1") -> dict[str, Any]:
    return {"description": "Work", "quantity": quantity, "rate": rate, "vat_rate": vat}


async def invoice(client: Client, customer: int, issued: str, due: str, *lines: Any) -> int:
    created = await ok(
        client, "create_invoice", customer_id=customer, invoice_date=issued, due_date=due,
        lines=list(lines),
    )  # fmt: skip
    return created["invoice"]["invoice_number"]


async def books_of_2020(client: Client, kashflow: KashFlowClient) -> tuple[int, int]:
    """Two customers' documents: one in pounds, one in euros."""
    studio = (await ok(client, "create_customer", name="Studio Ltd"))["customer_id"]
    lyon = (await ok(client, "create_customer", name="Lyon SARL", currency_id=2))["customer_id"]
    # Not yet due on June 30: 250.00 + 20% VAT = 300.00.
    await invoice(client, studio, "2020-06-20", "2020-07-20", line("250.00", "20"))
    # 60 days overdue: 2 x 45.00 + 20% = 108.00, of which 8.00 was paid on May 10.
    part_paid = await invoice(client, studio, "2020-04-01", "2020-05-01", line("45.00", "20", "2"))
    await kashflow.payments.insert(
        Payment(PayInvoice=part_paid, PayAmount=Decimal("8.00"), PayDate=datetime(2020, 5, 10))
    )
    # 142 days overdue: 75.50, zero-rated.
    await invoice(client, studio, "2020-01-10", "2020-02-09", line("75.50", "0"))
    # Paid in full: owes nothing.
    await ok(
        client, "create_invoice", customer_id=studio, invoice_date="2020-03-01",
        lines=[line("500.00", "20")], paid=True,
    )  # fmt: skip
    # 15 days overdue: EUR 116.50 at 1.1650 euros to the pound is GBP 100.00.
    await invoice(client, lyon, "2020-06-01", "2020-06-15", line("116.50", "0"))
    return studio, lyon


def figures(row: dict[str, Any]) -> tuple[str, ...]:
    return tuple(
        row[k] for k in ("balance", "current", "period_1", "period_2", "period_3", "older")
    )


async def test_aged_debtors_shows_who_owes_what_and_for_how_long(open_session: OpenSession):
    async with open_session() as (client, kashflow):
        studio, lyon = await books_of_2020(client, kashflow)

        result = await client.call_tool("aged_debtors", {"as_of": AS_OF})

    data = result.structured_content or {}
    assert data["as_of"] == AS_OF
    assert data["periods"] == ["1-30 days", "31-60 days", "61-90 days"]
    assert [(row["customer_id"], row["name"]) for row in data["debtors"]] == [
        (studio, "Studio Ltd"),
        (lyon, "Lyon SARL"),
    ]  # largest balance first
    assert figures(data["debtors"][0]) == ("475.50", "300.00", "0.00", "100.00", "0.00", "75.50")
    assert figures(data["debtors"][1]) == ("100.00", "0.00", "100.00", "0.00", "0.00", "0.00")
    assert [total["currency_code"] for total in data["totals"]] == ["GBP"]
    assert figures(data["totals"][0]) == ("575.50", "300.00", "100.00", "100.00", "0.00", "75.50")
    assert (data["total"], data.get("next_offset")) == (2, None)
    text = text_of(result)
    assert text.startswith("aged debtors at 2020-06-30 in GBP, 1-2 of 2")
    assert "Studio Ltd | 475.50 | 300.00 | 0.00 | 100.00 | 0.00 | 75.50" in text


async def test_aged_debtors_pages_with_totals_over_everyone(open_session: OpenSession):
    async with open_session() as (client, kashflow):
        _, lyon = await books_of_2020(client, kashflow)

        first = await ok(client, "aged_debtors", as_of=AS_OF, limit=1)
        second = await ok(client, "aged_debtors", as_of=AS_OF, limit=1, offset=1)

    assert (first["total"], first["next_offset"], len(first["debtors"])) == (2, 1, 1)
    assert [row["customer_id"] for row in second["debtors"]] == [lyon]
    assert "next_offset" not in second  # the last page
    assert first["totals"] == second["totals"]
    assert first["totals"][0]["balance"] == "575.50"


async def test_aged_debtors_on_a_day_nobody_owed_anything(open_session: OpenSession):
    async with open_session() as (client, kashflow):
        await books_of_2020(client, kashflow)

        result = await client.call_tool("aged_debtors", {"as_of": "2019-12-31"})

    assert (result.structured_content or {})["debtors"] == []
    assert (result.structured_content or {})["totals"] == []
    assert text_of(result) == "aged debtors at 2019-12-31: nobody owes anything"


async def test_aged_debtors_defaults_to_today(open_session: OpenSession):
    async with open_session() as (client, kashflow):
        today = await ok(client, "aged_debtors")
        rows = await kashflow.reports.aged_debtors(date.today())

    assert today["as_of"] == date.today().isoformat()
    assert today["total"] == len([r for r in rows if r.Balance]) > 0


def sandbox_of(kashflow: KashFlowClient) -> Any:
    return kashflow.transport.app  # type: ignore[attr-defined]


async def test_a_read_turned_away_with_429_is_tried_again(open_session: OpenSession):
    async with open_session() as (client, kashflow):
        await books_of_2020(client, kashflow)
        faults = sandbox_of(kashflow).state.faults
        faults.add(FaultRule(operation="GetAgedDebtors", status=429, retry_after=0))

        result = await ok(client, "aged_debtors", as_of=AS_OF)

        assert faults.counts["GetAgedDebtors"] == 2
    assert result["totals"][0]["balance"] == "575.50"


async def test_a_slow_or_refusing_kashflow_is_an_error_saying_what_failed(
    open_session: OpenSession,
):
    async with open_session(call_deadline=0.5) as (client, kashflow):
        faults = sandbox_of(kashflow).state.faults
        faults.add(FaultRule(operation="GetAgedDebtors", latency=3))
        slow = await refused(client, "aged_debtors")
        faults.add(FaultRule(operation="GetAgedDebtors", refuse="Reports are unavailable"))
        no = await refused(client, "aged_debtors")

    assert "within 0.5s" in slow and "Nothing was changed" in slow
    assert "Reports are unavailable" in no


class ListsSettledCustomers(httpx.AsyncBaseTransport):
    """The sandbox, as an account that also lists a customer who owes nothing (KashFlow may)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        content = b"".join([chunk async for chunk in response.stream])  # type: ignore[union-attr]
        if b"GetAgedDebtors" in request.headers.get("soapaction", "").encode():
            settled = (
                "<AgedDebtorsCreditors><id>99999</id><Name>Settled Ltd</Name><Code>SET01</Code>"
                "<Balance>0.00</Balance><Current>0.00</Current><Period1_name>1-30 days"
                "</Period1_name><Period1_val>0.00</Period1_val><Period2_name>31-60 days"
                "</Period2_name><Period2_val>0.00</Period2_val><Period3_name>61-90 days"
                "</Period3_name><Period3_val>0.00</Period3_val><Older>0.00</Older>"
                "</AgedDebtorsCreditors>"
            )
            end = b"</GetAgedDebtorsResult>"
            content = content.replace(end, settled.encode() + end)
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        return httpx.Response(response.status_code, headers=headers, content=content)


async def test_customers_who_owe_nothing_are_left_out(tmp_path: Path):
    app = create_app(tmp_path / "books.db", username=SANDBOX_USERNAME, password=SANDBOX_PASSWORD)
    transport = ListsSettledCustomers(httpx.ASGITransport(app=app))
    kashflow = KashFlowClient(
        username=SANDBOX_USERNAME, password=SANDBOX_PASSWORD, url=SANDBOX_URL, transport=transport
    )
    config = Settings(sandbox=True, sandbox_db=tmp_path / "books.db", audit_log=tmp_path / "a")
    try:
        async with Client(build_server(config, kashflow)) as client:
            listed = await ok(client, "aged_debtors", limit=500)
        owing = await kashflow.reports.aged_debtors(date.today())
    finally:
        await kashflow.aclose()
        app.state.store.close()

    assert 99999 in {row.id for row in owing}  # the account did list them
    assert 99999 not in {row["customer_id"] for row in listed["debtors"]}
    assert listed["total"] == len(owing) - 1
