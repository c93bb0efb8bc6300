"""KashFlow's reports from the books: aged debtors, balances, overview, income, trial balance.

One customer's documents are laid out so that each lands at a known age on 2025-06-30 (and
on 2025-07-31); every expected figure is worked out by hand from them. Lines carry no VAT
and no sales type, so each document owes exactly its rate and its net posts to "Other".
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import httpx
import pytest

from kashflow_mcp.kashflow import KashFlowClient, KashFlowRefused
from kashflow_mcp.kashflow.wire.records import Payment
from kashflow_mcp.kashflow.wsdl_types import record_fields

from .books import line, new_customer, new_invoice
from .soap import KF, answer, call, local, post, status

pytestmark = pytest.mark.anyio
JUNE_30, JULY_31 = date(2025, 6, 30), date(2025, 7, 31)
# (due date, amount): due on the day, then 1, 30, 31, 60, 61, 90 and 91 days overdue.
DOCUMENTS = [
    (date(2025, 6, 30), "100"),
    (date(2025, 6, 29), "10"),
    (date(2025, 5, 31), "20"),
    (date(2025, 5, 30), "30"),
    (date(2025, 5, 1), "40"),
    (date(2025, 4, 30), "50"),
    (date(2025, 4, 1), "60"),
    (date(2025, 3, 31), "70"),
]
D = Decimal


def midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


async def pay_on(kf: KashFlowClient, number: int, amount: str, day: date) -> None:
    payment = Payment(PayInvoice=number, PayAmount=D(amount), PayDate=midnight(day), PayMethod=1)
    await kf.payments.insert(payment)


async def ageing_books(kf: KashFlowClient) -> tuple[int, str]:
    """The customer of the documents above, part-paid and paid as the tests' figures say."""
    customer = await new_customer(kf, "Ageing Ltd")
    numbers = []
    for due, amount in DOCUMENTS:
        at = midnight(due)
        numbers.append(
            await new_invoice(
                kf, customer, line("Work", "1", amount, "0"), InvoiceDate=at, DueDate=at
            )
        )
    await pay_on(kf, numbers[5], "10", date(2025, 6, 1))  # the 50.00 is owed 40.00 from June 1
    await pay_on(kf, numbers[7], "70", date(2025, 7, 15))  # the 70.00 is paid after June 30
    later = midnight(date(2025, 7, 1))
    await new_invoice(kf, customer, line("Later", "1", "5", "0"), InvoiceDate=later)
    paid_up = await new_customer(kf, "Paid Up Ltd")
    await pay_on(kf, await new_invoice(kf, paid_up), "120", date(2025, 3, 1))
    await new_customer(kf, "Never Invoiced Ltd")
    return customer, (await kf.customers.get(customer)).Code or ""


def amounts(*values: str) -> tuple[Decimal, ...]:
    return tuple(map(Decimal, values))


def figures(row) -> tuple[Decimal | None, ...]:
    return (row.Balance, row.Current, row.Period1_val, row.Period2_val, row.Period3_val, row.Older)


async def test_aged_debtors_age_each_debt_from_its_due_date(kf: KashFlowClient):
    customer, code = await ageing_books(kf)

    june, july = await kf.reports.aged_debtors(JUNE_30), await kf.reports.aged_debtors(JULY_31)

    assert [(row.id, row.Name, row.Code) for row in june] == [(customer, "Ageing Ltd", code)]
    # Current 100; 1-30 days: 10 + 20; 31-60: 30 + 40; 61-90: 50 - 10 + 60; older: 70.
    assert figures(june[0]) == amounts("370.00", "100.00", "30.00", "70.00", "100.00", "70.00")
    assert (june[0].Period1_name, june[0].Period2_name, june[0].Period3_name) == (
        "1-30 days",
        "31-60 days",
        "61-90 days",
    )
    # A month on: the 70.00 is paid and July's 5.00 is 30 days overdue; the rest a month older.
    assert figures(july[0]) == amounts("305.00", "0.00", "5.00", "110.00", "50.00", "140.00")


async def test_nobody_owed_anything_before_the_first_document(kf: KashFlowClient):
    await ageing_books(kf)

    assert await kf.reports.aged_debtors(date(2025, 2, 28)) == []


async def test_a_customer_whose_credit_cancels_their_debt_is_not_listed(kf: KashFlowClient):
    customer = await new_customer(kf, "Square Ltd")
    at = midnight(date(2025, 5, 1))
    await new_invoice(kf, customer, line("Work", "1", "60", "0"), InvoiceDate=at, DueDate=at)
    await new_invoice(kf, customer, line("Credit", "-1", "60", "0"), InvoiceDate=at, DueDate=at)

    assert await kf.reports.aged_debtors(JUNE_30) == []


async def test_a_customers_balance_comes_from_the_books(kf: KashFlowClient):
    _, code = await ageing_books(kf)

    balance = await kf.customers.balance(code)

    assert (balance.Balance, balance.Value) == (D("305.00"), D("80.00"))


async def test_the_account_overview_sums_what_is_owed_overdue_and_part_paid(kf: KashFlowClient):
    await ageing_books(kf)
    customer = await new_customer(kf, "Not Due Yet Ltd")
    soon = midnight(date.today() + timedelta(days=10))
    number = await new_invoice(kf, customer, line("Work", "1", "8", "0"), InvoiceDate=soon)
    await pay_on(kf, number, "3", date.today())

    overview = await kf.call("GetAccountOverview")

    assert overview == {
        "TotalDue": D("0.00"),  # what the business owes: the sandbox keeps no purchases
        "TotalOwed": D("310.00"),  # 305.00, and 5.00 not yet due
        "ReceiptsOverdue": D("0.00"),
        "SalesOverdue": D("305.00"),
        "ReceiptPartPayments": D("0.00"),
        "ReceiptPartPaymentsOverdue": D("0.00"),
        "InvoicePartPayments": D("13.00"),  # 10.00 on the 50.00, 3.00 on the 8.00
        "InvoicePartPaymentsOverdue": D("10.00"),
    }


