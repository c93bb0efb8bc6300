"""KashFlow's reports worked out from the books' entries, as wire-ready records, in pounds.

What the WSDL gives is each report's fields; what they hold is read as follows:
- Aged debtors: per customer, what they owed at the date (documents and payments dated up to
  it), split by how far past its due date each document was: ``Current`` (not yet due), then
  1-30, 31-60 and 61-90 days overdue, then ``Older`` [inferred: the usual UK ageing, and the
  one that agrees with KashFlow's overdue list; each period's name is sent with it].
- Trial balance: each nominal's net movement over the dates, in the debit column when it is
  a debit and the credit column otherwise; ``balance`` is debit less credit [inferred].
- Nominal ledger entries: ``Value`` debit positive; ``Type`` 1 for a document's own entries,
  2 for a payment's; ``id`` the document's InvoiceDBID, ``id2`` the payment's id (0 for the
  document), ``id3`` the customer; ``Ref1`` the document's number, ``Ref2`` the customer's
  code [inferred].
- Account overview: the WSDL pairs purchases with sales (``ReceiptsOverdue`` with
  ``SalesOverdue``), so ``TotalDue`` is read as what the business owes and ``TotalOwed`` as
  what customers owe it; part payments are what has been paid on documents not yet paid in
  full [inferred]. The sandbox keeps no purchases: their figures are 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from ..rules.values import text, wire_date
from .accounts import Chart

PERIOD_NAMES = ("1-30 days", "31-60 days", "61-90 days")
PERIOD_DAYS = (30, 60, 90)
DOCUMENT, PAYMENT = 1, 2

Debt = tuple[int, str, int, int]
"""(customer id, due date, pence owed, pence paid) of one document."""
Customers = Mapping[int, tuple[str, str]]
"""Customer id -> (name, code)."""


def money(pence: int) -> str:
    return text(Decimal(pence).scaleb(-2))


def period_of(due: str, as_of: date) -> int:
    """0 for current (not yet due at ``as_of``), 1-3 for the periods, 4 for older."""
    overdue = (as_of - date.fromisoformat(due[:10])).days
    if overdue <= 0:
        return 0
    return next((i for i, days in enumerate(PERIOD_DAYS, 1) if overdue <= days), 4)


def aged_debtors(debts: Iterable[Debt], customers: Customers, as_of: date) -> list[dict[str, Any]]:
    buckets: dict[int, list[int]] = {}
    for customer, due, owed, _ in debts:
        buckets.setdefault(customer, [0] * 5)[period_of(due, as_of)] += owed
    rows = []
    for customer, amounts in buckets.items():
        if not any(amounts):
            continue
        name, code = customers.get(customer, ("", ""))
        row: dict[str, Any] = {"id": customer, "Name": name, "Code": code}
        row.update(Balance=money(sum(amounts)), Current=money(amounts[0]))
        for index, period in enumerate(PERIOD_NAMES, 1):
            row[f"Period{index}_name"] = period
            row[f"Period{index}_val"] = money(amounts[index])
        row["Older"] = money(amounts[4])
        rows.append(row)
    return sorted(rows, key=lambda row: (row["Name"].casefold(), row["id"]))


def trial_balance(totals: Iterable[tuple[int, int]], chart: Chart) -> list[dict[str, Any]]:
    rows = []
    for nominal, net in totals:
        if not net:
            continue
        code, name = chart.names.get(nominal, (0, ""))
        debit, credit = max(net, 0), max(-net, 0)
        rows.append(
            {"id": nominal, "Code": code, "Name": name, "debit": money(debit),
             "credit": money(credit), "balance": money(net)}
        )  # fmt: skip
    return sorted(rows, key=lambda row: (row["Code"], row["id"]))


def transactions(entries: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "Date": wire_date(date.fromisoformat(entry["day"])),
            "nomid": entry["nominal_id"],
            "Value": money(entry["pence"]),
            "Type": PAYMENT if entry["payment_id"] else DOCUMENT,
            "id": entry["invoice_id"],
            "id2": entry["payment_id"],
            "id3": entry["customer_id"],
            "Ref1": str(entry["number"]),
            "Ref2": entry["code"],
            "Ref3": "",
            "Narrative": entry["narrative"],
            "ProjId": entry["project_id"],
        }
        for entry in entries
    ]


def account_overview(debts: Iterable[Debt], today: date) -> dict[str, Any]:
    owed = overdue = part_paid = part_paid_overdue = 0
    for _, due, amount, paid in debts:
        late = period_of(due, today) > 0
        owed += amount
        if amount > 0 and late:
            overdue += amount
        if amount > 0 and paid:
            part_paid += paid
            part_paid_overdue += paid if late else 0
    nothing = money(0)
    return {
        "TotalDue": nothing,
        "TotalOwed": money(owed),
        "ReceiptsOverdue": nothing,
        "SalesOverdue": money(overdue),
        "ReceiptPartPayments": nothing,
        "ReceiptPartPaymentsOverdue": nothing,
        "InvoicePartPayments": money(part_paid),
        "InvoicePartPaymentsOverdue": money(part_paid_overdue),
    }


def income_by_customer(income: Mapping[int, int], customers: Customers) -> list[dict[str, Any]]:
    rows = []
    for customer, pence in income.items():
        if pence:
            name, code = customers.get(customer, ("", ""))
            rows.append({"ID": customer, "Name": name, "Description": code, "Value": money(pence)})
    return sorted(rows, key=lambda row: (row["Name"].casefold(), row["ID"]))
