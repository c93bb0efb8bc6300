"""Customer tools through the MCP client, against the sandbox's demo books."""

from __future__ import annotations

import pytest

from kashflow_mcp.kashflow import NotFoundError

from .calls import ok, refused, text_of
from .conftest import OpenSession

pytestmark = pytest.mark.anyio


async def test_list_pages_through_every_customer_once(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        first = await ok(client, "list_customers", limit=10)
        total, seen, offset = first["total"], [], 0
        while offset is not None:
            page = await ok(client, "list_customers", limit=10, offset=offset)
            seen += [row["customer_id"] for row in page["customers"]]
            offset = page.get("next_offset")
        assert total >= 25 and len(seen) == total == len(set(seen))


async def test_list_rows_are_compact_and_text_is_a_table(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        result = await client.call_tool("list_customers", {"limit": 3})
        rows = result.structured_content["customers"]  # type: ignore[index]
        assert set(rows[0]) <= {"customer_id", "code", "name", "email", "postcode"}
        lines = text_of(result).splitlines()
        assert lines[1] == "customer_id | code | name | email | postcode"
        assert not text_of(result).lstrip().startswith("{")


# A customer whose every searched field holds a word found nowhere else in it (nor in the
# demo books): each search below can find it only through that one field, and each is spelt
# in another case than the one stored.
SEARCHED = {
    "name": "Quillwort Partners",
    "code": "ZQXV07",
    "email": "marigold@pelham.example",
    "contact": "Bartholomew Fennimore",
    "address": {"postcode": "YO91 7XJ"},
}
SEARCHES = [
    ("name", "QUILLWORT"),
    ("code", "zqxv"),
    ("email", "MariGold@Pel"),
    ("contact", "fennimore"),
    ("postcode", "yo91 7xj"),
]


@pytest.mark.parametrize(("field", "needle"), SEARCHES, ids=[field for field, _ in SEARCHES])
async def test_search_finds_a_customer_by_each_field_in_any_case(
    open_session: OpenSession, field: str, needle: str
) -> None:
    async with open_session() as (client, _):
        created = await ok(client, "create_customer", **SEARCHED)
        shown = {**created, "postcode": created["address"]["postcode"]}
        others = [other for other, _ in SEARCHES if other != field]
        assert needle.casefold() in shown[field].casefold()
        assert all(needle.casefold() not in shown[other].casefold() for other in others)
        found = await ok(client, "list_customers", search=needle)
    assert [row["customer_id"] for row in found["customers"]] == [created["customer_id"]]
    assert found["total"] == 1


async def test_get_customer_by_id_and_by_code_agree(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        row = (await ok(client, "list_customers", limit=1))["customers"][0]
        by_id = await ok(client, "get_customer", customer_id=row["customer_id"])
        by_code = await ok(client, "get_customer", code=row["code"])
        assert by_id == by_code and by_id["name"] == row["name"]


async def test_a_missing_customer_says_where_to_find_ids(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        message = await refused(client, "get_customer", customer_id=999999)
        assert message == "No customer 999999. Find customer ids with list_customers."


async def test_create_customer_with_every_field(open_session: OpenSession) -> None:
    async with open_session() as (client, kashflow):
        created = await ok(
            client,
            "create_customer",
            name="Olympus Imports",
            code="OLY01",
            contact_first_name="Eleni",
            contact_last_name="Papadopoulou",
            email="eleni@olympus.example",
            address={"lines": ["12 Ermou", "Athens"], "postcode": "105 63", "country_code": "GR"},
            delivery_address={"lines": ["Warehouse 4"], "country_code": "GR"},
            ec=True,
            discount="2.5",
            show_discount=True,
            payment_terms=45,
            vat_number="EL123456789",
            extra_fields=["first", "", "third"],
            extra_checkboxes=[True, False, True],
            notes="Prefers email",
        )
        assert created["code"] == "OLY01" and created["customer_id"] > 0
        assert created["address"]["country_code"] == "EL"
        assert created["delivery_address"]["lines"] == ["Warehouse 4"]
        assert created["discount"] == "2.5" and created["ec"] is True
        assert created["extra_fields"] == ["first", "", "third"]
        assert created["extra_checkboxes"] == [True, False, True]
        wire = await kashflow.customers.get(created["customer_id"])
        assert (wire.CountryCode, wire.EC, wire.CustHasDeliveryAddress) == ("EL", 1, 1)
        listed = await ok(client, "list_customers", search="olympus")
        assert [row["customer_id"] for row in listed["customers"]] == [created["customer_id"]]


async def test_update_changes_only_the_fields_given(open_session: OpenSession) -> None:
    async with open_session() as (client, kashflow):
        created = await ok(
            client, "create_customer", name="Keep Me Ltd", notes="keep", telephone="01234 567890"
        )
        updated = await ok(
            client, "update_customer", customer_id=created["customer_id"], email="new@keep.example"
        )
        assert updated["changed"] == ["email"]
        assert updated["customer"]["notes"] == "keep"
        assert updated["customer"]["telephone"] == "01234 567890"
        wire = await kashflow.customers.get(created["customer_id"])
        assert (wire.Email, wire.Notes, wire.Name) == ("new@keep.example", "keep", "Keep Me Ltd")


async def test_update_with_nothing_to_change_is_refused(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        assert "Nothing to change" in await refused(client, "update_customer", customer_id=1)


async def test_delete_customer_needs_the_token_and_takes_the_invoices(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, kashflow):
        rows = (await ok(client, "list_customers", limit=100))["customers"]
        for row in rows:
            invoices = await kashflow.invoices.for_customer(row["customer_id"])
            if invoices:
                break
        target = row["customer_id"]
        preview = await ok(client, "delete_customer", customer_id=target)
        assert preview["status"] == "confirmation_required"
        assert preview["preview"]["invoices"] == len(invoices)
        assert await kashflow.customers.get(target)  # nothing happened yet
        done = await ok(
            client,
            "delete_customer",
            customer_id=target,
            confirmation_token=preview["confirmation_token"],
        )
        assert done["status"] == "deleted"
        with pytest.raises(NotFoundError):
            await kashflow.customers.get(target)
        for number in [invoice.InvoiceNumber for invoice in invoices]:
            with pytest.raises(NotFoundError):
                await kashflow.invoices.get(number or 0)
