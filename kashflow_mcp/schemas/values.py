"""Value types shared by every tool schema: money, rates, dates, country codes, free text.

Money crosses JSON as a decimal *string*: a JSON number loses digits before any validator sees
it. Dates are ``YYYY-MM-DD`` only, within the years KashFlow can hold. A value is held to its
published pattern exactly as JSON Schema reads it (ECMA-262: ``$`` is the end of the input, no
case folding, no whitespace trimmed first). Text given to us is normalised to NFC; identifiers
(codes, emails, VAT numbers) with invisible characters are refused, since they would show as
someone else's. Text coming back from KashFlow is cleaned of control, bidirectional and
invisible characters, so what the model reads is what a person would see.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer, WithJsonSchema

# [0-9], not \d: Python's \d also matches Arabic-Indic or full-width digits, which JSON
# Schema's does not, and Decimal would read "١٢" as 12.
MONEY_PATTERN = r"^-?[0-9]{1,12}(\.[0-9]{1,2})?$"
QUANTITY_PATTERN = r"^-?[0-9]{1,9}(\.[0-9]{1,4})?$"
PERCENT_PATTERN = r"^(100(\.00?)?|[0-9]{1,2}(\.[0-9]{1,2})?)$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
# The years KashFlow keeps books in; outside them a date is a typo (or .NET's "no date").
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2099, 12, 31)


def ecma_pattern(pattern: str) -> re.Pattern[str]:
    """``pattern`` as JSON Schema reads it: a final ``$`` ends the input, not a last line.

    Python's ``$`` also matches before a trailing newline, so "10.00\\n" would pass
    ``^[0-9.]+$`` here while every JSON Schema validator refuses it.
    """
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _decimal_parser(pattern: str, what: str, example: str) -> Callable[[Any], Decimal]:
    """A validator taking a decimal string matching ``pattern``, as the schema says: no numbers."""
    matches = ecma_pattern(pattern).search

    def parse(value: Any) -> Decimal:
        if isinstance(value, Decimal):
            value = format(value, "f")
        if not isinstance(value, str):
            raise ValueError(f'{what} must be a string such as "{example}"')
        if not matches(value):
            raise ValueError(
                f'{what} must look like "{example}": digits, no exponent, few decimals'
            )
        try:
            return Decimal(value)
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


Money = _decimal_string(_decimal_parser(MONEY_PATTERN, "an amount", "12.50"), MONEY_PATTERN)
"""An amount of money in the document's currency, 2 decimal places at most."""

Amount = Annotated[Decimal, _decimal_as_string, WithJsonSchema({"type": "string"})]
"""A decimal read from KashFlow (money, rates), shown as a string."""

Quantity = _decimal_string(_decimal_parser(QUANTITY_PATTERN, "a quantity", "1.5"), QUANTITY_PATTERN)
_percent = _decimal_parser(PERCENT_PATTERN, "a percentage from 0 to 100", "20")
Percent = _decimal_string(_percent, PERCENT_PATTERN)

VAT_EXEMPT = "exempt"


def _vat_rate(value: Any) -> Decimal | str:
    if value == VAT_EXEMPT:
        return VAT_EXEMPT
    return _percent(value)


VatRate = Annotated[
    Decimal | str,
    BeforeValidator(_vat_rate),
    PlainSerializer(lambda v: v if isinstance(v, str) else _plain(v), return_type=str),
    WithJsonSchema({"type": "string", "pattern": f"^({VAT_EXEMPT}|{PERCENT_PATTERN[2:-2]})$"}),
]
"""A VAT percentage such as "20", "5" or "0", or "exempt"."""


_is_iso_date = ecma_pattern(DATE_PATTERN).search


def _iso_date(value: Any) -> date:
    if not isinstance(value, date):
        if not isinstance(value, str) or not _is_iso_date(value):
            raise ValueError("dates must be YYYY-MM-DD")
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value} is not a real date") from None
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(f"dates must be from {EARLIEST_DATE} to {LATEST_DATE}")
    return value


IsoDate = Annotated[
    date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date"}),
]

# KashFlow spells Greece EL (its VAT prefix), not ISO's GR; the UK is GB.
_KASHFLOW_COUNTRY = {"GR": "EL", "UK": "GB"}


def text_matching(pattern: str, problem: str, convert: Callable[[str], str] = str) -> Any:
    """A string matching ``pattern`` as published (see ``ecma_pattern``), then ``convert``-ed."""
    matches = ecma_pattern(pattern).search

    def check(value: Any) -> str:
        if not isinstance(value, str) or not matches(value):
            raise ValueError(problem)
        return convert(value)

    return Annotated[
        str, BeforeValidator(check), WithJsonSchema({"type": "string", "pattern": pattern})
    ]


