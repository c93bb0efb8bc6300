"""Reference data, kept whole per kind: currencies, VAT rates, nominal codes, the company..."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from .table import Record, Table, dump


class Reference(Table):
    def get(self, kind: str) -> Any:
        row = self._db.execute("SELECT data FROM reference WHERE kind = ?", (kind,)).fetchone()
        return json.loads(row[0]) if row else []

    def set(self, kind: str, rows: list[Record] | Record) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO reference (kind, data) VALUES (?, ?)", (kind, dump(rows))
        )

    def exchange_rates(self) -> dict[str, Decimal]:
        """Each currency's rate against the pound, by ISO code."""
        return {row["CurrencyCode"]: Decimal(row["ExchangeRate"]) for row in self.get("currencies")}
