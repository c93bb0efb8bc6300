"""list_invoices through the MCP client: one customer's or every customer's, by status and date.

Across customers it reads KashFlow's own list that fits - GetInvoices_Unpaid, GetInvoices_Overdue
or GetInvoicesByDateRange - never one list per customer; unpaid includes overdue and part-paid.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from mcp import Client

from kashflow_mcp.kashflow import KashFlowClient
from kashflow_mcp.kashflow.wire.records import Payment
from kashflow_mcp.sandbox import FaultRule

from .calls import ok, refused, text_of
from .conftest import OpenSession

pytestmark = pytest.mark.anyio
LINE = {"description": "Listed work", "rate": "100.00", "vat_rate": "20"}  # 120.00 gross
LONG_AGO = {"date_from": "1990-01-01", "date_to": "1990-12-31"}  # before the demo books


def counts(kashflow: KashFlowClient) -> Counter[str]:
    return kashflow.transport.app.state.faults.counts  # type: ignore[attr-defined,no-any-return]


async def invoice(client: Client, customer: int, day: str, due: str | None = None) -> int:
    dates = {"invoice_date": day, "due_date": due or day}
    created = await ok(client, "create_invoice", customer_id=customer, lines=[LINE], **dates)
    return int(created["invoice"]["invoice_number"])


async def pay(kashflow: KashFlowClient, number: int, amount: str) -> None:
    await kashflow.payments.insert(
        Payment(PayInvoice=number, PayAmount=Decimal(amount), PayDate=date(1990, 2, 1))
    )


async def some_books(client: Client, kashflow: KashFlowClient) -> dict[str, Any]:
    """Two customers: a part-paid overdue invoice, a settled one, one not yet due."""
    first = int((await ok(client, "create_customer", name="Alpha Lists Ltd"))["customer_id"])
    second = int((await ok(client, "create_customer", name="Beta Lists Ltd"))["customer_id"])
    part_paid = await invoice(client, first, "1990-01-10")
    settled = await invoice(client, first, "1990-01-20")
    later = (date.today() + timedelta(days=30)).isoformat()
    not_due = await invoice(client, second, date.today().isoformat(), later)
    await pay(kashflow, part_paid, "10.00")
    await pay(kashflow, settled, "120.00")
    return {
        "first": first,
        "second": second,
        "part_paid": part_paid,
        "settled": settled,
        "not_due": not_due,
    }


def by_number(page: dict[str, Any]) -> dict[int, dict[str, Any]]:
    assert page.get("next_offset") is None, "the whole list, not a page of it"
    return {row["invoice_number"]: row for row in page["invoices"]}


async def test_unpaid_across_customers_includes_overdue_and_part_paid_from_one_list(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, kashflow):
        made = await some_books(client, kashflow)
        counts(kashflow).clear()
        rows = by_number(await ok(client, "list_invoices", status="unpaid", limit=500))
        sent = dict(counts(kashflow))
    assert sent == {"GetInvoices_Unpaid": 1}  # KashFlow's own list, not one per customer
    assert {row["status"] for row in rows.values()} <= {"unpaid", "overdue"}
    part_paid, not_due = rows[made["part_paid"]], rows[made["not_due"]]
    assert (part_paid["status"], part_paid["amount_due"]) == ("overdue", "110.00")
    assert (part_paid["customer_id"], part_paid["customer_name"]) == (
        made["first"],
        "Alpha Lists Ltd",
    )
    assert (not_due["status"], not_due["customer_id"]) == ("unpaid", made["second"])
    assert made["settled"] not in rows


async def test_overdue_across_customers_reads_kashflows_overdue_list(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, kashflow):
        made = await some_books(client, kashflow)
        counts(kashflow).clear()
        rows = by_number(await ok(client, "list_invoices", status="overdue", limit=500))
        sent = dict(counts(kashflow))
    assert sent == {"GetInvoices_Overdue": 1}
    assert {row["status"] for row in rows.values()} == {"overdue"}
    assert made["part_paid"] in rows and made["not_due"] not in rows


@pytest.mark.parametrize(
    ("status", "expected", "read"),
    [
        (None, ["settled", "part_paid"], "GetInvoicesByDateRange"),
        ("all", ["settled", "part_paid"], "GetInvoicesByDateRange"),
        ("paid", ["settled"], "GetInvoicesByDateRange"),
        ("unpaid", ["part_paid"], "GetInvoices_Unpaid"),
        ("overdue", ["part_paid"], "GetInvoices_Overdue"),
    ],
)
async def test_dates_across_customers_narrow_the_list_kashflow_keeps(
    open_session: OpenSession, status: str | None, expected: list[str], read: str
) -> None:
    async with open_session() as (client, kashflow):
        made = await some_books(client, kashflow)
        counts(kashflow).clear()
        page = await ok(client, "list_invoices", status=status, **LONG_AGO)
        sent = dict(counts(kashflow))
    assert [row["invoice_number"] for row in page["invoices"]] == [made[n] for n in expected]
    assert sent == {read: 1}


async def test_one_customers_unpaid_includes_its_overdue(open_session: OpenSession) -> None:
    async with open_session() as (client, kashflow):
        made = await some_books(client, kashflow)
        counts(kashflow).clear()
        unpaid = await ok(client, "list_invoices", customer_id=made["first"], status="unpaid")
        every = await ok(client, "list_invoices", customer_id=made["first"], status="all")
        january = await ok(
            client,
            "list_invoices",
            customer_id=made["first"],
            date_from="1990-01-15",
            date_to="1990-01-31",
        )
        sent = dict(counts(kashflow))
    assert [row["invoice_number"] for row in unpaid["invoices"]] == [made["part_paid"]]
    assert [row["invoice_number"] for row in every["invoices"]] == [
        made["settled"],
        made["part_paid"],
    ]
    assert [row["invoice_number"] for row in january["invoices"]] == [made["settled"]]
    assert sent == {"GetInvoicesForCustomer": 1}  # one list, filtered three ways from the cache
    assert unpaid["customer_id"] == made["first"]
    assert not unpaid["invoices"][0].get("customer_name")  # it is the customer asked about


async def test_the_rows_name_the_customer_only_when_the_list_spans_customers(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, kashflow):
        made = await some_books(client, kashflow)
        one = await client.call_tool("list_invoices", {"customer_id": made["first"]})
        every = await client.call_tool("list_invoices", LONG_AGO)
    one_heading, one_header = text_of(one).splitlines()[:2]
    every_heading, every_header = text_of(every).splitlines()[:2]
    assert one_heading.startswith(f"customer {made['first']}: invoices 1-2 of 2")
    assert one_header == (
        "invoice_number | invoice_date | due_date | currency_code | gross_amount | amount_due "
        "| status"
    )
    assert every_heading.startswith("all customers, dated 1990-01-01..1990-12-31: invoices 1-2")
    assert every_header.startswith("invoice_number | customer_id | customer_name | invoice_date")
    assert "Alpha Lists Ltd" in text_of(every)
    assert (every.structured_content or {}).get("customer_id") is None


async def test_each_kind_of_list_is_cached_apart_and_a_write_clears_them(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, kashflow):
        made = await some_books(client, kashflow)
        counts(kashflow).clear()
        first = await ok(client, "list_invoices", status="unpaid", limit=2)
        await ok(client, "list_invoices", status="unpaid", limit=2, offset=first["next_offset"])
        await ok(client, "list_invoices", status="overdue")
        await ok(client, "list_invoices", **LONG_AGO)
        await ok(client, "list_invoices", date_from="1990-01-01", date_to="1990-01-15")
        await ok(client, "list_invoices", customer_id=made["first"])
        before = dict(counts(kashflow))
        new = await invoice(client, made["second"], "1990-03-01")
        after = by_number(await ok(client, "list_invoices", status="unpaid", limit=500))
        read_again = counts(kashflow)["GetInvoices_Unpaid"]
    assert before == {
        "GetInvoices_Unpaid": 1,  # two pages, one read
        "GetInvoices_Overdue": 1,
        "GetInvoicesByDateRange": 2,  # two ranges, two reads
        "GetInvoicesForCustomer": 1,
    }
    assert new in after and read_again == 2


async def test_every_way_of_asking_gives_the_same_rows(open_session: OpenSession) -> None:
    """On the demo books: a list across customers holds exactly what the customers' own lists
    hold, for every status, and for a range of dates."""
    async with open_session() as (client, kashflow):
        customers = [c.CustomerID for c in await kashflow.customers.all()]
        start = (date.today() - timedelta(days=200)).isoformat()
        end = (date.today() - timedelta(days=40)).isoformat()
        cases: list[dict[str, Any]] = [
            {"status": "unpaid"},
            {"status": "overdue"},
            {"status": "paid"},
            {"date_from": start, "date_to": end},
            {"status": "unpaid", "date_from": start},
        ]
        for case in cases:
            across = by_number(await ok(client, "list_invoices", limit=500, **case))
            each: dict[int, dict[str, Any]] = {}
            for customer in customers:
                page = await ok(client, "list_invoices", customer_id=customer, limit=500, **case)
                each.update(by_number(page))
            assert across, case  # the demo books have some of each
            assert set(across) == set(each), case
            for number, row in across.items():
                assert row["customer_id"] is not None, case
                assert {k: v for k, v in row.items() if not k.startswith("customer")} == {
                    k: v for k, v in each[number].items() if not k.startswith("customer")
                }, case


async def test_a_date_range_running_backwards_is_refused(open_session: OpenSession) -> None:
    async with open_session() as (client, kashflow):
        message = await refused(
            client, "list_invoices", date_from="2026-02-01", date_to="2026-01-01"
        )
        sent = sum(counts(kashflow).values())
    assert "date_from must not be after date_to" in message and sent == 0


async def test_a_busy_kashflow_is_asked_again_for_a_list(open_session: OpenSession) -> None:
    async with open_session() as (client, kashflow):
        faults = kashflow.transport.app.state.faults  # type: ignore[attr-defined]
        faults.add(FaultRule(operation="GetInvoices_Unpaid", status=429, retry_after=0))
        page = await ok(client, "list_invoices", status="unpaid")
        asked = counts(kashflow)["GetInvoices_Unpaid"]
    assert page["total"] > 0 and asked == 2


async def test_a_missing_customer_is_still_named(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        message = await refused(client, "list_invoices", customer_id=987654, status="unpaid")
    assert "No customer 987654" in message
