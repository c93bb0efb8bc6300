"""Customers: the handlers of the tools ``customers`` declares."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from decimal import Decimal

from ...kashflow import KashFlowRefused, NotFoundError
from ...kashflow.api.customers import CustomerSummary
from ...kashflow.wire import records as wire
from ...schemas import customers as cs
from ...schemas.values import fold
from ..base import ToolEnv, ToolFailure, ToolResult, handles
from ..core.confirmation import Subject, delete_when_confirmed, state_digest
from ..core.lookups import FIND_CUSTOMERS, fetch_customer
from ..core.paging import as_of_text, page_bounds, page_text
from ..core.reads import concurrently, fetch
from ..core.reconcile import LOOKED_UP, send_once
from ..core.render import render
from ..core.update import changed_fields, require_changes, update_record
from ..documents import invoice_row
from .mapping import customer_from_wire, customer_row, customer_to_wire


def _matches(record: CustomerSummary, needle: str) -> bool:
    fields = (record.Name, record.Code, record.Email, record.Contact, record.Postcode)
    return any(needle in fold(value or "") for value in fields)


@handles(cs.ListCustomersArgs, cs.CustomerList)
async def list_customers(args: cs.ListCustomersArgs, env: ToolEnv) -> ToolResult:
    records, loaded_at = await env.cache.get_or_load("customers", env.client.customers.summaries)
    if args.search:
        needle = fold(args.search)
        records = [r for r in records if _matches(r, needle)]
    start, end, next_offset = page_bounds(len(records), args.offset, args.limit)
    rows = [customer_row(r) for r in records[start:end]]
    data = cs.CustomerList(
        customers=rows,
        total=len(records),
        offset=args.offset,
        next_offset=next_offset,
        as_of=as_of_text(loaded_at),
    )
    text = page_text("customers", rows, start, len(records), next_offset, data.as_of)
    return ToolResult(data, text)


@handles(cs.GetCustomerArgs, cs.Customer)
async def get_customer(args: cs.GetCustomerArgs, env: ToolEnv) -> ToolResult:
    if args.customer_id is not None:
        record = await fetch_customer(env, args.customer_id)
    else:
        missing = f"No customer with code {args.code!r}. {FIND_CUSTOMERS}"
        record = await fetch(env.client.customers.by_code(args.code or ""), missing)
    customer = customer_from_wire(record)
    return ToolResult(customer, render(customer))


# --------------------------------------------------------------------------- creating


def code_stem(name: str) -> str:
    """The start of a code made from a name, in KashFlow's own style (its first letters)."""
    return re.sub(r"[^A-Z0-9]", "", name.upper())[:6] or "CUST"


async def _free_code(env: ToolEnv, stem: str, first: int) -> tuple[str, int]:
    """The first code ``stem`` + counter (from ``first``) no customer has, and its counter."""
    for counter in range(first, 1000):
        code = f"{stem}{counter:02d}"
        try:
            await env.client.customers.by_code(code)
        except NotFoundError:
            return code, counter
    raise ToolFailure(f"Could not find a free customer code starting {stem}; give one as code.")


# KashFlow's wording for a code already in use is not documented; these words are what it and
# the sandbox are reported to say (inferred, kept narrow: the refusal must also name the code).
_CODE_TAKEN = re.compile(r"already exists|already in use|not unique|must be unique|duplicate", re.I)
_CODE_ATTEMPTS = 5


def _code_taken(exc: KashFlowRefused, code: str) -> bool:
    return code.casefold() in exc.detail.casefold() and bool(_CODE_TAKEN.search(exc.detail))


async def _customer_id_by_code(env: ToolEnv, code: str) -> int | None:
    try:
        return (await env.client.customers.by_code(code)).CustomerID
    except NotFoundError:
        return None


async def _insert(env: ToolEnv, record: wire.Customer) -> tuple[int, bool]:
    code = record.Code or ""
    return await send_once(
        lambda: env.client.customers.insert(record),
        lambda: _customer_id_by_code(env, code),
        what=f"creating customer {code}",
        how_to_check=f"get_customer(code={code!r})",
    )


