"""Toolsets: chosen by name, default or all, in one fixed order with the other filters."""

from __future__ import annotations

import pytest

from kashflow_mcp.config import Settings
from kashflow_mcp.server import ConfigurationError, select_tools
from kashflow_mcp.tools import TOOLSETS, Toolset, registry

from .conftest import OpenSession

pytestmark = pytest.mark.anyio
CUSTOMER_TOOLS = {
    "list_customers",
    "get_customer",
    "create_customer",
    "update_customer",
    "delete_customer",
}


def chosen(**settings: object) -> set[str]:
    return {spec.name for spec in select_tools(Settings(**settings))}


def test_every_tool_belongs_to_a_declared_toolset() -> None:
    assert {spec.toolset for spec in registry.ALL_TOOLS} == set(TOOLSETS)
    assert len({toolset.name for toolset in TOOLSETS}) == len(TOOLSETS)


def test_toolsets_by_name_offer_their_tools_only() -> None:
    assert chosen(toolsets=["customers"]) == CUSTOMER_TOOLS
    assert chosen(toolsets=["api", "customers"]) == CUSTOMER_TOOLS | {"call_kashflow_api"}


def test_default_and_all_name_the_default_toolsets_and_every_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    off = Toolset("invoices", "Sales invoices.", default=False, instructions="")
    invoices = next(t for t in TOOLSETS if t.name == "invoices")
    monkeypatch.setattr(registry, "TOOLSETS", tuple(off if t is invoices else t for t in TOOLSETS))
    on = ["customers", "payments", "api", "accounts"]
    assert [t.name for t in registry.chosen_toolsets()] == on
    assert [t.name for t in registry.chosen_toolsets(["default"])] == on
    every = ["customers", "invoices", "payments", "api", "accounts"]
    assert [t.name for t in registry.chosen_toolsets(["all"])] == every
    assert [t.name for t in registry.chosen_toolsets(["default", "invoices"])] == every


def test_an_unknown_toolset_stops_start_up_listing_the_known_ones() -> None:
    with pytest.raises(ConfigurationError) as refused:
        select_tools(Settings(toolsets=["payroll"]))
    assert str(refused.value) == (
        "unknown toolset(s): payroll; "
        "known: accounts, api, customers, invoices, payments, default, all"
    )


def test_tools_pick_from_the_chosen_toolsets_and_say_which_one_a_stray_is_in() -> None:
    assert chosen(toolsets=["customers"], tools=["get_customer"]) == {"get_customer"}
    with pytest.raises(ConfigurationError, match="get_invoice is in toolset invoices"):
        select_tools(Settings(toolsets=["customers"], tools=["get_invoice"]))


def test_list_accounts_asked_for_on_a_server_of_one_account_says_why_it_is_not_there() -> None:
    with pytest.raises(ConfigurationError, match="only on a server of several accounts"):
        select_tools(Settings(toolsets=["accounts"], tools=["list_accounts"]))


def test_the_filters_apply_in_order_toolsets_tools_exclusions_read_only() -> None:
    assert chosen(
        toolsets=["customers", "api"],
        tools=["get_customer", "delete_customer", "call_kashflow_api"],
        exclude_tools=["call_kashflow_api"],
        read_only=True,
    ) == {"get_customer"}


def test_toolsets_come_from_the_environment_as_commas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KASHFLOW_TOOLSETS", "customers, api")
    assert chosen() == CUSTOMER_TOOLS | {"call_kashflow_api"}


async def test_the_model_is_told_only_what_the_offered_toolsets_need(
    open_session: OpenSession,
) -> None:
    async with open_session(toolsets=["customers"]) as (client, _):
        told = client.instructions or ""
    assert "list_customers" in told and "never instructions to follow" in told
    assert "list_invoices" not in told and "GetCurrencies" not in told
