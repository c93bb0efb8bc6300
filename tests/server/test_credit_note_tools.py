"""create_credit_note and apply_credit_note through the MCP client, on the sandbox.

A credit note is an invoice with negative lines in KashFlow; the tools show it as credit
(used, left), never as paid, and set it against an invoice only once the user agrees, on both
documents exactly as they were shown.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from kashflow_mcp.kashflow import KashFlowClient
from kashflow_mcp.sandbox import FaultRule

from .calls import ok, refused, text_of
from .conftest import OpenSession
from .test_asking_the_user import User

pytestmark = pytest.mark.anyio
CUSTOMER, EURO_CUSTOMER = 20001, 20022  # Harbourside Coffee Co (GBP), Liffey Tech (EUR)
WORK = [{"description": "Design work", "rate": "100.00", "vat_rate": "20"}]
REFUND = [{"description": "Design work refunded", "rate": "50.00", "vat_rate": "20"}]


async def invoice(client: Client, customer: int = CUSTOMER, lines: list = WORK) -> int:
    created = await ok(client, "create_invoice", customer_id=customer, lines=lines)
    return int(created["invoice"]["invoice_number"])


async def credit(client: Client, customer: int = CUSTOMER, **arguments: Any) -> dict[str, Any]:
    arguments.setdefault("lines", REFUND)
    return await ok(client, "create_credit_note", customer_id=customer, **arguments)


def faults(kashflow: KashFlowClient) -> Any:
    return kashflow.transport.app.state.faults  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- creating


async def test_a_credit_note_is_kept_as_negative_lines_and_shown_as_credit(
    open_session: OpenSession,
) -> None:
    lines = [
        {"description": "Returned mugs", "quantity": "1.5", "rate": "0.33", "vat_rate": "20"},
        {"description": "Postage refunded", "rate": "3.35", "vat_rate": "exempt"},
    ]
    async with open_session() as (client, kashflow):
        made = await credit(client, lines=lines, customer_reference="RMA-7", date="2026-01-05")
        note = made["credit_note"]
        stored = await kashflow.invoices.get(note["credit_note_number"])
    # 1.5 x 0.33 = 0.495 -> 0.50 net, VAT 0.099 -> 0.10: per line, half-up, as for invoices.
    assert [(ln.Quantity, ln.Rate, ln.VatAmount) for ln in stored.Lines or []] == [
        (Decimal("-1.5"), Decimal("0.33"), Decimal("-0.10")),
        (Decimal("-1"), Decimal("3.35"), Decimal("0.00")),
    ]
    assert (stored.NetAmount, stored.VATAmount) == (Decimal("-3.85"), Decimal("-0.10"))
    assert (note["net_amount"], note["vat_amount"], note["gross_amount"]) == (
        "3.85",
        "0.10",
        "3.95",
    )
    assert (note["credit_used"], note["credit_left"], note["status"]) == ("0.00", "3.95", "unused")
    assert [(ln["quantity"], ln["rate"], ln["net_amount"]) for ln in note["lines"]] == [
        ("1.5", "0.33", "0.50"),
        ("1", "3.35", "3.35"),
    ]
    assert (note["date"], note["customer_reference"]) == ("2026-01-05", "RMA-7")
    assert made.get("application") is None and "paid" not in str(note)


async def test_get_invoice_on_a_credit_note_says_credit_not_paid(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, _):
        number = (await credit(client))["credit_note"]["credit_note_number"]
        shown = await ok(client, "get_invoice", invoice_number=number)
    assert (shown["status"], shown["gross_amount"]) == ("credit", "-60.00")


@pytest.mark.parametrize(
    ("field", "value"), [("quantity", "-1"), ("quantity", "0"), ("rate", "-50.00")]
)
async def test_negative_or_zero_amounts_are_refused_naming_the_field(
    open_session: OpenSession, field: str, value: str
) -> None:
    async with open_session() as (client, kashflow):
        before = len(await kashflow.invoices.for_customer(CUSTOMER))
        message = await refused(
            client, "create_credit_note", customer_id=CUSTOMER, lines=[{**REFUND[0], field: value}]
        )
        after = len(await kashflow.invoices.for_customer(CUSTOMER))
    assert f"lines.0.{field} must be more than 0" in message
    assert before == after


async def test_a_credit_note_is_in_the_customers_currency(open_session: OpenSession) -> None:
    async with open_session() as (client, kashflow):
        note = (await credit(client, EURO_CUSTOMER))["credit_note"]
        stored = await kashflow.invoices.get(note["credit_note_number"])
    assert note["currency_code"] == "EUR"
    assert stored.ExchangeRate == Decimal("1.1650") and stored.Lines
    assert stored.Lines[0].ValuesInCurrency == 1  # 50.00 euros, not pounds converted


async def test_an_invoice_it_cannot_go_against_is_refused_before_anything_is_made(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, kashflow):
        others = await invoice(client, customer=20002)
        paid = await ok(client, "create_invoice", customer_id=CUSTOMER, lines=WORK, paid=True)
        count = len(await kashflow.invoices.for_customer(CUSTOMER))
        wrong_customer = await refused(
            client, "create_credit_note", customer_id=CUSTOMER, lines=REFUND, invoice_number=others
        )
        settled = await refused(
            client,
            "create_credit_note",
            customer_id=CUSTOMER,
            lines=REFUND,
            invoice_number=paid["invoice"]["invoice_number"],
        )
        assert len(await kashflow.invoices.for_customer(CUSTOMER)) == count
    assert "goes against its own customer's invoices. Nothing was created." in wrong_customer
    assert "has nothing left to pay" in settled and "Nothing was created" in settled


async def test_with_an_invoice_it_asks_to_confirm_and_the_token_sets_it_against_it(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, kashflow):
        number = await invoice(client)
        result = await client.call_tool(
            "create_credit_note",
            {"customer_id": CUSTOMER, "lines": REFUND, "invoice_number": number},
        )
        made = result.structured_content or {}
        held = made["application"]
        note = made["credit_note"]["credit_note_number"]
        untouched = await kashflow.invoices.get(number)
        token = held["confirmation_token"]
        done = await ok(
            client,
            "apply_credit_note",
            credit_note_number=note,
            invoice_number=number,
            confirmation_token=token,
        )
    assert held["status"] == "confirmation_required"
    assert token in text_of(result) and "needs confirmation" in text_of(result).splitlines()[0]
    assert (
        f"apply_credit_note(credit_note_number={note}, invoice_number={number}" in (held["message"])
    )
    assert held["preview"]["amount_to_apply"] == "60.00"
    assert untouched.AmountPaid == 0  # nothing applied until confirmed
    assert done["status"] == "applied" and done["invoice"]["amount_due"] == "60.00"


@pytest.mark.parametrize("agrees", [True, False])
async def test_a_client_that_can_ask_puts_the_question_at_once(
    open_session: OpenSession, agrees: bool
) -> None:
    user = User(confirm=agrees)
    async with open_session(mode="legacy", elicitation_callback=user) as (client, kashflow):
        number = await invoice(client)
        made = await credit(client, invoice_number=number)
        after = await kashflow.invoices.get(number)
    note = made["credit_note"]["credit_note_number"]
    assert user.questions == [
        f"Set credit note {note} (GBP 60.00 credit left) against invoice {number} (GBP 120.00 "
        f"due) of customer {CUSTOMER}, applying GBP 60.00?"
    ]
    if agrees:
        assert made["application"]["status"] == "applied"
        assert after.AmountPaid == Decimal("60.00")
    else:
        assert made["application"]["status"] == "declined"
        assert after.AmountPaid == 0
        # the credit note stands, unused
        assert made["credit_note"]["status"] == "unused"


async def test_a_busy_kashflow_creates_nothing_and_says_so(open_session: OpenSession) -> None:
    async with open_session() as (client, kashflow):
        faults(kashflow).add(FaultRule(operation="InsertInvoice", status=429, retry_after=1))
        message = await refused(client, "create_credit_note", customer_id=CUSTOMER, lines=REFUND)
    assert "KashFlow was busy (HTTP 429) and did not process InsertInvoice" in message
    assert faults(kashflow).counts["InsertInvoice"] == 1


# --------------------------------------------------------------------------- applying


async def a_pair(client: Client, lines: list = REFUND) -> tuple[int, int]:
    """An invoice owing 120.00 and a credit note of 60.00 (by default), both CUSTOMER's."""
    number = await invoice(client)
    note = (await credit(client, lines=lines))["credit_note"]["credit_note_number"]
    return note, number