async def test_income_by_customer_by_invoice_date_or_by_money_received(kf: KashFlowClient):
    customer, code = await ageing_books(kf)
    june = {"StartDate": midnight(date(2025, 6, 1)), "EndDate": midnight(JUNE_30)}
    july = {"StartDate": midnight(date(2025, 7, 1)), "EndDate": midnight(JULY_31)}

    invoiced = await kf.call("GetIncomeByCustomer", {**june, "BasedOnInvoiceDate": True})
    received = await kf.call("GetIncomeByCustomer", {**july, "BasedOnInvoiceDate": False})

    assert invoiced == [
        {"ID": customer, "Name": "Ageing Ltd", "Description": code, "Value": D("110.00")}
    ]
    assert [row["Value"] for row in received] == [D("70.00")]


async def test_a_trial_balance_covers_the_entries_of_its_dates(kf: KashFlowClient):
    await ageing_books(kf)
    june = {"StartDate": midnight(date(2025, 6, 1)), "EndDate": midnight(JUNE_30)}

    rows = await kf.call("GetTrialBalance", june)

    # June: the 100.00 and 10.00 invoices, and the 10.00 paid on June 1.
    assert [(r["Code"], r["debit"], r["credit"], r["balance"]) for r in rows] == [
        (0, D("0.00"), D("110.00"), D("-110.00")),
        (1100, D("100.00"), D("0.00"), D("100.00")),
        (1200, D("10.00"), D("0.00"), D("10.00")),
    ]


YEAR = {"StartDate": datetime(2025, 1, 1), "EndDate": datetime(2025, 12, 31)}


@pytest.mark.parametrize(
    ("operation", "params", "detail"),
    [
        ("GetTrialBalance", {"StartDate": datetime(2025, 1, 1)}, "StartDate and EndDate"),
        ("GetIncomeByCustomer", {"EndDate": datetime(2025, 1, 1)}, "StartDate and EndDate"),
        ("GetAgedDebtors", {}, "AgedDebtorsDate is required"),
        (
            "GetNominalLedger",
            {**YEAR, "NominalID": 4000},
            r"not found: 4000 \(NominalID is a nominal's id: code 4000 is id 3101\)",
        ),
    ],
)
async def test_reports_refuse_what_they_cannot_answer(
    kf: KashFlowClient, operation, params, detail
):
    with pytest.raises(KashFlowRefused, match=detail):
        await kf.call(operation, params)


# --------------------------------------------------------------------------- on the wire


async def test_get_aged_debtors_answers_the_documented_envelope(http: httpx.AsyncClient, kf):
    customer, _ = await ageing_books(kf)

    response = await post(
        http,
        call("GetAgedDebtors", "<AgedDebtorsDate>2025-06-30T00:00:00</AgedDebtorsDate>"),
        "GetAgedDebtors",
    )

    element = answer(response)
    assert [local(child.tag) for child in element] == [
        "GetAgedDebtorsResult",
        "Status",
        "StatusDetail",
    ]
    assert status(element) == ("OK", "")
    rows = element.findall(f"{KF}GetAgedDebtorsResult/{KF}AgedDebtorsCreditors")
    assert len(rows) == 1
    assert [local(c.tag) for c in rows[0]] == [n for n, _ in record_fields("AgedDebtorsCreditors")]
    assert rows[0].findtext(f"{KF}id") == str(customer)
    assert rows[0].findtext(f"{KF}Balance") == "370.00"
    assert rows[0].findtext(f"{KF}Period3_val") == "100.00"


PERIOD = "<StartDate>2025-01-01T00:00:00</StartDate><EndDate>2025-12-31T00:00:00</EndDate>"


@pytest.mark.parametrize(
    ("operation", "inner", "record"),
    [
        ("GetTrialBalance", PERIOD, "NominalCode"),
        ("GetNominalLedger", PERIOD + "<NominalID>3110</NominalID>", "TransactionInformation"),
        (
            "GetIncomeByCustomer",
            PERIOD + "<BasedOnInvoiceDate>true</BasedOnInvoiceDate>",
            "BasicDataset",
        ),
    ],
)
async def test_report_lists_answer_hand_written_envelopes(
    http: httpx.AsyncClient, kf, operation, inner, record
):
    await ageing_books(kf)

    response = await post(http, call(operation, inner), operation)

    element = answer(response)
    assert status(element) == ("OK", "")
    rows = element.findall(f"{KF}{operation}Result/{KF}{record}")
    assert rows
    assert all([local(c.tag) for c in row] == [n for n, _ in record_fields(record)] for row in rows)


@pytest.mark.parametrize(
    ("operation", "inner", "record"),
    [
        ("GetAccountOverview", "", "AccountOverview"),
        ("GetCustomerBalance", "<CustomerCode>{code}</CustomerCode>", "CustomerBalance"),
    ],
)
async def test_report_records_answer_hand_written_envelopes(
    http: httpx.AsyncClient, kf, operation, inner, record
):
    _, code = await ageing_books(kf)

    response = await post(http, call(operation, inner.format(code=code)), operation)

    element = answer(response)
    assert status(element) == ("OK", "")
    found = element.find(f"{KF}{operation}Result")
    assert found is not None
    assert [local(c.tag) for c in found] == [n for n, _ in record_fields(record)]
