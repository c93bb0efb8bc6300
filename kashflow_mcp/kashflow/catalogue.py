"""Every operation of KashFlow's SOAP API: its parameters, its result and how risky it is.

The kind decides what the generic "call any operation" tool may do with it: reads run, writes
and deletes need confirmation, restricted operations (they send mail, hand out logins or change
the account itself) are refused unless the operator allows them by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .wsdl_types import parse_fields


class Kind(StrEnum):
    READ = "read"
    WRITE = "write"
    DELETE = "delete"
    RESTRICTED = "restricted"


READ, WRITE, DELETE, RESTRICTED = Kind.READ, Kind.WRITE, Kind.DELETE, Kind.RESTRICTED


@dataclass(frozen=True)
class Operation:
    name: str
    kind: Kind
    params: tuple[tuple[str, str], ...]
    """(name, type) in wire order, credentials excluded."""
    outputs: tuple[tuple[str, str], ...]
    """Response elements other than Status and StatusDetail; the first is usually ``<Op>Result``."""
    credentials: bool = True
    """False for the few operations whose request carries no UserName/Password."""

    @property
    def soap_action(self) -> str:
        return f"KashFlow/{self.name}"

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.params)


def _op(name: str, kind: Kind, params: str, outputs: str, *, credentials: bool = True) -> Operation:
    return Operation(name, kind, parse_fields(params), parse_fields(outputs), credentials)


_OPERATIONS = (
    _op("UpdateCustomer", WRITE, "custr:Customer", "UpdateCustomerResult"),
    _op("SearchCustomerByCustText", READ, "SearchVal", "SearchCustomerByCustTextResult:Customer"),
    _op(
        "SetCustomerVATNumber",
        WRITE,
        "CustVATNumber CustomerCode",
        "SetCustomerVATNumberResult:int",
    ),
    _op("GetCustomerCurrency", READ, "CustomerCode", "GetCustomerCurrencyResult"),
    _op("SetCustomerCurrency", WRITE, "CurrencyCode CustomerCode", "SetCustomerCurrencyResult:int"),
    _op("DeleteCustomer", DELETE, "CustomerID:int", "DeleteCustomerResult:int"),
    _op("GetCustomerSources", READ, "", "GetCustomerSourcesResult:ArrayOfBasicDataset"),
    _op("GetCustomersByPostcode", READ, "Postcode", "GetCustomersByPostcodeResult:ArrayOfCustomer"),
    _op("GetCustomerBalance", READ, "CustomerCode", "GetCustomerBalanceResult:CustomerBalance"),
    _op(
        "GetCustomerAdvancePayments",
        READ,
        "CustomerId:int",
        "GetCustomerAdvancePaymentsResult:ArrayOfBankTransaction",
    ),
    _op("InsertOrUpdateProject", WRITE, "Project:Project", "InsertOrUpdateProjectResult:int"),
    _op("GetProjects_Full", READ, "ProjStatus:int", "GetProjects_FullResult:ArrayOfProject"),
    _op("GetProjects", READ, "", "GetProjectsResult:ArrayOfBasicDataset"),
    _op("GetProjectById", READ, "ProjId:int", "GetProjectByIdResult:Project"),
    _op("GetProjectByRef", READ, "ProjRef", "GetProjectByRefResult:Project"),
    _op("GetProjectByName", READ, "ProjName", "GetProjectByNameResult:Project"),
    _op("InsertSupplier", WRITE, "supl:Supplier", "InsertSupplierResult:int"),
    _op("GetSupplierVATNumber", READ, "SupplierCode", "GetSupplierVATNumberResult"),
    _op("GetSupplier", READ, "SupplierCode", "GetSupplierResult:Supplier"),
    _op("GetSuppliers", READ, "", "GetSuppliersResult:ArrayOfSupplier"),
    _op("UpdateSupplier", WRITE, "sup:Supplier", ""),
    _op(
        "SetSupplierVATNumber",
        WRITE,
        "SupVATNumber SupplierCode",
        "SetSupplierVATNumberResult:int",
    ),
    _op("GetSupplierCurrency", READ, "SupplierCode", "GetSupplierCurrencyResult"),
    _op("SetSupplierCurrency", WRITE, "CurrencyCode SupplierCode", "SetSupplierCurrencyResult:int"),
    _op("GetSupplierByID", READ, "SupplierID:int", "GetSupplierByIDResult:Supplier"),
    _op("DeleteSupplier", DELETE, "SupplierID:int", "DeleteSupplierResult:int"),
    _op("CreateBankAccount", WRITE, "AccountName NominalCode:int", "CreateBankAccountResult:int"),
    _op(
        "GetBankBalance",
        READ,
        "AccountID:int BalanceDate:dateTime",
        "GetBankBalanceResult:decimal",
    ),
    _op("GetBankAccounts", READ, "", "GetBankAccountsResult:ArrayOfBankAccount"),
    _op("GetBankTxTypes", READ, "", "GetBankTxTypesResult:ArrayOfBankTXType"),
    _op(
        "GetBankTransactions",
        READ,
        "AccountID:int",
        "GetBankTransactionsResult:ArrayOfBankTransaction",
    ),
    _op("InsertBankTransaction", WRITE, "bp:BankTransaction", "InsertBankTransactionResult:int"),
    _op(
        "UpdateBankTransaction",
        WRITE,
        "bp:BankTransaction TransactionID:int",
        "UpdateBankTransactionResult:int",
    ),
    _op("DeleteBankTransaction", DELETE, "TransactionID:int", "DeleteBankTransactionResult:int"),
    _op("GetBalanceSheet", READ, "Date:dateTime", "GetBalanceSheetResult:BalanceSheet"),
    _op(
        "GetProfitAndLoss",
        READ,
        "StartDate:dateTime EndDate:dateTime",
        "GetProfitAndLossResult:ProfitAndLoss",
    ),
    _op(
        "GetMonthlyProfitAndLoss",
        READ,
        "StartDate:dateTime EndDate:dateTime",
        "GetMonthlyProfitAndLossResult:ArrayOfMonthlyPL",
    ),
    _op(
        "GetTrialBalance",
        READ,
        "StartDate:dateTime EndDate:dateTime",
        "GetTrialBalanceResult:ArrayOfNominalCode",
    ),
    _op(
        "GetTrialBalanceWithOpeningBalances",
        READ,
        "StartDate:dateTime EndDate:dateTime",
        "GetTrialBalanceWithOpeningBalancesResult:ArrayOfNominalCodeBalance",
    ),
    _op(
        "GetVATReport",
        READ,
        "StartDate:dateTime EndDate:dateTime",
        "GetVATReportResult:VATReport",
    ),
    _op("GetDigitaCSVFile", READ, "StartDate:dateTime EndDate:dateTime", "GetDigitaCSVFileResult"),
    _op(
        "GetNominalLedger",
        READ,
        "StartDate:dateTime EndDate:dateTime NominalID:int",
        "GetNominalLedgerResult:ArrayOfTransactionInformation",
    ),
    _op(
        "GetAgedDebtors",
        READ,
        "AgedDebtorsDate:dateTime",
        "GetAgedDebtorsResult:ArrayOfAgedDebtorsCreditors",
    ),
    _op(
        "GetAgedCreditors",
        READ,
        "AgedCreditorsDate:dateTime",
        "GetAgedCreditorsResult:ArrayOfAgedDebtorsCreditors",
    ),
    _op(
        "GetIncomeByCustomer",
        READ,
        "StartDate:dateTime EndDate:dateTime BasedOnInvoiceDate:boolean",
        "GetIncomeByCustomerResult:ArrayOfBasicDataset",
    ),
    _op("InsertJournal", WRITE, "Jnl:JournalEntry", "InsertJournalResult:int"),
    _op("UpdateJournal", WRITE, "Jnl:JournalEntry", "UpdateJournalResult:int"),
    _op("UpdateJournalHeader", WRITE, "Jnl:JournalEntry", "UpdateJournalHeaderResult:int"),
    _op("GetJournals", READ, "", "GetJournalsResult:ArrayOfJournalEntry"),
    _op("GetJournal", READ, "JournalNumber:int", "GetJournalResult:JournalEntry"),
    _op("DeleteJournal", DELETE, "JournalNumber:int", "DeleteJournalResult:int"),
    _op("DeleteJournalByID", DELETE, "JournalID:int", "DeleteJournalByIDResult:int"),
    _op(
        "VCFToCustomerObjects",
        READ,
        "inStream:base64Binary",
        "VCFToCustomerObjectsResult:ArrayOfCustomer",
    ),
    _op("GetBankOverview", READ, "", "GetBankOverviewResult:ArrayOfBankOverview"),
    _op("GetAccountOverview", READ, "", "GetAccountOverviewResult:AccountOverview"),
    _op("GetCurrencies", READ, "", "GetCurrenciesResult:ArrayOfCurrencies"),
    _op("GetUserAccountDefaults", READ, "", "GetUserAccountDefaultsResult:UserAccountDefaults"),
    _op(
        "GetUserAccountDefaults_TypeDefined",
        READ,
        "",
        "GetUserAccountDefaults_TypeDefinedResult:UserAccountDefaults_TypeDefined",
    ),
    _op(
        "AttachFileToReceipt",
        WRITE,
        "ReceiptNo:int Base64String ContentType Filename FileExtension FileSize",
        "AttachFileToReceiptResult:int",
    ),
    _op(
        "GetReceiptAttachments",
        READ,
        "ReceiptID:int",
        "GetReceiptAttachmentsResult:ArrayOfReceiptAttachment",
    ),
    _op(
        "DeleteReceiptAttachment",
        DELETE,
        "ReceiptID:int AttachmentID:int",
        "DeleteReceiptAttachmentResult:int",
    ),
    _op("AutoAuthIP", RESTRICTED, "appName AutoAuthKey", "AutoAuthIPResult:int"),
    _op("GetRemoteLoginURL", RESTRICTED, "", "GetRemoteLoginURLResult"),
    _op(
        "createAccount",
        RESTRICTED,
        "AccountCreationKey Username password memorableword EmailAddress CompanyName Addr1 Addr2 Addr3 Addr4 Postcode ContactName Telephone VATRegistered:int VATNumber USSettings:int promocode",
        "createAccountResult:int",
        credentials=False,
    ),
    _op("isUserVATRegistered", READ, "", "isUserVATRegisteredResult:boolean"),
    _op("GetProducts", READ, "", "GetProductsResult:ArrayOfProduct"),
    _op("AddOrUpdateSubProduct", WRITE, "sp:SubProduct", "AddOrUpdateSubProductResult:int"),
    _op("GetSubProducts", READ, "NominalID:int", "GetSubProductsResult:ArrayOfSubProduct"),
    _op("GetSubProductByID", READ, "ProductID:int", "GetSubProductByIDResult:SubProduct"),
    _op("GetSubProductByCode", READ, "ProductCode", "GetSubProductByCodeResult:SubProduct"),
    _op(
        "GetProductsWithSubProducts",
        READ,
        "",
        "GetProductsWithSubProductsResult:ArrayOfProductsFull",
    ),
    _op("GetNominalCodes", READ, "", "GetNominalCodesResult:ArrayOfNominalCode"),
    _op(
        "InsertNominalCode",
        WRITE,
        "name code:int classification:int nomtype:int",
        "InsertNominalCodeResult:int",
    ),
    _op(
        "GetNominalCodesExtended",
        READ,
        "",
        "GetNominalCodesExtendedResult:ArrayOfNominalCodeExtended",
    ),
    _op(
        "GetKPIs",
        READ,
        "StartDate:dateTime EndDate:dateTime ExcludeVAT:int ExcludeSameDayPays:int",
        "GetKPIsResult:ArrayOfBasicDataset",
    ),
    _op("GetVATRates", READ, "", "GetVATRatesResult:ArrayOfBasicDataset"),
    _op("GetCompanyDetails", READ, "", "GetCompanyDetailsResult:CompanyDetails"),
    _op("IsOneSaaSEnabled", READ, "", "IsOneSaaSEnabledResult:boolean"),
    _op(
        "SageFile",
        RESTRICTED,
        "buffer:base64Binary reference",
        "SageFileResult",
        credentials=False,
    ),
    _op("SageFileImport", RESTRICTED, "iSetID:int", "SageFileImportResult", credentials=False),
    _op("InsertQuote", WRITE, "Quote:Invoice", "InsertQuoteResult:int"),
    _op("InsertQuoteLine", WRITE, "QuoteID:int QuoteLine:InvoiceLine", "InsertQuoteLineResult:int"),
    _op("GetQuoteByID", READ, "QuoteID:int", "GetQuoteByIDResult:Invoice"),
    _op("GetQuoteByNumber", READ, "QuoteNumber:int", "GetQuoteByNumberResult:Invoice"),
    _op("GetQuotes_Recent", READ, "NumberOfQuotes:int", "GetQuotes_RecentResult:ArrayOfInvoice"),
    _op("GetQuotes", READ, "", "GetQuotesResult:ArrayOfInvoice"),
    _op("GetQuotesForCustomer", READ, "CustID:int", "GetQuotesForCustomerResult:ArrayOfInvoice"),
    _op(
        "ConvertQuoteToInvoice",
        WRITE,
        "QuoteID:int CustomerID:int CopyQuoteReference:int deleteQuoteAfterConversion:int",
        "ConvertQuoteToInvoiceResult:Invoice",
    ),
    _op(
        "applyCreditNoteToInvoice",
        WRITE,
        "InvoiceID:int CreditNoteID:int",
        "applyCreditNoteToInvoiceResult:boolean",
    ),
    _op("isStillQuote", READ, "QuoteID:int", "isStillQuoteResult:boolean"),
    _op("UpdateQuote", WRITE, "Quote:Invoice", "UpdateQuoteResult:int"),
    _op("UpdateQuoteHeader", WRITE, "Quote:Invoice", "UpdateQuoteHeaderResult:int"),
    _op("DeleteQuote", DELETE, "QuoteNumber:int", "DeleteQuoteResult:int"),
    _op("DeleteQuoteByID", DELETE, "QuoteID:int", "DeleteQuoteByIDResult:int"),
    _op(
        "DeleteQuoteLineWithQuoteID",
        DELETE,
        "LineID:int QuoteID:int",
        "DeleteQuoteLineWithQuoteIDResult:int",
    ),
    _op("DeleteQuoteLine", DELETE, "LineID:int QuoteNumber:int", "DeleteQuoteLineResult:int"),
    _op("GetInvoiceByID", READ, "InvoiceID:int", "GetInvoiceByIDResult:Invoice"),
    _op("GetInvoice", READ, "InvoiceNumber:int", "GetInvoiceResult:Invoice"),
    _op(
        "GetInvoice_TypeDefined",
        READ,
        "InvoiceNumber:int",
        "GetInvoice_TypeDefinedResult:Invoice_TypeDefined",
    ),
    _op("PrintInvoice", READ, "InvoiceNumber:int InvoiceNumberList", "PrintInvoiceResult"),
    _op(
        "EmailInvoice",
        RESTRICTED,
        "InvoiceNumber:int FromEmail FromName SubjectLine Body RecipientEmail",
        "",
    ),
    _op(
        "GetInvoicesByDateRange",
        READ,
        "StartDate:dateTime EndDate:dateTime",
        "GetInvoicesByDateRangeResult:ArrayOfInvoice",
    ),
    _op(
        "GetInvoicesForCustomer",
        READ,
        "CustID:int",
        "GetInvoicesForCustomerResult:ArrayOfInvoice",
    ),
    _op("GetInvoices_Unpaid", READ, "", "GetInvoices_UnpaidResult:ArrayOfInvoice"),
    _op(
        "GetInvoices_Unpaid_TypeDefined",
        READ,
        "",
        "GetInvoices_Unpaid_TypeDefinedResult:ArrayOfInvoice_TypeDefined",
    ),
    _op("GetInvoices_Overdue", READ, "", "GetInvoices_OverdueResult:ArrayOfInvoice"),
    _op(
        "GetInvoices_Overdue_TypeDefined",
        READ,
        "",
        "GetInvoices_Overdue_TypeDefinedResult:ArrayOfInvoice_TypeDefined",
    ),
    _op(
        "GetInvoices_Recent",
        READ,
        "NumberOfInvoices:int",
        "GetInvoices_RecentResult:ArrayOfInvoice",
    ),
    _op(
        "GetInvoices_Recent_TypeDefined",
        READ,
        "NumberOfInvoices:int",
        "GetInvoices_Recent_TypeDefinedResult:ArrayOfInvoice_TypeDefined",
    ),
    _op(
        "GetInvoicesForCustomer_typeDefined",
        READ,
        "CustID:int",
        "GetInvoicesForCustomer_typeDefinedResult:ArrayOfInvoice_TypeDefined",
    ),
    _op("InsertInvoice", WRITE, "Inv:Invoice", "InsertInvoiceResult:int"),
    _op(
        "InsertInvoice_TypeDefined",
        WRITE,
        "Inv_TD:Invoice_TypeDefined",
        "InsertInvoice_TypeDefinedResult:int",
    ),
    _op(
        "InsertInvoiceLine",
        WRITE,
        "InvoiceID:int InvLine:InvoiceLine",
        "InsertInvoiceLineResult:int",
    ),
    _op(
        "InsertInvoiceLineWithInvoiceNumber",
        WRITE,
        "InvoiceNumber:int InvLine:InvoiceLine",
        "InsertInvoiceLineWithInvoiceNumberResult:int",
    ),
    _op("UpdateInvoice", WRITE, "Inv:Invoice", ""),
    _op("UpdateInvoice_TypeDefined", WRITE, "InvTD:Invoice_TypeDefined", ""),
    _op("UpdateInvoiceHeader", WRITE, "Inv:Invoice", ""),
    _op("GetInvoicePayment", READ, "InvoiceNumber:int", "GetInvoicePaymentResult:ArrayOfPayment"),
    _op("InsertInvoicePayment", WRITE, "InvoicePayment:Payment", "InsertInvoicePaymentResult:int"),
    _op("DeleteInvoicePayment", DELETE, "InvoicePaymentNumber:int", ""),
    _op(
        "AllocateAdvancePaymentToInvoice",
        WRITE,
        "InvoiceNumber:int BankTxId:int",
        "AllocateAdvancePaymentToInvoiceResult:int",
    ),
    _op("DeleteInvoice", DELETE, "InvoiceNumber:int", "DeleteInvoiceResult:int"),
    _op("DeleteInvoiceByID", DELETE, "InvoiceID:int", "DeleteInvoiceByIDResult:int"),
    _op(
        "DeleteInvoiceLineWithInvoiceID",
        DELETE,
        "LineID:int InvoiceID:int",
        "DeleteInvoiceLineWithInvoiceIDResult:int",
    ),
    _op("DeleteInvoiceLine", DELETE, "LineID:int InvoiceNumber:int", "DeleteInvoiceLineResult:int"),
    _op("GetInvPayMethods", READ, "", "GetInvPayMethodsResult:ArrayOfPaymentMethod"),
    _op("GetPaypalLink", READ, "InvoiceNumber:int", "GetPaypalLinkResult"),
    _op(
        "InsertInvoiceNote",
        WRITE,
        "InvoiceId:int NoteDate:dateTime Notes",
        "InsertInvoiceNoteResult:boolean",
    ),
    _op("GetInvoiceNotes", READ, "InvoiceId:int", "GetInvoiceNotesResult:ArrayOfInvoiceNotes"),
    _op(
        "GetInvoicePaymentsCountforDateRange",
        READ,
        "StartDate:dateTime EndDate:dateTime",
        "GetInvoicePaymentsCountforDateRangeResult:int",
    ),
    _op(
        "GetInvoicePaymentsByDateRange",
        READ,
        "StartDate:dateTime EndDate:dateTime PageNumber:int",
        "GetInvoicePaymentsByDateRangeResult:ArrayOfPayment",
    ),
    _op("DeleteReceipt", DELETE, "ReceiptNumber:int", "DeleteReceiptResult:int"),
    _op("DeleteReceiptByID", DELETE, "ReceiptID:int", "DeleteReceiptByIDResult:int"),
    _op("DeleteReceiptLine", DELETE, "LineID:int ReceiptNumber:int", "DeleteReceiptLineResult:int"),
    _op(
        "DeleteReceiptLineWithReceiptID",
        DELETE,
        "LineID:int ReceiptID:int",
        "DeleteReceiptLineWithReceiptIDResult:int",
    ),
    _op(
        "GetReceipt_TypeDefined",
        READ,
        "ReceiptNumber:int",
        "GetReceipt_TypeDefinedResult:Invoice_TypeDefined",
    ),
    _op("GetReceipt", READ, "ReceiptNumber:int", "GetReceiptResult:Invoice"),
    _op(
        "GetReceipts_Recent",
        READ,
        "NumberOfReceipts:int",
        "GetReceipts_RecentResult:ArrayOfInvoice",
    ),
    _op("GetReceipts", READ, "", "GetReceiptsResult:ArrayOfInvoice"),
    _op(
        "GetReceiptsWithPaging",
        READ,
        "Page:int PerPage:int FilterBy",
        "GetReceiptsWithPagingResult:ArrayOfInvoice PageNumber:int TotalPages:int TotalRecords:int",
    ),
    _op(
        "GetReceiptsForSupplier",
        READ,
        "SupplierID:int",
        "GetReceiptsForSupplierResult:ArrayOfInvoice",
    ),
    _op(
        "InsertReceipt_TypeDefined",
        WRITE,
        "Inv_TD:Invoice_TypeDefined",
        "InsertReceipt_TypeDefinedResult:int",
    ),
    _op("InsertReceipt", WRITE, "Inv:Invoice", "InsertReceiptResult:int"),
    _op(
        "InsertReceiptLine",
        WRITE,
        "ReceiptID:int InvLine:InvoiceLine",
        "InsertReceiptLineResult:int",
    ),
    _op(
        "InsertReceiptLineFromNumber",
        WRITE,
        "ReceiptNumber:int InvLine:InvoiceLine",
        "InsertReceiptLineFromNumberResult:int",
    ),
    _op(
        "AllocateAdvancePaymentToReceipt",
        WRITE,
        "ReceiptNumber:int BankTxId:int",
        "AllocateAdvancePaymentToReceiptResult:int",
    ),
    _op("InsertReceiptPayment", WRITE, "ReceiptPayment:Payment", "InsertReceiptPaymentResult:int"),
    _op("GetReceiptPayment", READ, "ReceiptNumber:int", "GetReceiptPaymentResult:ArrayOfPayment"),
    _op(
        "DeleteReceiptPayment",
        DELETE,
        "ReceiptPaymentNumber:int",
        "DeleteReceiptPaymentResult:int",
    ),
    _op("GetRecPayMethods", READ, "", "GetRecPayMethodsResult:ArrayOfPaymentMethod"),
    _op(
        "UpdateReceipt_TypeDefined",
        WRITE,
        "Receipt_TD:Invoice_TypeDefined",
        "UpdateReceipt_TypeDefinedResult:int",
    ),
    _op("UpdateReceipt", WRITE, "Receipt:Invoice", "UpdateReceiptResult:int"),
    _op("UpdateReceiptHeader", WRITE, "Receipt:Invoice", "UpdateReceiptHeaderResult:int"),
    _op(
        "PrintPurchaseOrder",
        READ,
        "ReceiptNumber:int ReceiptNumberList",
        "PrintPurchaseOrderResult",
    ),
    _op(
        "EmailPurchaseOrder",
        RESTRICTED,
        "ReceiptNumber:int FromEmail FromName SubjectLine Body RecipientEmail",
        "EmailPurchaseOrderResult",
    ),
    _op(
        "InsertReceiptNote",
        WRITE,
        "ReceiptId:int NoteDate:dateTime Notes",
        "InsertReceiptNoteResult:boolean",
    ),
    _op("GetReceiptNotes", READ, "ReceiptId:int", "GetReceiptNotesResult:ArrayOfReceiptNotes"),
    _op("GetCustomerVATNumber", READ, "CustomerCode", "GetCustomerVATNumberResult"),
    _op("GetCustomer", READ, "CustomerCode", "GetCustomerResult:Customer"),
    _op("GetCustomerByID", READ, "CustomerID:int", "GetCustomerByIDResult:Customer"),
    _op("GetCustomerByEmail", READ, "CustomerEmail", "GetCustomerByEmailResult:Customer"),
    _op(
        "GetCustomersModifiedSince",
        READ,
        "ModifiedSince:dateTime",
        "GetCustomersModifiedSinceResult:ArrayOfCustomer",
    ),
    _op("GetCustomers", READ, "", "GetCustomersResult:ArrayOfCustomer"),
    _op("InsertCustomer", WRITE, "custr:Customer", "InsertCustomerResult:int"),
)

OPERATIONS: dict[str, Operation] = {op.name: op for op in _OPERATIONS}


def get_operation(name: str) -> Operation | None:
    """The operation called ``name``; KashFlow's names are case-sensitive, so this is exact."""
    return OPERATIONS.get(name)
