"""Reference data: currencies, VAT rates, customer sources, projects, nominal codes, payment
methods, bank accounts and the company's details, as the account holds them (see ``seed``)."""

from __future__ import annotations

from typing import Any

from ..db import Books
from ..dispatch import Params, serves


@serves("GetCurrencies")
def get_currencies(books: Books, params: Params) -> Any:
    return books.reference.get("currencies")


@serves("GetVATRates")
def get_vat_rates(books: Books, params: Params) -> Any:
    return books.reference.get("vat_rates")


@serves("GetCustomerSources")
def get_customer_sources(books: Books, params: Params) -> Any:
    return books.reference.get("sources")


@serves("GetProjects")
def get_projects(books: Books, params: Params) -> Any:
    return books.reference.get("projects")


@serves("GetNominalCodes")
def get_nominal_codes(books: Books, params: Params) -> Any:
    return books.reference.get("nominal_codes")


@serves("GetInvPayMethods")
def get_pay_methods(books: Books, params: Params) -> Any:
    return books.reference.get("pay_methods")


@serves("GetCompanyDetails")
def get_company_details(books: Books, params: Params) -> Any:
    return books.reference.get("company")


@serves("GetBankAccounts")
def get_bank_accounts(books: Books, params: Params) -> Any:
    return books.reference.get("bank_accounts")
