"""The sandbox speaks KashFlow's SOAP: hand-written envelopes in, raw XML elements checked out."""

from __future__ import annotations

import httpx
import pytest

from kashflow_mcp.kashflow import OPERATIONS, AuthenticationError, KashFlowRefused
from kashflow_mcp.kashflow.wsdl_types import record_fields
from kashflow_mcp.sandbox.app import MAX_BODY
from kashflow_mcp.sandbox.dispatch import HANDLERS

from .conftest import client_for
from .soap import KF, SOAP11, SOAP12, URL, answer, call, envelope, local, post, status

pytestmark = pytest.mark.anyio

GET_CUSTOMER_BY_ID = """<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Body>
    <GetCustomerByID xmlns="KashFlow">
      <UserName>sandbox</UserName>
      <Password>sandbox</Password>
      <CustomerID>20001</CustomerID>
    </GetCustomerByID>
  </soap:Body>
</soap:Envelope>
"""  # noqa: E501 - laid out exactly as KashFlow's documentation shows it

INSERT_CUSTOMER = call(
    "InsertCustomer",
    "<custr><CustomerID>0</CustomerID><Code>ZEUS01</Code><Name>Zeus Marble Works</Name>"
    "<CountryName>Greece</CountryName><CountryCode>EL</CountryCode>"
    "<EC>1</EC><OutsideEC>0</OutsideEC><Source>0</Source><Discount>0</Discount>"
    "<ShowDiscount>false</ShowDiscount><PaymentTerms>30</PaymentTerms></custr>",
)

INSERT_INVOICE = call(
    "InsertInvoice",
    """<Inv>
        <InvoiceDBID>0</InvoiceDBID>
        <InvoiceNumber>0</InvoiceNumber>
        <InvoiceDate>2025-03-01T00:00:00</InvoiceDate>
        <DueDate>2025-03-31T00:00:00</DueDate>
        <CustomerID>{customer_id}</CustomerID>
        <Paid>0</Paid>
        <CustomerReference>PO-77</CustomerReference>
        <SuppressTotal>0</SuppressTotal>
        <ProjectID>0</ProjectID>
        <CurrencyCode>GBP</CurrencyCode>
        <ExchangeRate>1</ExchangeRate>
        <Lines>
          <anyType xsi:type="InvoiceLine">
            <Quantity>1</Quantity>
            <Description>Description here</Description>
            <Rate>99</Rate>
            <ChargeType>0</ChargeType>
            <VatRate>20</VatRate>
            <VatAmount>0</VatAmount>
            <ProductID>0</ProductID>
            <LineID>0</LineID>
          </anyType>
        </Lines>
        <NetAmount>0</NetAmount>
        <VATAmount>0</VATAmount>
        <AmountPaid>0</AmountPaid>
        <UseCustomDeliveryAddress>false</UseCustomDeliveryAddress>
      </Inv>""",
)


async def _insert_customer(http: httpx.AsyncClient) -> int:
    response = await post(http, INSERT_CUSTOMER, "InsertCustomer")
    return int(answer(response).findtext(f"{KF}InsertCustomerResult") or 0)


async def test_get_customer_by_id_answers_the_documented_envelope(demo_http: httpx.AsyncClient):
    response = await post(demo_http, GET_CUSTOMER_BY_ID, "GetCustomerByID")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    element = answer(response)
    assert element.tag == f"{KF}GetCustomerByIDResponse"
    assert [local(child.tag) for child in element] == [
        "GetCustomerByIDResult",
        "Status",
        "StatusDetail",
    ]
    assert status(element) == ("OK", "")
    customer = element.find(f"{KF}GetCustomerByIDResult")
    assert customer is not None
    assert customer.findtext(f"{KF}CustomerID") == "20001"
    assert customer.findtext(f"{KF}Name") == "Harbourside Coffee Co"


async def test_a_customer_comes_back_with_every_field_in_wsdl_order(demo_http: httpx.AsyncClient):
    response = await post(demo_http, GET_CUSTOMER_BY_ID, "GetCustomerByID")

    customer = answer(response).find(f"{KF}GetCustomerByIDResult")
    assert customer is not None
    assert [local(child.tag) for child in customer] == [n for n, _ in record_fields("Customer")]
    assert customer.findtext(f"{KF}ShowDiscount") in ("true", "false")
    assert customer.findtext(f"{KF}Created", "").count("T") == 1


