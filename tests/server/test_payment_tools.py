"""Payment tools through the MCP client, against the sandbox: recording, listing, deleting."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.types import ElicitRequestParams, ElicitResult

from kashflow_mcp.kashflow import KashFlowClient
from kashflow_mcp.kashflow.wire.records import Invoice, InvoiceLine, Payment
from kashflow_mcp.sandbox import FaultRule
from kashflow_mcp.sandbox.areas import payments as sandbox_payments

from .calls import ok, refused, text_of
from .conftest import OpenSession

pytestmark = pytest.mark.anyio
CUSTOMER = 20001  # a demo customer billed in pounds
HUNDRED = [{"description": "Design work", "rate": "100.00", "vat_rate": "20"}]  # 120.00
BACS, CHEQUE, CARD = 1, 2, 4
CURRENT, DEPOSIT = 1, 2


async def new_invoice(client: Client, lines: list[dict[str, Any]] = HUNDRED, **fields: Any) -> int:
    created = await ok(client, "create_invoice", customer_id=CUSTOMER, lines=lines, **fields)
    return int(created["invoice"]["invoice_number"])


def sent(kashflow: KashFlowClient, operation: str) -> int:
    return kashflow.transport.app.state.faults.counts[operation]  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- recording


async def test_by_default_all_that_is_due_is_paid_today_by_bacs_into_the_current_account(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, kashflow):
        number = await new_invoice(client)
        recorded = await client.call_tool("record_payment", {"invoice_number": number})
        stored = await kashflow.payments.for_invoice(number)
    assert not recorded.is_error, text_of(recorded)
    data = recorded.structured_content or {}
    assert [(p.PayAmount, p.PayDate, p.PayMethod, p.PayAccount) for p in stored] == [
        (Decimal("120.00"), datetime.combine(date.today(), datetime.min.time()), BACS, CURRENT)
    ]
    assert data["payment"] == {
        "payment_id": stored[0].PayID,
        "invoice_number": number,
        "date": date.today().isoformat(),
        "amount": "120.00",
        "method": "BACS",
        "bank_account": "Current Account",
    }
    assert {k: data["invoice"][k] for k in ("amount_paid", "amount_due", "status")} == {
        "amount_paid": "120.00",
        "amount_due": "0.00",
        "status": "paid",
    }
    assert text_of(recorded).startswith(
        f"recorded payment {stored[0].PayID} of GBP 120.00 on invoice {number}; it now has "
        "GBP 0.00 due (paid)"
    )


async def test_a_part_payment_by_the_method_and_account_given(open_session: OpenSession) -> None:
    async with open_session() as (client, kashflow):
        number = await new_invoice(client, due_date="2099-01-31")
        data = await ok(
            client,
            "record_payment",
            invoice_number=number,
            amount="45.50",
            date="2026-01-05",
            method_id=CARD,
            bank_account_id=DEPOSIT,
            note="Card at the counter",
        )
        stored = await kashflow.payments.for_invoice(number)
    assert [(p.PayAmount, p.PayMethod, p.PayAccount, p.PayNote) for p in stored] == [
        (Decimal("45.50"), CARD, DEPOSIT, "Card at the counter")
    ]
    assert data["payment"]["date"] == "2026-01-05"
    assert (data["payment"]["method"], data["payment"]["bank_account"]) == (
        "Card",
        "Deposit Account",
    )
    assert data["invoice"] == {
        "invoice_number": number,
        "customer_id": CUSTOMER,
        "customer_name": "Harbourside Coffee Co",
        "currency_code": "GBP",
        "gross_amount": "120.00",
        "amount_paid": "45.50",
        "amount_due": "74.50",
        "status": "unpaid",
    }


async def test_amounts_are_in_the_invoices_currency(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        number = await new_invoice(client, currency_code="EUR")
        data = await ok(client, "record_payment", invoice_number=number, amount="20.00")
        listed = await ok(client, "list_payments", invoice_number=number)
    assert data["invoice"]["currency_code"] == "EUR"
    assert data["invoice"]["amount_due"] == "100.00"
    assert listed["invoice"]["currency_code"] == "EUR"


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", ["amount must be more than 0", "delete_payment", "create_credit_note"]),
        ("-10.00", ["amount must be more than 0", "delete_payment", "refund"]),
        ("120.01", ["is more than the GBP 120.00 due", "Record at most 120.00", "advance payment"]),
    ],
    ids=["zero", "negative", "more-than-due"],
)
async def test_zero_negative_and_more_than_is_due_are_refused_naming_what_is_due(
    open_session: OpenSession, amount: str, words: list[str]
) -> None:
    async with open_session() as (client, kashflow):
        number = await new_invoice(client)
        message = await refused(client, "record_payment", invoice_number=number, amount=amount)
        assert sent(kashflow, "InsertInvoicePayment") == 0
    assert "GBP 120.00 due" in message
    for word in words:
        assert word in message


async def test_an_invoice_paid_in_full_takes_no_more(open_session: OpenSession) -> None:
    async with open_session() as (client, kashflow):
        number = await new_invoice(client, paid=True)
        message = await refused(client, "record_payment", invoice_number=number)
        assert sent(kashflow, "InsertInvoicePayment") == 1  # create_invoice's own
    assert message == f"Invoice {number} is paid in full: nothing is due on it."


@pytest.mark.parametrize(("rate", "status"), [("-50.00", "credit"), ("0.00", "zero")])
async def test_a_credit_or_zero_document_takes_no_payment(
    open_session: OpenSession, rate: str, status: str
) -> None:
    async with open_session() as (client, kashflow):
        lines = [{"description": "Adjustment", "rate": rate, "vat_rate": "20"}]
        number = await new_invoice(client, lines)
        message = await refused(client, "record_payment", invoice_number=number, amount="1.00")
        assert sent(kashflow, "InsertInvoicePayment") == 0
    assert f"({status}): there is nothing to pay on it" in message


async def test_a_deleted_invoice_takes_no_payment(open_session: OpenSession) -> None:
    async with open_session() as (client, kashflow):
        number = await new_invoice(client)
        await kashflow.invoices.delete(number)
        message = await refused(client, "record_payment", invoice_number=number)
        assert sent(kashflow, "InsertInvoicePayment") == 0
    assert message.startswith(f"No invoice number {number} (it may have been deleted).")


@pytest.mark.parametrize(
    ("argument", "value", "listed"),
    [
        ("method_id", 99, "1 BACS, 2 Cheque, 3 Cash, 4 Card, 5 PayPal (list_payment_methods)"),
        ("bank_account_id", 1200, "1 Current Account, 2 Deposit Account (list_bank_accounts)"),
    ],
)
async def test_a_method_or_bank_account_the_account_lacks_is_refused_listing_those_it_has(
    open_session: OpenSession, argument: str, value: int, listed: str
) -> None:
    async with open_session() as (client, kashflow):
        number = await new_invoice(client)
        arguments = {"invoice_number": number, argument: value}
        message = await refused(client, "record_payment", **arguments)
        assert sent(kashflow, "InsertInvoicePayment") == 0
    assert f"{value}. Give {argument}, one of: {listed}." in message


# --------------------------------------------------------------------------- reference data


async def test_payment_methods_and_bank_accounts_give_ids_names_and_the_defaults(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, _):
        methods = await client.call_tool("list_payment_methods", {})
        accounts = await ok(client, "list_bank_accounts")
    rows = (methods.structured_content or {})["methods"]
    assert [(m["method_id"], m["name"], m["default"]) for m in rows] == [
        (1, "BACS", True), (2, "Cheque", False), (3, "Cash", False), (4, "Card", False),
        (5, "PayPal", False),
    ]  # fmt: skip
    assert accounts["bank_accounts"] == [
        {"bank_account_id": 1, "name": "Current Account", "nominal_code": 1200, "default": True},
        {"bank_account_id": 2, "name": "Deposit Account", "nominal_code": 1210, "default": False},
    ]
    assert text_of(methods).splitlines()[1:3] == ["method_id | name | default", "1 | BACS | yes"]


# --------------------------------------------------------------------------- listing


async def test_an_invoices_payments_oldest_first_with_where_the_invoice_stands(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, _):
        number = await new_invoice(client, due_date="2099-01-31")
        for day, amount, method in (("2026-02-01", "20.00", CHEQUE), ("2026-01-10", "30.00", CARD)):
            await ok(client, "record_payment", invoice_number=number, amount=amount, date=day,
                     method_id=method)  # fmt: skip
        listed = await client.call_tool("list_payments", {"invoice_number": number})
    data = listed.structured_content or {}
    assert [(p["date"], p["amount"], p["method"]) for p in data["payments"]] == [
        ("2026-01-10", "30.00", "Card"),
        ("2026-02-01", "20.00", "Cheque"),
    ]
    assert {p["bank_account"] for p in data["payments"]} == {"Current Account"}
    assert (data["invoice"]["amount_due"], data["invoice"]["status"]) == ("70.00", "unpaid")
    assert data["total"] == 2 and "next_offset" not in data
    assert text_of(listed).startswith(f"invoice {number}: payments 1-2 of 2")


async def test_a_periods_payments_are_read_page_by_page_and_paged_again_here(
    open_session: OpenSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sandbox_payments, "PAGE_SIZE", 4)  # KashFlow's pages, made short
    async with open_session() as (client, kashflow):
        span = {"date_from": "2000-01-01", "date_to": "2099-12-31"}
        every = await kashflow.payments.count_dated(date(2000, 1, 1), date(2099, 12, 31))
        first = await ok(client, "list_payments", **span, limit=25)
        rest = await ok(client, "list_payments", **span, limit=500, offset=first["next_offset"])
        pages = sent(kashflow, "GetInvoicePaymentsByDateRange")
    rows = first["payments"] + rest["payments"]
    assert first["total"] == rest["total"] == every == len(rows) > 25
    assert len({row["payment_id"] for row in rows}) == every
    assert [row["date"] for row in rows] == sorted(row["date"] for row in rows)
    assert pages == -(-every // 4)  # each of KashFlow's pages read once: the rest came cached


async def test_payments_that_arrive_while_the_pages_are_read_are_read_too(
    open_session: OpenSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The count said the last page would be short; it came back full: later pages are read."""
    monkeypatch.setattr(sandbox_payments, "PAGE_SIZE", 4)
    async with open_session() as (client, kashflow):
        number = await new_invoice(client)
        span = (date(2000, 1, 1), date(2099, 12, 31))
        while await kashflow.payments.count_dated(*span) % 4 != 1:  # at most four rounds
            await ok(client, "record_payment", invoice_number=number, amount="1.00")
        before = await kashflow.payments.count_dated(*span)  # the last page holds one payment
        faults = kashflow.transport.app.state.faults  # type: ignore[attr-defined]
        faults.add(FaultRule(operation="GetInvoicePaymentsByDateRange", latency=1.0, times=-1))
        counted = faults.counts["GetInvoicePaymentsCountforDateRange"]
        listed: dict[str, Any] = {}
        with anyio.fail_after(30):
            async with anyio.create_task_group() as group:

                async def list_all() -> None:
                    listed.update(
                        await ok(client, "list_payments", date_from="2000-01-01",
                                 date_to="2099-12-31", limit=500)
                    )  # fmt: skip

                group.start_soon(list_all)
                while faults.counts["GetInvoicePaymentsCountforDateRange"] == counted:
                    await anyio.sleep(0.005)
                await anyio.sleep(0.3)  # counted; the pages are still held up
                for _ in range(4):  # recorded elsewhere meanwhile, after every other payment
                    await kashflow.payments.insert(
                        Payment(
                            PayInvoice=number, PayAmount=Decimal(1), PayDate=datetime(2099, 12, 30)
                        )
                    )
    assert listed["total"] == before + 4
    assert len({row["payment_id"] for row in listed["payments"]}) == before + 4


