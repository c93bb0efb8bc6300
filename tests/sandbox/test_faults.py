"""Fault injection: latency, forced HTTP statuses, and a write committed whose answer is lost."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import httpx
import pytest
from starlette.applications import Starlette

from kashflow_mcp.kashflow import ApiDisabledError, OutcomeUnknownError, RetryPolicy, TransportError
from kashflow_mcp.kashflow.wire.records import Customer
from kashflow_mcp.sandbox import FaultRule
from tests.support import serve_in_thread

from .conftest import client_for
from .soap import KF, answer, call, post, status

pytestmark = pytest.mark.anyio

INSERT = call("InsertCustomer", "<custr><Name>Dropped Call Ltd</Name></custr>")


def customer_names(app: Starlette) -> list[str]:
    with app.state.store.read() as books:
        return [c["Name"] for c in books.customers.all()]


async def test_latency_delays_the_answer(empty_app: Starlette, http: httpx.AsyncClient):
    empty_app.state.faults.add(FaultRule(latency=0.3))

    started = time.monotonic()
    response = await post(http, call("GetCurrencies"))

    assert time.monotonic() - started >= 0.3
    assert status(answer(response)) == ("OK", "")
    assert empty_app.state.faults.rules == []


@pytest.mark.parametrize(("code", "retry_after"), [(503, 7), (429, 2)])
async def test_a_forced_busy_status_carries_retry_after_and_does_nothing(
    empty_app: Starlette, http: httpx.AsyncClient, code: int, retry_after: int
):
    empty_app.state.faults.add(FaultRule(status=code, retry_after=retry_after))

    response = await post(http, INSERT, "InsertCustomer")

    assert response.status_code == code
    assert response.headers["retry-after"] == str(retry_after)
    assert customer_names(empty_app) == []


async def test_a_forced_500_is_an_outage_not_a_soap_fault(
    empty_app: Starlette, http: httpx.AsyncClient
):
    empty_app.state.faults.add(FaultRule(status=500))

    response = await post(http, call("GetCurrencies"))

    assert response.status_code == 500
    assert "Fault" not in response.text
    assert "retry-after" not in response.headers


async def test_rules_fire_in_order_for_their_operation_and_number_of_times(
    empty_app: Starlette, http: httpx.AsyncClient
):
    faults = empty_app.state.faults
    faults.add(FaultRule(operation="GetCurrencies", status=500))
    faults.add(FaultRule(operation="GetCurrencies", status=503, times=2))
    faults.add(FaultRule(operation="InsertCustomer", status=429))

    codes = [(await post(http, call("GetCurrencies"))).status_code for _ in range(4)]

    assert codes == [500, 503, 503, 200]
    assert [rule.operation for rule in faults.rules] == ["InsertCustomer"]


async def test_a_rule_for_ever_fires_until_cleared(empty_app: Starlette, http: httpx.AsyncClient):
    empty_app.state.faults.add(FaultRule(status=503, times=-1))

    codes = [(await post(http, call("GetVATRates"))).status_code for _ in range(5)]
    empty_app.state.faults.clear()

    assert codes == [503] * 5
    assert (await post(http, call("GetVATRates"))).status_code == 200


async def test_requests_are_counted_per_operation(empty_app: Starlette, http: httpx.AsyncClient):
    empty_app.state.faults.add(FaultRule(status=503))
    for _ in range(2):
        await post(http, call("GetCurrencies"))
    await post(http, INSERT)

    assert dict(empty_app.state.requests) == {"GetCurrencies": 2, "InsertCustomer": 1}
    response = await http.get("http://sandbox.test/_sandbox/requests")
    assert response.json() == {"GetCurrencies": 2, "InsertCustomer": 1}
    assert (await http.delete("http://sandbox.test/_sandbox/requests")).status_code == 204
    assert (await http.get("http://sandbox.test/_sandbox/requests")).json() == {}


async def test_a_read_behind_a_503_succeeds_on_the_clients_retry(empty_app: Starlette):
    empty_app.state.faults.add(FaultRule(operation="GetCurrencies", status=503, retry_after=0))

    async with client_for(empty_app, retry=RetryPolicy(attempts=2, base_delay=0)) as kf:
        currencies = await kf.reference.currencies()

    assert [c.CurrencyCode for c in currencies] == ["GBP", "EUR", "USD"]
    assert empty_app.state.requests["GetCurrencies"] == 2


async def test_a_write_behind_a_503_is_sent_once_and_not_applied(empty_app: Starlette):
    empty_app.state.faults.add(FaultRule(status=503, retry_after=1))

    async with client_for(empty_app, retry=RetryPolicy(attempts=3, base_delay=0)) as kf:
        with pytest.raises(TransportError):
            await kf.customers.insert(Customer(Name="Busy Ltd"))

    assert empty_app.state.requests["InsertCustomer"] == 1
    assert customer_names(empty_app) == []


async def test_faults_can_be_set_and_cleared_over_http(
    empty_app: Starlette, http: httpx.AsyncClient
):
    control = "http://sandbox.test/_sandbox/faults"
    rule = {"operation": "GetCurrencies", "status": 503, "retry_after": 3}

    added = await http.post(control, json=rule)
    listed = await http.get(control)
    refused = await post(http, call("GetCurrencies"))
    await http.post(control, json={"status": 429, "times": -1})
    cleared = await http.delete(control)

    assert added.status_code == 201 and added.json()["status"] == 503
    assert [r["operation"] for r in listed.json()] == ["GetCurrencies"]
    assert (refused.status_code, refused.headers["retry-after"]) == (503, "3")
    assert cleared.status_code == 204
    assert empty_app.state.faults.rules == []


@pytest.mark.parametrize(
    "rule",
    [
        {"color": "red"},
        {"status": 200},
        {"times": 0},
        {"times": True},
        {"latency": "1"},
        {"latency": -1},
        {"status": 503, "drop_after_commit": True},
        {"drop_after_commit": 1},
        ["not", "an", "object"],
    ],
)
async def test_a_bad_rule_over_http_is_refused_with_400(http: httpx.AsyncClient, rule):
    response = await http.post("http://sandbox.test/_sandbox/faults", json=rule)

    assert response.status_code == 400
    assert response.json()["error"]


# --------------------------------------------------------------------------- a real socket


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def uvicorn_errors() -> Iterator[Collect]:
    """ERROR records uvicorn logs, attached once its own logging set-up has run."""
    handler = Collect()
    yield handler
    logging.getLogger("uvicorn.error").removeHandler(handler)


def test_drop_after_commit_commits_then_drops_the_connection(
    empty_app: Starlette, uvicorn_errors: Collect
):
    empty_app.state.faults.add(FaultRule(operation="InsertCustomer", drop_after_commit=True))
    headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '"KashFlow/InsertCustomer"'}

    with serve_in_thread(empty_app) as base, httpx.Client(timeout=5) as http:
        logging.getLogger("uvicorn.error").addHandler(uvicorn_errors)
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            http.post(f"{base}/api/service.asmx", content=INSERT.encode(), headers=headers)
        after = http.post(f"{base}/api/service.asmx", content=INSERT.encode(), headers=headers)

    assert customer_names(empty_app) == ["Dropped Call Ltd", "Dropped Call Ltd"]
    assert answer(after).findtext(f"{KF}InsertCustomerResult")  # the next one is answered
    assert empty_app.state.requests["InsertCustomer"] == 2
    assert uvicorn_errors.records == []  # dropped on purpose: no traceback in the log


async def test_the_client_reports_a_dropped_write_as_outcome_unknown(empty_app: Starlette):
    empty_app.state.faults.add(FaultRule(drop_after_commit=True))

    with serve_in_thread(empty_app) as base:
        async with client_for(empty_app, url=f"{base}/api/service.asmx") as kf:
            with pytest.raises(OutcomeUnknownError):
                await kf.customers.insert(Customer(Name="Maybe Ltd"))
            assert [c.Name for c in await kf.customers.all()] == ["Maybe Ltd"]

    assert empty_app.state.requests["InsertCustomer"] == 1


async def test_a_refusal_rule_answers_status_no_with_its_reason(empty_app: Starlette) -> None:
    reason = "The API is not enabled for this account"
    empty_app.state.faults.add(FaultRule(operation="GetCurrencies", refuse=reason))
    async with client_for(empty_app) as client:
        with pytest.raises(ApiDisabledError, match="Enable SOAP API"):
            await client.reference.currencies()
        assert await client.reference.currencies()  # the rule was used up


def test_a_rule_has_one_outcome() -> None:
    with pytest.raises(ValueError, match="one only"):
        FaultRule(status=503, refuse="no")
