"""EmailInvoice sends nothing: the sandbox keeps an outbox, readable at /_sandbox/outbox."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette

from .conftest import MakeApp
from .soap import KF, answer, call, local, post, status

pytestmark = pytest.mark.anyio
OUTBOX = "http://sandbox.test/_sandbox/outbox"


def email(number: str, recipient: str = "accounts@harbourside.example", **fields: str) -> str:
    """EmailInvoice laid out as the WSDL orders its parameters."""
    values = {
        "FromEmail": "studio@sandbox.example",
        "FromName": "Sandbox Studio",
        "SubjectLine": "Your invoice",
        "Body": "Please find your invoice attached.\nThank you!",
        **fields,
    }
    inner = f"<InvoiceNumber>{number}</InvoiceNumber>" + "".join(
        f"<{name}>{value}</{name}>" for name, value in values.items()
    )
    return call("EmailInvoice", inner + f"<RecipientEmail>{recipient}</RecipientEmail>")


async def first_invoice(http: httpx.AsyncClient, customer_id: str = "20001") -> str:
    inner = f"<CustID>{customer_id}</CustID>"
    response = await post(http, call("GetInvoicesForCustomer", inner), "GetInvoicesForCustomer")
    number = answer(response).findtext(
        f"{KF}GetInvoicesForCustomerResult/{KF}Invoice/{KF}InvoiceNumber"
    )
    assert number
    return number


async def test_email_invoice_answers_status_only_and_fills_the_outbox(
    demo_http: httpx.AsyncClient,
) -> None:
    number = await first_invoice(demo_http)
    assert (await demo_http.get(OUTBOX)).json() == []

    element = answer(await post(demo_http, email(number), "EmailInvoice"))
    outbox = (await demo_http.get(OUTBOX)).json()

    assert [local(child.tag) for child in element] == ["Status", "StatusDetail"]
    assert status(element) == ("OK", "")
    assert len(outbox) == 1
    message = outbox[0]
    assert message["invoice_number"] == int(number) and message["customer_id"] == 20001
    assert message["to"] == ["accounts@harbourside.example"]
    assert (message["from_email"], message["from_name"]) == (
        "studio@sandbox.example",
        "Sandbox Studio",
    )
    assert message["subject"] == "Your invoice"
    assert message["body"] == "Please find your invoice attached.\nThank you!"
    assert message["sent"].count("T") == 1


async def test_several_recipients_and_blanks_taken_from_the_books(
    demo_http: httpx.AsyncClient,
) -> None:
    number = await first_invoice(demo_http)
    customer = answer(
        await post(demo_http, call("GetCustomerByID", "<CustomerID>20001</CustomerID>"))
    ).findtext(f"{KF}GetCustomerByIDResult/{KF}Email")
    company = answer(await post(demo_http, call("GetCompanyDetails"), "GetCompanyDetails"))

    await post(demo_http, email(number, "a@x.example; b@y.example"), "EmailInvoice")
    await post(demo_http, email(number, "", FromEmail="", FromName=""), "EmailInvoice")
    several, defaulted = (await demo_http.get(OUTBOX)).json()

    assert several["to"] == ["a@x.example", "b@y.example"]
    assert customer and defaulted["to"] == [customer]
    assert defaulted["from_email"] == company.findtext(f".//{KF}PrimaryEmail") != ""
    assert defaulted["from_name"] == company.findtext(f".//{KF}CompanyName")


@pytest.mark.parametrize(
    ("number", "recipient", "detail"),
    [
        ("987654", "a@x.example", "Invoice not found: 987654"),
        (None, "not-an-address", "RecipientEmail not-an-address is not an email address"),
        (None, "a@x.example, b@", "RecipientEmail b@ is not an email address"),
    ],
    ids=["no-invoice", "not-an-address", "one-bad-of-two"],
)
async def test_a_refused_email_is_status_no_and_nothing_is_kept(
    demo_http: httpx.AsyncClient, number: str | None, recipient: str, detail: str
) -> None:
    number = number or await first_invoice(demo_http)

    element = answer(await post(demo_http, email(number, recipient), "EmailInvoice"))

    assert status(element) == ("NO", detail)
    assert (await demo_http.get(OUTBOX)).json() == []


async def test_a_customer_without_an_email_needs_a_recipient(empty_app: Starlette) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=empty_app)) as http:
        inner = "<custr><Code>NOMAIL</Code><Name>No Mail Ltd</Name></custr>"
        customer = answer(await post(http, call("InsertCustomer", inner), "InsertCustomer"))
        invoice = (
            f"<Inv><CustomerID>{customer.findtext(f'{KF}InsertCustomerResult')}</CustomerID>"
            "<InvoiceDate>2025-03-01T00:00:00</InvoiceDate></Inv>"
        )
        number = answer(await post(http, call("InsertInvoice", invoice), "InsertInvoice"))

        element = answer(
            await post(http, email(number.findtext(f"{KF}InsertInvoiceResult") or "", ""))
        )

    assert status(element) == (
        "NO",
        "RecipientEmail is required: customer NOMAIL has no email address",
    )


async def test_the_outbox_outlives_a_restart_and_can_be_emptied(make_app: MakeApp) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app())) as http:
        await post(http, email(await first_invoice(http)), "EmailInvoice")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app())) as http:
        kept = (await http.get(OUTBOX)).json()
        emptied = await http.delete(OUTBOX)
        after = (await http.get(OUTBOX)).json()

    assert len(kept) == 1 and emptied.status_code == 204 and after == []
