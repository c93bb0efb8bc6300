"""What a turned-off tool does, call_kashflow_api does not do either.

Each tool names the KashFlow operations that embody it; turning the tool off (``--tools``
without it, or ``--exclude-tools`` with it) makes call_kashflow_api refuse those operations,
saying which tool is off and how the operator turns it back on. An operation a tool still on
performs stays allowed.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from kashflow_mcp.config import Settings
from kashflow_mcp.kashflow import OPERATIONS, Kind
from kashflow_mcp.server import select_tools
from kashflow_mcp.server.app import hidden_operations
from kashflow_mcp.tools import ALL_TOOLS

from .calls import ok, refused
from .conftest import OpenSession

pytestmark = pytest.mark.anyio


def test_every_tools_operations_are_in_the_catalogue() -> None:
    for spec in ALL_TOOLS:
        for name in spec.operations:
            assert name in OPERATIONS, (spec.name, name)


def test_a_tool_performing_a_restricted_operation_is_offered_only_once_it_is_allowed() -> None:
    restricted = {
        spec.name: spec.needs_allowing
        for spec in ALL_TOOLS
        if any(OPERATIONS[name].kind is Kind.RESTRICTED for name in spec.operations)
    }
    assert restricted == {"email_invoice": ("EmailInvoice",)}
    every = {spec.name for spec in select_tools(Settings(toolsets=["all"]))}
    allowed = select_tools(Settings(toolsets=["all"], allow_operations=["EmailInvoice"]))
    assert "email_invoice" not in every
    assert {spec.name for spec in allowed} == every | {"email_invoice"}


def test_a_tool_withheld_for_want_of_an_allowance_hides_nothing() -> None:
    """Its operation is refused as restricted; once allowed, turning the tool off hides it."""
    assert "EmailInvoice" not in hidden_operations(select_tools(Settings()))
    allowed = Settings(allow_operations=["EmailInvoice"], exclude_tools=["email_invoice"])
    hidden = hidden_operations(select_tools(allowed), allowed_operations=["EmailInvoice"])
    assert hidden == {"EmailInvoice": "email_invoice"}


def test_each_first_class_tool_names_what_it_does() -> None:
    operations = {spec.name: spec.operations for spec in ALL_TOOLS}
    assert operations["call_kashflow_api"] == ()
    assert operations["delete_customer"] == ("DeleteCustomer",)
    assert {"DeleteInvoice", "DeleteInvoiceByID"} <= set(operations["delete_invoice"])
    assert {"GetCustomerByID", "GetCustomer"} <= set(operations["get_customer"])
    assert {"GetInvoice", "GetInvoiceByID"} <= set(operations["get_invoice"])
    for spec in ALL_TOOLS:
        if spec.name not in ("call_kashflow_api", "list_accounts"):  # neither does one thing
            assert spec.operations, spec.name
            assert spec.read_only == all(OPERATIONS[n].kind is Kind.READ for n in spec.operations)


def test_only_operations_no_visible_tool_performs_are_hidden() -> None:
    shown = select_tools(Settings(exclude_tools=["get_customer", "delete_invoice"]))
    hidden = hidden_operations(shown)
    assert hidden["DeleteInvoice"] == "delete_invoice"
    assert hidden["GetCustomerByID"] == "get_customer"
    assert "DeleteCustomer" not in hidden and "GetInvoice" not in hidden
    assert hidden_operations(select_tools(Settings())) == {}


def test_an_operation_a_visible_tool_also_performs_stays_allowed() -> None:
    by_name = {spec.name: spec for spec in ALL_TOOLS}
    # Suppose two tools both delete invoices; turning one off leaves the other doing it.
    sharing = replace(by_name["delete_customer"], operations=("DeleteCustomer", "DeleteInvoice"))
    every = [sharing if spec.name == "delete_customer" else spec for spec in ALL_TOOLS]
    one_off = [spec for spec in every if spec.name != "delete_invoice"]
    assert "DeleteInvoice" not in hidden_operations(one_off, every)
    both_off = [spec for spec in one_off if spec.name != "delete_customer"]
    assert hidden_operations(both_off, every)["DeleteInvoice"] in {
        "delete_customer",
        "delete_invoice",
    }


async def test_excluding_delete_customer_stops_the_generic_delete_too(
    open_session: OpenSession,
) -> None:
    async with open_session(exclude_tools=["delete_customer"]) as (client, kashflow):
        customer = (await kashflow.customers.all())[0].CustomerID
        message = await refused(
            client, "call_kashflow_api", method="DeleteCustomer", body={"CustomerID": customer}
        )
        assert "delete_customer" in message and "turned delete_customer off" in message
        assert "--exclude-tools" in message and "--tools" in message
        assert await kashflow.customers.get(customer or 0)
        # What other tools still on do stays allowed.
        number = (await kashflow.invoices.recent(1))[0].InvoiceNumber
        held = await ok(
            client, "call_kashflow_api", method="DeleteInvoice", body={"InvoiceNumber": number}
        )
        assert held["status"] == "confirmation_required"


async def test_only_the_generic_tool_on_refuses_what_every_other_tool_does(
    open_session: OpenSession,
) -> None:
    async with open_session(tools=["call_kashflow_api"]) as (client, kashflow):
        customer = (await kashflow.customers.all())[0].CustomerID
        for method, body, tool in (
            ("DeleteCustomer", {"CustomerID": customer}, "delete_customer"),
            ("GetCustomers", {}, "list_customers"),
            ("GetCustomerByID", {"CustomerID": customer}, "get_customer"),
            ("InsertInvoice_TypeDefined", {"Inv_TD": {}}, "create_invoice"),
        ):
            message = await refused(client, "call_kashflow_api", method=method, body=body)
            assert f"is what the {tool} tool does" in message, message
        # Operations no first-class tool performs are untouched.
        await ok(client, "call_kashflow_api", method="GetCurrencies")


async def test_a_tool_that_stays_on_keeps_its_operations(open_session: OpenSession) -> None:
    async with open_session(exclude_tools=["get_invoice"]) as (client, kashflow):
        message = await refused(
            client, "call_kashflow_api", method="GetInvoice", body={"InvoiceNumber": 1001}
        )
        assert "get_invoice" in message
        customer = (await kashflow.customers.all())[0].CustomerID
        result = await ok(
            client, "call_kashflow_api", method="GetInvoicesForCustomer", body={"CustID": customer}
        )
        assert result["status"] == "ok"