async def test_the_preview_changes_nothing_and_the_token_applies_it(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, kashflow):
        note, number = await a_pair(client)
        preview = await ok(
            client, "apply_credit_note", credit_note_number=note, invoice_number=number
        )
        payments_before = await kashflow.payments.for_invoice(number)
        done = await ok(
            client,
            "apply_credit_note",
            credit_note_number=note,
            invoice_number=number,
            confirmation_token=preview["confirmation_token"],
        )
    assert preview["status"] == "confirmation_required" and payments_before == []
    assert preview["preview"] == {
        "credit_note_number": note,
        "invoice_number": number,
        "customer_id": CUSTOMER,
        "customer_name": "Harbourside Coffee Co",
        "currency_code": "GBP",
        "credit_left": "60.00",
        "invoice_amount_due": "120.00",
        "amount_to_apply": "60.00",
    }
    assert done["amount_applied"] == "60.00"
    assert (done["credit_note"]["credit_used"], done["credit_note"]["credit_left"]) == (
        "60.00",
        "0.00",
    )
    assert done["credit_note"]["status"] == "used"
    invoice_after = done["invoice"]
    assert (invoice_after["amount_paid"], invoice_after["amount_due"]) == ("60.00", "60.00")
    assert invoice_after["status"] in ("unpaid", "overdue")


