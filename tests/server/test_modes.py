"""Read-only mode and tool filters, applied in one place, failing fast on unknown names."""

from __future__ import annotations

import pytest

from kashflow_mcp.config import Settings
from kashflow_mcp.server import ConfigurationError, select_tools

from .calls import ok, refused
from .conftest import OpenSession

pytestmark = pytest.mark.anyio
READS = {"list_customers", "get_customer", "list_invoices", "get_invoice"}


async def names(client) -> set[str]:  # type: ignore[no-untyped-def]
    return {tool.name for tool in (await client.list_tools()).tools}


async def test_all_eleven_tools_by_default(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        assert len(await names(client)) == 11


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