async def test_insert_invoice_with_anytype_lines_as_documented(http: httpx.AsyncClient):
    customer_id = await _insert_customer(http)

    response = await post(http, INSERT_INVOICE.format(customer_id=customer_id), "InsertInvoice")

    element = answer(response)
    assert status(element) == ("OK", "")
    assert element.findtext(f"{KF}InsertInvoiceResult") == "1"


async def test_an_invoice_goes_out_with_typed_lines_and_computed_fields(http: httpx.AsyncClient):
    customer_id = await _insert_customer(http)
    await post(http, INSERT_INVOICE.format(customer_id=customer_id), "InsertInvoice")

    response = await post(http, call("GetInvoice", "<InvoiceNumber>1</InvoiceNumber>"))

    invoice = answer(response).find(f"{KF}GetInvoiceResult")
    assert invoice is not None
    assert [local(child.tag) for child in invoice] == [n for n, _ in record_fields("Invoice")]
    assert invoice.findtext(f"{KF}CustomerName") == "Zeus Marble Works"
    assert invoice.findtext(f"{KF}Customer") == "Zeus Marble Works"
    assert invoice.findtext(f"{KF}NetAmount") == "99.00"
    assert invoice.findtext(f"{KF}VATAmount") == "19.80"
    assert invoice.findtext(f"{KF}AmountPaid") == "0.00"
    assert invoice.findtext(f"{KF}Paid") == "0"
    assert invoice.findtext(f"{KF}CurrencyCode") == "GBP"
    assert invoice.findtext(f"{KF}PermaLink", "").startswith("https://")
    lines = invoice.findall(f"{KF}Lines/{KF}anyType")
    assert len(lines) == 1
    assert lines[0].get("{http://www.w3.org/2001/XMLSchema-instance}type") == "InvoiceLine"
    assert lines[0].findtext(f"{KF}VatAmount") == "19.80"
    assert int(lines[0].findtext(f"{KF}LineID") or 0) > 0


async def test_greece_stays_el_on_the_wire(http: httpx.AsyncClient):
    customer_id = await _insert_customer(http)

    response = await post(http, call("GetCustomerByID", f"<CustomerID>{customer_id}</CustomerID>"))

    assert "<CountryCode>EL</CountryCode>" in response.text


async def test_a_line_without_xsi_type_is_refused(http: httpx.AsyncClient):
    customer_id = await _insert_customer(http)
    untyped = INSERT_INVOICE.format(customer_id=customer_id).replace(
        '<anyType xsi:type="InvoiceLine">', "<anyType>"
    )

    element = answer(await post(http, untyped, "InsertInvoice"))

    code, detail = status(element)
    assert code == "NO"
    assert 'xsi:type="InvoiceLine"' in detail


async def test_a_prefixed_xsi_type_is_read_as_the_type_it_names(http: httpx.AsyncClient):
    customer_id = await _insert_customer(http)
    prefixed = INSERT_INVOICE.format(customer_id=customer_id).replace(
        '<anyType xsi:type="InvoiceLine">',
        '<anyType xmlns:ns0="KashFlow" xsi:type="ns0:InvoiceLine">',
    )

    element = answer(await post(http, prefixed, "InsertInvoice"))

    assert status(element) == ("OK", "")


async def test_soap12_is_answered_in_soap12(demo_http: httpx.AsyncClient):
    body = (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<soap12:Envelope xmlns:soap12="{SOAP12}"><soap12:Body>'
        '<GetCurrencies xmlns="KashFlow"><UserName>sandbox</UserName>'
        "<Password>sandbox</Password></GetCurrencies>"
        "</soap12:Body></soap12:Envelope>"
    )
    headers = {
        "Content-Type": 'application/soap+xml; charset=utf-8; action="KashFlow/GetCurrencies"'
    }

    response = await demo_http.post(URL, content=body.encode(), headers=headers)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/soap+xml")
    element = answer(response, SOAP12)
    assert status(element) == ("OK", "")
    codes = [c.findtext(f"{KF}CurrencyCode") for c in element.iter(f"{KF}Currencies")]
    assert codes == ["GBP", "EUR", "USD"]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("<soap:Envelope><unclosed>", "well-formed"),
        (
            call("GetCurrencies").replace('xmlns="KashFlow"', 'xmlns="http://tempuri.org/"'),
            "namespace",
        ),
        ("<Envelope><Body/></Envelope>", "not a SOAP envelope"),
        (envelope(""), "empty SOAP body"),
    ],
    ids=["malformed", "wrong-namespace", "not-soap", "empty-body"],
)
async def test_malformed_requests_get_a_client_fault(
    http: httpx.AsyncClient, body: str, words: str
):
    response = await post(http, body, "GetCurrencies")

    assert response.status_code == 500
    fault = answer(response)
    assert fault.tag == f"{{{SOAP11}}}Fault"
    assert fault.findtext("faultcode") == "soap:Client"
    assert words in (fault.findtext("faultstring") or "")


