"""Wire models: KashFlow's SOAP records exactly as the service names and types them.

PascalCase names, 0/1 ints where KashFlow uses ints, ``Decimal`` money, naive datetimes. Every
field is optional: on insert only the fields that are set are sent (KashFlow rejects blanks
where it expects a value), and responses are taken as they come. The assistant never sees
these; ``schemas/`` holds its models and the tools map between the two.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, create_model


class WireModel(BaseModel):
    # Built on first use: a server starts without paying for records it may never read.
    model_config = ConfigDict(extra="ignore", defer_build=True)

    def wire(self) -> dict[str, Any]:
        """The fields that are set, ready for the codec."""
        return self.model_dump(exclude_none=True)


# Customer carries twenty custom text fields and twenty custom 0/1 checkboxes.
_CustomerCustomFields: type[WireModel] = create_model(
    "_CustomerCustomFields",
    __base__=WireModel,
    **{f"ExtraText{i}": (str | None, None) for i in range(1, 21)},  # type: ignore[call-overload]
    **{f"CheckBox{i}": (int | None, None) for i in range(1, 21)},
)


class Customer(_CustomerCustomFields):  # type: ignore[misc, valid-type]
    CustomerID: int | None = None
    Code: str | None = None
    Name: str | None = None
    Contact: str | None = None
    Telephone: str | None = None
    Mobile: str | None = None
    Fax: str | None = None
    Email: str | None = None
    Address1: str | None = None
    Address2: str | None = None
    Address3: str | None = None
    Address4: str | None = None
    CountryName: str | None = None
    CountryCode: str | None = None
    Postcode: str | None = None
    Website: str | None = None
    EC: int | None = None
    OutsideEC: int | None = None
    Notes: str | None = None
    Source: int | None = None
    Discount: Decimal | None = None
    ShowDiscount: bool | None = None
    PaymentTerms: int | None = None
    Created: datetime | None = None
    Updated: datetime | None = None
    CurrencyID: int | None = None
    ContactTitle: str | None = None
    ContactFirstName: str | None = None
    ContactLastName: str | None = None
    CustHasDeliveryAddress: int | None = None
    DeliveryAddress1: str | None = None
    DeliveryAddress2: str | None = None
    DeliveryAddress3: str | None = None
    DeliveryAddress4: str | None = None
    DeliveryCountryName: str | None = None
    DeliveryCountryCode: str | None = None
    DeliveryPostcode: str | None = None
    VATNumber: str | None = None


class CustomerSummary(WireModel):
    """The few Customer fields a list needs; a full Customer costs ten times more to build."""

    CustomerID: int | None = None
    Code: str | None = None
    Name: str | None = None
    Email: str | None = None
    Postcode: str | None = None
    Contact: str | None = None


class InvoiceLine(WireModel):
    Quantity: Decimal | None = None
    Description: str | None = None
    Rate: Decimal | None = None
    ChargeType: int | None = None
    VatRate: Decimal | None = None
    VatAmount: Decimal | None = None
    ProductID: int | None = None
    Sort: int | None = None
    ProjID: int | None = None
    LineID: int | None = None
    ValuesInCurrency: int | None = None


class DeliveryAddress(WireModel):
    Name: str | None = None
    Line1: str | None = None
    Line2: str | None = None
    Line3: str | None = None
    Line4: str | None = None
    PostCode: str | None = None
    CountryName: str | None = None
    CountryCode: str | None = None


# Invoice has a field named DeliveryAddress; the alias keeps its annotation unambiguous.
_DeliveryAddress = DeliveryAddress


class Invoice(WireModel):
    InvoiceDBID: int | None = None
    InvoiceNumber: int | None = None
    InvoiceDate: datetime | None = None
    DueDate: datetime | None = None
    Customer: str | None = None
    CustomerID: int | None = None
    Paid: int | None = None
    CustomerReference: str | None = None
    EstimateCategory: str | None = None
    SuppressTotal: int | None = None
    ProjectID: int | None = None
    CurrencyCode: str | None = None
    ExchangeRate: Decimal | None = None
    ReadableString: str | None = None
    Lines: list[InvoiceLine] | None = None
    NetAmount: Decimal | None = None
    VATAmount: Decimal | None = None
    AmountPaid: Decimal | None = None
    CustomerName: str | None = None
    PermaLink: str | None = None
    DeliveryAddress: _DeliveryAddress | None = None
    UseCustomDeliveryAddress: bool | None = None


class Payment(WireModel):
    PayID: int | None = None
    PayInvoice: int | None = None
    PayDate: datetime | None = None
    PayNote: str | None = None
    PayMethod: int | None = None
    PayAccount: int | None = None
    PayAmount: Decimal | None = None


class Currency(WireModel):
    """KashFlow calls this record ``Currencies``."""

    CurrencyId: int | None = None
    CurrencyCode: str | None = None
    ExchangeRate: Decimal | None = None
    isDefault: int | None = None


class BasicDataset(WireModel):
    """The id/name/description/value record of VAT rates, customer sources and projects."""

    ID: int | None = None
    Name: str | None = None
    Description: str | None = None
    Value: Decimal | None = None


class NominalCode(WireModel):
    id: int | None = None
    Code: int | None = None
    Name: str | None = None
    debit: Decimal | None = None
    credit: Decimal | None = None
    balance: Decimal | None = None


class CustomerBalance(WireModel):
    CustomerId: int | None = None
    CustomerCode: str | None = None
    Value: Decimal | None = None
    Balance: Decimal | None = None


class CompanyDetails(WireModel):
    CompanyName: str | None = None
    Address1: str | None = None
    Address2: str | None = None
    Address3: str | None = None
    Address4: str | None = None
    Postcode: str | None = None
    PrimaryEmail: str | None = None
    PrimaryContact: str | None = None
    Telephone: str | None = None
    Mobile: str | None = None
    VatRegistered: str | None = None
    VatRegistrationNumber: str | None = None
    PaymentTerms: int | None = None
    CurrencySymbol: str | None = None
    CurrencyPosition: str | None = None
    UsDate: str | None = None
    CurrencyId: int | None = None
    CurrencyName: str | None = None
    BusinessType1: int | None = None
    BusinessType2: int | None = None
    BusinessType3: int | None = None
    PaymentTermsType: str | None = None
    BusinessType1Name: str | None = None
    BusinessType2Name: str | None = None
    BusinessType3Name: str | None = None
    BusinessType: int | None = None


# Which WSDL record each wire model mirrors; a test checks the field names agree.
WSDL_RECORD_OF: dict[type[WireModel], str] = {
    Customer: "Customer",
    InvoiceLine: "InvoiceLine",
    DeliveryAddress: "DeliveryAddress",
    Invoice: "Invoice",
    Payment: "Payment",
    Currency: "Currencies",
    BasicDataset: "BasicDataset",
    NominalCode: "NominalCode",
    CustomerBalance: "CustomerBalance",
    CompanyDetails: "CompanyDetails",
}
