"""call_kashflow_api checks a body against its operation's WSDL types before any token.

A body KashFlow would refuse, or silently misread, is refused at once naming the field: not
previewed, approved by the user and only then failed. Reads are checked the same way.
"""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client

from .calls import ok, text_of
from .conftest import OpenSession

pytestmark = pytest.mark.anyio
DAY = "2026-01-05"


def payment(**fields: Any) -> dict[str, Any]:
    paid = {"PayInvoice": 1001, "PayDate": DAY, "PayAmount": "10.00", **fields}
    return {"InvoicePayment": {k: v for k, v in paid.items() if v is not ...}}


def invoice(**fields: Any) -> dict[str, Any]:
    line = {"Description": "Work", "Quantity": "1", "Rate": "10.00", "VatRate": "20"}
    record = {"CustomerID": 20001, "InvoiceDate": DAY, "Lines": [line], **fields}
    return {"Inv": {k: v for k, v in record.items() if v is not ...}}


def line(**fields: Any) -> dict[str, Any]:
    return invoice(Lines=[{"Description": "Work", "Rate": "10.00", **fields}])


async def refusal(client: Client, method: str, body: dict[str, Any]) -> str:
    result = await client.call_tool("call_kashflow_api", {"method": method, "body": body})
    assert result.is_error, f"{method} {body} was not refused: {text_of(result)}"
    assert not result.structured_content
    assert "confirmation_token" not in text_of(result)
    return text_of(result)


REFUSED = [
    # field names, with the valid ones listed
    (
        "InsertInvoicePayment",
        {"InvoicePayment": {"PayInvoice": 1001, "PayAmmount": "1.00", "PayDate": DAY}},
        "body.InvoicePayment.PayAmmount: Payment has no such field; valid fields: PayID, "
        "PayInvoice, PayDate",
    ),
    ("InsertInvoice", line(Ratee="1.00"), "body.Inv.Lines.0.Ratee: InvoiceLine has no such field"),
    # what KashFlow needs to do the operation
    ("InsertInvoicePayment", payment(PayDate=...), "body.InvoicePayment.PayDate: required"),
    ("InsertInvoicePayment", payment(PayAmount=...), "body.InvoicePayment.PayAmount: required"),
    ("InsertInvoicePayment", payment(PayInvoice=0), "body.InvoicePayment.PayInvoice: required"),
    ("InsertInvoice", invoice(CustomerID=...), "body.Inv.CustomerID: required"),
    ("InsertInvoice", invoice(InvoiceDate=...), "body.Inv.InvoiceDate: required"),
    ("InsertInvoice", line(Description=" "), "body.Inv.Lines.0.Description: required"),
    ("InsertCustomer", {"custr": {"Code": "NONAME"}}, "body.custr.Name: required"),
    ("UpdateCustomer", {"custr": {"Name": "No Id Ltd"}}, "body.custr.CustomerID: required"),
    (
        "UpdateInvoice",
        invoice(),
        "body.Inv.InvoiceNumber or body.Inv.InvoiceDBID: one of these is required",
    ),
    ("DeleteInvoice", {}, "body.InvoiceNumber: required (DeleteInvoice takes: InvoiceNumber)"),
    ("GetInvoice", {"InvoiceNumber": None}, "body.InvoiceNumber: required"),
    # whole numbers and booleans as JSON says them
    ("GetInvoice", {"InvoiceNumber": "1001"}, "body.InvoiceNumber: expected a whole number"),
    ("GetInvoice", {"InvoiceNumber": True}, "body.InvoiceNumber: expected a whole number"),
    ("GetInvoice", {"InvoiceNumber": 1001.0}, "body.InvoiceNumber: expected a whole number"),
    ("GetInvoice", {"InvoiceNumber": 2**31}, "body.InvoiceNumber: is beyond"),
    ("InsertInvoice", invoice(UseCustomDeliveryAddress="true"), "UseCustomDeliveryAddress: "),
    ("InsertInvoice", invoice(UseCustomDeliveryAddress=1), "expected true or false"),
    # dates
    ("InsertInvoice", invoice(InvoiceDate="05/01/2026"), "body.Inv.InvoiceDate: expected a date"),
    ("InsertInvoice", invoice(InvoiceDate="2026-01-05T00:00:00Z"), "InvoiceDate: expected a"),
    ("InsertInvoice", invoice(InvoiceDate="2026-02-30"), "2026-02-30 is not a real date"),
    ("InsertInvoice", invoice(InvoiceDate="1899-12-31"), "from 1900-01-01 to 2099-12-31"),
    ("InsertInvoice", invoice(InvoiceDate="2100-01-01"), "from 1900-01-01 to 2099-12-31"),
    ("InsertInvoice", invoice(InvoiceDate=20260105), "body.Inv.InvoiceDate: expected a date"),
    # lists are lists, records are records
    ("InsertInvoice", invoice(Lines={"Description": "x"}), "body.Inv.Lines: expected a list"),
    ("InsertInvoicePayment", {"InvoicePayment": [1001]}, "body.InvoicePayment: expected an"),
    # money: a decimal string with no more decimals than the currency has
    ("InsertInvoicePayment", payment(PayAmount="0.005"), "body.InvoicePayment.PayAmount: money"),
    ("InsertInvoicePayment", payment(PayAmount=10.5), "body.InvoicePayment.PayAmount: money"),
    ("InsertInvoicePayment", payment(PayAmount=10), "body.InvoicePayment.PayAmount: money"),
    ("InsertInvoicePayment", payment(PayAmount="1e3"), "body.InvoicePayment.PayAmount: money"),
    ("InsertInvoicePayment", payment(PayAmount="NaN"), "body.InvoicePayment.PayAmount: money"),
    ("InsertInvoice", line(Rate="Infinity"), "body.Inv.Lines.0.Rate: money"),
    ("InsertInvoice", line(Rate="12,50"), "body.Inv.Lines.0.Rate: money"),
    # other decimals: no exponent, NaN or float either
    ("InsertInvoice", line(Quantity=1.5), "body.Inv.Lines.0.Quantity: expected a decimal"),
    ("InsertInvoice", line(Quantity="1e2"), "body.Inv.Lines.0.Quantity: expected a decimal"),
    ("InsertInvoice", line(VatRate="NaN"), "body.Inv.Lines.0.VatRate: expected a decimal"),
    ("InsertInvoice", invoice(ExchangeRate="-inf"), "body.Inv.ExchangeRate: expected a decimal"),
    # names exactly as sent
    (
        "GetInvoice",
        {"InvoiceNumber": 1001, " InvoiceNumber": 1002},
        'body." InvoiceNumber": a name with spaces around it (the same name is also given',
    ),
    ("GetInvoice", {"InvoiceNumber ": 1002}, 'body."InvoiceNumber ": a name with spaces'),
    ("InsertInvoicePayment", payment(**{" PayNote": "x"}), 'body.InvoicePayment." PayNote"'),
]


