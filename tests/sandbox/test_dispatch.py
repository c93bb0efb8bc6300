"""Dispatch: a handler names its operation, the catalogue names its outputs, writes are atomic."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from kashflow_mcp.kashflow import OPERATIONS, InvalidRequestError, KashFlowClient
from kashflow_mcp.kashflow.wire.records import Customer, Invoice, InvoiceLine
from kashflow_mcp.sandbox.dispatch import HANDLERS, outputs, serves

from .soap import KF, answer, call, local, post, status

pytestmark = pytest.mark.anyio


def test_a_handler_for_an_operation_outside_the_catalogue_is_refused():
    with pytest.raises(ValueError, match="GetWidgets is not an operation of the KashFlow"):
        serves("GetWidgets")


def test_an_operation_has_one_handler():
    with pytest.raises(ValueError, match="GetCustomer is already served by get_customer"):
        serves("GetCustomer")(lambda books, params: None)

    assert HANDLERS["GetCustomer"].__name__ == "get_customer"


def test_the_result_of_a_one_output_operation_goes_under_its_catalogue_name():
    balance = {"CustomerId": 1, "Value": "0", "Balance": "0"}

    assert outputs(OPERATIONS["GetCustomerBalance"], balance) == {
        "GetCustomerBalanceResult": balance
    }
    assert outputs(OPERATIONS["InsertInvoice"], 7) == {"InsertInvoiceResult": 7}


def test_an_operation_with_several_outputs_takes_them_by_name():
    paging = OPERATIONS["GetReceiptsWithPaging"]
    given = {"GetReceiptsWithPagingResult": [], "TotalPages": 0, "TotalRecords": 0}

    assert outputs(paging, given) == given
    with pytest.raises(TypeError, match="PageCount"):
        outputs(paging, {"PageCount": 1})
    with pytest.raises(TypeError, match="list"):
        outputs(paging, [])


def test_an_operation_without_outputs_answers_nothing():
    assert outputs(OPERATIONS["UpdateInvoice"], None) == {}
    with pytest.raises(TypeError, match="nothing"):
        outputs(OPERATIONS["UpdateInvoice"], 1)


async def test_several_outputs_go_out_in_the_operations_order(
    http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
):
    def receipts(books: Any, params: Any) -> dict[str, Any]:
        return {"TotalRecords": 0, "PageNumber": params["Page"], "TotalPages": 0}

    monkeypatch.setitem(HANDLERS, "GetReceiptsWithPaging", receipts)

    inner = "<Page>3</Page><PerPage>10</PerPage><FilterBy></FilterBy>"
    element = answer(await post(http, call("GetReceiptsWithPaging", inner)))

    assert status(element) == ("OK", "")
    assert [local(child.tag) for child in element] == [
        "Status",
        "StatusDetail",
        "PageNumber",
        "TotalPages",
        "TotalRecords",
    ]
    assert element.findtext(f"{KF}PageNumber") == "3"


async def test_a_refused_write_leaves_nothing_behind(kf: KashFlowClient):
    customer = await kf.customers.insert(Customer(Name="Atomic Ltd"))
    good = InvoiceLine(Description="Good", Quantity=Decimal(1), Rate=Decimal(10))
    bad = InvoiceLine(Description="", Quantity=Decimal(1), Rate=Decimal(10))
    day = datetime(2025, 4, 1)

    with pytest.raises(InvalidRequestError, match="Description is required"):
        await kf.invoices.insert(Invoice(CustomerID=customer, InvoiceDate=day, Lines=[good, bad]))
    number = await kf.invoices.insert(Invoice(CustomerID=customer, InvoiceDate=day, Lines=[good]))

    invoice = await kf.invoices.get(number)  # numbers and ids the refused one took are unused
    assert (number, invoice.InvoiceDBID) == (1, 350001)
    assert [ln.LineID for ln in invoice.Lines or []] == [7000001]
