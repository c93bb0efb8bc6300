"""Reports KashFlow works out from its books: who owes what, and since when."""

from __future__ import annotations

from datetime import date

from ..wire.records import AgedDebtorsCreditors
from .common import Area, many


class Reports(Area):
    async def aged_debtors(self, day: date) -> list[AgedDebtorsCreditors]:
        """What each customer owed on ``day``, aged (amounts in the home currency)."""
        rows = await self._soap.call("GetAgedDebtors", {"AgedDebtorsDate": day})
        return many(AgedDebtorsCreditors, rows)
