"""list_payments (one invoice's, or a period's), list_payment_methods, list_bank_accounts.

A period's payments are read from KashFlow a page at a time, whole, and kept briefly like
every list, so the next page of the list is immediate.
"""

from __future__ import annotations

import time
from datetime import date

from ...kashflow.wire import records as wire
from ...schemas import payments as pay
from ...schemas.common import ArgsModel
from ..base import ToolEnv, ToolFailure, ToolResult, handles
from ..core import reference
from ..core.paging import as_of_text, page_bounds, page_text
from ..core.reads import concurrently
from ..core.render import inline, table
from .mapping import (
    balance,
    default_method,
    fetch_invoice,
    in_order,
    main_account,
    payments_of,
    row,
)

# However many payments a period holds, a list stops here rather than page on for ever.
MAX_PAGES = 1000


async def dated(env: ToolEnv, start: date, end: date) -> list[wire.Payment]:
    """Every payment dated from ``start`` to ``end`` (both included), each once.

    KashFlow pages this list without saying how long a page is: the first page shows it, the
    count read beside it says how many pages follow, and those are read side by side. A last
    page that should have been short but came back full means payments arrived meanwhile:
    read on until one is short.
    """
    client = env.client.payments
    count, first = await concurrently(
        lambda: client.count_dated(start, end), lambda: client.page_dated(start, end, 1)
    )
    pages, size = [first], len(first)
    if size and count > size:
        last = min(-(-count // size), MAX_PAGES)
        pages += await concurrently(
            *(lambda n=n: client.page_dated(start, end, n) for n in range(2, last + 1))
        )
        grew = count % size and len(pages[-1]) == size
        while grew and len(pages) < MAX_PAGES:
            pages.append(await client.page_dated(start, end, len(pages) + 1))
            grew = len(pages[-1]) == size
    # A payment recorded while the pages were read can push one already read onto the next.
    return list({p.PayID: p for page in pages for p in page}.values())


def _period(args: pay.ListPaymentsArgs) -> tuple[date | None, date | None]:
    first, last = args.date_from, args.date_to
    if args.invoice_number is None and (first is None or last is None):
        missing = " and ".join(n for n, v in (("date_from", first), ("date_to", last)) if not v)
        raise ToolFailure(f"Give invoice_number, or date_from and date_to ({missing} missing).")
    if first and last and first > last:
        raise ToolFailure(f"date_from ({first}) is after date_to ({last}).")
    return first, last


def _within(payment: wire.Payment, first: date | None, last: date | None) -> bool:
    day = payment.PayDate.date() if payment.PayDate else None
    return (first is None or (day is not None and day >= first)) and (
        last is None or (day is not None and day <= last)
    )


@handles(pay.ListPaymentsArgs, pay.PaymentList)
async def list_payments(args: pay.ListPaymentsArgs, env: ToolEnv) -> ToolResult:
    first, last = _period(args)
    number = args.invoice_number
    invoice: pay.InvoiceBalance | None = None
    if number is not None:
        methods, accounts, record, found = await concurrently(
            lambda: reference.pay_methods(env),
            lambda: reference.bank_accounts(env),
            lambda: fetch_invoice(env, number),
            lambda: payments_of(env, number),
        )
        invoice, loaded_at = balance(record), time.time()
        scope = f"invoice {number}: "
    else:
        assert first is not None and last is not None  # _period insists on both
        methods, accounts, (found, loaded_at) = await concurrently(
            lambda: reference.pay_methods(env),
            lambda: reference.bank_accounts(env),
            lambda: env.cache.get_or_load(
                f"payments:{first}:{last}", lambda: dated(env, first, last)
            ),
        )
        scope = f"{first} to {last}: "
    wanted = [p for p in in_order(found) if _within(p, first, last)]
    for payment in wanted:
        env.sightings.saw(payment.PayID or 0, payment.PayInvoice or 0)
    start, end, next_offset = page_bounds(len(wanted), args.offset, args.limit)
    data = pay.PaymentList(
        invoice=invoice,
        payments=[row(p, methods, accounts) for p in wanted[start:end]],
        total=len(wanted),
        offset=args.offset,
        next_offset=next_offset,
        as_of=as_of_text(loaded_at),
    )
    text = page_text(
        "payments", data.payments, start, len(wanted), next_offset, data.as_of, scope=scope
    )
    if invoice is not None:
        text += f"\ninvoice: {inline(invoice)}"
    return ToolResult(data, text)


@handles(pay.NoArgs, pay.PaymentMethods)
async def list_payment_methods(args: ArgsModel, env: ToolEnv) -> ToolResult:
    methods = await reference.pay_methods(env)
    default = default_method(methods)
    data = pay.PaymentMethods(
        methods=[
            pay.PaymentMethodRow(
                method_id=m.MethodID or 0, name=m.MethodName or "", default=m is default
            )
            for m in methods
        ]
    )
    return ToolResult(data, "\n".join(["payment methods:", *table(list(data.methods))]))


@handles(pay.NoArgs, pay.BankAccounts)
async def list_bank_accounts(args: ArgsModel, env: ToolEnv) -> ToolResult:
    accounts = await reference.bank_accounts(env)
    main = main_account(accounts)
    data = pay.BankAccounts(
        bank_accounts=[
            pay.BankAccountRow(
                bank_account_id=a.AccountID or 0,
                name=a.AccountName or "",
                nominal_code=a.AccountCode,
                default=a is main,
            )
            for a in accounts
        ]
    )
    return ToolResult(data, "\n".join(["bank accounts:", *table(list(data.bank_accounts))]))