async def test_a_period_keeps_to_its_dates(open_session: OpenSession) -> None:
    async with open_session() as (client, _):
        number = await new_invoice(client)
        for day in ("2021-03-01", "2021-03-31", "2021-04-01", "2021-02-28"):
            await ok(client, "record_payment", invoice_number=number, amount="1.00", date=day)
        march = await ok(client, "list_payments", date_from="2021-03-01", date_to="2021-03-31")
        own = await ok(client, "list_payments", invoice_number=number, date_from="2021-03-02")
    assert [row["date"] for row in march["payments"]] == ["2021-03-01", "2021-03-31"]
    assert [row["date"] for row in own["payments"]] == ["2021-03-31", "2021-04-01"]


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ({}, "Give invoice_number, or date_from and date_to (date_from and date_to missing)."),
        ({"date_from": "2026-01-01"}, "(date_to missing)"),
        ({"date_to": "2026-01-01"}, "(date_from missing)"),
        ({"date_from": "2026-02-01", "date_to": "2026-01-31"}, "date_from (2026-02-01) is after"),
        ({"invoice_number": 999}, "No invoice number 999"),
    ],
)
async def test_a_list_needs_an_invoice_or_a_period(
    open_session: OpenSession, arguments: dict[str, Any], problem: str
) -> None:
    async with open_session() as (client, _):
        message = await refused(client, "list_payments", **arguments)
    assert problem in message


