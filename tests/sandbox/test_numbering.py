"""Invoice numbers: one above the highest ever issued, never reissued, never taken as sent."""

from __future__ import annotations

import pytest

from kashflow_mcp.kashflow import KashFlowClient

from .books import new_customer, new_invoice
from .conftest import client_for

pytestmark = pytest.mark.anyio


async def test_a_deleted_invoices_number_is_never_issued_again(make_app, kf: KashFlowClient):
    customer = await new_customer(kf)
    first, newest = await new_invoice(kf, customer), await new_invoice(kf, customer)
    await kf.invoices.delete(newest)

    assert await new_invoice(kf, customer) == newest + 1
    async with client_for(make_app(seed=False)) as reopened:  # the same file, opened again
        await reopened.invoices.delete(newest + 1)
        assert await new_invoice(reopened, customer) == newest + 2
    assert first == newest - 1


async def test_invoice_numbers_count_up_from_one(kf: KashFlowClient):
    customer = await new_customer(kf)

    numbers = [await new_invoice(kf, customer) for _ in range(3)]

    assert numbers == [1, 2, 3]


async def test_a_number_sent_with_a_new_invoice_is_ignored(kf: KashFlowClient):
    customer = await new_customer(kf)

    number = await new_invoice(kf, customer, InvoiceNumber=500)

    assert number == 1


async def test_demo_invoices_continue_from_the_demo_books_highest(demo_kf: KashFlowClient):
    highest = (await demo_kf.invoices.recent(1))[0].InvoiceNumber
    customer = (await demo_kf.customers.all())[0].CustomerID

    assert await new_invoice(demo_kf, customer) == highest + 1
