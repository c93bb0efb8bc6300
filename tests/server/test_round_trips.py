"""How many KashFlow calls each tool makes, and how many of them it waits for in a row.

Independent reads a tool needs run side by side, so a tool waits for as few round trips in a
row as it can: at KashFlow's network latency that, not CPU, is what a user waits for. Every
scenario of every tool (``bench/scenarios.py``; the benchmark times the same scenarios at
100 ms a call) is pinned in the one table below, so a change in what a tool waits for is a
reviewed diff. A row that no longer matches prints the row measured, ready to paste.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.round_trips import Call, RecordingTransport, run_scenario, serving
from bench.scenarios import SCENARIOS, Scenario
from kashflow_mcp.config import Settings
from kashflow_mcp.sandbox import FaultRule
from kashflow_mcp.sandbox.areas import payments as sandbox_payments
from kashflow_mcp.server.listing import listing_for
from kashflow_mcp.tools import EVERY_ALLOWANCE

pytestmark = pytest.mark.anyio
LATENCY = 0.02  # seconds a call takes: long enough that calls sent together are in flight together

# scenario: ({operation: calls}, calls in a row)
PINNED: dict[str, tuple[dict[str, int], int]] = {
    "list_customers": ({"GetCustomers": 1}, 1),
    "list_customers: next page within the cache window": ({}, 0),
    "get_customer by id": ({"GetCustomerByID": 1}, 1),
    "get_customer by code": ({"GetCustomer": 1}, 1),
    # insert; read back
    "create_customer with a code": ({"InsertCustomer": 1, "GetCustomerByID": 1}, 2),
    # the code is free; insert; read back
    "create_customer, code chosen by the server": (
        {"GetCustomer": 1, "InsertCustomer": 1, "GetCustomerByID": 1},
        3,
    ),
    # read, write, read back
    "update_customer": ({"GetCustomerByID": 2, "UpdateCustomer": 1}, 3),
    # the customer and its invoices side by side
    "delete_customer: preview": ({"GetCustomerByID": 1, "GetInvoicesForCustomer": 1}, 1),
    # read to learn which invoices to lock, read again under their locks, delete
    "delete_customer: confirm with token": (
        {"GetCustomerByID": 2, "GetInvoicesForCustomer": 2, "DeleteCustomer": 1},
        3,
    ),
    "list_invoices": ({"GetInvoicesForCustomer": 1}, 1),
    # its notes are read by the invoice's id
    "get_invoice": ({"GetInvoice": 1, "GetInvoiceNotes": 1}, 2),
    # KashFlow's own lists, not one call per customer
    "list_invoices unpaid, every customer": ({"GetInvoices_Unpaid": 1}, 1),
    "list_invoices overdue, every customer": ({"GetInvoices_Overdue": 1}, 1),
    "list_invoices in a period, every customer": ({"GetInvoicesByDateRange": 1}, 1),
    # the invoice and the sender side by side
    "email_invoice: preview": ({"GetCompanyDetails": 1, "GetInvoice": 1}, 1),
    # read again under the invoice's lock (both at once), then send
    "email_invoice: confirm with token": (
        {"EmailInvoice": 1, "GetCompanyDetails": 1, "GetInvoice": 1},
        2,
    ),
    # the customer, currencies and newest number side by side; insert; read back
    "create_invoice": (
        {
            "GetCustomerByID": 1,
            "GetCurrencies": 1,
            "GetInvoices_Recent": 1,
            "InsertInvoice": 1,
            "GetInvoice": 1,
        },
        3,
    ),
    # ... then the payment, and a second read back
    "create_invoice paid=true": (
        {
            "GetCustomerByID": 1,
            "GetCurrencies": 1,
            "GetInvoices_Recent": 1,
            "InsertInvoice": 1,
            "GetInvoice": 2,
            "InsertInvoicePayment": 1,
        },
        5,
    ),
    # the nominal codes join the first reads
    "create_invoice, a line with a nominal code": (
        {
            "GetCustomerByID": 1,
            "GetCurrencies": 1,
            "GetInvoices_Recent": 1,
            "GetNominalCodes": 1,
            "InsertInvoice": 1,
            "GetInvoice": 1,
        },
        3,
    ),
    # read, write, read back
    "update_invoice": ({"GetInvoice": 2, "UpdateInvoice": 1}, 3),
    # the currencies alongside the first read
    "update_invoice currency_code": ({"GetInvoice": 2, "GetCurrencies": 1, "UpdateInvoice": 1}, 3),
    "delete_invoice: preview": ({"GetInvoice": 1}, 1),
    # read under its lock, delete
    "delete_invoice: confirm with token": ({"GetInvoice": 1, "DeleteInvoice": 1}, 2),
    "call_kashflow_api read": ({"GetCustomerBalance": 1}, 1),
    # the invoice the payment goes on
    "call_kashflow_api write: preview": ({"GetInvoice": 1}, 1),
    # read to find its lock, read again under it, send
    "call_kashflow_api write: confirm with token": (
        {"GetInvoice": 2, "InsertInvoicePayment": 1},
        3,
    ),
    # the invoice, its payments, the methods and bank accounts side by side; pay; read back
    "record_payment of all that is due": (
        {
            "GetBankAccounts": 1,
            "GetInvPayMethods": 1,
            "GetInvoice": 2,
            "GetInvoicePayment": 1,
            "InsertInvoicePayment": 1,
        },
        3,
    ),
    "list_payments of an invoice": (
        {"GetBankAccounts": 1, "GetInvPayMethods": 1, "GetInvoice": 1, "GetInvoicePayment": 1},
        1,
    ),
    # the count, the first page, the methods and bank accounts side by side (one page here)
    "list_payments in a period": (
        {
            "GetBankAccounts": 1,
            "GetInvPayMethods": 1,
            "GetInvoicePaymentsByDateRange": 1,
            "GetInvoicePaymentsCountforDateRange": 1,
        },
        1,
    ),
    "delete_payment: preview of a listed payment": ({"GetInvoice": 1, "GetInvoicePayment": 1}, 1),
    # every payment (one page here), then the invoice it is on
    "delete_payment: preview of a payment never listed": (
        {
            "GetBankAccounts": 1,
            "GetInvPayMethods": 1,
            "GetInvoice": 1,
            "GetInvoicePayment": 1,
            "GetInvoicePaymentsByDateRange": 1,
            "GetInvoicePaymentsCountforDateRange": 1,
        },
        2,
    ),
    # read to learn the invoice to lock, once more under its lock, then delete
    "delete_payment: confirm with token": (
        {"DeleteInvoicePayment": 1, "GetInvoice": 2, "GetInvoicePayment": 2},
        3,
    ),
    # the customer, currencies and newest number side by side; insert; read back
    "create_credit_note": (
        {
            "GetCustomerByID": 1,
            "GetCurrencies": 1,
            "GetInvoices_Recent": 1,
            "InsertInvoice": 1,
            "GetInvoice": 1,
        },
        3,
    ),
    # the invoice joins the first reads; then both documents for the confirmation's preview
    "create_credit_note against an invoice": (
        {
            "GetCustomerByID": 1,
            "GetCurrencies": 1,
            "GetInvoices_Recent": 1,
            "InsertInvoice": 1,
            "GetInvoice": 4,
        },
        4,
    ),
    "apply_credit_note: preview": ({"GetInvoice": 2}, 1),
    # both read under their locks, the application, both read back
    "apply_credit_note: confirm with token": (
        {"GetInvoice": 4, "applyCreditNoteToInvoice": 1},
        3,
    ),
    # the invoice (for its id), its notes, the note, its notes again: InsertInvoiceNote says
    # only true or false, so the new note is the one that was not there before
    "add_invoice_note": (
        {"GetInvoice": 1, "GetInvoiceNotes": 2, "InsertInvoiceNote": 1},
        4,
    ),
    "aged_debtors": ({"GetAgedDebtors": 1}, 1),
    "list_payment_methods": ({"GetInvPayMethods": 1}, 1),
    "list_bank_accounts": ({"GetBankAccounts": 1}, 1),
}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.name)
async def test_each_scenario_makes_exactly_the_pinned_calls(
    scenario: Scenario, tmp_path: Path
) -> None:
    measured = await run_scenario(scenario, tmp_path, LATENCY)
    row = (dict(measured.calls), measured.in_a_row)
    assert row == PINNED.get(scenario.name), f"measured {scenario.name!r}: {row!r},"


async def test_every_tool_offered_has_a_scenario() -> None:
    every = Settings(toolsets=["all"], allow_operations=list(EVERY_ALLOWANCE))
    offered = {entry["name"] for entry in await listing_for(every)}
    played = {scenario.tool for scenario in SCENARIOS}
    assert not offered - played, f"tools with no scenario in bench/scenarios.py: {offered - played}"
    assert played <= offered


def test_every_scenario_has_one_pinned_row() -> None:
    names = [scenario.name for scenario in SCENARIOS]
    assert len(names) == len(set(names))
    assert set(PINNED) == set(names)


async def test_a_periods_pages_are_read_side_by_side_once_the_first_shows_their_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sandbox_payments, "PAGE_SIZE", 7)
    async with serving(tmp_path) as (client, transport, faults):
        faults.add(FaultRule(operation="*", latency=LATENCY, times=-1))
        result = await client.call_tool(
            "list_payments", {"date_from": "2000-01-01", "date_to": "2099-12-31"}
        )
    assert not result.is_error
    assert transport.operations.count("GetInvoicePaymentsByDateRange") > 2
    assert transport.in_a_row() == 2  # the count and the first page; then every other page at once


def _recorded(*calls: tuple[int, int]) -> RecordingTransport:
    transport = RecordingTransport(inner=None)  # type: ignore[arg-type]  # never sends
    transport.calls = [Call(f"Op{n}", started, ended) for n, (started, ended) in enumerate(calls)]
    return transport


def test_calls_in_flight_together_count_as_one_round_trip() -> None:
    # Two calls in flight together, however their answers interleave.
    assert _recorded((1, 3), (2, 4)).in_a_row() == 1
    # Two calls overlap, the third starts once both are answered.
    assert _recorded((1, 4), (2, 3), (5, 6)).in_a_row() == 2
    # One after another.
    assert _recorded((1, 2), (3, 4), (5, 6)).in_a_row() == 3
    # A call that waits only for the first of two overlapping ones still follows it.
    assert _recorded((1, 2), (3, 8), (4, 5), (6, 7)).in_a_row() == 3
    assert _recorded().in_a_row() == 0