# --------------------------------------------------------------------------- deleting


async def test_delete_payment_previews_whose_how_much_and_what_is_due_after_then_deletes(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, kashflow):
        number = await new_invoice(client, due_date="2099-01-31")
        await ok(client, "record_payment", invoice_number=number, amount="20.00")
        paid = await ok(client, "record_payment", invoice_number=number, amount="100.00")
        payment_id = paid["payment"]["payment_id"]
        preview = await client.call_tool("delete_payment", {"payment_id": payment_id})
        held = preview.structured_content or {}
        assert (await kashflow.invoices.get(number)).Paid == 1  # nothing deleted yet
        done = await ok(
            client, "delete_payment", payment_id=payment_id,
            confirmation_token=held["confirmation_token"],
        )  # fmt: skip
        left = await kashflow.payments.for_invoice(number)
        after = await ok(client, "get_invoice", invoice_number=number)
        searched = sent(kashflow, "GetInvoicePaymentsByDateRange")
    assert searched == 0  # recorded here: its invoice is known, no search among all payments
    assert held["status"] == "confirmation_required"
    assert held["preview"]["payment"]["amount"] == "100.00"
    assert {
        k: held["preview"]["invoice"][k] for k in ("customer_name", "amount_due", "status")
    } == {
        "customer_name": "Harbourside Coffee Co",
        "amount_due": "100.00",
        "status": "unpaid",
    }
    assert (
        f"payment {payment_id} of GBP 100.00 on invoice {number} of customer {CUSTOMER}, leaving "
        "GBP 100.00 due (unpaid)" in text_of(preview)
    )
    assert done["status"] == "deleted"
    assert [p.PayAmount for p in left] == [Decimal("20.00")]
    assert (after["amount_paid"], after["status"]) == ("20.00", "unpaid")


