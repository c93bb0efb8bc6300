"""Random writes sent at once leave the books as some one-at-a-time order of what was reported.

Each example makes two customers with two invoices each, then fires a random batch of creates,
updates, paid invoices and confirmed deletes at once through Streamable HTTP, the sandbox
answering every call after a delay. Afterwards, for every record, the updates the tools
reported as done must chain: one after another from the starting state, each reporting
exactly the state its own change led to, ending in what KashFlow now holds. Deletes reported
done must have removed the record and everything that goes with it; nothing reported done may
be missing, and no invoice number may be issued twice.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import anyio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp import Client

from kashflow_mcp.sandbox import FaultRule

from ..support import mcp_on_socket, sandbox_on_socket
from .calls import ok, text_of

pytestmark = pytest.mark.anyio
LINES = [{"description": "Artwork", "rate": "80.00", "vat_rate": "20"}]
CUSTOMER_FIELDS = ("telephone", "mobile", "notes", "website")
INVOICE_FIELDS = ("customer_reference", "due_date")
_values = itertools.count(1)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with sandbox_on_socket(tmp_path / "books.db") as (app, soap_url):
        app.state.faults.add(FaultRule(operation="*", latency=0.01, times=-1))
        with mcp_on_socket(soap_url, audit_log=tmp_path / "audit.jsonl") as url:
            yield url


OPS = st.one_of(
    st.tuples(st.just("update_customer"), st.integers(0, 1), st.sampled_from(CUSTOMER_FIELDS)),
    st.tuples(st.just("update_invoice"), st.integers(0, 3), st.sampled_from(INVOICE_FIELDS)),
    st.tuples(st.just("create_invoice"), st.integers(0, 1), st.booleans()),
    st.tuples(st.just("delete_invoice"), st.integers(0, 3), st.none()),
    st.tuples(st.just("delete_customer"), st.integers(0, 1), st.none()),
    st.tuples(st.just("create_customer"), st.none(), st.none()),
    st.tuples(st.just("pay"), st.integers(0, 3), st.none()),
)
PAYMENT = Decimal("1.00")


@dataclass
class Outcome:
    op: str
    target: int | None
    field: str | None
    value: Any
    result: dict[str, Any] | None  # the structured result when the tool reported success
    text: str


# Why a call in a batch may fairly fail: its record went first, or changed under a preview.
FAIR_FAILURES = ("No customer", "No invoice", "no invoice", "changed since the preview")


def fresh_value(field: str | None) -> Any:
    n = next(_values)
    if field == "due_date":
        return f"20{30 + n // 300:02d}-{1 + n // 28 % 12:02d}-{1 + n % 28:02d}"
    return f"value {n}"


async def perform(client: Client, op: str, target: Any, field: Any, ids: dict) -> Outcome:
    customer = ids["customers"][target] if op in ("update_customer", "delete_customer") else None
    number = ids["invoices"][target] if op in ("update_invoice", "delete_invoice", "pay") else None
    value = fresh_value(field) if field in (*CUSTOMER_FIELDS, *INVOICE_FIELDS) else field
    if op == "update_customer":
        call = await client.call_tool(op, {"customer_id": customer, field: value})
    elif op == "update_invoice":
        call = await client.call_tool(op, {"invoice_number": number, field: value})
    elif op == "create_invoice":
        owner = ids["customers"][target]
        call = await client.call_tool(op, {"customer_id": owner, "lines": LINES, "paid": value})
    elif op == "create_customer":
        call = await client.call_tool(op, {"name": f"Batch {next(_values)} Ltd"})
    elif op == "pay":  # through the generic call: preview, then confirm
        payment = {"PayInvoice": number, "PayAmount": str(PAYMENT), "PayDate": "2026-01-05"}
        args = {"method": "InsertInvoicePayment", "body": {"InvoicePayment": payment}}
        preview = await client.call_tool("call_kashflow_api", args)
        token = (preview.structured_content or {}).get("confirmation_token")
        call = await client.call_tool("call_kashflow_api", {**args, "confirmation_token": token})
    else:  # a delete: preview, then confirm with the token, as a model would
        key = {"delete_customer": "customer_id", "delete_invoice": "invoice_number"}[op]
        args = {key: customer or number}
        preview = await client.call_tool(op, args)
        token = (preview.structured_content or {}).get("confirmation_token")
        call = (
            await client.call_tool(op, {**args, "confirmation_token": token}) if token else preview
        )
    status = (call.structured_content or {}).get("status")
    done = not call.is_error and status in (None, "deleted", "ok")
    result = call.structured_content if done else None
    return Outcome(op, target, field, value, result, text_of(call))


def chains(start: dict[str, Any], steps: list[tuple[str, Any, dict]], final: dict) -> bool:
    """Whether the reported updates apply one after another from ``start`` to ``final``."""
    if not steps:
        return start == final
    for index, (field, value, reported) in enumerate(steps):
        state = {**start, field: value}
        if reported == state and chains(state, steps[:index] + steps[index + 1 :], final):
            return True
    return False


async def exists(client: Client, tool: str, **key: Any) -> dict[str, Any] | None:
    call = await client.call_tool(tool, key)
    return None if call.is_error else call.structured_content


@pytest.mark.slow
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batch=st.lists(OPS, min_size=3, max_size=10))
async def test_concurrent_writes_leave_books_some_serial_order_explains(server, batch) -> None:
    async with Client(server) as client:
        customers = [
            (await ok(client, "create_customer", name=f"Serial {next(_values)} Ltd"))["customer_id"]
            for _ in range(2)
        ]
        invoices = [
            (await ok(client, "create_invoice", customer_id=c, lines=LINES))["invoice"][
                "invoice_number"
            ]
            for c in customers
            for _ in range(2)
        ]
        owner = {number: customers[i // 2] for i, number in enumerate(invoices)}
        ids = {"customers": customers, "invoices": invoices}
        start_customers = {c: await ok(client, "get_customer", customer_id=c) for c in customers}
        start_invoices = {n: await ok(client, "get_invoice", invoice_number=n) for n in invoices}

        outcomes: list[Outcome] = []

        async def run(op: str, target: Any, field: Any) -> None:
            outcomes.append(await perform(client, op, target, field, ids))

        with anyio.fail_after(60):
            async with anyio.create_task_group() as group:
                for op, target, field in batch:
                    group.start_soon(run, op, target, field)

        done = [o for o in outcomes if o.result is not None]
        gone_customers = {customers[o.target] for o in done if o.op == "delete_customer"}
        gone_invoices = {invoices[o.target] for o in done if o.op == "delete_invoice"}
        gone_invoices |= {n for n in invoices if owner[n] in gone_customers}

        for failed in (o for o in outcomes if o.result is None):
            assert any(reason in failed.text for reason in FAIR_FAILURES), failed
            if failed.op in ("update_customer", "create_invoice"):
                assert customers[failed.target] in gone_customers, failed
            if failed.op in ("update_invoice", "pay") and "changed since" not in failed.text:
                assert invoices[failed.target] in gone_invoices, failed

        for index, customer in enumerate(customers):
            final = await exists(client, "get_customer", customer_id=customer)
            assert (final is None) == (customer in gone_customers)
            updates = [o for o in done if o.op == "update_customer" and o.target == index]
            assert all(o.result["changed"] == [o.field] for o in updates)
            if final is not None:
                steps = [
                    (o.field, o.value, {f: o.result["customer"].get(f) for f in CUSTOMER_FIELDS})
                    for o in updates
                ]
                start = {f: start_customers[customer].get(f) for f in CUSTOMER_FIELDS}
                now = {f: final.get(f) for f in CUSTOMER_FIELDS}
                assert chains(start, steps, now), (start, steps, now)

        for index, number in enumerate(invoices):
            final = await exists(client, "get_invoice", invoice_number=number)
            assert (final is None) == (number in gone_invoices), number
            paid = sum(1 for o in done if o.op == "pay" and o.target == index) * PAYMENT
            assert final is None or Decimal(final["amount_paid"]) == paid
            updates = [o for o in done if o.op == "update_invoice" and o.target == index]
            assert all(o.field in o.result["changed"] for o in updates)
            if final is not None:
                steps = [
                    (o.field, o.value, {f: o.result["invoice"].get(f) for f in INVOICE_FIELDS})
                    for o in updates
                ]
                start = {f: start_invoices[number].get(f) for f in INVOICE_FIELDS}
                now = {f: final.get(f) for f in INVOICE_FIELDS}
                assert chains(start, steps, now), (start, steps, now)

        raised = [o for o in done if o.op == "create_invoice"]
        numbers = [o.result["invoice"]["invoice_number"] for o in raised]
        assert len(set(numbers)) == len(numbers) and not set(numbers) & set(invoices)
        for outcome, number in zip(raised, numbers, strict=True):
            final = await exists(client, "get_invoice", invoice_number=number)
            if customers[outcome.target] in gone_customers:
                assert final is None  # raised before its customer's deletion, removed with it
            else:
                assert final is not None and outcome.result["payment_recorded"] == outcome.value
                assert final["status"] == ("paid" if outcome.value else "unpaid")

        codes = [o.result["code"] for o in done if o.op == "create_customer"]
        assert len(set(codes)) == len(codes)
