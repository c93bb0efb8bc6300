"""GetCustomersModifiedSince and SearchCustomerByCustText, as hand-written envelopes ask them."""

from __future__ import annotations

import httpx
import pytest

from kashflow_mcp.kashflow.wsdl_types import record_fields

from .soap import KF, answer, call, local, post, status

pytestmark = pytest.mark.anyio


async def _customer(http: httpx.AsyncClient, customer_id: str) -> dict[str, str]:
    response = await post(
        http, call("GetCustomerByID", f"<CustomerID>{customer_id}</CustomerID>"), "GetCustomerByID"
    )
    found = answer(response).find(f"{KF}GetCustomerByIDResult")
    assert found is not None
    return {local(child.tag): child.text or "" for child in found}


async def _insert(http: httpx.AsyncClient, name: str) -> str:
    inner = f"<custr><Name>{name}</Name><PaymentTerms>30</PaymentTerms></custr>"
    response = await post(http, call("InsertCustomer", inner), "InsertCustomer")
    return answer(response).findtext(f"{KF}InsertCustomerResult") or ""


async def _modified_since(http: httpx.AsyncClient, moment: str) -> list[str]:
    inner = f"<ModifiedSince>{moment}</ModifiedSince>"
    response = await post(
        http, call("GetCustomersModifiedSince", inner), "GetCustomersModifiedSince"
    )
    element = answer(response)
    assert status(element) == ("OK", "")
    customers = element.findall(f"{KF}GetCustomersModifiedSinceResult/{KF}Customer")
    for customer in customers:
        assert [local(child.tag) for child in customer] == [n for n, _ in record_fields("Customer")]
    return [customer.findtext(f"{KF}CustomerID") or "" for customer in customers]


async def test_customers_modified_since_a_moment_are_those_changed_then_or_later(
    demo_http: httpx.AsyncClient,
) -> None:
    new = await _insert(demo_http, "Fresh Paint Ltd")
    since = (await _customer(demo_http, new))["Updated"]
    every = await _modified_since(demo_http, "2000-01-01T00:00:00")

    assert await _modified_since(demo_http, since) == [new]  # from that second on, inclusive
    assert len(every) > 20 and new in every
    assert await _modified_since(demo_http, "2099-01-01T00:00:00") == []


async def test_an_update_counts_as_a_modification(demo_http: httpx.AsyncClient) -> None:
    before = await _modified_since(demo_http, "2099-01-01T00:00:00")
    harbourside = await _customer(demo_http, "20001")
    update = (
        "<custr><CustomerID>20001</CustomerID><Code>HARB01</Code>"
        f"<Name>{harbourside['Name']}</Name><PaymentTerms>14</PaymentTerms></custr>"
    )
    await post(demo_http, call("UpdateCustomer", update), "UpdateCustomer")
    since = (await _customer(demo_http, "20001"))["Updated"]

    assert before == []
    assert "20001" in await _modified_since(demo_http, since)


async def test_modified_since_is_required(demo_http: httpx.AsyncClient) -> None:
    response = await post(demo_http, call("GetCustomersModifiedSince"), "GetCustomersModifiedSince")

    assert status(answer(response)) == ("NO", "ModifiedSince is required")


async def _search(http: httpx.AsyncClient, text: str) -> tuple[tuple[str, str], str | None]:
    inner = f"<SearchVal>{text}</SearchVal>"
    response = await post(http, call("SearchCustomerByCustText", inner), "SearchCustomerByCustText")
    element = answer(response)
    assert [local(child.tag) for child in element][-2:] == ["Status", "StatusDetail"]
    return status(element), element.findtext(f"{KF}SearchCustomerByCustTextResult/{KF}Code")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("HARB01", "HARB01"),  # a code, exactly
        ("clif01", "CLIF01"),  # a code, in any case
        ("dental", "CLIF01"),  # text in a name, in any case
        ("Quay", "QUAY01"),  # the first whose code or name holds it
    ],
)
async def test_search_by_text_answers_one_customer_by_code_or_name(
    demo_http: httpx.AsyncClient, text: str, code: str
) -> None:
    assert await _search(demo_http, text) == (("OK", ""), code)


async def test_an_exact_code_wins_over_an_earlier_customer_holding_the_text(
    demo_http: httpx.AsyncClient,
) -> None:
    await _insert(demo_http, "Zed02 Holdings")  # earlier, and its name holds the text
    inner = "<custr><Code>ZED02</Code><Name>Zed Two</Name><PaymentTerms>30</PaymentTerms></custr>"
    await post(demo_http, call("InsertCustomer", inner), "InsertCustomer")

    assert await _search(demo_http, "zed02") == (("OK", ""), "ZED02")
    assert (await _search(demo_http, "Zed0"))[1] != "ZED02"  # no code is "Zed0": the first


@pytest.mark.parametrize(
    ("text", "detail"),
    [("Nobody Anywhere", "Customer not found: Nobody Anywhere"), ("", "SearchVal is required")],
    ids=["no-match", "blank"],
)
async def test_search_by_text_without_a_match_says_so(
    demo_http: httpx.AsyncClient, text: str, detail: str
) -> None:
    assert await _search(demo_http, text) == (("NO", detail), None)
