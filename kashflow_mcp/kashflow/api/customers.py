"""Customers: KashFlow's customer records, by id, code, email or postcode."""

from __future__ import annotations

from ..wire import WireModel
from ..wire.records import Customer, CustomerBalance
from .common import Area, many, one


class CustomerSummary(WireModel):
    """The few Customer fields a list needs; a full Customer costs ten times more to build."""

    CustomerID: int | None = None
    Code: str | None = None
    Name: str | None = None
    Email: str | None = None
    Postcode: str | None = None
    Contact: str | None = None


SUMMARY_FIELDS = frozenset(CustomerSummary.model_fields)


class Customers(Area):
    async def all(self) -> list[Customer]:
        return many(Customer, await self._soap.call_list("GetCustomers"))

    async def summaries(self) -> list[CustomerSummary]:
        """Every customer, with only the fields a list needs: light enough for 20,000."""
        rows = await self._soap.call_list("GetCustomers", fields=SUMMARY_FIELDS)
        return many(CustomerSummary, rows)

    async def get(self, customer_id: int) -> Customer:
        row = await self._soap.call("GetCustomerByID", {"CustomerID": customer_id})
        return one(Customer, row, "GetCustomerByID", f"no customer {customer_id}", "CustomerID")

    async def by_code(self, code: str) -> Customer:
        row = await self._soap.call("GetCustomer", {"CustomerCode": code})
        return one(Customer, row, "GetCustomer", f"no customer with code {code}", "CustomerID")

    async def by_email(self, email: str) -> Customer:
        row = await self._soap.call("GetCustomerByEmail", {"CustomerEmail": email})
        return one(Customer, row, "GetCustomerByEmail", f"no customer {email}", "CustomerID")

    async def by_postcode(self, postcode: str) -> list[Customer]:
        rows = await self._soap.call("GetCustomersByPostcode", {"Postcode": postcode})
        return many(Customer, rows)

    async def insert(self, customer: Customer) -> int:
        """The new CustomerID."""
        return int(await self._soap.call("InsertCustomer", {"custr": customer.wire()}))

    async def update(self, customer: Customer) -> None:
        """Overwrites the whole record: fields left unset are written empty. Read, merge, write."""
        await self._soap.call("UpdateCustomer", {"custr": customer.wire()})

    async def delete(self, customer_id: int) -> None:
        await self._soap.call("DeleteCustomer", {"CustomerID": customer_id})

    async def balance(self, code: str) -> CustomerBalance:
        row = await self._soap.call("GetCustomerBalance", {"CustomerCode": code})
        return CustomerBalance.model_validate(row or {})
