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
    description="Sales invoices: list, read, raise, update, delete.",
    default=True,
    instructions="Look invoice numbers up with list_invoices; never guess them. KashFlow numbers "
    "a new invoice and works out its totals, VAT per line.",
)
PAYMENTS = Toolset(
    name="payments",
    description="Money coming in: payments, credit notes, who owes what.",
    default=True,
    instructions="Payment amounts are in the invoice's currency; aged_debtors reports in GBP, "
    "the ledger's currency.",
)
API = Toolset(
    name="api",
    description="call_kashflow_api: any KashFlow SOAP operation by name, guarded.",
    default=True,
    instructions="call_kashflow_api is for what the other tools do not cover; reference data "
    "comes from it: GetCurrencies, GetVATRates, GetNominalCodes, GetCustomerSources, GetProjects.",
)

TOOLSETS: tuple[Toolset, ...] = (CUSTOMERS, INVOICES, PAYMENTS, API)