@pytest.mark.parametrize(("method", "body", "says"), REFUSED)
async def test_a_bad_body_is_refused_naming_the_field_before_any_token(
    open_session: OpenSession, method: str, body: dict[str, Any], says: str
) -> None:
    async with open_session() as (client, _):
        assert says in await refusal(client, method, body)


async def test_every_bad_field_is_named_at_once(open_session: OpenSession) -> None:
    body = payment(PayAmount="0.005", PayDate="tomorrow", PayMethod="1")
    async with open_session() as (client, _):
        message = await refusal(client, "InsertInvoicePayment", body)
    for field in ("PayAmount", "PayDate", "PayMethod"):
        assert f"body.InvoicePayment.{field}:" in message


@pytest.mark.parametrize(
    "fields",
    [
        {"Quantity": "1.5"},
        {"Quantity": 2},
        {"VatRate": "-1"},
        {"Quantity": "0.3333"},
        {"Rate": "-12.50"},
    ],
)
async def test_decimals_that_are_not_money_take_their_own_precision(
    open_session: OpenSession, fields: dict[str, Any]
) -> None:
    async with open_session() as (client, kashflow):
        customer = (await kashflow.customers.all())[0].CustomerID
        body = line(**fields)
        body["Inv"]["CustomerID"] = customer
        held = await ok(client, "call_kashflow_api", method="InsertInvoice", body=body)
    assert held["status"] == "confirmation_required"


async def test_dates_with_a_time_of_day_and_exchange_rates_with_many_decimals_pass(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, kashflow):
        customer = (await kashflow.customers.all())[0].CustomerID
        body = invoice(
            CustomerID=customer, InvoiceDate="2026-01-05T09:30:00", ExchangeRate="1.173456"
        )
        held = await ok(client, "call_kashflow_api", method="InsertInvoice", body=body)
    assert held["status"] == "confirmation_required"
