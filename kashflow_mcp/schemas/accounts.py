"""The accounts a server keeps the books of (a practice's clients), as the model is told."""

from __future__ import annotations

from pydantic import Field

from .common import ArgsModel, ResultModel
from .values import CleanText


class ListAccountsArgs(ArgsModel):
    pass


class AccountRow(ResultModel):
    account: str = Field(description="Pass as account to every other tool.")
    title: CleanText
    read_only: bool


class AccountList(ResultModel):
    accounts: list[AccountRow]
