"""Editing invoices piece by piece: header updates keep the lines, lines removed one at a time,
and the ``_TypeDefined`` twins that carry typed lines and no delivery address."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from kashflow_mcp.kashflow import KashFlowClient, KashFlowRefused, NotFoundError
from kashflow_mcp.kashflow.wire.records import DeliveryAddress, Invoice

from .books import DAY, line, new_customer, new_invoice, pay

pytestmark = pytest.mark.anyio


async def two_line_invoice(kf: KashFlowClient) -> Invoice:
    customer = await new_customer(kf)
    number = await new_invoice(
        kf, customer, line("Design", "1", "100", "20"), line("Print", "2", "10", "0")
    )
    return await kf.invoices.get(number)


async def test_a_header_update_overwrites_the_header_and_keeps_the_lines(kf: KashFlowClient):
    old = await two_line_invoice(kf)
    header = {
        "InvoiceNumber": old.InvoiceNumber,
        "CustomerID": old.CustomerID,
        "InvoiceDate": datetime(2026, 2, 1),
        "CustomerReference": "PO-9",
        "Lines": [line("Sent but ignored", "1", "999", "20").wire()],
    }

    await kf.call("UpdateInvoiceHeader", {"Inv": header})

    new = await kf.invoices.get(old.InvoiceNumber or 0)
    assert (new.InvoiceDate, new.CustomerReference) == (datetime(2026, 2, 1), "PO-9")
    assert new.Lines == old.Lines
    assert (new.NetAmount, new.VATAmount) == (old.NetAmount, old.VATAmount)
    assert new.InvoiceDBID == old.InvoiceDBID


async def test_a_header_update_cannot_change_the_currency_once_paid(kf: KashFlowClient):
    old = await two_line_invoice(kf)
    await pay(kf, old.InvoiceNumber or 0, "10")
    header = {"InvoiceNumber": old.InvoiceNumber, "CustomerID": old.CustomerID}

    with pytest.raises(KashFlowRefused, match="currency cannot change"):
        await kf.call(
            "UpdateInvoiceHeader", {"Inv": {**header, "InvoiceDate": DAY, "CurrencyCode": "EUR"}}
        )


@pytest.mark.parametrize("by", ["number", "id"])
async def test_deleting_a_line_re_totals_the_invoice(kf: KashFlowClient, by: str):
    old = await two_line_invoice(kf)
    design, printing = old.Lines or []
    if by == "number":
        params = {"LineID": design.LineID, "InvoiceNumber": old.InvoiceNumber}
        answer = await kf.call("DeleteInvoiceLine", params)
    else:
        params = {"LineID": design.LineID, "InvoiceID": old.InvoiceDBID}
        answer = await kf.call("DeleteInvoiceLineWithInvoiceID", params)

    new = await kf.invoices.get(old.InvoiceNumber or 0)
    assert answer == 1
    assert [ln.LineID for ln in new.Lines or []] == [printing.LineID]
    assert (new.NetAmount, new.VATAmount) == (Decimal("20.00"), Decimal("0.00"))


async def test_a_line_of_another_invoice_is_not_deleted(kf: KashFlowClient):
    first, second = await two_line_invoice(kf), await two_line_invoice(kf)
    foreign = (second.Lines or [])[0].LineID

    with pytest.raises(KashFlowRefused, match=f"Line {foreign} not found on invoice"):
        await kf.call(
            "DeleteInvoiceLine", {"LineID": foreign, "InvoiceNumber": first.InvoiceNumber}
        )
    assert (await kf.invoices.get(second.InvoiceNumber or 0)).Lines == second.Lines


async def test_a_line_cannot_go_once_what_is_left_is_less_than_was_paid(kf: KashFlowClient):
    old = await two_line_invoice(kf)
    await pay(kf, old.InvoiceNumber or 0, "100")
    design = (old.Lines or [])[0]

    with pytest.raises(KashFlowRefused, match="cannot total less"):
        await kf.call(
            "DeleteInvoiceLine", {"LineID": design.LineID, "InvoiceNumber": old.InvoiceNumber}
        )


async def test_the_typed_twins_read_the_same_invoice_without_what_they_lack(kf: KashFlowClient):
    old = await two_line_invoice(kf)
    number = old.InvoiceNumber or 0

    typed = await kf.call("GetInvoice_TypeDefined", {"InvoiceNumber": number})
    listed = await kf.call("GetInvoicesForCustomer_typeDefined", {"CustID": old.CustomerID})
    recent = await kf.call("GetInvoices_Recent_TypeDefined", {"NumberOfInvoices": 1})
    unpaid = await kf.call("GetInvoices_Unpaid_TypeDefined")

    plain = old.model_dump()
    for dropped in ("PermaLink", "DeliveryAddress", "UseCustomDeliveryAddress"):
        assert dropped not in typed
        plain.pop(dropped)
    assert Invoice.model_validate(typed).model_dump(exclude_none=True) == {
        k: v for k, v in plain.items() if v is not None
    }
    assert [i["InvoiceNumber"] for i in listed] == [number]
    assert [i["InvoiceNumber"] for i in recent] == [number]
    assert number in [i["InvoiceNumber"] for i in unpaid]


async def test_the_typed_overdue_list_is_the_overdue_list(kf: KashFlowClient):
    customer = await new_customer(kf, PaymentTerms=1)
    overdue = await new_invoice(kf, customer, InvoiceDate=datetime(2020, 1, 1))

    typed = await kf.call("GetInvoices_Overdue_TypeDefined")

    assert [i["InvoiceNumber"] for i in typed] == [overdue]


async def test_a_typed_insert_numbers_and_totals_it_like_any_invoice(kf: KashFlowClient):
    customer = await new_customer(kf)
    typed = {"CustomerID": customer, "InvoiceDate": DAY, "Lines": [line("W", "2", "5", "20")]}

    number = await kf.call("InsertInvoice_TypeDefined", {"Inv_TD": typed})

    made = await kf.invoices.get(number)
    assert (made.NetAmount, made.VATAmount) == (Decimal("10.00"), Decimal("2.00"))


async def test_a_typed_update_keeps_the_delivery_address_it_cannot_carry(kf: KashFlowClient):
    customer = await new_customer(kf)
    address = DeliveryAddress(Name="Goods in", Line1="1 Quay Street")
    number = await new_invoice(kf, customer, DeliveryAddress=address, UseCustomDeliveryAddress=True)
    typed = await kf.call("GetInvoice_TypeDefined", {"InvoiceNumber": number})

    typed["CustomerReference"] = "Typed"
    typed["Lines"] = [line("Replaced", "1", "40", "20").wire()]
    await kf.call("UpdateInvoice_TypeDefined", {"InvTD": typed})

    new = await kf.invoices.get(number)
    assert new.CustomerReference == "Typed"
    assert [(ln.Description, ln.Rate) for ln in new.Lines or []] == [("Replaced", Decimal(40))]
    assert new.DeliveryAddress and new.DeliveryAddress.Name == "Goods in"
    assert new.UseCustomDeliveryAddress is True


async def test_a_typed_read_of_a_missing_invoice_is_not_found(kf: KashFlowClient):
    with pytest.raises(NotFoundError):
        await kf.call("GetInvoice_TypeDefined", {"InvoiceNumber": 424242})
