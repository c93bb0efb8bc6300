"""Every document and payment posts balanced entries; edits and deletes post again.

The figures expected are worked out by hand from the documents each test writes.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from starlette.applications import Starlette

from kashflow_mcp.kashflow import KashFlowClient, KashFlowRefused
from kashflow_mcp.kashflow.wire.records import Payment
from kashflow_mcp.sandbox.ledger.postings import PostingError

from .books import DAY, line, new_customer, new_invoice, pay

pytestmark = pytest.mark.anyio
ALL_TIME = {"StartDate": datetime(1900, 1, 1), "EndDate": datetime(2099, 12, 31)}
DESIGN, PRINT, POSTAGE, DEBTORS, BANK = 3101, 3102, 3104, 3110, 3111


async def trial_balance(kf: KashFlowClient, **period: Any) -> dict[int, tuple[str, str, str]]:
    """Nominal code -> (debit, credit, balance) as strings."""
    rows = await kf.call("GetTrialBalance", period or ALL_TIME)
    return {r["Code"]: (str(r["debit"]), str(r["credit"]), str(r["balance"])) for r in rows}


async def balances(kf: KashFlowClient) -> dict[int, Decimal]:
    return {code: Decimal(row[2]) for code, row in (await trial_balance(kf)).items()}


async def test_an_invoice_posts_debtors_gross_and_each_lines_net_and_vat(kf: KashFlowClient):
    customer = await new_customer(kf)
    await new_invoice(
        kf,
        customer,
        line("Brand design", "2", "150.00", "20", ChargeType=DESIGN),  # 300.00 + 60.00 VAT
        line("Leaflets", "1", "85.50", "0", ChargeType=PRINT),  # 85.50, zero-rated
        line("Postage", "1", "4.85", "-1", ChargeType=POSTAGE),  # 4.85, exempt
    )

    assert await trial_balance(kf) == {
        1100: ("450.35", "0.00", "450.35"),
        2200: ("0.00", "60.00", "-60.00"),
        4000: ("0.00", "300.00", "-300.00"),
        4010: ("0.00", "85.50", "-85.50"),
        4090: ("0.00", "4.85", "-4.85"),
    }


async def test_a_payment_posts_the_bank_and_takes_it_off_debtors(kf: KashFlowClient):
    customer = await new_customer(kf)
    number = await new_invoice(kf, customer, line("Work", "1", "100", "20"))

    await pay(kf, number, "45.50")

    ledger = await balances(kf)
    assert (ledger[1100], ledger[1200]) == (Decimal("74.50"), Decimal("45.50"))


async def test_a_document_totalling_less_than_nothing_posts_reversed(kf: KashFlowClient):
    customer = await new_customer(kf)
    await new_invoice(
        kf, customer, line("Refund of design", "-1", "50.00", "20", ChargeType=DESIGN)
    )

    assert await trial_balance(kf) == {
        1100: ("0.00", "60.00", "-60.00"),
        2200: ("10.00", "0.00", "10.00"),
        4000: ("50.00", "0.00", "50.00"),
    }


async def test_edits_post_again_and_deletes_take_the_entries_away(kf: KashFlowClient):
    customer = await new_customer(kf)
    number = await new_invoice(kf, customer, line("Work", "1", "100", "20"))
    await pay(kf, number, "20")
    invoice = await kf.invoices.get(number)

    invoice.Lines = [line("More work", "3", "100", "20")]
    await kf.invoices.update(invoice)
    assert (await balances(kf))[1100] == Decimal("340.00")  # 360.00 less the 20.00 paid
    await kf.invoices.insert_line(invoice.InvoiceDBID or 0, line("Extra", "1", "10", "0"))
    assert (await balances(kf))[1100] == Decimal("350.00")

    await kf.invoices.delete(number)
    assert await trial_balance(kf) == {}

    await kf.invoices.delete(await new_invoice(kf, customer))  # one with no payments
    assert await trial_balance(kf) == {}

    again = await new_invoice(kf, customer)
    await pay(kf, again, "5")
    await kf.customers.delete(customer)
    assert await trial_balance(kf) == {}


async def test_rows_changed_by_any_code_post_again_before_it_commits(
    empty_app: Starlette, kf: KashFlowClient
):
    customer = await new_customer(kf)
    number = await new_invoice(kf, customer)
    dbid, pay_id = (await kf.invoices.get(number)).InvoiceDBID, 810999
    payment = {"PayID": pay_id, "PayInvoice": number, "PayDate": "2025-03-02T00:00:00",
               "PayNote": "", "PayMethod": 1, "PayAccount": 0, "PayAmount": "20.00"}  # fmt: skip

    # As an operation added later might do it: straight in SQL, knowing nothing of the ledger.
    with empty_app.state.store.write() as books:
        books.payments._db.execute(
            "INSERT INTO payments (id, invoice_id, data) VALUES (?, ?, ?)",
            (pay_id, dbid, json.dumps(payment)),
        )
    assert (await balances(kf))[1200] == Decimal("20.00")
    with empty_app.state.store.write() as books:
        books.payments._db.execute("UPDATE payments SET data = json_set(data, '$.PayAmount', "
                                   "'50.00') WHERE id = ?", (pay_id,))  # fmt: skip
    assert (await balances(kf))[1200] == Decimal("50.00")
    with empty_app.state.store.write() as books:
        books.payments._db.execute("DELETE FROM payments WHERE id = ?", (pay_id,))
    assert 1200 not in await balances(kf)


async def test_moving_an_invoice_to_another_customer_moves_its_debt(kf: KashFlowClient):
    first, second = await new_customer(kf, "First Ltd"), await new_customer(kf, "Second Ltd")
    number = await new_invoice(kf, first)
    invoice = await kf.invoices.get(number)

    invoice.CustomerID = second
    await kf.invoices.update(invoice)

    codes = [(await kf.customers.get(c)).Code for c in (first, second)]
    owed = [(await kf.customers.balance(code or "")).Balance for code in codes]
    assert owed == [Decimal("0.00"), Decimal("120.00")]


async def test_the_nominal_ledger_lists_one_nominals_entries(kf: KashFlowClient):
    customer = await new_customer(kf)
    code = (await kf.customers.get(customer)).Code
    number = await new_invoice(kf, customer, line("Work", "1", "100", "20"))
    pay_id = await kf.payments.insert(
        Payment(PayInvoice=number, PayAmount=Decimal("30"), PayDate=datetime(2025, 3, 9))
    )
    dbid = (await kf.invoices.get(number)).InvoiceDBID

    rows = await kf.call("GetNominalLedger", {**ALL_TIME, "NominalID": DEBTORS})
    march_9 = await kf.call(
        "GetNominalLedger",
        {"StartDate": datetime(2025, 3, 9), "EndDate": datetime(2025, 3, 9), "NominalID": DEBTORS},
    )

    picked = [
        (r["Date"], r["nomid"], r["Value"], r["Type"], r["id"], r["id2"], r["id3"], r["Ref1"])
        for r in rows
    ]
    assert picked == [
        (DAY, DEBTORS, Decimal("120.00"), 1, dbid, 0, customer, str(number)),
        (datetime(2025, 3, 9), DEBTORS, Decimal("-30.00"), 2, dbid, pay_id, customer, str(number)),
    ]
    assert {r["Ref2"] for r in rows} == {code}
    assert [r["Narrative"] for r in rows] == [
        f"Invoice {number}",
        f"Payment {pay_id} on invoice {number}",
    ]
    assert [r["Value"] for r in march_9] == [Decimal("-30.00")]


async def test_a_line_must_name_a_sales_type_by_its_id(kf: KashFlowClient):
    customer = await new_customer(kf)

    with pytest.raises(KashFlowRefused, match="4000 is the code of sales type id 3101"):
        await new_invoice(kf, customer, line("By code", "1", "10", "20", ChargeType=4000))
    with pytest.raises(KashFlowRefused, match=r"3110 .*\(it is nominal 1100 Trade debtors\)"):
        await new_invoice(kf, customer, line("To debtors", "1", "10", "20", ChargeType=DEBTORS))
    assert await trial_balance(kf) == {}  # nothing was written

    await new_invoice(kf, customer, line("No sales type", "1", "10", "20", ChargeType=0))
    assert (await balances(kf))[0] == Decimal("-10.00")  # "Other", KashFlow's code 0


async def test_a_foreign_document_posts_in_pounds_at_its_rate(kf: KashFlowClient):
    customer = await new_customer(kf, "Lyon Soieries SARL")
    # Three lines of EUR 10.00 at 1.1650 a pound are GBP 8.58 each (8.5836), 25.74 in all;
    # the EUR 30.00 owed is GBP 25.75 (25.7511): the penny over goes to exchange differences.
    lines = [line(f"Panel {i}", "1", "10.00", "0", ValuesInCurrency=1) for i in (1, 2, 3)]
    number = await new_invoice(
        kf, customer, *lines, CurrencyCode="EUR", ExchangeRate=Decimal("1.1650")
    )

    assert await trial_balance(kf) == {
        0: ("0.00", "25.74", "-25.74"),
        1100: ("25.75", "0.00", "25.75"),
        7906: ("0.00", "0.01", "-0.01"),
    }
    # EUR 15.00 of the 30.00 leaves EUR 15.00 owed, GBP 12.88 (12.8755): the payment is worth
    # GBP 12.87 (25.75 - 12.88); the last EUR 15.00 clears the GBP 12.88 left.
    await pay(kf, number, "15.00")
    assert (await balances(kf))[1200] == Decimal("12.87")
    await pay(kf, number, "15.00")
    ledger = await balances(kf)
    assert (ledger[1200], 1100 in ledger) == (Decimal("25.75"), False)


async def test_a_credit_note_set_against_an_invoice_moves_no_money(kf: KashFlowClient):
    customer = await new_customer(kf)
    invoice = await new_invoice(kf, customer, line("Work", "1", "100.00", "20"))
    note = await new_invoice(kf, customer, line("Refund", "-1", "50.00", "20"))
    ids = [(await kf.invoices.get(n)).InvoiceDBID or 0 for n in (invoice, note)]

    assert await kf.invoices.apply_credit_note(*ids)

    # 120.00 invoiced less 60.00 credited: 60.00 owed; the pair's halves cancel in 7906.
    ledger = await balances(kf)
    assert (ledger[1100], ledger.get(1200, 0), ledger.get(7906, 0)) == (Decimal("60.00"), 0, 0)
    # The bank has no entries at all, not two that cancel.
    assert await kf.call("GetNominalLedger", {**ALL_TIME, "NominalID": BANK}) == []


async def test_credit_between_documents_at_two_rates_leaves_the_difference_on_exchange(
    kf: KashFlowClient,
):
    customer = await new_customer(kf, "Lyon Soieries SARL")
    # EUR 100.00 at 1.25 a pound is GBP 80.00; a credit note of EUR 60.00 at 1.50, GBP 40.00.
    silk = line("Silk", "1", "100.00", "0", ValuesInCurrency=1)
    returned = line("Returned", "-1", "60.00", "0", ValuesInCurrency=1)
    invoice = await new_invoice(
        kf, customer, silk, CurrencyCode="EUR", ExchangeRate=Decimal("1.25")
    )
    note = await new_invoice(
        kf, customer, returned, CurrencyCode="EUR", ExchangeRate=Decimal("1.5")
    )
    ids = [(await kf.invoices.get(n)).InvoiceDBID or 0 for n in (invoice, note)]

    assert await kf.invoices.apply_credit_note(*ids)

    # The invoice's half takes EUR 60.00 off it, GBP 48.00 at its rate (80.00 - 32.00); the
    # note's half clears its GBP 40.00. Debtors hold the EUR 40.00 still owed, GBP 32.00; the
    # GBP 8.00 between the halves is a loss on exchange; no bank account moves.
    ledger = await balances(kf)
    assert (ledger[1100], ledger[7906], ledger.get(1200, 0)) == (
        Decimal("32.00"),
        Decimal("8.00"),
        0,
    )
    assert sum(ledger.values()) == 0


async def test_a_payment_posts_to_its_bank_accounts_nominal(empty_app: Starlette, kf):
    with empty_app.state.store.write() as books:
        books.reference.set(
            "bank_accounts",
            [
                {"AccountID": 1, "AccountName": "Current account", "AccountCode": 1200},
                {"AccountID": 2, "AccountName": "Deposit account", "AccountCode": 1210},
            ],
        )
    customer = await new_customer(kf)
    number = await new_invoice(kf, customer)

    for account, amount in ((2, "20"), (0, "7"), (1, "3")):
        await kf.payments.insert(
            Payment(PayInvoice=number, PayAmount=Decimal(amount), PayDate=DAY, PayAccount=account)
        )

    ledger = await balances(kf)
    assert (ledger[1210], ledger[1200]) == (Decimal("20.00"), Decimal("10.00"))


async def test_a_posting_that_does_not_balance_fails_the_write_loudly(
    empty_app: Starlette, kf: KashFlowClient
):
    customer = await new_customer(kf)
    number = await new_invoice(kf, customer, line("Work", "1", "100", "20"))
    store = empty_app.state.store

    with pytest.raises(PostingError, match="out of balance"), store.write() as books:
        broken: dict[str, Any] = books.invoices.by_number(number) or {}
        broken["NetAmount"] = "99.99"  # its lines still say 100.00
        books.invoices.replace(broken)

    assert (await kf.invoices.get(number)).NetAmount == Decimal("100.00")
    assert (await balances(kf))[1100] == Decimal("120.00")
