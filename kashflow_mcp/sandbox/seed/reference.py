"""The reference data every new account starts with, as KashFlow sets one up.

Currencies, VAT rates, the chart of nominal codes (``ledger.accounts``), payment methods, bank
accounts (a current account on nominal 1200, the main one, and a deposit account on 1210) and a
blank company; no customer sources and no projects (the demo company brings its own).
"""

from __future__ import annotations

from ..db import Books
from ..ledger.accounts import CHART, nominal_record

CURRENCIES = [
    {"CurrencyId": 1, "CurrencyCode": "GBP", "ExchangeRate": "1.0000", "isDefault": 1},
    {"CurrencyId": 2, "CurrencyCode": "EUR", "ExchangeRate": "1.1650", "isDefault": 0},
    {"CurrencyId": 3, "CurrencyCode": "USD", "ExchangeRate": "1.2700", "isDefault": 0},
]
VAT_RATES = [
    {"ID": 1, "Name": "20%", "Description": "Standard rate", "Value": "20"},
    {"ID": 2, "Name": "5%", "Description": "Reduced rate", "Value": "5"},
    {"ID": 3, "Name": "0%", "Description": "Zero rate", "Value": "0"},
    {"ID": 4, "Name": "Exempt", "Description": "Exempt or outside the scope of VAT", "Value": "-1"},
]
PAY_METHODS = ["BACS", "Cheque", "Cash", "Card", "PayPal"]
# One bank account per bank nominal code; the first, on 1200, is the main one.
BANK_ACCOUNTS = [
    {"AccountID": 1, "AccountName": "Current Account", "AccountCode": 1200},
    {"AccountID": 2, "AccountName": "Deposit Account", "AccountCode": 1210},
]
MAIN_BANK_ACCOUNT = BANK_ACCOUNTS[0]["AccountID"]
SANDBOX_COMPANY = {
    "CompanyName": "KashFlow Sandbox",
    "Address1": "",
    "Address2": "",
    "Address3": "",
    "Address4": "",
    "Postcode": "",
    "PrimaryEmail": "",
    "PrimaryContact": "",
    "Telephone": "",
    "Mobile": "",
    "VatRegistered": "Yes",
    "VatRegistrationNumber": "",
    "PaymentTerms": 30,
    "CurrencySymbol": "£",
    "CurrencyPosition": "Before",
    "UsDate": "No",
    "CurrencyId": 1,
    "CurrencyName": "Pound Sterling",
    "BusinessType1": 0,
    "BusinessType2": 0,
    "BusinessType3": 0,
    "PaymentTermsType": "Days",
    "BusinessType1Name": "",
    "BusinessType2Name": "",
    "BusinessType3Name": "",
    "BusinessType": 0,
}


def load(books: Books) -> None:
    books.reference.set("currencies", CURRENCIES)
    books.reference.set("vat_rates", VAT_RATES)
    books.reference.set("nominal_codes", [nominal_record(account) for account in CHART])
    books.reference.set(
        "pay_methods",
        [{"MethodID": i, "MethodName": name} for i, name in enumerate(PAY_METHODS, 1)],
    )
    books.reference.set("bank_accounts", BANK_ACCOUNTS)
    books.reference.set("company", SANDBOX_COMPANY)
    books.reference.set("sources", [])
    books.reference.set("projects", [])


def complete_chart(books: Books) -> None:
    """Add the accounts of the chart that books made before it lack (by id and by code)."""
    stored = books.reference.get("nominal_codes")
    ids, codes = {n["id"] for n in stored}, {n["Code"] for n in stored}
    missing = [a for a in CHART if a.id not in ids and a.code not in codes]
    books.reference.set("nominal_codes", [*stored, *map(nominal_record, missing)])
