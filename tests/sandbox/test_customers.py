"""Customers as KashFlow keeps them: unique codes, whole-record updates, deletes, balances."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kashflow_mcp.kashflow import InvalidRequestError, KashFlowClient, NotFoundError
from kashflow_mcp.kashflow.wire.records import Customer

from .books import line, new_customer, new_invoice, pay

pytestmark = pytest.mark.anyio


async def test_customer_balance_is_paid_and_still_owed(kf: KashFlowClient):
    customer = await new_customer(kf, Code="BAL01")
    first = await new_invoice(kf, customer, line("Work", "1", "100", "20"))
    await new_invoice(kf, customer, line("More", "1", "50", "0"))
    await pay(kf, first, "20")

    balance = await kf.customers.balance("BAL01")

    assert (balance.CustomerId, balance.CustomerCode) == (customer, "BAL01")
    assert (balance.Value, balance.Balance) == (Decimal("20.00"), Decimal("150.00"))


async def test_deleting_a_customer_deletes_its_invoices_and_payments(kf: KashFlowClient):
    doomed, kept = await new_customer(kf, "Doomed Ltd"), await new_customer(kf, "Kept Ltd")
    gone = await new_invoice(kf, doomed)
    await pay(kf, gone, "10")
    stays = await new_invoice(kf, kept)

    await kf.customers.delete(doomed)

    with pytest.raises(NotFoundError):
        await kf.invoices.get(gone)
    with pytest.raises(NotFoundError):
        await kf.payments.for_invoice(gone)
    assert (await kf.invoices.get(stays)).CustomerID == kept
    assert [c.CustomerID for c in await kf.customers.all()] == [kept]


async def test_customer_codes_are_unique_whatever_their_case(kf: KashFlowClient):
    await new_customer(kf, Code="ACME")

    with pytest.raises(InvalidRequestError, match="already exists"):
        await new_customer(kf, "Another Acme", Code="acme")


async def test_a_blank_code_is_generated_from_the_name(kf: KashFlowClient):
    first = await kf.customers.get(await new_customer(kf, "Acme Widgets"))
    second = await kf.customers.get(await new_customer(kf, "Acme Widgets"))

    assert (first.Code, second.Code) == ("ACMEWI01", "ACMEWI02")


async def test_country_codes_are_stored_as_sent_greece_stays_el(kf: KashFlowClient):
    customer = await new_customer(kf, "Athens Ltd", CountryCode="EL", CountryName="Greece")

    assert (await kf.customers.get(customer)).CountryCode == "EL"


async def test_update_customer_overwrites_every_field_not_sent(kf: KashFlowClient):
    customer_id = await new_customer(
        kf, Code="OVR01", Telephone="0117 496 0000", Notes="VIP", PaymentTerms=30, EC=1
    )
    before = await kf.customers.get(customer_id)

    await kf.customers.update(Customer(CustomerID=customer_id, Name="Renamed Ltd"))

    after = await kf.customers.get(customer_id)
    assert after.Name == "Renamed Ltd"
    assert (after.Telephone, after.Notes, after.PaymentTerms, after.EC) == ("", "", 0, 0)
    assert (after.Code, after.Created) == ("OVR01", before.Created)  # ids and history survive
    assert after.Updated is not None


async def test_update_customer_refuses_another_customers_code(kf: KashFlowClient):
    await new_customer(kf, "One", Code="ONE")
    two = await new_customer(kf, "Two", Code="TWO")

    with pytest.raises(InvalidRequestError, match="already exists"):
        await kf.customers.update(Customer(CustomerID=two, Name="Two", Code="ONE"))


async def test_invoices_show_the_customers_current_name(kf: KashFlowClient):
    customer_id = await new_customer(kf, "Old Name Ltd")
    number = await new_invoice(kf, customer_id)

    await kf.customers.update(Customer(CustomerID=customer_id, Name="New Name Ltd"))

    assert (await kf.invoices.get(number)).CustomerName == "New Name Ltd"


@pytest.mark.parametrize(
    ("insert", "problem"),
    [
        ({"Name": ""}, "Name is required"),
        ({"Name": "X", "Discount": Decimal(101)}, "Discount"),
        ({"Name": "X", "EC": 2}, "EC must be 0 or 1"),
    ],
)
async def test_invalid_customers_are_refused(kf: KashFlowClient, insert, problem):
    with pytest.raises(InvalidRequestError, match=problem):
        await kf.customers.insert(Customer(**insert))


async def test_lookups_by_code_email_and_postcode(kf: KashFlowClient):
    first = await new_customer(
        kf, "Postal One", Code="PC1", Email="ap@one.example; boss@one.example", Postcode="BS1 4QA"
    )
    second = await new_customer(kf, "Postal Two", Postcode="bs14qa")

    assert (await kf.customers.by_code("pc1")).CustomerID == first
    assert (await kf.customers.by_email("BOSS@one.example")).CustomerID == first
    found = await kf.customers.by_postcode("BS1 4QA")
    assert [c.CustomerID for c in found] == [first, second]


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        ("GetCustomerByID", {"CustomerID": 999}),
        ("GetCustomer", {"CustomerCode": "NOPE"}),
        ("GetCustomerByEmail", {"CustomerEmail": "nobody@nowhere.example"}),
        ("DeleteCustomer", {"CustomerID": 999}),
        ("UpdateCustomer", {"custr": {"CustomerID": 999, "Name": "Ghost"}}),
        ("GetCustomerBalance", {"CustomerCode": "NOPE"}),
    ],
)
async def test_missing_records_are_status_no_saying_not_found(
    kf: KashFlowClient, operation, params
):
    with pytest.raises(NotFoundError, match=r"not found: (999|NOPE|nobody@nowhere\.example)$"):
        await kf.call(operation, params)
