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
    async with open_session() as (client, _):
        message = await refused(client, tool, **arguments)
        assert message.startswith("Invalid arguments:") and f"{field}:" in message
