"""The reference data every new account starts with, as KashFlow sets one up.

Currencies, VAT rates, sales and balance-sheet nominal codes, payment methods, bank accounts (a
current account on nominal 1200, the main one, and a deposit account on 1210) and a blank
company; no customer sources and no projects (the demo company brings its own).
"""

from __future__ import annotations

from ..db import Books

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
NOMINAL_CODES = [
    (3101, 4000, "Design services"),
    (3102, 4010, "Printing"),
    (3103, 4020, "Signage and installation"),
    (3104, 4090, "Postage and carriage recharged"),
    (3105, 4900, "Other income"),
    (3110, 1100, "Trade debtors"),
    (3111, 1200, "Bank current account"),
    (3115, 1210, "Bank deposit account"),
    (3112, 2200, "VAT liability"),
    (3113, 5000, "Materials purchased"),
    (3114, 7500, "Postage and carriage"),
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


def _nominal(id_: int, code: int, name: str) -> dict[str, object]:
    return {"id": id_, "Code": code, "Name": name, "debit": "0", "credit": "0", "balance": "0"}


def load(books: Books) -> None:
    books.reference.set("currencies", CURRENCIES)
    books.reference.set("vat_rates", VAT_RATES)
    books.reference.set("nominal_codes", [_nominal(*row) for row in NOMINAL_CODES])
    books.reference.set(
        "pay_methods",
        [{"MethodID": i, "MethodName": name} for i, name in enumerate(PAY_METHODS, 1)],
    )
    books.reference.set("bank_accounts", BANK_ACCOUNTS)
    books.reference.set("company", SANDBOX_COMPANY)
    books.reference.set("sources", [])
    books.reference.set("projects", [])
