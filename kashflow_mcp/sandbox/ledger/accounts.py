"""The chart of accounts: nominal codes in the style KashFlow ships (Sage-style numbering).

What is known and what is ours:
- A nominal has an internal id and a code (``NominalCode``: ``id``, ``Code``, ``Name``), and an
  invoice line names its nominal by the id, as ``ChargeType`` **[doc]**.
- Sage-style numbering: 0010-0999 fixed assets, 1000-1999 current assets (1100 trade debtors,
  1200 bank current account), 2000-2999 liabilities (2100 trade creditors, 2200 VAT), 3000-3999
  capital and reserves, 4000-4999 sales, 5000-5999 purchases and direct costs, 6000-8999
  overheads, 9998 suspense **[field: the UK charts KashFlow and Sage ship]**.
- KashFlow accounts carry a nominal named "Other", code 0, classed as a suspense account, and
  a line sent with ChargeType 0 is documented as "Other" **[field: a KashFlow nominal export]**;
  that such a line posts to it is **[inferred]**.
- Only sales types (KashFlow classes some nominals "Sales Type") may be named on an invoice
  line **[field]**; that the sales types are exactly the 4000-4999 codes is **[inferred]**.
- Which accounts, their names and the sandbox's ids are ours **[inferred]**. The first ten keep
  the ids the sandbox has always given them, since lines in books already made name them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..rules.values import Refusal

FIXED_ASSET, CURRENT_ASSET, LIABILITY, CAPITAL = "fixed asset", "asset", "liability", "capital"
SALES, PURCHASES, OVERHEADS, SUSPENSE = "sales", "purchases", "overheads", "suspense"


@dataclass(frozen=True)
class Account:
    id: int
    code: int
    name: str
    kind: str


CHART: tuple[Account, ...] = (
    Account(3101, 4000, "Design services", SALES),
    Account(3102, 4010, "Printing", SALES),
    Account(3103, 4020, "Signage and installation", SALES),
    Account(3104, 4090, "Postage and carriage recharged", SALES),
    Account(3105, 4900, "Other income", SALES),
    Account(3110, 1100, "Trade debtors", CURRENT_ASSET),
    Account(3111, 1200, "Bank current account", CURRENT_ASSET),
    Account(3112, 2200, "VAT liability", LIABILITY),
    Account(3113, 5000, "Materials purchased", PURCHASES),
    Account(3114, 7500, "Postage and carriage", OVERHEADS),
    # Added with the ledger.
    Account(3115, 0, "Other", SUSPENSE),
    Account(3116, 30, "Office equipment", FIXED_ASSET),
    Account(3117, 1210, "Bank deposit account", CURRENT_ASSET),
    Account(3118, 1230, "Petty cash", CURRENT_ASSET),
    Account(3119, 2100, "Trade creditors", LIABILITY),
    Account(3120, 3000, "Share capital", CAPITAL),
    Account(3121, 3200, "Profit and loss account", CAPITAL),
    Account(3122, 7000, "Wages and salaries", OVERHEADS),
    Account(3123, 7100, "Rent and rates", OVERHEADS),
    Account(3124, 7200, "Light and heat", OVERHEADS),
    Account(3125, 7400, "Travel", OVERHEADS),
    Account(3126, 7900, "Bank charges and interest", OVERHEADS),
    # Where a foreign document's conversion to pounds leaves a penny over (see postings).
    Account(3127, 7906, "Exchange rate differences", OVERHEADS),
    Account(3128, 8100, "Bad debts written off", OVERHEADS),
    Account(3129, 9998, "Suspense account", SUSPENSE),
)
BY_CODE: Mapping[int, Account] = {account.code: account for account in CHART}

DEBTORS = BY_CODE[1100]
BANK = BY_CODE[1200]
VAT = BY_CODE[2200]
OTHER = BY_CODE[0]
EXCHANGE = BY_CODE[7906]


def nominal_record(account: Account) -> dict[str, Any]:
    """The account as ``GetNominalCodes`` lists it."""
    return {
        "id": account.id,
        "Code": account.code,
        "Name": account.name,
        "debit": "0",
        "credit": "0",
        "balance": "0",
    }


def is_sales_type(code: int) -> bool:
    return 4000 <= code <= 4999


@dataclass(frozen=True)
class Chart:
    """The account's nominals as its books hold them: what lines and payments may post to."""

    names: Mapping[int, tuple[int, str]]
    """Nominal id -> (code, name)."""
    bank_nominals: Mapping[int, int]
    """Bank account id (a payment's PayAccount) -> the id of its nominal."""
    sales_types: frozenset[int]
    """The ids of the nominals a line may post to (besides Other)."""

    @classmethod
    def of(
        cls, nominals: Iterable[Mapping[str, Any]], banks: Iterable[Mapping[str, Any]] = ()
    ) -> Chart:
        """From the stored nominal codes (the shipped chart filling any gaps) and bank
        accounts (``AccountID``, ``AccountCode``: the bank's nominal code)."""
        names = {a.id: (a.code, a.name) for a in CHART}
        names.update({int(n["id"]): (int(n["Code"]), str(n["Name"])) for n in nominals})
        ids = {code: nominal_id for nominal_id, (code, _) in names.items()}
        bank_nominals = {}
        for bank in banks:
            code = int(bank["AccountCode"])
            if code not in ids:  # a bank account on a nominal the chart lacks: our bug
                raise LookupError(f"bank account {bank['AccountID']} is on unknown nominal {code}")
            bank_nominals[int(bank["AccountID"])] = ids[code]
        sales_types = frozenset(i for i, (code, _) in names.items() if is_sales_type(code))
        return cls(names=names, bank_nominals=bank_nominals, sales_types=sales_types)

    def sales_nominal(self, charge_type: Any) -> int:
        """Where a line's net posts: its sales type; anything else in "Other" (suspense), so
        that lines in books made before these rules still post and the books still balance."""
        return charge_type if charge_type in self.sales_types else OTHER.id

    def bank_nominal(self, pay_account: Any) -> int:
        """The nominal of a payment's bank account; none or an unknown one: the current account
        (PayAccount 0 means the main account [inferred])."""
        return self.bank_nominals.get(pay_account, BANK.id)


def check_sales_types(
    lines: Iterable[Mapping[str, Any]], before: Iterable[Mapping[str, Any]], chart: Chart
) -> None:
    """Refuse a line, new or changed, that names no sales type (``ChargeType`` 0 is "Other").

    Lines kept unchanged from ``before`` (the document as stored) are let be, so that books
    made before this rule can still be paid and edited [inferred: KashFlow offers only sales
    types for lines; stricter than it may be, so a client that passes here passes there].
    """
    kept = {(line.get("LineID"), line.get("ChargeType")) for line in before}
    allowed = chart.sales_types | {0, OTHER.id}
    for index, line in enumerate(lines, 1):
        charge_type = line.get("ChargeType")
        if charge_type in allowed or (line.get("LineID"), charge_type) in kept:
            continue
        detail = f"Line {index}: ChargeType {charge_type} is not the id of a sales type"
        if charge_type in chart.names:
            code, name = chart.names[charge_type]
            detail += f" (it is nominal {code} {name})"
        by_code = [i for i, (c, _) in chart.names.items() if c == charge_type and is_sales_type(c)]
        if by_code:
            detail += f" ({charge_type} is the code of sales type id {by_code[0]})"
        raise Refusal(f"{detail}; use a sales type's id from GetNominalCodes, or 0 for Other")