async def test_a_credit_larger_than_what_is_due_leaves_the_rest_for_later(
    open_session: OpenSession,
) -> None:
    big = [{"description": "Whole job cancelled", "rate": "150.00", "vat_rate": "20"}]
    user = User()
    async with open_session(mode="legacy", elicitation_callback=user) as (client, _):
        note, number = await a_pair(client, big)  # 180.00 of credit against 120.00 due
        done = await ok(client, "apply_credit_note", credit_note_number=note, invoice_number=number)
    assert user.questions[0].endswith("applying GBP 120.00?")
    assert done["preview"]["amount_to_apply"] == done["amount_applied"] == "120.00"
    assert done["invoice"]["status"] == "paid" and done["invoice"]["amount_due"] == "0.00"
    assert (done["credit_note"]["status"], done["credit_note"]["credit_left"]) == (
        "part_used",
        "60.00",
    )


@pytest.mark.parametrize("changed", ["invoice", "credit note"])
async def test_the_token_is_bound_to_both_documents_as_they_were(
    open_session: OpenSession, changed: str
) -> None:
    async with open_session() as (client, kashflow):
        note, number = await a_pair(client)
        preview = await ok(
            client, "apply_credit_note", credit_note_number=note, invoice_number=number
        )
        record = await kashflow.invoices.get(number if changed == "invoice" else note)
        record.CustomerReference = "changed meanwhile"
        await kashflow.invoices.update(record)
        message = await refused(
            client,
            "apply_credit_note",
            credit_note_number=note,
            invoice_number=number,
            confirmation_token=preview["confirmation_token"],
        )
        assert await kashflow.payments.for_invoice(number) == []
    assert "changed" in message


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("not a credit note", "is not a credit note"),
        ("another customer's invoice", "goes against its own customer's invoices"),
        ("another currency", "must be in the same currency"),
        ("used up", "has no credit left"),
        ("nothing due", "has nothing left to pay"),
        ("the same number", "name the same document"),
        ("no such invoice", "No invoice number 999999"),
    ],
)
async def test_what_cannot_be_applied_is_refused_before_any_token(
    open_session: OpenSession, case: str, words: str
) -> None:
    async with open_session(mode="legacy", elicitation_callback=User()) as (client, kashflow):
        note, number = await a_pair(client)
        pairs = {
            "not a credit note": (await invoice(client), number),
            "another customer's invoice": (note, await invoice(client, 20002)),
            "another currency": (note, (await ok(
                client, "create_invoice", customer_id=CUSTOMER, lines=WORK, currency_code="EUR"
            ))["invoice"]["invoice_number"]),
            "used up": (note, number),
            "nothing due": (note, number),
            "the same number": (note, note),
            "no such invoice": (note, 999999),
        }  # fmt: skip
        if case == "used up":
            await ok(client, "apply_credit_note", credit_note_number=note, invoice_number=number)
            number = await invoice(client)
            pairs[case] = (note, number)
        if case == "nothing due":
            await ok(client, "create_invoice", customer_id=CUSTOMER, lines=WORK, paid=True)
            pairs[case] = (note, (await kashflow.invoices.recent(1))[0].InvoiceNumber)
        credit_note, target = pairs[case]
        faults(kashflow).counts.clear()
        result = await client.call_tool(
            "apply_credit_note", {"credit_note_number": credit_note, "invoice_number": target}
        )
    assert result.is_error and words in text_of(result)
    assert "confirmation_token" not in text_of(result)
    assert "applyCreditNoteToInvoice" not in faults(kashflow).counts


