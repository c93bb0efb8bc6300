"""Bank: the account's bank accounts (each on a bank nominal code, 1200 the current account)."""

from __future__ import annotations

from ..wire.records import BankAccount
from .common import Area, many


class Bank(Area):
    async def accounts(self) -> list[BankAccount]:
        return many(BankAccount, await self._soap.call("GetBankAccounts"))
