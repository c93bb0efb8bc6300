"""Arguments are taken exactly as the advertised schema types say: no silent coercion."""

from __future__ import annotations

import pytest

from .calls import refused
from .conftest import OpenSession

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("tool", "arguments", "field"),
    [
        ("get_customer", {"customer_id": "20001"}, "customer_id"),
        ("get_customer", {"customer_id": True}, "customer_id"),
        ("list_customers", {"limit": 2.0}, "limit"),
        ("create_invoice", {"customer_id": 20001, "paid": 1,
                            "lines": [{"description": "x", "rate": "1.00", "vat_rate": "0"}]},
         "paid"),
        ("create_customer", {"name": "X", "ec": "yes"}, "ec"),
    ],
)  # fmt: skip
async def test_loosely_typed_arguments_are_refused_naming_the_field(
    open_session: OpenSession, tool: str, arguments: dict, field: str
) -> None:
    await assert_refused_naming(open_session, tool, arguments, field)


async def assert_refused_naming(
    open_session: OpenSession, tool: str, arguments: dict, field: str
) -> None:
    async with open_session() as (client, _):
        message = await refused(client, tool, **arguments)
        assert message.startswith("Invalid arguments:") and f"{field}:" in message, message


LINE = {"description": "x", "rate": "1.00", "vat_rate": "0"}


@pytest.mark.parametrize(
    ("tool", "arguments", "field"),
    [
        ("create_customer", {"name": "x" * 256}, "name"),
        ("create_customer", {"name": ""}, "name"),
        ("update_customer", {"customer_id": 20001, "contact": "x" * 256}, "contact"),
        ("create_customer", {"name": "X", "address": {"postcode": "x" * 256}}, "address.postcode"),
        ("create_customer", {"name": "X", "address": {"floor": 2}}, "address.floor"),
        ("create_invoice", {"customer_id": 20001, "lines": [{**LINE, "description": "x" * 256}]},
         "lines.0.description"),
        ("create_invoice", {"customer_id": 20001, "lines": []}, "lines"),
        ("create_invoice", {"customer_id": 20001, "lines": [{**LINE, "project_id": -1}]},
         "lines.0.project_id"),
        ("delete_customer", {"customer_id": 20001, "confirmation_token": "x" * 401},
         "confirmation_token"),
        ("delete_invoice", {"invoice_number": 1001, "confirm": True}, "confirm"),
        ("get_customer", {"customer_id": 0}, "customer_id"),
        ("list_customers", {"offset": -1}, "offset"),
    ],
)  # fmt: skip
async def test_rules_the_listing_leaves_unsaid_are_still_enforced(
    open_session: OpenSession, tool: str, arguments: dict, field: str
) -> None:
    """Length caps, lower bounds and unknown arguments are not shown, but refused by name."""
    await assert_refused_naming(open_session, tool, arguments, field)
