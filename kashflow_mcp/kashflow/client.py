"""The KashFlow client: typed operations over ``SoapCaller``.

Each method is one SOAP operation, taking and returning the wire models of ``models``. Anything
not typed here is reachable with ``call(operation, params)``.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from .errors import NotFoundError
from .models import (
    BasicDataset,
    CompanyDetails,
    Currency,
    Customer,
    CustomerBalance,
    CustomerSummary,
    Invoice,
    InvoiceLine,
    NominalCode,
    Payment,
    WireModel,
)
from .soap import SoapCaller

M = TypeVar("M", bound=WireModel)


def _many(model: type[M], rows: Any) -> list[M]:
    return [model.model_validate(row) for row in rows or ()]


def _one(model: type[M], row: Any, operation: str, missing: str, id_field: str) -> M:
    # KashFlow has been seen answering a lookup of a missing record with an empty record
    # (id 0) instead of Status=NO; both mean "not found".
    if not row or not row.get(id_field):
        raise NotFoundError(missing, operation=operation)
    return model.model_validate(row)


# What a customer list needs to show, search and page: a few of a customer's ~80 fields.
CUSTOMER_SUMMARY_FIELDS = frozenset(CustomerSummary.model_fields)


class KashFlowClient(SoapCaller):
    # ----------------------------------------------------------------- customers

    async def get_customers(self) -> list[Customer]:
        return _many(Customer, await self.call_list("GetCustomers"))

    async def get_customer_summaries(self) -> list[CustomerSummary]:
        """Every customer, with only the fields a list needs: light enough for 20,000."""
        rows = await self.call_list("GetCustomers", fields=CUSTOMER_SUMMARY_FIELDS)
        return _many(CustomerSummary, rows)

    async def get_customer_by_id(self, customer_id: int) -> Customer:
        row = await self.call("GetCustomerByID", {"CustomerID": customer_id})
        return _one(Customer, row, "GetCustomerByID", f"no customer {customer_id}", "CustomerID")

    async def get_customer(self, code: str) -> Customer:
        row = await self.call("GetCustomer", {"CustomerCode": code})
        return _one(Customer, row, "GetCustomer", f"no customer with code {code}", "CustomerID")

    async def get_customer_by_email(self, email: str) -> Customer:
        row = await self.call("GetCustomerByEmail", {"CustomerEmail": email})
        return _one(Customer, row, "GetCustomerByEmail", f"no customer {email}", "CustomerID")

    async def get_customers_by_postcode(self, postcode: str) -> list[Customer]:
        return _many(Customer, await self.call("GetCustomersByPostcode", {"Postcode": postcode}))

    async def insert_customer(self, customer: Customer) -> int:
        """The new CustomerID."""
        return int(await self.call("InsertCustomer", {"custr": customer.wire()}))

    async def update_customer(self, customer: Customer) -> None:
        """Overwrites the whole record: fields left unset are written empty. Read, merge, write."""
        await self.call("UpdateCustomer", {"custr": customer.wire()})

    async def delete_customer(self, customer_id: int) -> None:
        await self.call("DeleteCustomer", {"CustomerID": customer_id})

    async def get_customer_balance(self, code: str) -> CustomerBalance:
        row = await self.call("GetCustomerBalance", {"CustomerCode": code})
        return CustomerBalance.model_validate(row or {})

    # ----------------------------------------------------------------- invoices

    async def get_invoices_for_customer(self, customer_id: int) -> list[Invoice]:
        rows = await self.call_list("GetInvoicesForCustomer", {"CustID": customer_id})
        return _many(Invoice, rows)

    async def get_invoice(self, number: int) -> Invoice:
        row = await self.call("GetInvoice", {"InvoiceNumber": number})
        return _one(Invoice, row, "GetInvoice", f"no invoice number {number}", "InvoiceDBID")

    async def get_invoice_by_id(self, invoice_id: int) -> Invoice:
        row = await self.call("GetInvoiceByID", {"InvoiceID": invoice_id})
        return _one(
            Invoice, row, "GetInvoiceByID", f"no invoice with id {invoice_id}", "InvoiceDBID"
        )

    async def insert_invoice(self, invoice: Invoice) -> int:
        """The new InvoiceNumber."""
        return int(await self.call("InsertInvoice", {"Inv": invoice.wire()}))

    async def update_invoice(self, invoice: Invoice) -> None:
        """Overwrites header and lines. Read, merge, write."""
        await self.call("UpdateInvoice", {"Inv": invoice.wire()})

    async def delete_invoice(self, number: int) -> None:
        await self.call("DeleteInvoice", {"InvoiceNumber": number})

    async def delete_invoice_by_id(self, invoice_id: int) -> None:
        await self.call("DeleteInvoiceByID", {"InvoiceID": invoice_id})

    async def insert_invoice_line(self, invoice_id: int, line: InvoiceLine) -> int:
        """The new LineID."""
        params = {"InvoiceID": invoice_id, "InvLine": line.wire()}
        return int(await self.call("InsertInvoiceLine", params))

    async def get_invoices_by_date_range(self, start: date, end: date) -> list[Invoice]:
        rows = await self.call("GetInvoicesByDateRange", {"StartDate": start, "EndDate": end})
        return _many(Invoice, rows)

    async def get_unpaid_invoices(self) -> list[Invoice]:
        return _many(Invoice, await self.call("GetInvoices_Unpaid"))

    async def get_overdue_invoices(self) -> list[Invoice]:
        return _many(Invoice, await self.call("GetInvoices_Overdue"))

    async def get_recent_invoices(self, count: int) -> list[Invoice]:
        return _many(Invoice, await self.call("GetInvoices_Recent", {"NumberOfInvoices": count}))

    async def insert_invoice_payment(self, payment: Payment) -> int:
        """The new payment's id."""
        return int(await self.call("InsertInvoicePayment", {"InvoicePayment": payment.wire()}))

    async def get_invoice_payments(self, number: int) -> list[Payment]:
        return _many(Payment, await self.call("GetInvoicePayment", {"InvoiceNumber": number}))

    # ----------------------------------------------------------------- reference data

    async def get_currencies(self) -> list[Currency]:
        return _many(Currency, await self.call("GetCurrencies"))

    async def get_vat_rates(self) -> list[BasicDataset]:
        return _many(BasicDataset, await self.call("GetVATRates"))

    async def get_customer_sources(self) -> list[BasicDataset]:
        return _many(BasicDataset, await self.call("GetCustomerSources"))

    async def get_projects(self) -> list[BasicDataset]:
        return _many(BasicDataset, await self.call("GetProjects"))

    async def get_nominal_codes(self) -> list[NominalCode]:
        return _many(NominalCode, await self.call("GetNominalCodes"))

    async def get_company_details(self) -> CompanyDetails:
        return CompanyDetails.model_validate(await self.call("GetCompanyDetails") or {})
