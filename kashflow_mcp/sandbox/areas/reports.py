"""Reports from the books' entries: trial balance, nominal ledger, aged debtors, a customer's
balance, the account overview and income by customer (see ``ledger.reports`` for what each
field is read to mean). Amounts are in pounds, as KashFlow's ledger keeps them."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..db import Books, Record
from ..dispatch import Params, serves
from ..ledger import reports
from ..rules.records import existing
from ..rules.values import Refusal, day_of, period_of


@serves("GetTrialBalance")
def get_trial_balance(books: Books, params: Params) -> list[Record]:
    return reports.trial_balance(books.ledger.totals(*period_of(params)), books.ledger.chart())


@serves("GetNominalLedger")
def get_nominal_ledger(books: Books, params: Params) -> list[Record]:
    first, last = period_of(params)
    nominal, chart = params.get("NominalID"), books.ledger.chart()
    if nominal not in chart.names:
        detail = f"Nominal code not found: {nominal}"
        ids = [i for i, (code, _) in chart.names.items() if code == nominal]
        if ids:
            detail += f" (NominalID is a nominal's id: code {nominal} is id {ids[0]})"
        raise Refusal(detail)
    return reports.transactions(books.ledger.entries(nominal, first, last))


@serves("GetAgedDebtors")
def get_aged_debtors(books: Books, params: Params) -> list[Record]:
    as_of = day_of(params.get("AgedDebtorsDate"), "AgedDebtorsDate")
    if as_of is None:
        raise Refusal("AgedDebtorsDate is required")
    debts = books.ledger.debts(until=as_of.isoformat())
    return reports.aged_debtors(debts, books.ledger.customers(), as_of)


@serves("GetCustomerBalance")
def get_customer_balance(books: Books, params: Params) -> Record:
    """Value: what the customer has paid; Balance: what they still owe, over all documents."""
    code = params.get("CustomerCode")
    found = books.customers.by_code(str(code or ""))
    customer = existing(found, "Customer", code or "(no code given)")
    owed, paid = books.ledger.customer_balance(customer["CustomerID"])
    return {
        "CustomerId": customer["CustomerID"],
        "CustomerCode": customer["Code"],
        "Value": reports.money(paid),
        "Balance": reports.money(owed),
    }


@serves("GetAccountOverview")
def get_account_overview(books: Books, params: Params) -> Record:
    return reports.account_overview(books.ledger.debts(), date.today())


@serves("GetIncomeByCustomer")
def get_income_by_customer(books: Books, params: Params) -> list[Any]:
    """Net sales of the documents dated in the period, or, when BasedOnInvoiceDate is false,
    the money received in it (payments, VAT included) [inferred]."""
    first, last = period_of(params)
    if params.get("BasedOnInvoiceDate") is not False:
        income = {c: -p for c, p in books.ledger.by_customer("sales", first, last).items()}
    else:
        income = dict(books.ledger.by_customer("bank", first, last))
    return reports.income_by_customer(income, books.ledger.customers())
