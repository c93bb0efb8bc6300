"""Who owes what: the aged debtors report (snake_case; no KashFlow wire names)."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from .common import OFFSET_DESCRIPTION, ArgsModel, ResultModel
from .values import Amount, CleanText, IsoDate


class AgedDebtorsArgs(ArgsModel):
    as_of: IsoDate | None = Field(None, description="Default: today.")
    limit: int = Field(25, ge=1, le=500)
    offset: int = Field(0, ge=0, description=OFFSET_DESCRIPTION)


class AgedDebtor(ResultModel):
    customer_id: int
    code: CleanText | None = None
    name: CleanText | None = None
    balance: Amount
    current: Amount = Field(description="Not yet due.")
    period_1: Amount
    period_2: Amount
    period_3: Amount
    older: Amount


class AgedTotal(ResultModel):
    currency_code: str
    balance: Amount
    current: Amount
    period_1: Amount
    period_2: Amount
    period_3: Amount
    older: Amount


class AgedDebtors(ResultModel):
    as_of: date
    periods: list[CleanText] = Field(description="What period_1..3 cover, as KashFlow names them.")
    debtors: list[AgedDebtor] = Field(description="Largest balance first.")
    totals: list[AgedTotal] = Field(description="Over every debtor, per currency.")
    total: int = Field(description="Debtors, across all pages.")
    offset: int
    next_offset: int | None = Field(
        None, description="Pass as offset for the next page; null at end."
    )
