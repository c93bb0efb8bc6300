"""The sandbox routes and reads requests as KashFlow's ASMX service does: hand-written envelopes.

Routing: a SOAP 1.1 request is routed on its SOAPAction header, before its body is read; one
without the header is routed on its body's element (ASMX serves SOAP 1.1 and 1.2 at once, and
sends such a request down SOAP 1.2's routing). Reading: the first of a repeated single-valued
element wins, a repeated list replaces the one before, unknown elements and elements in
another namespace are skipped.
"""

from __future__ import annotations

import httpx
import pytest

from .soap import KF, SOAP11, SOAP12, URL, answer, call, envelope, post, status

pytestmark = pytest.mark.anyio
TEXT_XML = "text/xml; charset=utf-8"
ACTION_REQUIRED = (
    "Unable to handle request without a valid action parameter. Please supply a valid soap action."
)


async def send(http: httpx.AsyncClient, body: str, **headers: str) -> httpx.Response:
    headers.setdefault("Content-Type", TEXT_XML)
    return await http.post(URL, content=body.encode(), headers=headers)


def fault_of(response: httpx.Response, soap_ns: str = SOAP11) -> tuple[str, str]:
    """(faultcode, faultstring) of a SOAP fault answered with HTTP 500."""
    assert response.status_code == 500
    fault = answer(response, soap_ns)
    assert fault.tag == f"{{{soap_ns}}}Fault"
    if soap_ns == SOAP12:
        code = fault.findtext(f"{{{SOAP12}}}Code/{{{SOAP12}}}Value") or ""
        return code, fault.findtext(f"{{{SOAP12}}}Reason/{{{SOAP12}}}Text") or ""
    return fault.findtext("faultcode") or "", fault.findtext("faultstring") or ""


def soap12(body: str) -> str:
    return body.replace(SOAP11, SOAP12)


def customer_id_in(response: httpx.Response) -> str | None:
    return answer(response).findtext(f"{KF}GetCustomerByIDResult/{KF}CustomerID")


# --------------------------------------------------------------------------- routing


@pytest.mark.parametrize(
    "body",
    [call("GetCurrencies"), call("GetWidgets"), "<soap:Envelope><unclosed>"],
    ids=["valid-body", "unknown-body", "malformed-body"],
)
async def test_a_soapaction_naming_no_operation_gets_asmxs_fault_whatever_the_body(
    http: httpx.AsyncClient, body: str
) -> None:
    response = await send(http, body, SOAPAction='"KashFlow/GetWidgets"')

    assert fault_of(response) == (
        "soap:Client",
        "Server did not recognize the value of HTTP Header SOAPAction: KashFlow/GetWidgets.",
    )


async def test_an_empty_soapaction_is_a_value_naming_no_operation(http: httpx.AsyncClient):
    response = await send(http, call("GetCurrencies"), SOAPAction='""')

    assert fault_of(response) == (
        "soap:Client",
        "Server did not recognize the value of HTTP Header SOAPAction: .",
    )


async def test_a_soapaction_is_unquoted_and_url_decoded_as_asmx_does(demo_http: httpx.AsyncClient):
    response = await send(demo_http, call("GetCurrencies"), SOAPAction="KashFlow%2FGetCurrencies")

    assert response.status_code == 200
    assert status(answer(response)) == ("OK", "")


async def test_without_a_soapaction_a_request_is_routed_on_its_body(demo_http: httpx.AsyncClient):
    response = await send(demo_http, call("GetCustomerByID", "<CustomerID>20001</CustomerID>"))

    assert response.status_code == 200
    assert response.headers["content-type"] == TEXT_XML  # answered as the SOAP 1.1 it is
    assert customer_id_in(response) == "20001"


@pytest.mark.parametrize(
    "body",
    [
        call("GetWidgets"),
        call("GetCurrencies").replace('xmlns="KashFlow"', 'xmlns="http://tempuri.org/"'),
    ],
    ids=["unknown-operation", "other-namespace"],
)
async def test_without_any_action_a_body_naming_no_operation_gets_asmxs_fault(
    http: httpx.AsyncClient, body: str
) -> None:
    assert fault_of(await send(http, body)) == ("soap:Client", ACTION_REQUIRED)
    twelve = await send(http, soap12(body), **{"Content-Type": "application/soap+xml"})
    assert fault_of(twelve, SOAP12) == ("soap:Sender", ACTION_REQUIRED)


async def test_a_soap12_action_naming_no_operation_falls_back_on_the_body(
    demo_http: httpx.AsyncClient,
) -> None:
    content_type = 'application/soap+xml; charset=utf-8; action="KashFlow/GetWidgets"'
    routed = await send(demo_http, soap12(call("GetCurrencies")), **{"Content-Type": content_type})
    unroutable = await send(demo_http, soap12(call("GetGadgets")), **{"Content-Type": content_type})

    assert routed.status_code == 200 and status(answer(routed, SOAP12)) == ("OK", "")
    assert fault_of(unroutable, SOAP12) == (
        "soap:Sender",
        "Unable to handle request. The action 'KashFlow/GetWidgets' was not recognized.",
    )