async def test_a_busy_kashflow_applies_nothing(open_session: OpenSession) -> None:
    async with open_session(mode="legacy", elicitation_callback=User()) as (client, kashflow):
        note, number = await a_pair(client)
        rule = FaultRule(operation="applyCreditNoteToInvoice", status=429, retry_after=1)
        faults(kashflow).add(rule)
        message = await refused(
            client, "apply_credit_note", credit_note_number=note, invoice_number=number
        )
        assert await kashflow.payments.for_invoice(number) == []
    assert "did not process applyCreditNoteToInvoice" in message


async def test_two_applications_of_one_credit_note_at_once_go_one_at_a_time(
    open_session: OpenSession,
) -> None:
    """180.00 of credit, each of two invoices owing 120.00 shown 120.00 of it: once one has
    had it, the other's confirmation is of something that is no longer so."""
    big = [{"description": "Whole job cancelled", "rate": "150.00", "vat_rate": "20"}]
    async with open_session() as (client, kashflow):
        note, first = await a_pair(client, big)
        second = await invoice(client)
        tokens = {}
        for number in (first, second):
            preview = await ok(
                client, "apply_credit_note", credit_note_number=note, invoice_number=number
            )
            tokens[number] = preview["confirmation_token"]
        faults(kashflow).add(FaultRule(operation="applyCreditNoteToInvoice", latency=0.2))
        results: dict[int, Any] = {}

        async def confirm(number: int) -> None:
            arguments = {
                "credit_note_number": note,
                "invoice_number": number,
                "confirmation_token": tokens[number],
            }
            results[number] = await client.call_tool("apply_credit_note", arguments)

        with anyio.fail_after(20):
            async with anyio.create_task_group() as group:
                group.start_soon(confirm, first)
                group.start_soon(confirm, second)
        paid = [(await kashflow.invoices.get(n)).AmountPaid for n in (first, second)]
    outcomes = sorted(result.is_error for result in results.values())
    assert outcomes == [False, True]
    loser = next(result for result in results.values() if result.is_error)
    assert "changed" in text_of(loser)
    assert faults(kashflow).counts["applyCreditNoteToInvoice"] == 1
    assert sorted(paid) == [Decimal(0), Decimal("120.00")]


async def test_the_audit_log_names_the_credit_note_and_the_note(
    open_session: OpenSession, tmp_path: Path
) -> None:
    log = tmp_path / "audit.jsonl"
    async with open_session(audit_log=log) as (client, _):
        note = (await credit(client))["credit_note"]["credit_note_number"]
        number = await invoice(client)
        added = await ok(client, "add_invoice_note", invoice_number=number, note="Logged")
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    outcomes = {e["tool"]: e for e in entries if e["event"] == "outcome"}
    assert outcomes["create_credit_note"]["ids"] == {
        "credit_note_number": note,
        "customer_id": CUSTOMER,
    }
    assert outcomes["add_invoice_note"]["ids"] == {
        "invoice_number": number,
        "note_id": added["note"]["note_id"],
    }
