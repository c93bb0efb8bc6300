"""The sandbox plays several demo companies, each with the books its profile describes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from kashflow_mcp.kashflow import AuthenticationError, KashFlowClient, RetryPolicy
from kashflow_mcp.kashflow.wire.records import Invoice
from kashflow_mcp.sandbox import create_app
from kashflow_mcp.sandbox.seed.companies import COMPANIES
from kashflow_mcp.sandbox.seed.company import Company

from .conftest import MakeApp, client_for
from .soap import URL

pytestmark = pytest.mark.anyio


def _client(app, username: str, password: str) -> KashFlowClient:
    return KashFlowClient(
        username=username,
        password=password,
        url=URL,
        transport=httpx.ASGITransport(app=app),
        retry=RetryPolicy(attempts=1),
    )


@pytest.fixture(params=list(COMPANIES))
def company(request: pytest.FixtureRequest) -> Company:
    return COMPANIES[request.param]


@pytest.fixture
async def books(make_app: MakeApp, company: Company) -> AsyncIterator[KashFlowClient]:
    async with client_for(make_app(f"{company.key}.db", company=company.key)) as kf:
        yield kf


def test_the_companies_are_listed_in_order_kestrel_first_each_with_its_own_sign_in():
    assert list(COMPANIES) == ["kestrel", "harbour"]
    assert [c.title for c in COMPANIES.values()] == [
        "Kestrel Print & Design Ltd",
        "Harbour Lights Cafe Ltd",
    ]
    assert all(key == c.key for key, c in COMPANIES.items())
    assert [(c.username, c.password) for c in COMPANIES.values()] == [
        ("kestrel", "sandbox-kestrel"),
        ("harbour", "sandbox-harbour"),
    ]


async def test_a_companys_details_are_its_profiles(books: KashFlowClient, company: Company):
    details = await books.reference.company()

    assert details.CompanyName == company.title
    assert details.Postcode == company.details["Postcode"]
    assert details.VatRegistrationNumber == company.details["VatRegistrationNumber"]
    assert details.Address3 == company.details["Address3"]
    sources = [s.Name for s in await books.reference.customer_sources()]
    assert sources == list(company.sources)
    assert [p.Name for p in await books.reference.projects()] == [n for n, _ in company.projects]


async def test_a_companys_customers_are_its_profiles(books: KashFlowClient, company: Company):
    customers = await books.customers.all()

    assert len(customers) == len(company.customers)
    assert {(c.Code, c.Name) for c in customers} == {(r.code, r.name) for r in company.customers}


async def test_a_companys_invoices_use_its_currencies_products_and_nominal_codes(
    books: KashFlowClient, company: Company
):
    invoices = await books.invoices.recent(10_000)
    lines = [ln for invoice in invoices for ln in invoice.Lines or []]

    assert {i.CurrencyCode for i in invoices} == {r.currency for r in company.customers}
    # A credit note's lines say what they credit: "Goodwill discount: " and the product.
    sold = {ln.Description.removeprefix("Goodwill discount: ") for ln in lines if ln.Description}
    assert sold <= {p.description for p in company.products}
    assert {ln.ChargeType for ln in lines} <= {code.id for code in company.sales_codes}
    chart = {n.id: n.Code for n in await books.reference.nominal_codes()}
    assert all(chart.get(code.id) == code.code for code in company.sales_codes)
    numbers = sorted(i.InvoiceNumber or 0 for i in invoices)
    assert numbers[0] == company.first_invoice_number
    assert numbers == list(range(numbers[0], numbers[0] + len(invoices)))


async def test_every_company_has_paid_part_paid_overdue_and_not_yet_due_invoices(
    books: KashFlowClient,
):
    invoices = await books.invoices.recent(10_000)
    today = date.today()

    def due(invoice: Invoice) -> date:
        assert invoice.DueDate is not None
        return invoice.DueDate.date()

    unpaid = [i for i in invoices if i.Paid == 0]
    assert any(i.Paid == 1 for i in invoices)
    assert any((i.AmountPaid or 0) > 0 for i in unpaid)  # part-paid
    assert any(due(i) < today for i in unpaid)  # overdue
    assert any(due(i) >= today for i in unpaid)  # not yet due


async def test_the_vat_rates_a_company_charges_are_those_of_what_it_sells(
    books: KashFlowClient, company: Company
):
    lines = [ln for i in await books.invoices.recent(10_000) for ln in i.Lines or []]

    expected = {"kestrel": {20, 5, 0, -1}, "harbour": {20, 0, -1}}[company.key]
    assert {ln.VatRate for ln in lines} == {Decimal(rate) for rate in expected}


async def test_harbour_charges_uk_vat_on_catering_to_its_customers_abroad(make_app: MakeApp):
    async with client_for(make_app("harbour.db", company="harbour")) as kf:
        abroad = {c.CustomerID for c in await kf.customers.all() if c.CountryCode != "GB"}
        invoices = [i for i in await kf.invoices.recent(10_000) if i.CustomerID in abroad]
    rate_of = {p.description: Decimal(p.vat) for p in COMPANIES["harbour"].products}

    lines = [ln for invoice in invoices for ln in invoice.Lines or []]
    assert {i.CurrencyCode for i in invoices} == {"EUR"}
    # Catering is taxed where it is performed (Whitby), whoever the customer is.
    assert any(ln.VatRate == 20 for ln in lines)
    assert all(ln.VatRate == rate_of[ln.Description or ""] for ln in lines)


def test_harbours_vat_follows_hmrcs_catering_food_and_land_guidance():
    rate_of = {p.description: p.vat for p in COMPANIES["harbour"].products}

    assert rate_of["Three-course dinner, served at your event (per head)"] == "20"
    assert rate_of["Hot fish and chips, to take away (per portion)"] == "20"
    assert rate_of["Cold sandwich and salad boxes, to take away"] == "0"
    assert rate_of["Whole celebration cake, to take away"] == "0"
    assert rate_of["Meeting room hire, half day (no catering)"] == "-1"
    assert rate_of["Function room with our catering, evening"] == "20"


def test_no_two_companies_share_a_customer_name_or_code():
    seen_names: set[str] = set()
    seen_codes: set[str] = set()
    for company in COMPANIES.values():
        names = {row.name for row in company.customers}
        codes = {row.code for row in company.customers}
        assert len(names) == len(codes) == len(company.customers)
        assert not names & seen_names and not codes & seen_codes
        seen_names |= names
        seen_codes |= codes


async def test_books_of_different_companies_hold_different_customers(make_app: MakeApp):
    held = []
    for key in COMPANIES:
        async with client_for(make_app(f"{key}.db", company=key)) as kf:
            held.append({(c.Code, c.Name) for c in await kf.customers.all()})
    kestrel, harbour = held

    assert kestrel and harbour
    assert not {code for code, _ in kestrel} & {code for code, _ in harbour}
    assert not {name for _, name in kestrel} & {name for _, name in harbour}


async def test_a_company_signs_in_with_its_own_credentials_by_default(tmp_path: Path):
    app = create_app(tmp_path / "harbour.db", company="harbour")
    try:
        async with _client(app, "harbour", "sandbox-harbour") as kf:
            assert (await kf.reference.company()).CompanyName == "Harbour Lights Cafe Ltd"
        for username, password in [("sandbox", "sandbox"), ("kestrel", "sandbox-kestrel")]:
            async with _client(app, username, password) as kf:
                with pytest.raises(AuthenticationError):
                    await kf.reference.company()
    finally:
        app.state.store.close()


async def test_credentials_given_to_create_app_replace_the_companys_own(tmp_path: Path):
    app = create_app(tmp_path / "k.db", username="sandbox", password="sandbox")
    try:
        async with _client(app, "sandbox", "sandbox") as kf:
            assert (await kf.reference.company()).CompanyName == "Kestrel Print & Design Ltd"
        async with _client(app, "kestrel", "sandbox-kestrel") as kf:
            with pytest.raises(AuthenticationError):
                await kf.reference.company()
    finally:
        app.state.store.close()
