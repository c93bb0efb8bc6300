"""Reference data a tool needs to write a document: currencies, nominal codes, payment methods
and bank accounts, cached."""

from __future__ import annotations

from ...kashflow.wire import records as wire
from ...schemas.common import DocumentLineIn
from ..base import ToolEnv, ToolFailure
from .convert import HOME_CURRENCY


async def nominal_ids(env: ToolEnv, lines: list[DocumentLineIn] | None) -> dict[int, int]:
    """Nominal code (4000) → KashFlow's internal id, which is what a line must carry."""
    wanted = {line.nominal_code for line in lines or () if line.nominal_code is not None}
    if not wanted:
        return {}
    nominals, _ = await env.cache.get_or_load("nominals", env.client.reference.nominal_codes)
    ids = {n.Code: n.id for n in nominals if n.Code is not None and n.id is not None}
    missing = sorted(wanted - set(ids))
    if missing:
        raise ToolFailure(
            f"No nominal code {missing[0]}. List them with call_kashflow_api GetNominalCodes."
        )
    return ids


async def currencies(env: ToolEnv) -> dict[str, wire.Currencies]:
    """The account's currencies by ISO code."""
    rows, _ = await env.cache.get_or_load("currencies", env.client.reference.currencies)
    return {row.CurrencyCode.upper(): row for row in rows if row.CurrencyCode}


async def no_currencies(env: ToolEnv) -> dict[str, wire.Currencies]:
    """Stands in for ``currencies`` where a call will not need them."""
    return {}


def currency(code: str, known: dict[str, wire.Currencies]) -> wire.Currencies:
    """The account's currency ``code``; refused, listing the account's, when it has no such one."""
    if not known:  # an account that lists none: nothing to check against
        return wire.Currencies(CurrencyCode=code.upper())
    found = known.get(code.upper())
    if found is None:
        listed = ", ".join(sorted(known)) or HOME_CURRENCY
        raise ToolFailure(f"currency_code {code.upper()} is not one this account uses: {listed}.")
    return found


def customers_currency(customer: wire.Customer, known: dict[str, wire.Currencies]) -> str:
    """The currency a customer is billed in: their own where they have one, else the pound."""
    return next(
        (code for code, row in known.items() if row.CurrencyId == customer.CurrencyID),
        HOME_CURRENCY,
    )


async def pay_methods(env: ToolEnv) -> list[wire.PaymentMethod]:
    """The ways an invoice can be paid (GetInvPayMethods)."""
    rows, _ = await env.cache.get_or_load("pay_methods", env.client.payments.methods)
    return list(rows)


async def bank_accounts(env: ToolEnv) -> list[wire.BankAccount]:
    """The account's bank accounts (GetBankAccounts)."""
    rows, _ = await env.cache.get_or_load("bank_accounts", env.client.bank.accounts)
    return list(rows)