@pytest.mark.parametrize("agrees", [True, False])
async def test_a_user_who_can_be_asked_is_asked_whose_payment_and_what_is_left_due(
    open_session: OpenSession, agrees: bool
) -> None:
    questions: list[str] = []

    async def user(context: Any, params: ElicitRequestParams) -> ElicitResult:
        questions.append(params.message)
        return ElicitResult(action="accept", content={"confirm": agrees})

    async with open_session(mode="legacy", elicitation_callback=user) as (client, kashflow):
        number = await new_invoice(client, due_date="2099-01-31")
        paid = await ok(client, "record_payment", invoice_number=number, amount="30.00")
        payment_id = paid["payment"]["payment_id"]
        answered = await ok(client, "delete_payment", payment_id=payment_id)
        left = await kashflow.payments.for_invoice(number)
    assert questions == [
        f"Permanently delete payment {payment_id} of GBP 30.00 on invoice {number} of customer "
        f"{CUSTOMER}, leaving GBP 120.00 due (unpaid)?"
    ]
    assert answered["status"] == ("deleted" if agrees else "declined")
    assert len(left) == (0 if agrees else 1)


async def test_a_payment_this_server_never_saw_is_found_among_all_payments(
    open_session: OpenSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sandbox_payments, "PAGE_SIZE", 7)
    async with open_session() as (client, kashflow):
        number = await new_invoice(client)
        payment_id = await kashflow.payments.insert(  # recorded elsewhere, not through us
            Payment(PayInvoice=number, PayAmount=Decimal("12.00"), PayDate=datetime(2025, 6, 1))
        )
        held = await ok(client, "delete_payment", payment_id=payment_id)
        searched = sent(kashflow, "GetInvoicePaymentsByDateRange")
        done = await ok(client, "delete_payment", payment_id=payment_id,
                        confirmation_token=held["confirmation_token"])  # fmt: skip
        again = sent(kashflow, "GetInvoicePaymentsByDateRange")
        left = await kashflow.payments.for_invoice(number)
    assert held["preview"]["invoice"]["invoice_number"] == number
    assert searched > 1 and again == searched  # searched once; then known to be on the invoice
    assert done["status"] == "deleted" and left == []


