"""Read-only mode and tool filters, applied in one place, failing fast on unknown names.

Read-only hides the tools that change the books, and each of them also refuses by itself when
called on read-only books, listed or not, before anything reaches KashFlow.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp.server import MCPServer
from mcp.types import ElicitRequestParams, ElicitResult

from kashflow_mcp.config import Settings
from kashflow_mcp.connection import open_client
from kashflow_mcp.kashflow import OPERATIONS, KashFlowClient, Kind
from kashflow_mcp.server import ConfigurationError, select_tools
from kashflow_mcp.server.adapter import KashFlowTool
from kashflow_mcp.server.app import tool_env
from kashflow_mcp.tools import ALL_TOOLS

from .calls import ok, refused, text_of
from .conftest import OpenSession

pytestmark = pytest.mark.anyio
READS = {
    "list_customers",
    "get_customer",
    "list_invoices",
    "get_invoice",
    "list_payments",
    "list_payment_methods",
    "list_bank_accounts",
    "aged_debtors",
}


async def names(client) -> set[str]:  # type: ignore[no-untyped-def]
    return {tool.name for tool in (await client.list_tools()).tools}


async def test_all_twenty_tools_by_default(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        assert len(await names(client)) == 20


async def test_read_only_hides_every_write_tool(open_session: OpenSession) -> None:
    async with open_session(read_only=True) as (client, _):
        assert await names(client) == READS | {"call_kashflow_api"}
        result = await client.call_tool("delete_invoice", {"invoice_number": 1})
        assert result.is_error


async def test_read_only_refuses_writes_through_the_generic_call(
    open_session: OpenSession,
) -> None:
    async with open_session(read_only=True) as (client, _):
        await ok(client, "call_kashflow_api", method="GetVATRates")
        message = await refused(
            client, "call_kashflow_api", method="DeleteInvoice", body={"InvoiceNumber": 1}
        )
        assert "read-only" in message


async def test_read_only_hides_email_invoice_even_where_emailing_is_allowed(
    open_session: OpenSession,
) -> None:
    async with open_session(read_only=True, allow_operations=["EmailInvoice"]) as (client, _):
        assert "email_invoice" not in await names(client)
        message = await refused(
            client, "call_kashflow_api", method="EmailInvoice", body={"InvoiceNumber": 1001}
        )
        assert "read-only" in message


async def test_read_only_wins_over_an_allow_list(open_session: OpenSession) -> None:
    async with open_session(read_only=True, tools=["get_customer", "create_customer"]) as (
        client,
        _,
    ):
        assert await names(client) == {"get_customer"}


async def test_tools_and_exclude_tools_filter_by_name(open_session: OpenSession) -> None:
    async with open_session(
        tools=["list_customers", "get_customer", "delete_customer"],
        exclude_tools=["delete_customer"],
    ) as (client, _):
        assert await names(client) == {"list_customers", "get_customer"}


@pytest.mark.parametrize("field", ["tools", "exclude_tools"])
def test_an_unknown_tool_name_fails_at_start_up(field: str) -> None:
    with pytest.raises(ConfigurationError, match=r"unknown tool name.*delete_everything"):
        select_tools(Settings(**{field: ["delete_everything"]}))


def test_tool_lists_come_from_the_environment_as_commas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KASHFLOW_TOOLS", "list_customers, get_customer")
    assert [spec.name for spec in select_tools(Settings())] == ["list_customers", "get_customer"]


class AgreeingUser:
    """Says yes to every question, so a delete that slipped past the guard would really act."""

    def __init__(self) -> None:
        self.questions: list[str] = []

    async def __call__(self, context: Any, params: ElicitRequestParams) -> ElicitResult:
        self.questions.append(params.message)
        return ElicitResult(action="accept", content={"confirm": True})


@asynccontextmanager
async def listed_but_read_only(
    books: Path, user: AgreeingUser
) -> AsyncIterator[tuple[Client, KashFlowClient]]:
    """Every tool listed, on books this server may only read.

    So it will be for a read-only account on a server that serves several accounts: the
    tools stay listed, and each call must refuse by itself.
    """
    config = Settings(sandbox=True, sandbox_db=books)
    kashflow = open_client(config)
    env = replace(tool_env(config, kashflow, ALL_TOOLS), read_only=True)
    server = MCPServer(name="kashflow", tools=[KashFlowTool.build(s, env) for s in ALL_TOOLS])
    try:
        async with Client(server, mode="legacy", elicitation_callback=user) as client:
            yield client, kashflow
    finally:
        await kashflow.aclose()


CUSTOMER = 20001
LINE = {"description": "Read-only work", "rate": "10.00", "vat_rate": "20"}
INVOICE = "{invoice}"  # stands for an invoice of CUSTOMER's
PAYMENT = {"PayInvoice": INVOICE, "PayAmount": "1.00", "PayDate": "2026-01-05"}
# Arguments that would act at once if allowed: the user agrees to every delete.
WRITE_CALLS: dict[str, dict[str, Any]] = {
    "create_customer": {"name": "Never Created Ltd"},
    "update_customer": {"customer_id": CUSTOMER, "notes": "never written"},
    "delete_customer": {"customer_id": CUSTOMER},
    "create_invoice": {"customer_id": CUSTOMER, "lines": [LINE]},
    "update_invoice": {"invoice_number": INVOICE, "customer_reference": "never written"},
    "delete_invoice": {"invoice_number": INVOICE},
    "record_payment": {"invoice_number": INVOICE, "amount": "1.00"},
    "delete_payment": {"payment_id": 810001},  # one of the demo's payments
    "create_credit_note": {"customer_id": CUSTOMER, "lines": [LINE], "invoice_number": INVOICE},
    "apply_credit_note": {"credit_note_number": 1001, "invoice_number": INVOICE},
    "add_invoice_note": {"invoice_number": INVOICE, "note": "never written"},
    "email_invoice": {"invoice_number": INVOICE, "to": "a@b.example", "subject": "s", "body": "b"},
    "call_kashflow_api": {"method": "InsertInvoicePayment", "body": {"InvoicePayment": PAYMENT}},
}


def with_invoice(value: Any, number: int) -> Any:
    if value == INVOICE:
        return number
    if isinstance(value, dict):
        return {key: with_invoice(item, number) for key, item in value.items()}
    return value


def test_every_tool_that_can_change_the_books_is_tried_read_only() -> None:
    assert set(WRITE_CALLS) == {spec.name for spec in ALL_TOOLS if not spec.read_only}


@pytest.mark.parametrize("tool", sorted(WRITE_CALLS))
async def test_a_listed_write_tool_refuses_on_read_only_books_and_sends_nothing(
    books: Path, tool: str
) -> None:
    user = AgreeingUser()
    async with listed_but_read_only(books, user) as (client, kashflow):
        assert await names(client) == {spec.name for spec in ALL_TOOLS}
        invoices = (await ok(client, "list_invoices", customer_id=CUSTOMER))["invoices"]
        arguments = with_invoice(WRITE_CALLS[tool], invoices[0]["invoice_number"])
        result = await client.call_tool(tool, arguments)
        sent = dict(kashflow.transport.app.state.faults.counts)  # type: ignore[attr-defined]
    assert result.is_error, f"{tool} acted on read-only books: {text_of(result)}"
    assert "read-only" in text_of(result)
    assert [op for op in sent if OPERATIONS[op].kind is not Kind.READ] == []
    assert user.questions == []
