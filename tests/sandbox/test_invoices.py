"""The sandbox keeps books the way KashFlow does, seen through the project's own client."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from kashflow_mcp.kashflow import InvalidRequestError, KashFlowClient, NotFoundError
from kashflow_mcp.kashflow.models import Customer, Invoice, InvoiceLine, Payment

from .conftest import client_for

pytestmark = pytest.mark.anyio

DAY = datetime(2025, 3, 1)


def line(description: str, quantity: str, rate: str, vat: str, **extra: object) -> InvoiceLine:
    return InvoiceLine(
        Description=description,
        Quantity=Decimal(quantity),
        Rate=Decimal(rate),
        VatRate=Decimal(vat),
        **extra,
    )


async def new_customer(kf: KashFlowClient, name: str = "Acme Widgets", **fields: object) -> int:
    return await kf.insert_customer(Customer(Name=name, **fields))


async def new_invoice(
    kf: KashFlowClient, customer_id: int, *lines: InvoiceLine, **fields: object
) -> int:
    fields.setdefault("InvoiceDate", DAY)
    chosen = list(lines) or [line("Consulting", "1", "100", "20")]
    return await kf.insert_invoice(Invoice(CustomerID=customer_id, Lines=chosen, **fields))


async def pay(kf: KashFlowClient, number: int, amount: str) -> int:
    return await kf.insert_invoice_payment(
        Payment(PayInvoice=number, PayAmount=Decimal(amount), PayDate=DAY, PayMethod=1)
    )


# --------------------------------------------------------------------------- numbering


async def test_a_deleted_invoices_number_is_never_issued_again(make_app, kf: KashFlowClient):
    customer = await new_customer(kf)
    first, newest = await new_invoice(kf, customer), await new_invoice(kf, customer)
    await kf.delete_invoice(newest)

    assert await new_invoice(kf, customer) == newest + 1
    async with client_for(make_app(seed=False)) as reopened:  # the same file, opened again
        await reopened.delete_invoice(newest + 1)
        assert await new_invoice(reopened, customer) == newest + 2
    assert first == newest - 1


async def test_invoice_numbers_count_up_from_one(kf: KashFlowClient):
    customer = await new_customer(kf)

    numbers = [await new_invoice(kf, customer) for _ in range(3)]

    assert numbers == [1, 2, 3]


async def test_a_number_sent_with_a_new_invoice_is_ignored(kf: KashFlowClient):
    customer = await new_customer(kf)

    number = await new_invoice(kf, customer, InvoiceNumber=500)

    assert number == 1


async def test_demo_invoices_continue_from_the_demo_books_highest(demo_kf: KashFlowClient):
    highest = (await demo_kf.get_recent_invoices(1))[0].InvoiceNumber
    customer = (await demo_kf.get_customers())[0].CustomerID

    assert await new_invoice(demo_kf, customer) == highest + 1


# --------------------------------------------------------------------------- totals


async def test_totals_come_from_the_lines_rounded_half_up_per_line(kf: KashFlowClient):
    customer = await new_customer(kf)
    number = await new_invoice(
        kf,
        customer,
        line("Widgets", "3", "19.99", "20", VatAmount=Decimal("999")),  # sent VAT is ignored
        line("Half a penny of VAT", "1", "0.125", "20"),
        line("Postage", "10", "1.50", "-1"),
        line("Insulation", "2.5", "10.01", "5"),
    )

    invoice = await kf.get_invoice(number)

    assert [ln.VatAmount for ln in invoice.Lines or []] == [
        Decimal("11.99"),  # 11.994
        Decimal("0.03"),  # 0.025: half-up, where banker's rounding would give 0.02
        Decimal("0.00"),  # exempt
        Decimal("1.25"),  # 1.25125
    ]
    assert invoice.NetAmount == Decimal("100.13")  # 59.97 + 0.13 + 15.00 + 25.03
    assert invoice.VATAmount == Decimal("13.27")


async def test_a_new_invoice_gets_line_ids_and_its_customers_name(kf: KashFlowClient):
    customer = await new_customer(kf, "Bright Sparks Ltd")
    number = await new_invoice(kf, customer, line("A", "1", "1", "0"), line("B", "1", "1", "0"))

    invoice = await kf.get_invoice(number)

    ids = [ln.LineID for ln in invoice.Lines or []]
    assert len(set(ids)) == 2 and all(ids)
    assert invoice.CustomerName == invoice.Customer == "Bright Sparks Ltd"
    assert invoice.CurrencyCode == "GBP" and invoice.ExchangeRate == 1


async def test_due_date_defaults_to_the_customers_payment_terms(kf: KashFlowClient):
    customer = await new_customer(kf, PaymentTerms=14)

    invoice = await kf.get_invoice(await new_invoice(kf, customer))

    assert invoice.DueDate == DAY + timedelta(days=14)


async def test_a_foreign_currency_invoice_takes_the_currencys_rate_by_default(kf: KashFlowClient):
    customer = await new_customer(kf)
    euro = next(c for c in await kf.get_currencies() if c.CurrencyCode == "EUR")

    invoice = await kf.get_invoice(await new_invoice(kf, customer, CurrencyCode="EUR"))

    assert invoice.CurrencyCode == "EUR"
    assert invoice.ExchangeRate == euro.ExchangeRate != 1


async def test_insert_invoice_line_appends_and_recomputes(kf: KashFlowClient):
    customer = await new_customer(kf)
    number = await new_invoice(kf, customer, line("First", "1", "100", "20"))
    await pay(kf, number, "120")
    dbid = (await kf.get_invoice(number)).InvoiceDBID
    assert dbid is not None

    line_id = await kf.insert_invoice_line(dbid, line("Second", "2", "10", "20"))

    invoice = await kf.get_invoice(number)
    assert [ln.LineID for ln in invoice.Lines or []][-1] == line_id
    assert (invoice.NetAmount, invoice.VATAmount) == (Decimal("120.00"), Decimal("24.00"))
    assert invoice.Paid == 0  # it was fully paid before the new line


# --------------------------------------------------------------------------- payments


async def test_payments_set_amount_paid_and_paid(kf: KashFlowClient):
    customer = await new_customer(kf)
    number = await new_invoice(kf, customer, line("Work", "1", "100", "20"))

    await pay(kf, number, "50")
    part = await kf.get_invoice(number)
    await pay(kf, number, "70")
    full = await kf.get_invoice(number)

    assert (part.AmountPaid, part.Paid) == (Decimal("50.00"), 0)
    assert (full.AmountPaid, full.Paid) == (Decimal("120.00"), 1)
    payments = await kf.get_invoice_payments(number)
    assert [(p.PayInvoice, p.PayAmount) for p in payments] == [
        (number, Decimal("50.00")),
        (number, Decimal("70.00")),
    ]
    assert len({p.PayID for p in payments}) == 2


async def test_paying_more_than_is_due_is_refused(kf: KashFlowClient):
    customer = await new_customer(kf)
    number = await new_invoice(kf, customer, line("Work", "1", "100", "20"))

    with pytest.raises(InvalidRequestError, match="must not exceed"):
        await pay(kf, number, "120.01")


async def test_customer_balance_is_paid_and_still_owed(kf: KashFlowClient):
    customer = await new_customer(kf, Code="BAL01")
    first = await new_invoice(kf, customer, line("Work", "1", "100", "20"))
    await new_invoice(kf, customer, line("More", "1", "50", "0"))
    await pay(kf, first, "20")

    balance = await kf.get_customer_balance("BAL01")

    assert (balance.CustomerId, balance.CustomerCode) == (customer, "BAL01")
    assert (balance.Value, balance.Balance) == (Decimal("20.00"), Decimal("150.00"))


# --------------------------------------------------------------------------- customers


async def test_deleting_a_customer_deletes_its_invoices_and_payments(kf: KashFlowClient):
    doomed, kept = await new_customer(kf, "Doomed Ltd"), await new_customer(kf, "Kept Ltd")
    gone = await new_invoice(kf, doomed)
    await pay(kf, gone, "10")
    stays = await new_invoice(kf, kept)

    await kf.delete_customer(doomed)

    with pytest.raises(NotFoundError):
        await kf.get_invoice(gone)
    with pytest.raises(NotFoundError):
        await kf.get_invoice_payments(gone)
    assert (await kf.get_invoice(stays)).CustomerID == kept
    assert [c.CustomerID for c in await kf.get_customers()] == [kept]


async def test_customer_codes_are_unique_whatever_their_case(kf: KashFlowClient):
    await new_customer(kf, Code="ACME")

    with pytest.raises(InvalidRequestError, match="already exists"):
        await new_customer(kf, "Another Acme", Code="acme")


async def test_a_blank_code_is_generated_from_the_name(kf: KashFlowClient):
    first = await kf.get_customer_by_id(await new_customer(kf, "Acme Widgets"))
    second = await kf.get_customer_by_id(await new_customer(kf, "Acme Widgets"))

    assert (first.Code, second.Code) == ("ACMEWI01", "ACMEWI02")


async def test_country_codes_are_stored_as_sent_greece_stays_el(kf: KashFlowClient):
    customer = await new_customer(kf, "Athens Ltd", CountryCode="EL", CountryName="Greece")

    assert (await kf.get_customer_by_id(customer)).CountryCode == "EL"


async def test_update_customer_overwrites_every_field_not_sent(kf: KashFlowClient):
    customer_id = await new_customer(
        kf, Code="OVR01", Telephone="0117 496 0000", Notes="VIP", PaymentTerms=30, EC=1
    )
    before = await kf.get_customer_by_id(customer_id)

    await kf.update_customer(Customer(CustomerID=customer_id, Name="Renamed Ltd"))

    after = await kf.get_customer_by_id(customer_id)
    assert after.Name == "Renamed Ltd"
    assert (after.Telephone, after.Notes, after.PaymentTerms, after.EC) == ("", "", 0, 0)
    assert (after.Code, after.Created) == ("OVR01", before.Created)  # ids and history survive
    assert after.Updated is not None


async def test_update_customer_refuses_another_customers_code(kf: KashFlowClient):
    await new_customer(kf, "One", Code="ONE")
    two = await new_customer(kf, "Two", Code="TWO")

    with pytest.raises(InvalidRequestError, match="already exists"):
        await kf.update_customer(Customer(CustomerID=two, Name="Two", Code="ONE"))


async def test_invoices_show_the_customers_current_name(kf: KashFlowClient):
    customer_id = await new_customer(kf, "Old Name Ltd")
    number = await new_invoice(kf, customer_id)

    await kf.update_customer(Customer(CustomerID=customer_id, Name="New Name Ltd"))

    assert (await kf.get_invoice(number)).CustomerName == "New Name Ltd"


@pytest.mark.parametrize(
    ("insert", "problem"),
    [
        ({"Name": ""}, "Name is required"),
        ({"Name": "X", "Discount": Decimal(101)}, "Discount"),
        ({"Name": "X", "EC": 2}, "EC must be 0 or 1"),
    ],
)
async def test_invalid_customers_are_refused(kf: KashFlowClient, insert, problem):
    with pytest.raises(InvalidRequestError, match=problem):
        await kf.insert_customer(Customer(**insert))


async def test_lookups_by_code_email_and_postcode(kf: KashFlowClient):
    first = await new_customer(
        kf, "Postal One", Code="PC1", Email="ap@one.example; boss@one.example", Postcode="BS1 4QA"
    )
    second = await new_customer(kf, "Postal Two", Postcode="bs14qa")

    assert (await kf.get_customer("pc1")).CustomerID == first
    assert (await kf.get_customer_by_email("BOSS@one.example")).CustomerID == first
    found = await kf.get_customers_by_postcode("BS1 4QA")
    assert [c.CustomerID for c in found] == [first, second]


# --------------------------------------------------------------------------- invoices


async def test_update_invoice_overwrites_header_and_lines_but_keeps_payments(kf: KashFlowClient):
    customer = await new_customer(kf)
    number = await new_invoice(
        kf, customer, line("Old", "1", "100", "20"), CustomerReference="PO-1"
    )
    await pay(kf, number, "60")
    old = await kf.get_invoice(number)
    kept_line = (old.Lines or [])[0].model_copy(update={"Rate": Decimal(50)})

    await kf.update_invoice(
        Invoice(InvoiceNumber=number, CustomerID=customer, InvoiceDate=DAY, Lines=[kept_line])
    )

    new = await kf.get_invoice(number)
    assert new.CustomerReference == ""
    assert [(ln.LineID, ln.Rate) for ln in new.Lines or []] == [(kept_line.LineID, Decimal(50))]
    assert (new.InvoiceDBID, new.AmountPaid, new.Paid) == (old.InvoiceDBID, Decimal("60.00"), 1)


async def test_an_edit_cannot_take_an_invoice_below_what_was_paid_on_it(kf: KashFlowClient):
    customer = await new_customer(kf)
    number = await new_invoice(kf, customer, line("Work", "1", "100", "20"))
    await pay(kf, number, "60")
    old = await kf.get_invoice(number)
    cheaper = (old.Lines or [])[0].model_copy(update={"Rate": Decimal(40)})

    with pytest.raises(
        InvalidRequestError, match=r"60\.00 paid against it; its lines cannot total"
    ):
        await kf.update_invoice(old.model_copy(update={"Lines": [cheaper]}))
    with pytest.raises(InvalidRequestError, match="cannot total less"):
        await kf.insert_invoice_line(old.InvoiceDBID or 0, line("Refund", "1", "-100", "20"))
    with pytest.raises(InvalidRequestError, match="currency cannot change"):
        await kf.update_invoice(old.model_copy(update={"CurrencyCode": "EUR"}))
    assert (await kf.get_invoice(number)).model_dump() == old.model_dump()


async def test_update_invoice_by_dbid_and_refuses_a_mismatched_pair(kf: KashFlowClient):
    customer = await new_customer(kf)
    first, second = await new_invoice(kf, customer), await new_invoice(kf, customer)
    dbid = (await kf.get_invoice(first)).InvoiceDBID

    await kf.update_invoice(
        Invoice(InvoiceDBID=dbid, CustomerID=customer, InvoiceDate=DAY, CustomerReference="R")
    )
    assert (await kf.get_invoice(first)).CustomerReference == "R"
    with pytest.raises(InvalidRequestError, match="same invoice"):
        await kf.update_invoice(
            Invoice(InvoiceDBID=dbid, InvoiceNumber=second, CustomerID=customer, InvoiceDate=DAY)
        )


@pytest.mark.parametrize(
    ("lines", "fields", "problem"),
    [
        ([line("", "1", "1", "20")], {}, "Description is required"),
        ([line("X", "1", "1", "21.5")], {}, None),
        ([line("X", "1", "1", "-2")], {}, "VatRate must be"),
        ([], {"InvoiceDate": None}, "InvoiceDate is required"),
        ([], {"CurrencyCode": "JPY"}, "CurrencyCode must be one of"),
    ],
)
async def test_invalid_invoices_are_refused(kf: KashFlowClient, lines, fields, problem):
    customer = await new_customer(kf)
    if problem is None:  # an unusual but valid rate is accepted
        assert await new_invoice(kf, customer, *lines, **fields) == 1
        return
    with pytest.raises(InvalidRequestError, match=problem):
        await new_invoice(kf, customer, *lines, **fields)


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        ("GetCustomerByID", {"CustomerID": 999}),
        ("GetCustomer", {"CustomerCode": "NOPE"}),
        ("GetCustomerByEmail", {"CustomerEmail": "nobody@nowhere.example"}),
        ("DeleteCustomer", {"CustomerID": 999}),
        ("UpdateCustomer", {"custr": {"CustomerID": 999, "Name": "Ghost"}}),
        ("GetCustomerBalance", {"CustomerCode": "NOPE"}),
        ("GetInvoicesForCustomer", {"CustID": 999}),
        ("GetInvoice", {"InvoiceNumber": 999}),
        ("GetInvoiceByID", {"InvoiceID": 999}),
        ("DeleteInvoice", {"InvoiceNumber": 999}),
        ("DeleteInvoiceByID", {"InvoiceID": 999}),
        ("UpdateInvoice", {"Inv": {"InvoiceNumber": 999, "CustomerID": 1}}),
        ("InsertInvoice", {"Inv": {"CustomerID": 999, "InvoiceDate": DAY}}),
        ("InsertInvoiceLine", {"InvoiceID": 999, "InvLine": {"Description": "X"}}),
        ("InsertInvoicePayment", {"InvoicePayment": {"PayInvoice": 999, "PayAmount": "1"}}),
        ("GetInvoicePayment", {"InvoiceNumber": 999}),
    ],
)
async def test_missing_records_are_status_no_saying_not_found(
    kf: KashFlowClient, operation, params
):
    with pytest.raises(NotFoundError, match=r"not found: (999|NOPE|nobody@nowhere\.example)$"):
        await kf.call(operation, params)


async def test_delete_invoice_by_id(kf: KashFlowClient):
    number = await new_invoice(kf, await new_customer(kf))
    dbid = (await kf.get_invoice(number)).InvoiceDBID
    assert dbid is not None

    await kf.delete_invoice_by_id(dbid)

    with pytest.raises(NotFoundError):
        await kf.get_invoice_by_id(dbid)


async def test_unpaid_overdue_recent_and_date_range_lists(kf: KashFlowClient):
    customer = await new_customer(kf, PaymentTerms=30)
    today = datetime.combine(date.today(), datetime.min.time())
    overdue = await new_invoice(kf, customer, InvoiceDate=today - timedelta(days=40))
    current = await new_invoice(kf, customer, InvoiceDate=today - timedelta(days=5))
    settled = await new_invoice(kf, customer, InvoiceDate=today - timedelta(days=60))
    await pay(kf, settled, "120")

    unpaid = [i.InvoiceNumber for i in await kf.get_unpaid_invoices()]
    late = [i.InvoiceNumber for i in await kf.get_overdue_invoices()]
    recent = [i.InvoiceNumber for i in await kf.get_recent_invoices(2)]
    start, end = (today - timedelta(days=60)).date(), (today - timedelta(days=40)).date()
    dated = [i.InvoiceNumber for i in await kf.get_invoices_by_date_range(start, end)]

    assert unpaid == [overdue, current]
    assert late == [overdue]
    assert recent == [settled, current]
    assert dated == [overdue, settled]  # both ends inclusive
    assert [i.InvoiceNumber for i in await kf.get_invoices_for_customer(customer)] == [1, 2, 3]
