"""Every toolset, declared once: its name, what it is for, whether it is on by default, and the
instructions the model needs for its tools. The tools name their toolset where they are defined.
"""

from __future__ import annotations

from .base import Toolset

CUSTOMERS = Toolset(
    name="customers",
    description="Customers: list, search, read, create, update, delete.",
    default=True,
    instructions="Look customer ids up with list_customers (search matches name, code, email, "
    "contact or postcode); never guess them.",
)
INVOICES = Toolset(
    name="invoices",
    description="Sales invoices: list, read, raise, update, delete; email, once allowed.",
    default=True,
    instructions="Look invoice numbers up with list_invoices; never guess them. KashFlow numbers "
    "a new invoice and works out its totals, VAT per line.",
)
PAYMENTS = Toolset(
    name="payments",
    description="Money coming in: payments, credit notes, notes on invoices, who owes what.",
    default=True,
    instructions="record_payment pays an invoice (default: all that is due, today, BACS, the "
    "main bank account); amounts are in the invoice's currency. A refund or an overpayment is "
    "not a payment: record_payment refuses it. Look payment ids up with list_payments. A credit "
    "note is an invoice with negative lines in KashFlow; its amounts show as credit. Setting one "
    "against an invoice (apply_credit_note) is confirmed like a delete. aged_debtors reports in "
    "GBP, the ledger's currency.",
)
API = Toolset(
    name="api",
    description="call_kashflow_api: any KashFlow SOAP operation by name, guarded.",
    default=True,
    instructions="call_kashflow_api is for what the other tools do not cover; reference data "
    "comes from it: GetCurrencies, GetVATRates, GetNominalCodes, GetCustomerSources, GetProjects.",
)

ACCOUNTS = Toolset(
    name="accounts",
    description="list_accounts: the companies whose books this server keeps.",
    default=True,
    instructions="This server keeps the books of several companies: every call names one with "
    "account (list_accounts shows them). Ids and numbers belong to one company's books: never "
    "carry them to another's.",
)
"""Offered only on a server of several accounts, whatever the operator chooses."""

TOOLSETS: tuple[Toolset, ...] = (CUSTOMERS, INVOICES, PAYMENTS, API, ACCOUNTS)