async def test_a_body_made_for_another_operation_than_routed_to_is_a_fault(
    http: httpx.AsyncClient,
) -> None:
    """Stricter than ASMX on purpose: it would read none of the parameters and act on none."""
    other = await send(http, call("GetCurrencies"), SOAPAction='"KashFlow/DeleteCustomer"')
    unknown = await send(http, call("GetWidgets"), SOAPAction='"KashFlow/GetCurrencies"')
    foreign = call("GetCurrencies").replace('xmlns="KashFlow"', 'xmlns="http://tempuri.org/"')
    outside = await send(http, foreign, SOAPAction='"KashFlow/GetCurrencies"')

    assert fault_of(other) == (
        "soap:Client",
        "SOAPAction KashFlow/DeleteCustomer does not match the operation in the body "
        "(GetCurrencies)",
    )
    assert "does not match the operation in the body (GetWidgets)" in fault_of(unknown)[1]
    assert fault_of(outside)[1] == "the request element is not in the KashFlow namespace"


# --------------------------------------------------------------------------- reading


async def test_a_parameter_given_twice_is_read_once_the_first_wins(demo_http: httpx.AsyncClient):
    twice = "<CustomerID>20002</CustomerID><CustomerID>20001</CustomerID>"

    response = await post(demo_http, call("GetCustomerByID", twice), "GetCustomerByID")

    assert status(answer(response)) == ("OK", "")
    assert customer_id_in(response) == "20002"


@pytest.mark.parametrize(
    ("names", "expected"),
    [(("sandbox", "guess"), ("OK", "")), (("guess", "sandbox"), ("NO", "Incorrect"))],
    ids=["right-first", "wrong-first"],
)
async def test_credentials_given_twice_are_read_once_the_first_wins(
    demo_http: httpx.AsyncClient, names: tuple[str, str], expected: tuple[str, str]
) -> None:
    first, second = names
    body = envelope(
        f'<GetCurrencies xmlns="KashFlow"><UserName>sandbox</UserName><Password>{first}'
        f"</Password><Password>{second}</Password></GetCurrencies>"
    )

    code, detail = status(answer(await post(demo_http, body, "GetCurrencies")))

    assert (code, detail[: len(expected[1])]) == expected


async def test_unknown_elements_are_skipped_not_refused(demo_http: httpx.AsyncClient):
    inner = "<Verbose>true</Verbose><CustomerID>20001</CustomerID><Debug><On>1</On></Debug>"

    response = await post(demo_http, call("GetCustomerByID", inner), "GetCustomerByID")

    assert customer_id_in(response) == "20001"


async def test_a_parameter_in_another_namespace_is_not_that_parameter(
    demo_http: httpx.AsyncClient,
) -> None:
    inner = '<CustomerID xmlns="http://tempuri.org/">20001</CustomerID>'

    response = await post(demo_http, call("GetCustomerByID", inner), "GetCustomerByID")

    code, detail = status(answer(response))
    assert code == "NO" and "not found" in detail
    assert customer_id_in(response) is None


INSERT_CUSTOMER = (
    "<custr><Name>First Name Ltd</Name><Name>Second Name Ltd</Name>"
    "<Nickname>Firsty</Nickname><Code>TWICE01</Code>"
    '<Notes xmlns="http://tempuri.org/">not a note</Notes><PaymentTerms>14</PaymentTerms></custr>'
)


async def test_inside_a_record_the_first_field_wins_and_strangers_are_skipped(
    http: httpx.AsyncClient,
) -> None:
    inserted = answer(await post(http, call("InsertCustomer", INSERT_CUSTOMER), "InsertCustomer"))
    customer_id = inserted.findtext(f"{KF}InsertCustomerResult")

    got = answer(
        await post(
            http,
            call("GetCustomerByID", f"<CustomerID>{customer_id}</CustomerID>"),
            "GetCustomerByID",
        )
    ).find(f"{KF}GetCustomerByIDResult")

    assert status(inserted) == ("OK", "")
    assert got is not None
    assert got.findtext(f"{KF}Name") == "First Name Ltd"
    assert got.findtext(f"{KF}Notes") == ""
    assert got.findtext(f"{KF}PaymentTerms") == "14"


def _line(description: str) -> str:
    return (
        f'<anyType xsi:type="InvoiceLine"><Quantity>1</Quantity><Description>{description}'
        "</Description><Rate>10</Rate><VatRate>20</VatRate></anyType>"
    )


async def test_a_list_given_twice_is_the_last_one_and_strangers_in_it_are_skipped(
    demo_http: httpx.AsyncClient,
) -> None:
    invoice = (
        "<Inv><CustomerID>20001</CustomerID><InvoiceDate>2025-03-01T00:00:00</InvoiceDate>"
        f"<Lines>{_line('Dropped')}</Lines>"
        f"<Lines>{_line('Kept')}<Line>not an item</Line>{_line('Also kept')}</Lines></Inv>"
    )
    inserted = answer(await post(demo_http, call("InsertInvoice", invoice), "InsertInvoice"))
    number = inserted.findtext(f"{KF}InsertInvoiceResult")

    got = answer(
        await post(demo_http, call("GetInvoice", f"<InvoiceNumber>{number}</InvoiceNumber>"))
    )

    assert status(inserted) == ("OK", "")
    descriptions = [d.text for d in got.iter(f"{KF}Description")]
    assert descriptions == ["Kept", "Also kept"]