async def _insert_with_a_free_code(
    env: ToolEnv, record: wire.Customer, name: str
) -> tuple[int, bool]:
    """Insert under a code chosen here, choosing again when KashFlow says it is taken.

    Choosing the code rather than leaving it blank means a create whose answer is lost can be
    found again by its code. Calls through this server choose one at a time (the lock), and a
    code taken meanwhile by someone else is refused by KashFlow without creating anything, so
    the next free one is tried.
    """
    stem, first = code_stem(name), 1
    async with env.locks.hold(write=[("customer code", stem)]):
        for _ in range(_CODE_ATTEMPTS):
            record.Code, counter = await _free_code(env, stem, first)
            try:
                return await _insert(env, record)
            except KashFlowRefused as exc:
                if not _code_taken(exc, record.Code):
                    raise
                first = counter + 1
    raise ToolFailure(
        f"KashFlow kept refusing the codes chosen for {name!r} as taken (last: {record.Code}); "
        "give one as code."
    )


@handles(cs.CreateCustomerArgs, cs.Customer)
async def create_customer(args: cs.CreateCustomerArgs, env: ToolEnv) -> ToolResult:
    record = customer_to_wire(args, None)
    if args.code:
        record.Code = args.code  # the user's own code is never changed: a clash is refused
        new_id, looked_up = await _insert(env, record)
    else:
        new_id, looked_up = await _insert_with_a_free_code(env, record, args.name)
    customer = customer_from_wire(await fetch_customer(env, new_id))
    heading = f"created customer {new_id}{LOOKED_UP if looked_up else ''}"
    return ToolResult(customer, render(customer, heading=heading))


# --------------------------------------------------------------------------- changing


@handles(cs.UpdateCustomerArgs, cs.CustomerUpdate)
async def update_customer(args: cs.UpdateCustomerArgs, env: ToolEnv) -> ToolResult:
    require_changes(args, "customer_id")
    customer_id = args.customer_id
    done = await update_record(
        env,
        lock=("customer", customer_id),
        read=lambda: fetch_customer(env, customer_id),
        merge=lambda current, _: customer_to_wire(args, current),
        write=env.client.customers.update,
        view=customer_from_wire,
        changed=changed_fields,
        conflicting=changed_fields,
        what=f"customer {customer_id}",
        check=f"get_customer(customer_id={customer_id})",
    )
    result = cs.CustomerUpdate(customer=done.after, changed=done.changed, conflicts=done.conflicts)
    return ToolResult(result, render(done.after, heading=done.heading))


@handles(cs.DeleteCustomerArgs, cs.CustomerDeletion)
async def delete_customer(args: cs.DeleteCustomerArgs, env: ToolEnv) -> ToolResult:
    async def look() -> Subject:
        record, invoices = await concurrently(
            lambda: fetch_customer(env, args.customer_id),
            lambda: env.client.invoices.for_customer(args.customer_id),
        )
        preview = _deletion_preview(args.customer_id, record, invoices)
        return Subject(
            what=f"customer {args.customer_id} {preview.name!r} and its {len(invoices)} invoice(s)",
            state=state_digest(record, *invoices),
            preview=preview,
            locks=tuple(("invoice", i.InvoiceNumber or 0) for i in invoices),
        )

    subject, outcome = await delete_when_confirmed(
        env,
        tool="delete_customer",
        args=args,
        lock=("customer", args.customer_id),
        look=look,
        delete=lambda: env.client.customers.delete(args.customer_id),
        look_up=lambda: env.client.customers.get(args.customer_id),
        how_to_check=f"get_customer(customer_id={args.customer_id})",
    )
    data = cs.CustomerDeletion(**outcome, preview=subject.preview)
    return ToolResult(data, render(data))


def _deletion_preview(
    customer_id: int, record: wire.Customer, invoices: list[wire.Invoice]
) -> cs.CustomerDeletePreview:
    today = date.today()
    invoiced: dict[str, Decimal] = defaultdict(Decimal)
    unpaid: dict[str, Decimal] = defaultdict(Decimal)
    for invoice in invoices:
        row = invoice_row(invoice, today)
        invoiced[row.currency_code] += row.gross_amount
        unpaid[row.currency_code] += row.amount_due
    return cs.CustomerDeletePreview(
        customer_id=customer_id,
        code=record.Code or "",
        name=record.Name or "",
        invoices=len(invoices),
        invoiced_total=dict(invoiced),
        unpaid_total=dict(unpaid),
    )
