"""Who owes what: KashFlow's aged debtors report, largest debts first, paged."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ...kashflow.wire import records as wire
from ...schemas import debtors as schema
from ..base import ToolEnv, ToolResult, handles
from ..core.convert import HOME_CURRENCY
from ..core.paging import page_bounds
from ..core.render import render

ZERO = Decimal(0)
_AMOUNTS = ("balance", "current", "period_1", "period_2", "period_3", "older")


def _amount(value: Decimal | None) -> Decimal:
    return ZERO if value is None else value  # "0.00" kept as KashFlow wrote it


def _row(record: wire.AgedDebtorsCreditors) -> schema.AgedDebtor:
    return schema.AgedDebtor(
        customer_id=record.id or 0,
        code=record.Code or None,
        name=record.Name or None,
        balance=_amount(record.Balance),
        current=_amount(record.Current),
        period_1=_amount(record.Period1_val),
        period_2=_amount(record.Period2_val),
        period_3=_amount(record.Period3_val),
        older=_amount(record.Older),
    )


def _periods(records: list[wire.AgedDebtorsCreditors]) -> list[str]:
    first = records[0] if records else None
    names = (first.Period1_name, first.Period2_name, first.Period3_name) if first else ()
    return [name or f"period {i}" for i, name in enumerate(names, 1)]


def _total(rows: list[schema.AgedDebtor]) -> schema.AgedTotal:
    sums = {name: sum((getattr(row, name) for row in rows), ZERO) for name in _AMOUNTS}
    return schema.AgedTotal(currency_code=HOME_CURRENCY, **sums)


@handles(schema.AgedDebtorsArgs, schema.AgedDebtors)
async def aged_debtors(args: schema.AgedDebtorsArgs, env: ToolEnv) -> ToolResult:
    as_of = args.as_of or date.today()
    records = await env.client.reports.aged_debtors(as_of)
    rows = [_row(r) for r in records]
    rows = [row for row in rows if any(getattr(row, name) for name in _AMOUNTS)]
    rows.sort(key=lambda row: (-row.balance, row.customer_id))
    start, end, next_offset = page_bounds(len(rows), args.offset, args.limit)
    data = schema.AgedDebtors(
        as_of=as_of,
        periods=_periods(records),
        debtors=rows[start:end],
        totals=[_total(rows)] if rows else [],
        total=len(rows),
        offset=args.offset,
        next_offset=next_offset,
    )
    return ToolResult(data, _text(data, start))


def _text(data: schema.AgedDebtors, start: int) -> str:
    if not data.debtors:
        return f"aged debtors at {data.as_of}: nobody owes anything"
    shown = f"{start + 1}-{start + len(data.debtors)} of {data.total}"
    heading = (
        f"aged debtors at {data.as_of} in {HOME_CURRENCY}, {shown}: current is not yet due, "
        "period_1..3 and older are overdue"
    )
    return render(data, heading=heading)