async def test_a_payment_that_does_not_exist_is_refused(open_session: OpenSession) -> None:
    async with open_session() as (client, kashflow):
        message = await refused(client, "delete_payment", payment_id=999)
        assert sent(kashflow, "DeleteInvoicePayment") == 0
    assert message == "No payment 999. Find payment ids with list_payments."


async def test_a_delete_token_no_longer_applies_once_the_invoice_changed(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, kashflow):
        number = await new_invoice(client)
        paid = await ok(client, "record_payment", invoice_number=number, amount="20.00")
        payment_id = paid["payment"]["payment_id"]
        token = (await ok(client, "delete_payment", payment_id=payment_id))["confirmation_token"]
        await ok(client, "record_payment", invoice_number=number, amount="30.00")
        message = await refused(
            client, "delete_payment", payment_id=payment_id, confirmation_token=token
        )
        assert sent(kashflow, "DeleteInvoicePayment") == 0
        assert len(await kashflow.payments.for_invoice(number)) == 2
    assert "changed since the preview" in message


async def test_a_delete_token_deletes_only_the_payment_it_was_issued_for(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, kashflow):
        number = await new_invoice(client)
        ids = [
            (await ok(client, "record_payment", invoice_number=number, amount="10.00"))["payment"][
                "payment_id"
            ]
            for _ in range(2)
        ]
        token = (await ok(client, "delete_payment", payment_id=ids[0]))["confirmation_token"]
        message = await refused(
            client, "delete_payment", payment_id=ids[1], confirmation_token=token
        )
        assert sent(kashflow, "DeleteInvoicePayment") == 0
    assert "issued for different arguments" in message


async def test_a_payment_on_a_document_recorded_outside_is_shown_once_deleted_elsewhere(
    open_session: OpenSession,
) -> None:
    """A payment deleted outside after this server saw it is not found, not deleted twice."""
    async with open_session() as (client, kashflow):
        number = await new_invoice(client)
        paid = await ok(client, "record_payment", invoice_number=number, amount="10.00")
        payment_id = paid["payment"]["payment_id"]
        await kashflow.payments.delete(payment_id)
        message = await refused(client, "delete_payment", payment_id=payment_id)
    assert message.startswith(f"No payment {payment_id}.")


async def test_a_credit_note_shaped_invoice_recorded_outside_shows_its_status(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, kashflow):
        line = InvoiceLine(
            Description="Refund", Quantity=Decimal(1), Rate=Decimal(-10), VatRate=Decimal(0)
        )
        number = await kashflow.invoices.insert(
            Invoice(CustomerID=CUSTOMER, InvoiceDate=datetime(2026, 1, 5), Lines=[line])
        )
        message = await refused(client, "record_payment", invoice_number=number)
    assert message == f"Invoice {number} totals GBP -10.00 (credit): there is nothing to pay on it."


async def test_the_credit_half_of_a_credit_notes_application_is_not_deleted_as_a_payment(
    open_session: OpenSession,
) -> None:
    async with open_session() as (client, kashflow):
        number = await new_invoice(client)
        refund = [{"description": "Refund", "rate": "10.00", "vat_rate": "20"}]
        made = await ok(client, "create_credit_note", customer_id=CUSTOMER, lines=refund)
        note = made["credit_note"]["credit_note_number"]
        arguments = {"credit_note_number": note, "invoice_number": number}
        token = (await ok(client, "apply_credit_note", **arguments))["confirmation_token"]
        await ok(client, "apply_credit_note", **arguments, confirmation_token=token)
        half = (await kashflow.payments.for_invoice(note))[0]

        text = await refused(client, "delete_payment", payment_id=half.PayID)
        still = await kashflow.payments.for_invoice(note)
    assert f"Payment {half.PayID} is on credit note {note}" in text
    assert "delete_invoice" in text
    assert [p.PayID for p in still] == [half.PayID]  # nothing was deleted