def _kashflow_country(code: str) -> str:
    return _KASHFLOW_COUNTRY.get(code.upper(), code.upper())


CountryCode = text_matching(
    "^[A-Za-z]{2}$", "a two-letter country code such as GB, IE or EL", _kashflow_country
)
"""ISO 3166 alpha-2; GR is sent as KashFlow's EL."""

CurrencyCode = text_matching(r"^[A-Za-z]{3}$", "a three-letter currency code such as GBP or EUR")

# Characters XML 1.0 cannot carry at all (the same rule the SOAP encoder applies): refusing
# them here names the argument, rather than KashFlow's field, in the error.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _storable(value: str) -> str:
    if _XML_ILLEGAL.search(value):
        raise ValueError("contains control characters KashFlow cannot store")
    return value


def _nfc(value: str) -> str:
    """One spelling for what looks the same: "é" typed as e + accent is stored as "é"."""
    return value if value.isascii() else unicodedata.normalize("NFC", value)


# Controls, format characters (bidi, zero-width, tags), private and unassigned code points, and
# line/paragraph separators; tab and newline survive.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})
_KEEP = frozenset("\n\t")
# Invisible letters, joiners and selectors that can hide text or bytes in plain sight.
_INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0\u2800") | frozenset(
    chr(c) for c in (*range(0x180B, 0x1810), *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0))
)


def _hidden(ch: str) -> bool:
    return unicodedata.category(ch) in _UNSAFE_CATEGORIES or ch in _INVISIBLE


def _visible(value: str) -> str:
    """An identifier a person can read back: "HARB\u200b01" would show as a second HARB01."""
    if value.isascii() and value.isprintable():
        return value
    hidden = dict.fromkeys(f"U+{ord(ch):04X}" for ch in value if _hidden(ch))
    if hidden:
        raise ValueError(
            f"contains invisible, control or direction characters ({', '.join(hidden)}); "
            "type it again without them"
        )
    return value


LINE_MAX = 255
LONG_TEXT_MAX = 4000


def _trimmed(value: str) -> str:
    return value.strip()


def _not_blank(value: str) -> str:
    if not value:
        raise ValueError("must not be blank")
    return value


def _text(max_length: int, *, required: bool = False) -> Any:
    """Text whose caps count it as given, as the schema's maxLength does; then it is trimmed of
    surrounding whitespace and normalised, and, when ``required``, refused if nothing is left."""
    lengths = Field(min_length=1 if required else None, max_length=max_length)
    blank = [AfterValidator(_not_blank)] if required else []
    trim, nfc, storable = AfterValidator(_trimmed), AfterValidator(_nfc), AfterValidator(_storable)
    return Annotated[str, lengths, trim, *blank, nfc, storable]


Line = _text(LINE_MAX)
LongText = _text(LONG_TEXT_MAX)
RequiredLine = _text(LINE_MAX, required=True)
"""One-line text that must say something (a name, a line's description): blanks are refused."""
RequiredLongText = _text(LONG_TEXT_MAX, required=True)
"""Longer text that must say something (a note)."""
Identifier = Annotated[Line, AfterValidator(_visible)]
"""One-line text that names or reaches something (a code, an email, a VAT number)."""
RequiredText = _text(LONG_TEXT_MAX, required=True)
"""Free text, newlines and all, that must say something (an email's body)."""

_EMAIL = re.compile(r"[^@\s,;]+@[^@\s,;]+\.[^@\s,;.]+")


def _email_addresses(value: str) -> str:
    """Comma-separated addresses, each one looking like one: a typo is named, not sent."""
    addresses = [part.strip() for part in value.split(",")]
    wrong = next((address for address in addresses if not _EMAIL.fullmatch(address)), None)
    if wrong is not None:
        raise ValueError(f"{json.dumps(wrong)} is not an email address")
    return ", ".join(addresses)


EmailAddresses = Annotated[Identifier, AfterValidator(_email_addresses)]
"""One or more email addresses, comma-separated, with no hidden characters."""


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


def fold(value: str) -> str:
    """``value`` as a search compares it: what is shown, any case, any Unicode spelling.

    Hidden characters go (as on display), then NFKC and case folding, so "ＨＡＲＢ", "harb" and
    a decomposed "café" find "HARB01" and "Café Ltd".
    """
    if value.isascii():
        return value.casefold()
    return unicodedata.normalize(
        "NFKC", unicodedata.normalize("NFKC", clean_text(value)).casefold()
    )


CleanText = Annotated[str, AfterValidator(clean_text)]
"""Free text that came from KashFlow: shown as data, never as instructions."""
