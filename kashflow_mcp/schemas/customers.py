"""What the assistant sends and receives for customers (snake_case; no KashFlow wire names)."""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from .common import (
    OFFSET_DESCRIPTION,
    TOKEN_DESCRIPTION,
    Address,
    AddressIn,
    ArgsModel,
    Deletion,
    Page,
    ResultModel,
)
from .values import Amount, CleanText, Identifier, Line, LongText, Percent, RequiredLine

CUSTOMER_ID = "From list_customers."


class CustomerFields(ArgsModel):
    """Every editable customer field; None means "not given"."""

    code: Identifier | None = None
    contact: Line | None = Field(None, description="Contact's full name.")
    contact_title: Line | None = None
    contact_first_name: Line | None = None
    contact_last_name: Line | None = None
    telephone: Identifier | None = None
    mobile: Identifier | None = None
    fax: Identifier | None = None
    email: Identifier | None = Field(None, description="One or more, comma-separated.")
    website: Identifier | None = None
    address: AddressIn | None = None
    delivery_address: AddressIn | None = Field(None, description="Setting one turns it on.")
    vat_number: Identifier | None = Field(None, description="e.g. GB123456789")
    ec: bool | None = Field(None, description="VAT-registered in another EU state.")
    outside_ec: bool | None = Field(None, description="Based outside the EU.")
    notes: LongText | None = None
    source: int | None = Field(None, description="From GetCustomerSources.")
    discount: Percent | None = Field(None, description='Percent, e.g. "5".')
    show_discount: bool | None = None
    payment_terms: int | None = Field(None, ge=0, le=365, description="Days from invoice to due.")
    currency_id: int | None = Field(None, description="From GetCurrencies.")
    extra_fields: list[Line] | None = Field(
        None, max_length=20, description="Custom text fields 1-20 in order; replaces all."
    )
    extra_checkboxes: list[bool] | None = Field(
        None, max_length=20, description="Custom checkboxes 1-20 in order; replaces all."
    )


class CreateCustomerArgs(CustomerFields):
    code: Identifier | None = Field(None, description="Unique; generated when omitted.")
    name: RequiredLine


class UpdateCustomerArgs(CustomerFields):
    customer_id: int = Field(gt=0, description=CUSTOMER_ID)
    name: RequiredLine | None = None


class GetCustomerArgs(ArgsModel):
    customer_id: int | None = Field(None, gt=0, description=CUSTOMER_ID)
    code: Identifier | None = Field(None, description="Or the customer's code.")

    @model_validator(mode="after")
    def _one_key(self) -> GetCustomerArgs:
        if (self.customer_id is None) == (self.code is None):
            raise ValueError("give exactly one of customer_id or code")
        return self


class ListCustomersArgs(ArgsModel):
    limit: int = Field(25, ge=1, le=500)
    offset: int = Field(0, ge=0, description=OFFSET_DESCRIPTION)
    search: Line | None = Field(
        None, description="Text in name, code, email, contact or postcode; any case."
    )


class DeleteCustomerArgs(ArgsModel):
    customer_id: int = Field(gt=0, description=CUSTOMER_ID)
    confirmation_token: str | None = Field(None, max_length=400, description=TOKEN_DESCRIPTION)


# --------------------------------------------------------------------------- results


class CustomerRow(ResultModel):
    customer_id: int
    code: CleanText
    name: CleanText
    email: CleanText | None = None
    postcode: CleanText | None = None


class CustomerList(Page):
    customers: list[CustomerRow]


class Customer(ResultModel):
    customer_id: int
    code: CleanText
    name: CleanText
    contact: CleanText | None = None
    contact_title: CleanText | None = None
    contact_first_name: CleanText | None = None
    contact_last_name: CleanText | None = None
    telephone: CleanText | None = None
    mobile: CleanText | None = None
    fax: CleanText | None = None
    email: CleanText | None = None
    website: CleanText | None = None
    address: Address
    delivery_address: Address | None = None
    vat_number: CleanText | None = None
    ec: bool = False
    outside_ec: bool = False
    notes: CleanText | None = None
    source: int | None = None
    discount: Amount | None = None
    show_discount: bool = False
    payment_terms: int | None = None
    currency_id: int | None = None
    extra_fields: list[CleanText] = Field(default_factory=list)
    extra_checkboxes: list[bool] = Field(default_factory=list)
    created: date | None = None
    updated: date | None = None


class CustomerUpdate(ResultModel):
    customer: Customer
    changed: list[str] = Field(description="Fields this call changed.")
    conflicts: list[str] = Field(
        default_factory=list,
        description="Fields KashFlow now holds with other values than this call sent.",
    )


class CustomerDeletePreview(ResultModel):
    customer_id: int
    code: CleanText
    name: CleanText
    invoices: int = Field(description="Invoices deleted with the customer.")
    invoiced_total: dict[str, Amount] = Field(description="Gross invoiced, per currency.")
    unpaid_total: dict[str, Amount] = Field(description="Still owed, per currency.")


class CustomerDeletion(Deletion):
    preview: CustomerDeletePreview
