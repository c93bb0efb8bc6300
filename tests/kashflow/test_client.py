"""The KashFlow client against the sandbox: typed operations, errors, retry and no-retry rules.

Faults are injected by the sandbox itself, over a real socket where the failure lives in the
connection (a dropped answer) and in-process elsewhere.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from kashflow_mcp.kashflow import (
    AuthenticationError,
    KashFlowClient,
    KashFlowRefused,
    NotFoundError,
    OutcomeUnknownError,
    RetryPolicy,
    TransportError,
)
from kashflow_mcp.kashflow.wire.records import Customer, Invoice, InvoiceLine, Payment
from kashflow_mcp.sandbox import FaultRule, create_app

from ..support import serve_in_thread

pytestmark = pytest.mark.anyio
USER, PASSWORD = "bookkeeper", "correct-horse-battery"
FAST = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05, deadline=10)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Starlette]:
    sandbox = create_app(tmp_path / "books.db", username=USER, password=PASSWORD)
    yield sandbox
    sandbox.state.store.close()


def in_process(app: Starlette, **options: object) -> KashFlowClient:
    options.setdefault("retry", FAST)
    return KashFlowClient(
        username=USER,
        password=options.pop("password", PASSWORD),  # type: ignore[arg-type]
        url="http://sandbox.test/api/service.asmx",
        transport=httpx.ASGITransport(app=app),
        **options,  # type: ignore[arg-type]
    )


def over_http(base: str) -> KashFlowClient:
    """Our client on a sandbox served at ``base``, over a real socket."""
    return KashFlowClient(
        username=USER, password=PASSWORD, url=f"{base}/api/service.asmx", retry=FAST
    )


def sent(app: Starlette, operation: str) -> int:
    return app.state.faults.counts[operation]


async def test_customer_operations(app: Starlette) -> None:
    async with in_process(app) as client:
        everyone = await client.customers.all()
        some = everyone[0]
        assert await client.customers.get(some.CustomerID or 0) == some
        assert (await client.customers.by_code(some.Code or "")).CustomerID == some.CustomerID
        assert (await client.customers.by_email(some.Email or "")).CustomerID == some.CustomerID
        by_postcode = await client.customers.by_postcode(some.Postcode or "")
        assert some.CustomerID in [c.CustomerID for c in by_postcode]
        new_id = await client.customers.insert(Customer(Name="Wren & Co", Notes="keep"))
        created = await client.customers.get(new_id)
        assert created.Code  # generated when blank
        created.Telephone = "0117 000 0000"
        await client.customers.update(created)
        assert (await client.customers.get(new_id)).Telephone == "0117 000 0000"
        await client.customers.delete(new_id)
        with pytest.raises(NotFoundError):
            await client.customers.get(new_id)


async def test_invoice_operations(app: Starlette) -> None:
    async with in_process(app) as client:
        customer = (await client.customers.all())[0]
        number = await client.invoices.insert(
            Invoice(
                CustomerID=customer.CustomerID,
                InvoiceDate=date(2026, 1, 10),
                DueDate=date(2026, 2, 9),
                Lines=[InvoiceLine(Quantity=Decimal(1), Description="A", Rate=Decimal("10"),
                                   VatRate=Decimal(20))],
            )
        )  # fmt: skip
        invoice = await client.invoices.get(number)
        assert (invoice.NetAmount, invoice.VATAmount) == (Decimal("10.00"), Decimal("2.00"))
        assert (await client.invoices.by_id(invoice.InvoiceDBID or 0)).InvoiceNumber == number
        await client.invoices.insert_line(
            invoice.InvoiceDBID or 0,
            InvoiceLine(
                Quantity=Decimal(2), Description="B", Rate=Decimal("5"), VatRate=Decimal(0)
            ),
        )
        assert (await client.invoices.get(number)).NetAmount == Decimal("20.00")
        invoice = await client.invoices.get(number)
        invoice.CustomerReference = "PO-9"
        await client.invoices.update(invoice)
        assert (await client.invoices.get(number)).CustomerReference == "PO-9"
        listed = await client.invoices.for_customer(customer.CustomerID or 0)
        assert number in [i.InvoiceNumber for i in listed]
        ranged = await client.invoices.dated(date(2026, 1, 10), date(2026, 1, 10))
        assert number in [i.InvoiceNumber for i in ranged]
        assert number in [i.InvoiceNumber for i in await client.invoices.unpaid()]
        assert number in [i.InvoiceNumber for i in await client.invoices.overdue()]
        assert [i.InvoiceNumber for i in await client.invoices.recent(1)] == [number]
        await client.payments.insert(
            Payment(PayInvoice=number, PayAmount=Decimal("22.00"), PayDate=date(2026, 1, 11))
        )
        assert [p.PayAmount for p in await client.payments.for_invoice(number)] == [
            Decimal("22.00")
        ]
        assert (await client.invoices.get(number)).Paid == 1
        balance = await client.customers.balance(customer.Code or "")
        assert balance.CustomerCode == customer.Code
        await client.invoices.delete(number)
        with pytest.raises(NotFoundError):
            await client.invoices.get(number)
        other = (await client.invoices.recent(1))[0]
        await client.invoices.delete_by_id(other.InvoiceDBID or 0)
        with pytest.raises(NotFoundError):
            await client.invoices.get(other.InvoiceNumber or 0)


async def test_reference_data(app: Starlette) -> None:
    async with in_process(app) as client:
        assert {c.CurrencyCode for c in await client.reference.currencies()} >= {
            "GBP",
            "EUR",
            "USD",
        }
        assert {r.Value for r in await client.reference.vat_rates()} >= {Decimal(20), Decimal(5)}
        assert await client.reference.customer_sources() and await client.reference.projects()
        assert any(n.Code == 4000 for n in await client.reference.nominal_codes())
        assert (await client.reference.company()).CompanyName


async def test_wrong_credentials_are_an_authentication_error(app: Starlette) -> None:
    async with in_process(app, password="wrong") as client:
        with pytest.raises(AuthenticationError, match="KASHFLOW_PASSWORD") as caught:
            await client.customers.all()
    assert "wrong" not in str(caught.value)


async def test_operations_the_sandbox_does_not_offer_say_so(app: Starlette) -> None:
    async with in_process(app) as client:
        with pytest.raises(KashFlowRefused, match="sandbox"):
            await client.call("GetSuppliers")


@pytest.mark.parametrize("status", [500, 502, 503, 429])
async def test_reads_retry_transient_failures(app: Starlette, status: int) -> None:
    app.state.faults.add(FaultRule(operation="GetCustomers", times=2, status=status))
    async with in_process(app) as client:
        assert await client.customers.all()
    assert sent(app, "GetCustomers") == 3


async def test_reads_honour_retry_after(app: Starlette) -> None:
    app.state.faults.add(FaultRule(operation="GetCurrencies", status=503, retry_after=1))
    async with in_process(app) as client:
        started = time.monotonic()
        assert await client.reference.currencies()
        assert time.monotonic() - started >= 1.0
    assert sent(app, "GetCurrencies") == 2


async def test_reads_give_up_after_their_attempts(app: Starlette) -> None:
    app.state.faults.add(FaultRule(operation="GetCustomers", times=-1, status=503, retry_after=0))
    async with in_process(app) as client:
        with pytest.raises(TransportError, match="HTTP 503"):
            await client.customers.all()
    assert sent(app, "GetCustomers") == FAST.attempts


async def test_a_slow_read_times_out_within_the_deadline(app: Starlette) -> None:
    app.state.faults.add(FaultRule(operation="GetCustomers", times=-1, latency=2))
    policy = RetryPolicy(attempts=10, base_delay=0.01, max_delay=0.01, deadline=0.6)
    async with in_process(app, retry=policy) as client:
        started = time.monotonic()
        with pytest.raises(TransportError):
            await client.customers.all()
        assert time.monotonic() - started < 1.5


@pytest.mark.parametrize("status", [503, 429])
async def test_a_refused_write_is_not_resent(app: Starlette, status: int) -> None:
    app.state.faults.add(FaultRule(operation="InsertCustomer", status=status, retry_after=2))
    async with in_process(app) as client:
        with pytest.raises(TransportError, match="did not process") as caught:
            await client.customers.insert(Customer(Name="Once Only"))
    assert caught.value.retry_after == 2
    assert sent(app, "InsertCustomer") == 1


async def test_a_write_answered_with_a_server_error_is_outcome_unknown(app: Starlette) -> None:
    app.state.faults.add(FaultRule(operation="InsertInvoice", status=500))
    async with in_process(app) as client:
        with pytest.raises(OutcomeUnknownError, match="not re-sent"):
            await client.invoices.insert(Invoice(CustomerID=1))
    assert sent(app, "InsertInvoice") == 1


async def test_a_committed_write_whose_answer_is_lost_is_not_resent(app: Starlette) -> None:
    app.state.faults.add(FaultRule(operation="InsertCustomer", drop_after_commit=True))
    with serve_in_thread(app) as base:
        async with over_http(base) as client:
            with pytest.raises(OutcomeUnknownError):
                await client.customers.insert(Customer(Name="Lost Answer Ltd"))
            names = [c.Name for c in await client.customers.all()]
    assert names.count("Lost Answer Ltd") == 1  # committed once, never re-sent
    assert sent(app, "InsertCustomer") == 1


async def test_a_read_whose_connection_drops_is_asked_again_on_a_new_one(app: Starlette) -> None:
    app.state.faults.add(FaultRule(operation="GetCurrencies", drop_after_commit=True))
    with serve_in_thread(app) as base:
        async with over_http(base) as client:
            await client.customers.all()  # a keep-alive connection is now open and idle
            assert await client.reference.currencies()
    assert sent(app, "GetCurrencies") == 2


async def test_writes_retry_when_the_connection_never_opened() -> None:
    # Nothing listens on port 9: the request cannot have reached anyone, so retrying is safe.
    client = KashFlowClient(
        username=USER, password=PASSWORD, url="http://127.0.0.1:9/api", retry=FAST
    )
    async with client:
        with pytest.raises(TransportError, match="could not connect"):
            await client.customers.insert(Customer(Name="Nobody"))


async def test_the_password_never_reaches_repr_errors_or_logs(
    app: Starlette, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    app.state.faults.add(FaultRule(operation="GetCustomers", times=-1, status=503))
    client = in_process(app)
    async with client:
        with pytest.raises(TransportError) as caught:
            await client.customers.all()
        await client.reference.currencies()
    assert PASSWORD not in repr(client) + str(caught.value) + caplog.text