async def test_an_entity_bomb_is_a_fault_not_a_crash(http: httpx.AsyncClient):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        + call("GetCustomers").split("?>", 1)[1].replace("<UserName>", "<UserName>&lol2;")
    )

    response = await post(http, bomb)

    assert response.status_code == 500
    assert "forbidden" in (answer(response).findtext("faultstring") or "")
    # and the sandbox keeps serving
    assert (await post(http, call("GetCustomers"))).status_code == 200


async def test_absurdly_deep_xml_is_a_fault_not_a_crash(http: httpx.AsyncClient):
    deep = "<a>" * 5000 + "x" + "</a>" * 5000
    body = call("InsertInvoice", f"<Inv><Lines><anyType>{deep}</anyType></Lines></Inv>")

    response = await post(http, body)

    assert response.status_code == 500
    assert answer(response).findtext("faultcode") == "soap:Client"


async def test_a_soapaction_naming_another_operation_is_a_fault(http: httpx.AsyncClient):
    response = await post(http, call("GetCustomers"), "DeleteCustomer")

    assert response.status_code == 500
    assert "does not match" in (answer(response).findtext("faultstring") or "")


async def test_a_malformed_soap12_request_gets_a_soap12_fault(http: httpx.AsyncClient):
    headers = {"Content-Type": "application/soap+xml; charset=utf-8"}

    response = await http.post(URL, content=b"<not xml", headers=headers)

    assert response.status_code == 500
    fault = answer(response, SOAP12)
    assert fault.findtext(f"{{{SOAP12}}}Code/{{{SOAP12}}}Value") == "soap:Sender"


async def test_wrong_credentials_are_status_no_not_a_fault(demo_http: httpx.AsyncClient):
    response = await post(demo_http, call("GetCustomers", password="guess"), "GetCustomers")

    assert response.status_code == 200
    element = answer(response)
    assert status(element) == ("NO", "Incorrect username or password")
    assert element.find(f"{KF}GetCustomersResult") is None


async def test_wrong_credentials_reach_the_client_as_an_authentication_error(demo_app):
    async with client_for(demo_app, password="wrong") as client:
        with pytest.raises(AuthenticationError):
            await client.customers.all()


async def test_a_catalogue_operation_the_sandbox_lacks_says_so(demo_app):
    async with client_for(demo_app) as client:
        with pytest.raises(KashFlowRefused) as refused:
            await client.call("GetSuppliers")

    assert "sandbox does not offer GetSuppliers" in refused.value.detail


def test_every_handler_is_a_catalogue_operation_and_the_required_ones_exist():
    required = {
        "GetCustomers", "GetCustomer", "GetCustomerByID", "GetCustomerByEmail", "InsertCustomer",
        "UpdateCustomer", "DeleteCustomer", "GetInvoicesForCustomer", "GetInvoice",
        "GetInvoiceByID", "InsertInvoice", "UpdateInvoice", "DeleteInvoice", "GetCurrencies",
        "GetVATRates", "GetCustomerSources", "GetProjects", "GetNominalCodes",
        "GetCustomersByPostcode", "GetCustomerBalance", "InsertInvoiceLine", "DeleteInvoiceByID",
        "GetInvoicesByDateRange", "GetInvoices_Unpaid", "GetInvoices_Overdue",
        "GetInvoices_Recent", "InsertInvoicePayment", "GetInvoicePayment", "GetCompanyDetails",
        "DeleteInvoicePayment", "GetInvoicePaymentsByDateRange",
        "GetInvoicePaymentsCountforDateRange", "GetInvPayMethods", "GetBankAccounts",
    }  # fmt: skip
    assert set(HANDLERS) <= set(OPERATIONS)
    assert required <= set(HANDLERS)


async def test_a_body_over_the_size_cap_is_refused_with_413(http: httpx.AsyncClient):
    response = await post(http, b"<" + b"x" * MAX_BODY)

    assert response.status_code == 413


async def test_a_non_soap_content_type_is_refused_with_415(http: httpx.AsyncClient):
    response = await http.post(URL, content=b"{}", headers={"Content-Type": "application/json"})

    assert response.status_code == 415


async def test_get_on_the_endpoint_describes_it(http: httpx.AsyncClient):
    response = await http.get(URL)

    assert response.status_code == 200
    assert "KashFlow sandbox" in response.text
