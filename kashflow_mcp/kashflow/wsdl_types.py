"""The shapes of KashFlow's SOAP types, in field order, as the service's WSDL declares them.

Field order matters: the service is strict about the sequence of elements inside a record.
Each record is a space-separated list of ``Name`` or ``Name:type``; a bare name is a string.
Types are the WSDL's XML Schema names (int, decimal, boolean, dateTime, integer, base64Binary)
or the name of another entry in ``TYPES``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache


def parse_fields(spec: str) -> tuple[tuple[str, str], ...]:
    """``"CustomerID:int Name"`` -> ``(("CustomerID", "int"), ("Name", "string"))``."""
    return tuple(
        (name, kind or "string") for name, _, kind in (item.partition(":") for item in spec.split())
    )


@dataclass(frozen=True)
class RecordType:
    """A complex type: named fields in the order the service expects them."""

    spec: str
    base: str | None = None
    fields: tuple[tuple[str, str], ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", parse_fields(self.spec))


@dataclass(frozen=True)
class ArrayType:
    """A ``ArrayOfX`` wrapper: a repeated child element ``item`` of type ``item_type``."""

    item: str
    item_type: str


TYPES: dict[str, RecordType | ArrayType] = {
    "Customer": RecordType(
        "CustomerID:int Code Name Contact Telephone Mobile Fax Email Address1 Address2 "
        "Address3 Address4 CountryName CountryCode Postcode Website EC:int OutsideEC:int "
        "Notes Source:int Discount:decimal ShowDiscount:boolean PaymentTerms:int ExtraText1 "
        "ExtraText2 ExtraText3 ExtraText4 ExtraText5 ExtraText6 ExtraText7 ExtraText8 "
        "ExtraText9 ExtraText10 ExtraText11 ExtraText12 ExtraText13 ExtraText14 ExtraText15 "
        "ExtraText16 ExtraText17 ExtraText18 ExtraText19 ExtraText20 CheckBox1:int "
        "CheckBox2:int CheckBox3:int CheckBox4:int CheckBox5:int CheckBox6:int CheckBox7:int "
        "CheckBox8:int CheckBox9:int CheckBox10:int CheckBox11:int CheckBox12:int "
        "CheckBox13:int CheckBox14:int CheckBox15:int CheckBox16:int CheckBox17:int "
        "CheckBox18:int CheckBox19:int CheckBox20:int Created:dateTime Updated:dateTime "
        "CurrencyID:int ContactTitle ContactFirstName ContactLastName "
        "CustHasDeliveryAddress:integer DeliveryAddress1 DeliveryAddress2 DeliveryAddress3 "
        "DeliveryAddress4 DeliveryCountryName DeliveryCountryCode DeliveryPostcode VATNumber"
    ),
    "ArrayOfBasicDataset": ArrayType("BasicDataset", "BasicDataset"),
    "ArrayOfString": ArrayType("String", "string"),
    "BasicDataset": RecordType("ID:int Name Description Value:decimal"),
    "ArrayOfCustomer": ArrayType("Customer", "Customer"),
    "CustomerBalance": RecordType("CustomerId:int CustomerCode Value:decimal Balance:decimal"),
    "ArrayOfBankTransaction": ArrayType("BankTransaction", "BankTransaction"),
    "BankTransaction": RecordType(
        "ID:int accid:int TransactionDate:dateTime moneyin:decimal moneyout:decimal "
        "Vatable:int VatRate:decimal VatAmount:decimal TransactionType:int Comment "
        "ProjectID:int CustomerId:int SupplierId:int"
    ),
    "Project": RecordType(
        "ID:int Number:int Name Reference Description Date1:dateTime Date2:dateTime "
        "CustomerID:int Status:int"
    ),
    "ArrayOfProject": ArrayType("Project", "Project"),
    "Supplier": RecordType(
        "SupplierID:int Code Name Contact Mobile Fax Address1 Address2 Address3 Address4 "
        "PostCode Telephone Website Email Created:dateTime Updated:dateTime EC:int VATNumber "
        "Notes CurrencyID:int PaymentTerms:int ContactTitle ContactFirstName ContactLastName"
    ),
    "ArrayOfSupplier": ArrayType("Supplier", "Supplier"),
    "ArrayOfBankAccount": ArrayType("BankAccount", "BankAccount"),
    "BankAccount": RecordType("AccountID:int AccountName AccountCode:int"),
    "ArrayOfBankTXType": ArrayType("BankTXType", "BankTXType"),
    "BankTXType": RecordType("TypeID:int TypeName TypeCode:int"),
    "BalanceSheet": RecordType(
        "Date:dateTime FixedAssets:ArrayOfAnyType FixedAssetsTotal:decimal "
        "CurrentAssets:ArrayOfAnyType CurrentAssetsTotal:decimal "
        "CurrentLiabilities:ArrayOfAnyType CurrentLiabilitiesTotal:decimal "
        "CapitalReserves:ArrayOfAnyType CapitalReservesTotal:decimal"
    ),
    "ArrayOfAnyType": ArrayType("anyType", "anyType"),
    "Payment": RecordType(
        "PayID:int PayInvoice:int PayDate:dateTime PayNote PayMethod:int PayAccount:int "
        "PayAmount:decimal"
    ),
    "PaymentMethod": RecordType("MethodID:int MethodName"),
    "InvoiceLine": RecordType(
        "Quantity:decimal Description Rate:decimal ChargeType:int VatRate:decimal "
        "VatAmount:decimal ProductID:int Sort:int ProjID:int LineID:int "
        "ValuesInCurrency:integer"
    ),
    "JournalLine": RecordType("NominalID:int Amount:decimal Comment ProjId:int"),
    "AgedDebtorsCreditors": RecordType(
        "id:int Name Code Balance:decimal Current:decimal Period1_name Period1_val:decimal "
        "Period2_name Period2_val:decimal Period3_name Period3_val:decimal Older:decimal"
    ),
    "TransactionInformation": RecordType(
        "Date:dateTime nomid:int Value:decimal Type:int id:int id2:int id3:int Ref1 Ref2 Ref3 "
        "Narrative ProjId:int"
    ),
    "VATReport": RecordType(
        "StartDate:dateTime EndDate:dateTime SubmittedToAccounts:boolean "
        "SubmittedToHMRC:boolean SubmittedtoHMRCDate:dateTime HMRCReference Box1:decimal "
        "Box2:decimal Box3:decimal Box4:decimal Box5:decimal Box6:decimal Box7:decimal "
        "Box8:decimal Box9:decimal"
    ),
    "MonthlyPL": RecordType(
        "PeriodStart:dateTime PeriodEnd:dateTime Turnover:decimal GrossProfit:decimal "
        "NetProfit:decimal"
    ),
    "NominalCode": RecordType("id:int Code:int Name debit:decimal credit:decimal balance:decimal"),
    "ProfitAndLoss": RecordType(
        "StartDate:dateTime EndDate:dateTime Turnover:ArrayOfAnyType TurnoverTotal:decimal "
        "CostOfSales:ArrayOfAnyType CostOfSalesTotal:decimal GrossProfit:decimal "
        "Expenses:ArrayOfAnyType ExpensesTotal:decimal NetProfit:decimal"
    ),
    "ArrayOfMonthlyPL": ArrayType("MonthlyPL", "MonthlyPL"),
    "ArrayOfNominalCode": ArrayType("NominalCode", "NominalCode"),
    "ArrayOfNominalCodeBalance": ArrayType("NominalCodeBalance", "NominalCodeBalance"),
    "NominalCodeBalance": RecordType("OpeningBalance:decimal", base="NominalCode"),
    "ArrayOfTransactionInformation": ArrayType("TransactionInformation", "TransactionInformation"),
    "ArrayOfAgedDebtorsCreditors": ArrayType("AgedDebtorsCreditors", "AgedDebtorsCreditors"),
    "JournalEntry": RecordType(
        "DBID:int JournalNumber:int JournalDate:dateTime Comment Lines:ArrayOfAnyType"
    ),
    "ArrayOfJournalEntry": ArrayType("JournalEntry", "JournalEntry"),
    "BankOverview": RecordType("AccountID:int AccountName Balance:decimal"),
    "ArrayOfBankOverview": ArrayType("BankOverview", "BankOverview"),
    "AccountOverview": RecordType(
        "TotalDue:decimal TotalOwed:decimal ReceiptsOverdue:decimal SalesOverdue:decimal "
        "ReceiptPartPayments:decimal ReceiptPartPaymentsOverdue:decimal "
        "InvoicePartPayments:decimal InvoicePartPaymentsOverdue:decimal"
    ),
    "Currencies": RecordType("CurrencyId:int CurrencyCode ExchangeRate:decimal isDefault:int"),
    "ArrayOfCurrencies": ArrayType("Currencies", "Currencies"),
    "UserAccountDefaults": RecordType(
        "isVATRegistered:boolean VATNumber Currencies:ArrayOfAnyType"
    ),
    "UserAccountDefaults_TypeDefined": RecordType(
        "isVATRegistered:boolean VATNumber Currencies:ArrayOfCurrencies"
    ),
    "ReceiptAttachment": RecordType(
        "AttachmentID:int ReceiptID:int ActualFilename AmazonFilename UploadDate:dateTime "
        "ContentType MetaName MetaValue FileSize FileExtension FileURL"
    ),
    "ArrayOfReceiptAttachment": ArrayType("ReceiptAttachment", "ReceiptAttachment"),
    "Product": RecordType(
        "ProductID:int ProductName ProductCode:int ProductDescription ManageStockLevels:int "
        "QtyInStock:int ProductPrice:decimal"
    ),
    "ArrayOfProduct": ArrayType("Product", "Product"),
    "SubProduct": RecordType(
        "id:int ParentID:int Name Code Description Price:decimal VatRate:decimal "
        "WholesalePrice:decimal Managed:int QtyInStock:int StockWarnQty:int AutoFill:int"
    ),
    "ArrayOfSubProduct": ArrayType("SubProduct", "SubProduct"),
    "ArrayOfProductsFull": ArrayType("ProductsFull", "ProductsFull"),
    "ProductsFull": RecordType("subProducts:ArrayOfSubProduct", base="Product"),
    "NominalCodeExtended": RecordType(
        "id:int Code:int Name debit:decimal credit:decimal balance:decimal TypeID:int "
        "TypeName ClassificationID:int ClassificationName AutoFill:int Price:decimal "
        "VATRate:decimal Description Archived:boolean"
    ),
    "ArrayOfNominalCodeExtended": ArrayType("NominalCodeExtended", "NominalCodeExtended"),
    "CompanyDetails": RecordType(
        "CompanyName Address1 Address2 Address3 Address4 Postcode PrimaryEmail PrimaryContact "
        "Telephone Mobile VatRegistered VatRegistrationNumber PaymentTerms:int CurrencySymbol "
        "CurrencyPosition UsDate CurrencyId:int CurrencyName BusinessType1:int "
        "BusinessType2:int BusinessType3:int PaymentTermsType BusinessType1Name "
        "BusinessType2Name BusinessType3Name BusinessType:int"
    ),
    "Invoice": RecordType(
        "InvoiceDBID:int InvoiceNumber:int InvoiceDate:dateTime DueDate:dateTime Customer "
        "CustomerID:int Paid:int CustomerReference EstimateCategory SuppressTotal:int "
        "ProjectID:int CurrencyCode ExchangeRate:decimal ReadableString Lines:ArrayOfAnyType "
        "NetAmount:decimal VATAmount:decimal AmountPaid:decimal CustomerName PermaLink "
        "DeliveryAddress:DeliveryAddress UseCustomDeliveryAddress:boolean"
    ),
    "DeliveryAddress": RecordType("Name Line1 Line2 Line3 Line4 PostCode CountryName CountryCode"),
    "ArrayOfInvoice": ArrayType("Invoice", "Invoice"),
    "Invoice_TypeDefined": RecordType(
        "InvoiceDBID:int InvoiceNumber:int InvoiceDate:dateTime DueDate:dateTime Customer "
        "CustomerID:int Paid:int CustomerReference EstimateCategory SuppressTotal:int "
        "ProjectID:int CurrencyCode ExchangeRate:decimal ReadableString "
        "Lines:ArrayOfInvoiceLine NetAmount:decimal VATAmount:decimal AmountPaid:decimal "
        "CustomerName"
    ),
    "ArrayOfInvoiceLine": ArrayType("InvoiceLine", "InvoiceLine"),
    "ArrayOfInvoice_TypeDefined": ArrayType("Invoice_TypeDefined", "Invoice_TypeDefined"),
    "ArrayOfPayment": ArrayType("Payment", "Payment"),
    "ArrayOfPaymentMethod": ArrayType("PaymentMethod", "PaymentMethod"),
    "InvoiceNotes": RecordType("InvoiceId:int NoteId:int NoteDate:dateTime Notes"),
    "ArrayOfInvoiceNotes": ArrayType("InvoiceNotes", "InvoiceNotes"),
    "ReceiptNotes": RecordType("ReceiptId:int NoteId:int NoteDate:dateTime Notes"),
    "ArrayOfReceiptNotes": ArrayType("ReceiptNotes", "ReceiptNotes"),
}


def record_fields(type_name: str) -> tuple[tuple[str, str], ...]:
    """All fields of a record type, inherited ones first (as XmlSerializer writes them)."""
    record = TYPES[type_name]
    if not isinstance(record, RecordType):
        raise TypeError(f"{type_name} is not a record type")
    inherited = record_fields(record.base) if record.base else ()
    return inherited + record.fields


@cache
def field_types(type_name: str) -> dict[str, str]:
    """``{field: type}`` of a record type, made once: encoding and decoding look it up often."""
    return dict(record_fields(type_name))
