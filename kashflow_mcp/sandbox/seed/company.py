"""What a demo company is: its details, its customers, what it sells and how it signs in.

A profile is pure data; ``demo.load`` turns one into books. The generator draws everything
from the profile's own random seed, so a profile's books are fixed by the profile alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple


class CustomerRow(NamedTuple):
    code: str
    name: str
    contact: str  # "title first last"
    street: str
    town: str
    postcode: str
    country: str
    iso: str  # KashFlow's country code (EL for Greece)
    currency: str
    terms: int  # payment terms, days
    source: int  # customer source id, 1-based into Company.sources


class Product(NamedTuple):
    description: str
    nominal: int  # the sales nominal code's id (a line's ChargeType)
    vat: str  # percentage; "-1" is exempt or outside the scope of VAT
    pennies: tuple[int, int]  # unit price range, from (inclusive) to (exclusive)
    quantities: tuple[str, ...]
    # Supplied in the UK whoever buys it, so a customer abroad pays UK VAT too: catering is
    # taxed where it is performed, room hire where the land is (HMRC VAT Notice 741A). When
    # False the line follows the customer: a business abroad pays no UK VAT on it.
    taxed_in_uk: bool = False


class SalesCode(NamedTuple):
    id: int
    code: int
    name: str


@dataclass(frozen=True)
class Company:
    key: str  # how commands and tests name it: --company harbour
    title: str  # the company name, as GetCompanyDetails gives it
    summary: str  # one line on who they are
    details: Mapping[str, Any]  # the rest of the company details record
    sources: tuple[str, ...]  # customer sources (how customers found them)
    projects: tuple[tuple[str, str], ...]  # (name, description)
    customers: tuple[CustomerRow, ...]
    products: tuple[Product, ...]
    sales_codes: tuple[SalesCode, ...]  # the nominal codes its products are sold under
    seed: int
    first_invoice_number: int
    username: str
    password: str
    # Towns with an Ofcom drama-range prefix of their own; the rest get 01632 960.
    town_phones: Mapping[str, str]

    @property
    def record(self) -> dict[str, Any]:
        """The fields of the company details record this company sets."""
        return {"CompanyName": self.title, **self.details}
