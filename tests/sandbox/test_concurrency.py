"""Concurrent writers over a real socket never share an invoice number or a customer code."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import anyio
import pytest
from starlette.applications import Starlette

from kashflow_mcp.kashflow.wire.records import Customer, Invoice, InvoiceLine
from tests.support import serve_in_thread

from .conftest import client_for

pytestmark = pytest.mark.anyio

WRITERS = 20


async def test_concurrent_inserts_get_unique_consecutive_numbers(empty_app: Starlette):
    with serve_in_thread(empty_app) as base:
        async with client_for(
            empty_app, url=f"{base}/api/service.asmx", max_connections=WRITERS
        ) as kf:
            customer = await kf.customers.insert(Customer(Name="Busy Ltd"))
            invoice = Invoice(
                CustomerID=customer,
                InvoiceDate=datetime(2025, 5, 1),
                Lines=[InvoiceLine(Description="Job", Quantity=Decimal(1), Rate=Decimal(10))],
            )
            numbers: list[int] = []

            async def insert() -> None:
                numbers.append(await kf.invoices.insert(invoice))

            with anyio.fail_after(30):
                async with anyio.create_task_group() as group:
                    for _ in range(WRITERS):
                        group.start_soon(insert)
            stored = await kf.invoices.for_customer(customer)

    assert sorted(numbers) == list(range(1, WRITERS + 1))
    assert len({i.InvoiceDBID for i in stored}) == WRITERS
    line_ids = [ln.LineID for i in stored for ln in i.Lines or []]
    assert len(set(line_ids)) == WRITERS


async def test_concurrent_customers_with_the_same_name_get_distinct_codes(empty_app: Starlette):
    async with client_for(empty_app) as kf:
        ids: list[int] = []

        async def insert() -> None:
            ids.append(await kf.customers.insert(Customer(Name="Twin Ltd")))

        with anyio.fail_after(30):
            async with anyio.create_task_group() as group:
                for _ in range(10):
                    group.start_soon(insert)
        codes = [c.Code for c in await kf.customers.all()]

    assert len(set(ids)) == 10
    assert sorted(codes) == [f"TWINLT{n:02d}" for n in range(1, 11)]
