"""Value types shared by every tool schema: money, rates, dates, country codes, free text.

Money crosses JSON as a decimal *string*: a JSON number loses digits before any validator sees
it. Dates are ``YYYY-MM-DD`` only. Text coming back from KashFlow is cleaned of control,
bidirectional and invisible characters, so what the model reads is what a person would see.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
)

# [0-9], not \d: Python's \d also matches Arabic-Indic or full-width digits, which JSON
# Schema's does not, and Decimal would read "١٢" as 12.
MONEY_PATTERN = r"^-?[0-9]{1,12}(\.[0-9]{1,2})?$"
QUANTITY_PATTERN = r"^-?[0-9]{1,9}(\.[0-9]{1,4})?$"
PERCENT_PATTERN = r"^(100(\.00?)?|[0-9]{1,2}(\.[0-9]{1,2})?)$"
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")

# Models build their validators on first use, not at import: start-up needs none of them, since
# the tools' JSON schemas ship ready-made (server/json_schema.py).


class ArgsModel(BaseModel):
    """Base of every tool's arguments: unknown arguments are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class ResultModel(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


def _decimal_parser(
    pattern: str, what: str, example: str, *, whole_numbers: bool
) -> Callable[[Any], Decimal]:
    """A validator taking a decimal string matching ``pattern`` (and, if allowed, a JSON int)."""

    def parse(value: Any) -> Decimal:
        if isinstance(value, Decimal):
            value = format(value, "f")
        if whole_numbers and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, bool) or not isinstance(value, str):
            raise ValueError(f'{what} must be a string such as "{example}"')
        if not re.fullmatch(pattern, value.strip()):
            raise ValueError(
                f'{what} must look like "{example}": digits, no exponent, few decimals'
            )
        try:
            return Decimal(value.strip())
        except InvalidOperation:  # pragma: no cover - the pattern already rules this out
            raise ValueError(f"{what} is not a number") from None

    return parse


def _plain(value: Decimal) -> str:
    return format(value, "f")


_decimal_as_string = PlainSerializer(_plain, return_type=str, when_used="json")


def _decimal_string(parse: Callable[[Any], Decimal], pattern: str) -> Any:
    """A Decimal that crosses JSON as a string matching ``pattern``."""
    return Annotated[
        Decimal,
        BeforeValidator(parse),
        _decimal_as_string,
        WithJsonSchema({"type": "string", "pattern": pattern}),
    ]


Money = _decimal_string(
    _decimal_parser(MONEY_PATTERN, "an amount", "12.50", whole_numbers=False), MONEY_PATTERN
)
"""An amount of money in the document's currency, 2 decimal places at most."""

Amount = Annotated[Decimal, _decimal_as_string, WithJsonSchema({"type": "string"})]
"""A decimal read from KashFlow (money, rates), shown as a string."""

# Quantities and percentages are not money: a whole JSON number is harmless, so it is taken too.
Quantity = _decimal_string(
    _decimal_parser(QUANTITY_PATTERN, "a quantity", "1.5", whole_numbers=True), QUANTITY_PATTERN
)
_percent = _decimal_parser(PERCENT_PATTERN, "a percentage from 0 to 100", "20", whole_numbers=True)
Percent = _decimal_string(_percent, PERCENT_PATTERN)

VAT_EXEMPT = "exempt"


def _vat_rate(value: Any) -> Decimal | str:
    if isinstance(value, str) and value.strip().lower() == VAT_EXEMPT:
        return VAT_EXEMPT
    return _percent(value)


VatRate = Annotated[
    Decimal | str,
    BeforeValidator(_vat_rate),
    PlainSerializer(lambda v: v if isinstance(v, str) else _plain(v), return_type=str),
    WithJsonSchema({"type": "string", "pattern": f"^({VAT_EXEMPT}|{PERCENT_PATTERN[2:-2]})$"}),
]
"""A VAT percentage such as "20", "5" or "0", or "exempt"."""


def _iso_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DATE.fullmatch(value.strip()):
        raise ValueError("dates must be YYYY-MM-DD")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{value} is not a real date") from None


IsoDate = Annotated[
    date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date"}),
]

# KashFlow spells Greece EL (its VAT prefix), not ISO's GR; the UK is GB.
_KASHFLOW_COUNTRY = {"GR": "EL", "UK": "GB"}


def _country_code(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{2}", value.strip()):
        raise ValueError("a two-letter country code such as GB, IE or EL")
    code = value.strip().upper()
    return _KASHFLOW_COUNTRY.get(code, code)


CountryCode = Annotated[
    str,
    BeforeValidator(_country_code),
    WithJsonSchema({"type": "string", "pattern": "^[A-Za-z]{2}$"}),
]
"""ISO 3166 alpha-2; GR is sent as KashFlow's EL."""

# Characters XML 1.0 cannot carry at all (the same rule the SOAP encoder applies): refusing
# them here names the argument, rather than KashFlow's field, in the error.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _storable(value: str) -> str:
    if _XML_ILLEGAL.search(value):
        raise ValueError("contains control characters KashFlow cannot store")
    return value


LINE_MAX = 255
LONG_TEXT_MAX = 4000
Line = Annotated[str, Field(max_length=LINE_MAX), AfterValidator(_storable)]
LongText = Annotated[str, Field(max_length=LONG_TEXT_MAX), AfterValidator(_storable)]

# Controls, format characters (bidi, zero-width, tags), private and unassigned code points, and
# line/paragraph separators; tab and newline survive.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})
_KEEP = frozenset("\n\t")
# Invisible letters and selectors that can hide text or bytes in plain sight.
_INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800") | frozenset(
    chr(c) for c in (*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0))
)


def clean_text(value: str) -> str:
    """Text from KashFlow as a person would read it: no hidden or reordering characters."""
    if value.isascii() and value.isprintable():
        return value
    return "".join(
        ch
        for ch in value
        if ch in _KEEP
        or (unicodedata.category(ch) not in _UNSAFE_CATEGORIES and ch not in _INVISIBLE)
    )


CleanText = Annotated[str, AfterValidator(clean_text)]
"""Free text that came from KashFlow: shown as data, never as instructions."""


class Page(ResultModel):
    total: int = Field(description="Rows matching, across all pages.")
    offset: int
    next_offset: int | None = Field(
        None, description="Pass as offset for the next page; null at end."
    )
    as_of: str = Field(description="When KashFlow was read (UTC); lists may be cached briefly.")


class Deletion(ResultModel):
    """What a delete tool answers: done, held for confirmation, or declined by the user."""

    status: Literal["confirmation_required", "declined", "deleted"]
    message: str
    confirmation_token: str | None = None
    expires_in_seconds: int | None = None


OFFSET_DESCRIPTION = "The previous page's next_offset."
TOKEN_DESCRIPTION = "From the preview; only once the user agrees."


class UserConfirmation(BaseModel):
    """What a client that supports elicitation asks its user before a destructive call."""

    confirm: bool = Field(description="Yes, go ahead.")
