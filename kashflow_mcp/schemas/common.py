"""The shapes every area shares: argument and result bases, pages, deletions, addresses and
document lines (the lines of invoices, quotes, credit notes and purchases are one shape)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .values import (
    Amount,
    CleanText,
    CountryCode,
    Identifier,
    Line,
    Money,
    Quantity,
    RequiredLine,
    VatRate,
)

PROJECT_ID = "From GetProjects; 0 = none."

# Models build their validators on first use, not at import: start-up needs none of them, since
# the tools' JSON schemas ship ready-made (server/json_schema.py).


class ArgsModel(BaseModel):
    """Base of every tool's arguments: unknown arguments are an error, not silently dropped."""

    # Text is taken as sent: a cap counts what was sent, as the published maxLength does
    # (free text is trimmed only after its checks; patterned values are never trimmed).
    model_config = ConfigDict(extra="forbid", defer_build=True)


class ResultModel(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


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


# --------------------------------------------------------------------------- addresses


class AddressIn(ArgsModel):
    lines: list[Line] | None = Field(None, max_length=4)
    postcode: Identifier | None = None
    country_name: Line | None = None
    country_code: CountryCode | None = Field(None, description="GB, IE, FR… (Greece: EL or GR).")


class DeliveryAddressIn(ArgsModel):
    name: Line | None = None
    lines: list[Line] | None = Field(None, max_length=4)
    postcode: Identifier | None = None
    country_name: Line | None = None
    country_code: CountryCode | None = None


class Address(ResultModel):
    lines: list[CleanText] = Field(default_factory=list)
    postcode: CleanText | None = None
    country_name: CleanText | None = None
    country_code: CleanText | None = None


class DeliveryAddress(ResultModel):
    name: CleanText | None = None
    lines: list[CleanText] = Field(default_factory=list)
    postcode: CleanText | None = None
    country_name: CleanText | None = None
    country_code: CleanText | None = None


# --------------------------------------------------------------------------- document lines


class DocumentLineIn(ArgsModel):
    description: RequiredLine
    quantity: Quantity = Field(default="1", validate_default=True)
    rate: Money = Field(description='Unit price before VAT, e.g. "120.00".')
    vat_rate: VatRate = Field(description='VAT percent: "20", "5", "0" or "exempt".')
    nominal_code: int | None = Field(
        None, description="Sales nominal code (GetNominalCodes), e.g. 4000."
    )
    project_id: int | None = Field(None, ge=0, description=PROJECT_ID)


class DocumentLine(ResultModel):
    line_id: int
    description: CleanText
    quantity: Amount
    rate: Amount
    vat_rate: str = Field(description='Percent, or "exempt".')
    vat_amount: Amount
    net_amount: Amount
    nominal_id: int | None = None
    project_id: int | None = None
