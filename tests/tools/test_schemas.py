"""Argument types: money as strings, strict dates, KashFlow's country codes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from kashflow_mcp.schemas.common import DocumentLineIn
from kashflow_mcp.schemas.customers import AddressIn, GetCustomerArgs
from kashflow_mcp.schemas.invoices import CreateInvoiceArgs
from kashflow_mcp.schemas.values import clean_text


def line(**fields: object) -> DocumentLineIn:
    return DocumentLineIn.model_validate(
        {"description": "x", "rate": "1.00", "vat_rate": "20", **fields}
    )


def test_money_is_taken_from_a_string_without_losing_digits() -> None:
    assert line(rate="123456789012.34").rate == Decimal("123456789012.34")


@pytest.mark.parametrize("rate", [12.5, 12, "1e3", "NaN", "Infinity", "12.345", "12,50", "", True])
def test_money_refuses_numbers_exponents_nan_and_extra_decimals(rate: object) -> None:
    with pytest.raises(ValidationError) as caught:
        line(rate=rate)
    assert caught.value.errors()[0]["loc"] == ("rate",)


def test_vat_can_be_a_percentage_or_exempt_but_nothing_else() -> None:
    assert line(vat_rate="exempt").vat_rate == "exempt"
    assert line(vat_rate="5").vat_rate == Decimal("5")
    for bad in ("20%", "101", "-1", "EXEMPT", "Exempt", "exempt\n", 20, 0):
        with pytest.raises(ValidationError):
            line(vat_rate=bad)


def test_quantity_is_a_decimal_string_as_its_schema_says() -> None:
    assert line(quantity="3").quantity == Decimal("3")
    assert line(quantity="1.25").quantity == Decimal("1.25")
    for bad in (3, 1.25, True, "3\n", " 3"):
        with pytest.raises(ValidationError) as caught:
            line(quantity=bad)
        assert caught.value.errors()[0]["loc"] == ("quantity",)


@pytest.mark.parametrize("day", ["31/01/2026", "2026-02-30", "20260101", 1767225600])
def test_dates_are_strictly_iso(day: object) -> None:
    with pytest.raises(ValidationError) as caught:
        CreateInvoiceArgs.model_validate(
            {
                "customer_id": 1,
                "invoice_date": day,
                "lines": [{"description": "x", "rate": "1", "vat_rate": "0"}],
            }
        )
    assert caught.value.errors()[0]["loc"] == ("invoice_date",)


def test_greece_is_sent_as_kashflows_el() -> None:
    assert AddressIn(country_code="gr").country_code == "EL"
    assert AddressIn(country_code="EL").country_code == "EL"
    assert AddressIn(country_code="ie").country_code == "IE"


def test_unknown_arguments_are_an_error_not_ignored() -> None:
    with pytest.raises(ValidationError) as caught:
        GetCustomerArgs.model_validate({"customer_id": 1, "confirm": True})
    assert caught.value.errors()[0]["loc"] == ("confirm",)


def test_get_customer_needs_exactly_one_key() -> None:
    with pytest.raises(ValidationError):
        GetCustomerArgs.model_validate({})
    with pytest.raises(ValidationError):
        GetCustomerArgs.model_validate({"customer_id": 1, "code": "A"})


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Acme\u202eLtd", "AcmeLtd"),  # right-to-left override
        ("Ac\u200bme", "Acme"),  # zero-width space
        ("bell\x07 and esc\x1b", "bell and esc"),
        ("tag\U000e0041s", "tags"),  # invisible tag characters
        ("line one\nline two\tx", "line one\nline two\tx"),
        ("Zoë Ñúñez 日本", "Zoë Ñúñez 日本"),
    ],
)
def test_text_from_kashflow_is_cleaned_of_hidden_characters(raw: str, shown: str) -> None:
    assert clean_text(raw) == shown
