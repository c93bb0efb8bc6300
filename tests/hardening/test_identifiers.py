"""Identifiers are what they look like; text is stored in one spelling; search finds what it says.

A code, email or VAT number with an invisible character in it would be stored as given and then
shown without it: ``HARB\\u200b01`` would read as a second HARB01. Such input is refused, naming
the field. All text given to the tools is stored NFC-normalised, and ``list_customers`` compares
text the way a person reads it (any case, any Unicode spelling, hidden characters ignored).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest

from kashflow_mcp.kashflow.wire.records import Customer

from ..server.calls import ok, text_of
from ..server.conftest import session
from .harness import ALLOWING, assert_no_internals, inventory

pytestmark = pytest.mark.anyio
CUSTOMER = 20001  # Harbourside Coffee Co, code HARB01
LINE = {"description": "Consulting", "rate": "100.00", "vat_rate": "20"}
INVOICE = {"customer_id": CUSTOMER, "lines": [LINE]}
EMAIL = {"invoice_number": 1001, "subject": "Your invoice", "body": "Attached."}

# One of each kind a person cannot see: zero-width, bidi override and isolate, soft hyphen, byte
# order mark, a control, a tag character, a combining grapheme joiner, a variation selector.
HIDDEN = {
    "\u200b": "U+200B",
    "\u202e": "U+202E",
    "\u2066": "U+2066",
    "\u00ad": "U+00AD",
    "\ufeff": "U+FEFF",
    "\x7f": "U+007F",
    "\U000e0041": "U+E0041",
    "\u034f": "U+034F",
    "\ufe0f": "U+FE0F",
    "\t": "U+0009",
}

# (tool, arguments with {} where a hidden character goes, the identifier's path)
IDENTIFIERS: list[tuple[str, dict[str, Any], str]] = [
    ("create_customer", {"name": "Hidden Ltd", "code": "HARB{}01"}, "code"),
    ("create_customer", {"name": "Hidden Ltd", "email": "a{}b@example.com"}, "email"),
    ("create_customer", {"name": "Hidden Ltd", "vat_number": "GB12{}3456789"}, "vat_number"),
    ("create_customer", {"name": "Hidden Ltd", "telephone": "0117 {}496 0000"}, "telephone"),
    ("create_customer", {"name": "Hidden Ltd", "website": "https://ex{}ample.com"}, "website"),
    ("create_customer", {"name": "H", "address": {"postcode": "BS1{} 4QA"}}, "address.postcode"),
    ("update_customer", {"customer_id": CUSTOMER, "code": "HARB{}01"}, "code"),
    ("update_customer", {"customer_id": CUSTOMER, "mobile": "07700 {}900000"}, "mobile"),
    ("update_customer", {"customer_id": CUSTOMER, "fax": "0117 {}496 0001"}, "fax"),
    ("get_customer", {"code": "HARB{}01"}, "code"),
    ("create_invoice", {**INVOICE, "delivery_address": {"postcode": "BS{}1"}},
     "delivery_address.postcode"),
    ("create_invoice", {**INVOICE, "currency_code": "G{}P"}, "currency_code"),
    ("create_customer", {"name": "H", "address": {"country_code": "G{}B"}}, "address.country_code"),
    ("email_invoice", {**EMAIL, "to": "a{}b@example.com"}, "to"),
    ("email_invoice", {**EMAIL, "to": "a@b.example, c{}d@example.com"}, "to"),
]  # fmt: skip


def planted(arguments: Any, hidden: str) -> Any:
    """``arguments`` with ``hidden`` put where the ``{}`` is."""
    if isinstance(arguments, dict):
        return {key: planted(value, hidden) for key, value in arguments.items()}
    if isinstance(arguments, list):
        return [planted(value, hidden) for value in arguments]
    if isinstance(arguments, str):
        return arguments.replace("{}", hidden)
    return arguments


async def test_identifiers_with_hidden_characters_are_refused_naming_the_field(
    books: Path,
) -> None:
    async with session(books, allow_operations=ALLOWING) as (client, kashflow):
        before = await inventory(kashflow)
        harbourside = await kashflow.customers.get(CUSTOMER)
        problems = []
        for tool, arguments, field in IDENTIFIERS:
            for hidden, code_point in HIDDEN.items():
                sent = planted(arguments, hidden)
                result = await client.call_tool(tool, sent)
                assert_no_internals(result, sent)
                text = text_of(result)
                # Country and currency codes say what they must be instead of naming the character.
                named = code_point in text or field.endswith(("country_code", "currency_code"))
                if not (result.is_error and f"{field}: " in text and named):
                    problems.append(f"{tool} {field} with {code_point}: {text[:160]}")
        after = await inventory(kashflow)
        assert await kashflow.customers.get(CUSTOMER) == harbourside
    assert after == before, "a refused call changed the books"
    assert not problems, "\n".join(problems)


async def test_a_lookalike_of_an_existing_code_cannot_be_created(books: Path) -> None:
    async with session(books) as (client, kashflow):
        result = await client.call_tool(
            "create_customer", {"name": "Harbourside Coffee Co", "code": "HARB\u200b01"}
        )
        codes = [c.Code for c in await kashflow.customers.all()]
    assert result.is_error and "code: " in text_of(result) and "U+200B" in text_of(result)
    assert [code for code in codes if code and "HARB" in code] == ["HARB01"]


DECOMPOSED = unicodedata.normalize("NFD", "Zoë Brontë, Café Ñandú")
COMPOSED = unicodedata.normalize("NFC", DECOMPOSED)


async def test_text_is_stored_nfc_normalised(books: Path) -> None:
    text = DECOMPOSED
    assert text != COMPOSED
    async with session(books) as (client, kashflow):
        created = await ok(
            client,
            "create_customer",
            name=text,
            code="CAFE\u0301",
            contact=text,
            notes=text,
            email="zoe\u0308@example.com",
            address={"lines": [text], "country_name": text},
            extra_fields=[text],
        )
        invoice = await ok(
            client,
            "create_invoice",
            customer_id=created["customer_id"],
            lines=[{**LINE, "description": text}],
            customer_reference=text,
            delivery_address={"name": text, "lines": [text]},
        )
        stored = await kashflow.customers.get(created["customer_id"])
        stored_invoice = await kashflow.invoices.get(invoice["invoice"]["invoice_number"])
    delivery = stored_invoice.DeliveryAddress
    values = [
        stored.Name, stored.Contact, stored.Notes, stored.Address1, stored.CountryName,
        stored.ExtraText1, stored_invoice.CustomerReference,
        delivery.Name if delivery else None, delivery.Line1 if delivery else None,
        stored_invoice.Lines[0].Description if stored_invoice.Lines else None,
    ]  # fmt: skip
    assert values == [COMPOSED] * len(values)
    assert stored.Code == "CAF\u00c9" and stored.Email == "zo\u00eb@example.com"


SEARCHES = [
    ("ＨＡＲＢ０１", "HARB01"),  # full-width
    ("harbourside", "HARB01"),
    ("HARBOURSIDE COFFEE", "HARB01"),
    (unicodedata.normalize("NFD", "Kaffeerösterei"), "KREU01"),  # decomposed ö
    ("KAFFEERÖSTEREI", "KREU01"),
    ("gràfic", "TALL01"),
    ("ｇｒàｆｉｃ", "TALL01"),
]


@pytest.mark.parametrize(("search", "code"), SEARCHES)
async def test_search_finds_what_a_person_would_expect(books: Path, search: str, code: str) -> None:
    async with session(books) as (client, _):
        found = await ok(client, "list_customers", search=search, limit=500)
    assert [row["code"] for row in found["customers"]] == [code]


async def test_search_matches_stored_text_in_any_spelling(books: Path) -> None:
    """Text stored elsewhere, decomposed or with hidden characters, is found as it is shown."""
    async with session(books) as (client, kashflow):
        await kashflow.customers.insert(
            Customer(Name=unicodedata.normalize("NFD", "Crème Brûlée Ltd"), Code="CREM01")
        )
        await kashflow.customers.insert(Customer(Name="Ev\u200bil Twin Ltd", Code="EVIL01"))
        found = {}
        for search in ("crème brûlée", "CRÈME", "evil twin"):
            rows = (await ok(client, "list_customers", search=search))["customers"]
            found[search] = [row["code"] for row in rows]
    assert found == {"crème brûlée": ["CREM01"], "CRÈME": ["CREM01"], "evil twin": ["EVIL01"]}


async def test_get_customer_looks_up_the_normalised_code(books: Path) -> None:
    async with session(books) as (client, _):
        created = await ok(client, "create_customer", name="Café Ltd", code="CAF\u00c901")
        found = await ok(client, "get_customer", code="CAFE\u030101")
    assert found["customer_id"] == created["customer_id"]
    assert found["code"] == "CAF\u00c901"
