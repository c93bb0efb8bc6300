"""KashFlow's SOAP records, written from the WSDL types by ``generate.py``: do not edit.

PascalCase names, 0/1 ints where KashFlow uses ints, ``Decimal`` money, naive datetimes, in the
WSDL's field order. Every field is optional: on insert only the fields that are set are sent
(KashFlow rejects blanks where it expects a value), and responses are taken as they come.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from .base import WireModel


class Customer(WireModel):
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
    ExtraText1: str | None = None
    ExtraText2: str | None = None
    ExtraText3: str | None = None
    ExtraText4: str | None = None
    ExtraText5: str | None = None
    ExtraText6: str | None = None
    ExtraText7: str | None = None
    ExtraText8: str | None = None
    ExtraText9: str | None = None
    ExtraText10: str | None = None
    ExtraText11: str | None = None
    ExtraText12: str | None = None
    ExtraText13: str | None = None
    ExtraText14: str | None = None
    ExtraText15: str | None = None
    ExtraText16: str | None = None
    ExtraText17: str | None = None
    ExtraText18: str | None = None
    ExtraText19: str | None = None
    ExtraText20: str | None = None
    CheckBox1: int | None = None
    CheckBox2: int | None = None
    CheckBox3: int | None = None
    CheckBox4: int | None = None
    CheckBox5: int | None = None
    CheckBox6: int | None = None
    CheckBox7: int | None = None
    CheckBox8: int | None = None
    CheckBox9: int | None = None
    CheckBox10: int | None = None
    CheckBox11: int | None = None
    CheckBox12: int | None = None
    CheckBox13: int | None = None
    CheckBox14: int | None = None
    CheckBox15: int | None = None
    CheckBox16: int | None = None
    CheckBox17: int | None = None
    CheckBox18: int | None = None
    CheckBox19: int | None = None
    CheckBox20: int | None = None
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


_Customer = Customer


class BasicDataset(WireModel):
    ID: int | None = None
    Name: str | None = None
    Description: str | None = None
    Value: Decimal | None = None


class CustomerBalance(WireModel):
    CustomerId: int | None = None
    CustomerCode: str | None = None
    Value: Decimal | None = None
    Balance: Decimal | None = None


class BankTransaction(WireModel):
    ID: int | None = None
    accid: int | None = None
    TransactionDate: datetime | None = None
    moneyin: Decimal | None = None
    moneyout: Decimal | None = None
    Vatable: int | None = None
    VatRate: Decimal | None = None
    VatAmount: Decimal | None = None
    TransactionType: int | None = None
    Comment: str | None = None
    ProjectID: int | None = None
    CustomerId: int | None = None
    SupplierId: int | None = None


class Project(WireModel):
    ID: int | None = None
    Number: int | None = None
    Name: str | None = None
    Reference: str | None = None
    Description: str | None = None
    Date1: datetime | None = None
    Date2: datetime | None = None
    CustomerID: int | None = None
    Status: int | None = None


class Supplier(WireModel):
    SupplierID: int | None = None
    Code: str | None = None
    Name: str | None = None
    Contact: str | None = None
    Mobile: str | None = None
    Fax: str | None = None
    Address1: str | None = None
    Address2: str | None = None
    Address3: str | None = None
    Address4: str | None = None
    PostCode: str | None = None
    Telephone: str | None = None
    Website: str | None = None
    Email: str | None = None
    Created: datetime | None = None
    Updated: datetime | None = None
    EC: int | None = None
    VATNumber: str | None = None
    Notes: str | None = None
    CurrencyID: int | None = None
    PaymentTerms: int | None = None
    ContactTitle: str | None = None
    ContactFirstName: str | None = None
    ContactLastName: str | None = None


class BankAccount(WireModel):
    AccountID: int | None = None
    AccountName: str | None = None
    AccountCode: int | None = None


class BankTXType(WireModel):
    TypeID: int | None = None
    TypeName: str | None = None
    TypeCode: int | None = None


class BalanceSheet(WireModel):
    Date: datetime | None = None
    FixedAssets: list[Any] | None = None
    FixedAssetsTotal: Decimal | None = None
    CurrentAssets: list[Any] | None = None
    CurrentAssetsTotal: Decimal | None = None
    CurrentLiabilities: list[Any] | None = None
    CurrentLiabilitiesTotal: Decimal | None = None
    CapitalReserves: list[Any] | None = None
    CapitalReservesTotal: Decimal | None = None


class Payment(WireModel):
    PayID: int | None = None
    PayInvoice: int | None = None
    PayDate: datetime | None = None
    PayNote: str | None = None
    PayMethod: int | None = None
    PayAccount: int | None = None
    PayAmount: Decimal | None = None


class PaymentMethod(WireModel):
    MethodID: int | None = None
    MethodName: str | None = None


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


class JournalLine(WireModel):
    NominalID: int | None = None
    Amount: Decimal | None = None
    Comment: str | None = None
    ProjId: int | None = None


class AgedDebtorsCreditors(WireModel):
    id: int | None = None
    Name: str | None = None
    Code: str | None = None
    Balance: Decimal | None = None
    Current: Decimal | None = None
    Period1_name: str | None = None
    Period1_val: Decimal | None = None
    Period2_name: str | None = None
    Period2_val: Decimal | None = None
    Period3_name: str | None = None
    Period3_val: Decimal | None = None
    Older: Decimal | None = None


class TransactionInformation(WireModel):
    Date: datetime | None = None
    nomid: int | None = None
    Value: Decimal | None = None
    Type: int | None = None
    id: int | None = None
    id2: int | None = None
    id3: int | None = None
    Ref1: str | None = None
    Ref2: str | None = None
    Ref3: str | None = None
    Narrative: str | None = None
    ProjId: int | None = None


class VATReport(WireModel):
    StartDate: datetime | None = None
    EndDate: datetime | None = None
    SubmittedToAccounts: bool | None = None
    SubmittedToHMRC: bool | None = None
    SubmittedtoHMRCDate: datetime | None = None
    HMRCReference: str | None = None
    Box1: Decimal | None = None
    Box2: Decimal | None = None
    Box3: Decimal | None = None
    Box4: Decimal | None = None
    Box5: Decimal | None = None
    Box6: Decimal | None = None
    Box7: Decimal | None = None
    Box8: Decimal | None = None
    Box9: Decimal | None = None


class MonthlyPL(WireModel):
    PeriodStart: datetime | None = None
    PeriodEnd: datetime | None = None
    Turnover: Decimal | None = None
    GrossProfit: Decimal | None = None
    NetProfit: Decimal | None = None


class NominalCode(WireModel):
    id: int | None = None
    Code: int | None = None
    Name: str | None = None
    debit: Decimal | None = None
    credit: Decimal | None = None
    balance: Decimal | None = None


class ProfitAndLoss(WireModel):
    StartDate: datetime | None = None
    EndDate: datetime | None = None
    Turnover: list[Any] | None = None
    TurnoverTotal: Decimal | None = None
    CostOfSales: list[Any] | None = None
    CostOfSalesTotal: Decimal | None = None
    GrossProfit: Decimal | None = None
    Expenses: list[Any] | None = None
    ExpensesTotal: Decimal | None = None
    NetProfit: Decimal | None = None


class NominalCodeBalance(NominalCode):
    OpeningBalance: Decimal | None = None


class JournalEntry(WireModel):
    DBID: int | None = None
    JournalNumber: int | None = None
    JournalDate: datetime | None = None
    Comment: str | None = None
    Lines: list[JournalLine] | None = None


class BankOverview(WireModel):
    AccountID: int | None = None
    AccountName: str | None = None
    Balance: Decimal | None = None


class AccountOverview(WireModel):
    TotalDue: Decimal | None = None
    TotalOwed: Decimal | None = None
    ReceiptsOverdue: Decimal | None = None
    SalesOverdue: Decimal | None = None
    ReceiptPartPayments: Decimal | None = None
    ReceiptPartPaymentsOverdue: Decimal | None = None
    InvoicePartPayments: Decimal | None = None
    InvoicePartPaymentsOverdue: Decimal | None = None


class Currencies(WireModel):
    CurrencyId: int | None = None
    CurrencyCode: str | None = None
    ExchangeRate: Decimal | None = None
    isDefault: int | None = None


_Currencies = Currencies


class UserAccountDefaults(WireModel):
    isVATRegistered: bool | None = None
    VATNumber: str | None = None
    Currencies: list[Any] | None = None


class UserAccountDefaults_TypeDefined(WireModel):
    isVATRegistered: bool | None = None
    VATNumber: str | None = None
    Currencies: list[_Currencies] | None = None


class ReceiptAttachment(WireModel):
    AttachmentID: int | None = None
    ReceiptID: int | None = None
    ActualFilename: str | None = None
    AmazonFilename: str | None = None
    UploadDate: datetime | None = None
    ContentType: str | None = None
    MetaName: str | None = None
    MetaValue: str | None = None
    FileSize: str | None = None
    FileExtension: str | None = None
    FileURL: str | None = None


class Product(WireModel):
    ProductID: int | None = None
    ProductName: str | None = None
    ProductCode: int | None = None
    ProductDescription: str | None = None
    ManageStockLevels: int | None = None
    QtyInStock: int | None = None
    ProductPrice: Decimal | None = None


class SubProduct(WireModel):
    id: int | None = None
    ParentID: int | None = None
    Name: str | None = None
    Code: str | None = None
    Description: str | None = None
    Price: Decimal | None = None
    VatRate: Decimal | None = None
    WholesalePrice: Decimal | None = None
    Managed: int | None = None
    QtyInStock: int | None = None
    StockWarnQty: int | None = None
    AutoFill: int | None = None


class ProductsFull(Product):
    subProducts: list[SubProduct] | None = None


class NominalCodeExtended(WireModel):
    id: int | None = None
    Code: int | None = None
    Name: str | None = None
    debit: Decimal | None = None
    credit: Decimal | None = None
    balance: Decimal | None = None
    TypeID: int | None = None
    TypeName: str | None = None
    ClassificationID: int | None = None
    ClassificationName: str | None = None
    AutoFill: int | None = None
    Price: Decimal | None = None
    VATRate: Decimal | None = None
    Description: str | None = None
    Archived: bool | None = None


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


class DeliveryAddress(WireModel):
    Name: str | None = None
    Line1: str | None = None
    Line2: str | None = None
    Line3: str | None = None
    Line4: str | None = None
    PostCode: str | None = None
    CountryName: str | None = None
    CountryCode: str | None = None


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


class Invoice_TypeDefined(WireModel):
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


class InvoiceNotes(WireModel):
    InvoiceId: int | None = None
    NoteId: int | None = None
    NoteDate: datetime | None = None
    Notes: str | None = None


class ReceiptNotes(WireModel):
    ReceiptId: int | None = None
    NoteId: int | None = None
    NoteDate: datetime | None = None
    Notes: str | None = None
