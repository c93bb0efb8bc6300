"""The sandbox's books persist in SQLite; the demo company and --scale data are reproducible."""

from __future__ import annotations

import sqlite3
from collections import Counter
from contextlib import closing
from datetime import date
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from kashflow_mcp.kashflow.wire.records import Customer
from kashflow_mcp.sandbox import SandboxStore
from kashflow_mcp.sandbox.seed import prepare

from .conftest import MakeApp, client_for
from .soap import call, post

pytestmark = pytest.mark.anyio


async def test_books_persist_across_app_instances_on_the_same_file(make_app: MakeApp):
    first = make_app("same.db", seed=False)
    async with client_for(first) as kf:
        customer_id = await kf.customers.insert(Customer(Name="Persistent Ltd"))
    first.state.store.close()

    again = make_app("same.db", seed=False)
    async with client_for(again) as kf:
        assert (await kf.customers.get(customer_id)).Name == "Persistent Ltd"


def test_the_database_is_a_real_file_in_wal_mode(tmp_path: Path):
    store = SandboxStore(tmp_path / "wal.db")
    store.close()

    with closing(sqlite3.connect(tmp_path / "wal.db")) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_the_demo_is_loaded_once_and_then_left_alone(make_app: MakeApp):
    first = make_app("demo.db")
    async with client_for(first) as kf:
        demo_count = len(await kf.customers.all())
        await kf.customers.delete((await kf.customers.all())[0].CustomerID or 0)
    first.state.store.close()

    again = make_app("demo.db")
    async with client_for(again) as kf:
        assert len(await kf.customers.all()) == demo_count - 1


async def test_the_demo_never_lands_in_books_with_customers_of_their_own(make_app: MakeApp):
    own = make_app("own.db", seed=False)
    async with client_for(own) as kf:
        await kf.customers.insert(Customer(Name="Mine Ltd"))
    own.state.store.close()

    reopened = make_app("own.db", seed=True)
    async with client_for(reopened) as kf:
        assert [c.Name for c in await kf.customers.all()] == ["Mine Ltd"]


async def test_two_fresh_demo_databases_answer_identically(make_app: MakeApp):
    bodies = []
    for name in ("one.db", "two.db"):
        app = make_app(name)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as http:
            customers = await post(http, call("GetCustomers"))
            invoices = await post(
                http, call("GetInvoices_Recent", "<NumberOfInvoices>1000</NumberOfInvoices>")
            )
        bodies.append((customers.content, invoices.content))

    assert bodies[0] == bodies[1]


def test_demo_dates_are_offsets_from_the_anchor_day(tmp_path: Path):
    def first_invoice(anchor: date) -> dict:
        store = SandboxStore(tmp_path / f"{anchor}.db")
        prepare(store, today=anchor)
        with store.read() as books:
            invoice = books.invoices.by_number(1001)
            stored_anchor = books.meta("demo_anchor")
        store.close()
        assert invoice is not None and stored_anchor == anchor.isoformat()
        return invoice

    early, late = first_invoice(date(2025, 1, 1)), first_invoice(date(2025, 1, 11))

    dates = ("InvoiceDate", "DueDate")
    for key in dates:
        shift = date.fromisoformat(late[key][:10]) - date.fromisoformat(early[key][:10])
        assert shift.days == 10
    assert {k: v for k, v in early.items() if k not in dates} == {
        k: v for k, v in late.items() if k not in dates
    }


async def test_the_demo_company_is_a_realistic_uk_small_business(demo_kf):
    customers = await demo_kf.customers.all()
    invoices = await demo_kf.invoices.recent(10_000)
    today = date.today()

    assert len(customers) >= 25
    assert len(invoices) >= 60
    assert {c.CountryCode for c in customers} >= {"GB", "IE", "FR", "DE", "EL", "US"}
    assert "GR" not in {c.CountryCode for c in customers}
    assert Counter(i.CurrencyCode for i in invoices).keys() == {"GBP", "EUR", "USD"}
    rates = {ln.VatRate for i in invoices for ln in i.Lines or []}
    assert rates >= {Decimal(20), Decimal(5), Decimal(0), Decimal(-1)}
    unpaid = [i for i in invoices if i.Paid == 0]
    overdue = [i for i in unpaid if i.DueDate and i.DueDate.date() < today]
    assert sum(i.Paid == 1 for i in invoices) >= 20
    assert len(overdue) >= 5
    assert len(unpaid) - len(overdue) >= 3  # unpaid but not yet due
    assert any(i.Paid == 0 and (i.AmountPaid or 0) > 0 for i in invoices)  # part-paid
    assert len(await demo_kf.reference.customer_sources()) >= 3
    assert len(await demo_kf.reference.projects()) >= 3
    assert any(n.Code == 4000 for n in await demo_kf.reference.nominal_codes())
    assert (await demo_kf.reference.company()).CompanyName == "Kestrel Print & Design Ltd"


async def test_the_demo_has_debts_in_every_ageing_bucket(demo_kf):
    rows = await demo_kf.reports.aged_debtors(date.today())

    for bucket in ("Current", "Period1_val", "Period2_val", "Period3_val", "Older"):
        assert any((getattr(row, bucket) or 0) > 0 for row in rows), bucket


async def test_demo_invoices_balance_to_their_lines_and_payments(demo_kf):
    for invoice in await demo_kf.invoices.recent(10_000):
        lines = invoice.Lines or []
        assert invoice.VATAmount == sum((ln.VatAmount or 0 for ln in lines), Decimal(0))
        payments = await demo_kf.payments.for_invoice(invoice.InvoiceNumber or 0)
        assert invoice.AmountPaid == sum((p.PayAmount or 0 for p in payments), Decimal(0))
        total = (invoice.NetAmount or 0) + (invoice.VATAmount or 0)
        assert invoice.Paid == (1 if invoice.AmountPaid == total else 0)


async def test_scale_adds_synthetic_customers_with_invoices(make_app: MakeApp):
    app = make_app("scaled.db", seed=False, scale=300)
    async with client_for(app) as kf:
        customers = await kf.customers.all()
        invoices = await kf.invoices.recent(100_000)
        unpaid = await kf.invoices.unpaid()

    assert len(customers) == 300
    assert len({c.Code for c in customers}) == 300
    assert len(invoices) == 900
    assert 0 < len(unpaid) < 900


async def test_scale_tops_up_instead_of_duplicating(make_app: MakeApp):
    make_app("grow.db", seed=False, scale=50).state.store.close()
    make_app("grow.db", seed=False, scale=50).state.store.close()
    grown = make_app("grow.db", seed=False, scale=80)

    async with client_for(grown) as kf:
        assert len(await kf.customers.all()) == 80
