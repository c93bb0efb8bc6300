"""The SOAP codec: what goes on the wire, and what comes back, exactly."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kashflow_mcp.kashflow import OPERATIONS, ProtocolError, RequestEncodingError
from kashflow_mcp.kashflow.codec import (
    SoapFault,
    decode_request,
    decode_response,
    encode_fault,
    encode_request,
    encode_response,
)
from kashflow_mcp.kashflow.wire.records import Customer, Invoice, InvoiceLine

NS = {"s": "http://schemas.xmlsoap.org/soap/envelope/", "k": "KashFlow"}
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


def body_of(envelope: bytes) -> ET.Element:
    return ET.fromstring(envelope).find("s:Body", NS)[0]  # type: ignore[index]


def test_request_carries_credentials_first_then_params_in_wsdl_order() -> None:
    envelope = encode_request(
        OPERATIONS["SetCustomerVATNumber"],
        {"CustomerCode": "ACME", "CustVATNumber": "GB123"},
        username="me",
        password="pw",
    )
    operation = body_of(envelope)
    assert operation.tag == "{KashFlow}SetCustomerVATNumber"
    assert [child.tag.split("}")[1] for child in operation] == [
        "UserName",
        "Password",
        "CustVATNumber",
        "CustomerCode",
    ]


def test_invoice_lines_travel_as_anytype_with_xsi_type() -> None:
    invoice = Invoice(CustomerID=3, Lines=[InvoiceLine(Description="Work", Rate=Decimal("10"))])
    operation = body_of(encode_request(OPERATIONS["InsertInvoice"], {"Inv": invoice.wire()}))
    line = operation.find("k:Inv/k:Lines/k:anyType", NS)
    assert line is not None and line.get(XSI_TYPE) == "InvoiceLine"


def test_money_keeps_every_digit_and_never_uses_an_exponent() -> None:
    amount = Decimal("123456789012.10")
    envelope = encode_request(
        OPERATIONS["InsertInvoiceLine"], {"InvoiceID": 1, "InvLine": {"Rate": amount}}
    )
    assert b"<Rate>123456789012.10</Rate>" in envelope
    assert b"<Rate>1E" not in envelope
    small = encode_request(OPERATIONS["InsertInvoiceLine"], {"InvLine": {"Rate": Decimal("1E-2")}})
    assert b"<Rate>0.01</Rate>" in small


def test_floats_are_refused_for_money() -> None:
    with pytest.raises(RequestEncodingError, match=r"InvLine\.Rate"):
        encode_request(OPERATIONS["InsertInvoiceLine"], {"InvLine": {"Rate": 0.1}})


def test_dates_are_sent_as_midnight_without_zone() -> None:
    envelope = encode_request(
        OPERATIONS["GetInvoicesByDateRange"],
        {"StartDate": date(2026, 1, 31), "EndDate": "2026-02-28"},
    )
    assert b"<StartDate>2026-01-31T00:00:00</StartDate>" in envelope
    assert b"<EndDate>2026-02-28T00:00:00</EndDate>" in envelope


def test_booleans_and_zero_one_ints_keep_their_wire_types() -> None:
    customer = Customer(Name="A", EC=1, ShowDiscount=True)
    envelope = encode_request(OPERATIONS["InsertCustomer"], {"custr": customer.wire()})
    assert b"<EC>1</EC>" in envelope and b"<ShowDiscount>true</ShowDiscount>" in envelope


def test_unset_fields_are_not_sent() -> None:
    envelope = encode_request(OPERATIONS["InsertCustomer"], {"custr": Customer(Name="A").wire()})
    assert b"<Telephone" not in envelope and b"<EC>" not in envelope


def test_text_is_escaped() -> None:
    envelope = encode_request(OPERATIONS["GetCustomer"], {"CustomerCode": "A&B <x>"})
    assert b"A&amp;B &lt;x&gt;" in envelope
    assert decode_request(envelope).params["CustomerCode"] == "A&B <x>"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"Nope": 1}, "Nope"),
        ({"custr": {"Nmae": "typo"}}, "custr.Nmae"),
        ({"custr": {"Name": "bell\x07"}}, "custr.Name"),
        ({"custr": {"EC": "yes"}}, "custr.EC"),
        ({"custr": {"Created": "31/01/2026"}}, "custr.Created"),
    ],
)
def test_bad_values_are_refused_naming_the_field(params: dict, field: str) -> None:
    with pytest.raises(RequestEncodingError) as caught:
        encode_request(OPERATIONS["InsertCustomer"], params)
    assert caught.value.field == field


def test_response_decodes_to_typed_values() -> None:
    op = OPERATIONS["GetInvoice"]
    envelope = encode_response(
        op,
        {
            "GetInvoiceResult": {
                "InvoiceNumber": 7,
                "InvoiceDate": datetime(2026, 3, 1),
                "NetAmount": Decimal("100.10"),
                "UseCustomDeliveryAddress": False,
                "Lines": [{"Description": "x", "Quantity": Decimal("2"), "LineID": 4}],
            }
        },
    )
    decoded = decode_response(op, envelope)
    assert not isinstance(decoded, SoapFault) and decoded.ok
    invoice = decoded.outputs["GetInvoiceResult"]
    assert invoice["InvoiceNumber"] == 7
    assert invoice["InvoiceDate"] == datetime(2026, 3, 1)
    assert invoice["NetAmount"] == Decimal("100.10")
    assert invoice["UseCustomDeliveryAddress"] is False
    assert invoice["Lines"] == [{"Description": "x", "Quantity": Decimal("2"), "LineID": 4}]


def test_status_no_keeps_the_reason() -> None:
    op = OPERATIONS["GetCustomerByID"]
    decoded = decode_response(op, encode_response(op, {}, status="NO", detail="Customer not found"))
    assert not isinstance(decoded, SoapFault)
    assert (decoded.status, decoded.detail) == ("NO", "Customer not found")


def test_faults_are_recognised() -> None:
    decoded = decode_response(OPERATIONS["GetCustomers"], encode_fault("Bad request"))
    assert decoded == SoapFault("Bad request")


def test_paging_outputs_come_back_beside_the_result() -> None:
    op = OPERATIONS["GetReceiptsWithPaging"]
    envelope = encode_response(
        op, {"GetReceiptsWithPagingResult": [], "PageNumber": 2, "TotalPages": 5}
    )
    decoded = decode_response(op, envelope)
    assert not isinstance(decoded, SoapFault)
    assert decoded.outputs["PageNumber"] == 2 and decoded.outputs["TotalPages"] == 5


HOSTILE = {
    "billion laughs": b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><soap:Envelope '
    b'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>&b;</soap:Body>'
    b"</soap:Envelope>",
    "external entity": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM '
    b'"file:///etc/passwd">]><x>&e;</x>',
    "not xml": b"<html><body>Service unavailable",
    "not soap": b"<Envelope><Body/></Envelope>",
    "empty body": b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
    b"<soap:Body/></soap:Envelope>",
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_or_foreign_responses_are_refused_without_echoing_them(name: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        decode_response(OPERATIONS["GetCustomers"], HOSTILE[name])
    assert "passwd" not in str(caught.value) and "<" not in str(caught.value)


def test_a_response_in_the_wrong_namespace_is_refused() -> None:
    envelope = encode_response(OPERATIONS["GetCustomers"], {}).replace(
        b'xmlns="KashFlow"', b'xmlns="http://example.com/other"'
    )
    with pytest.raises(ProtocolError):
        decode_response(OPERATIONS["GetCustomers"], envelope)


def test_soap12_requests_are_understood() -> None:
    envelope = encode_request(
        OPERATIONS["GetCustomers"], {}, username="u", password="p", soap12=True
    )
    request = decode_request(envelope)
    assert request.soap12 and request.operation.name == "GetCustomers" and request.username == "u"


def test_request_repr_hides_the_password() -> None:
    request = decode_request(encode_request(OPERATIONS["GetCustomers"], {}, password="s3cret!"))
    assert "s3cret!" not in repr(request)


text_values = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"),
    max_size=50,
).filter(lambda s: not any(ord(c) < 32 and c not in "\t\n" for c in s))
money_values = st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False)


@given(name=text_values, discount=money_values, terms=st.integers(0, 365), flag=st.booleans())
def test_customer_round_trips_through_the_wire(
    name: str, discount: Decimal, terms: int, flag: bool
) -> None:
    customer = Customer(Name=name, Discount=discount, PaymentTerms=terms, ShowDiscount=flag)
    request = decode_request(
        encode_request(OPERATIONS["UpdateCustomer"], {"custr": customer.wire()})
    )
    assert Customer.model_validate(request.params["custr"]) == customer


def test_absurdly_nested_xml_is_refused_not_a_crash() -> None:
    nested = b"<a>" * 200 + b"x" + b"</a>" * 200
    envelope = encode_response(OPERATIONS["GetCustomers"], {"GetCustomersResult": [{}]}).replace(
        b"<Customer></Customer>", b"<Customer><Unknown>" + nested + b"</Unknown></Customer>"
    )
    with pytest.raises(ProtocolError, match="nested too deeply"):
        decode_response(OPERATIONS["GetCustomers"], envelope)


def test_non_finite_money_from_the_wire_is_refused() -> None:
    op = OPERATIONS["GetInvoice"]
    envelope = encode_response(op, {"GetInvoiceResult": {"NetAmount": Decimal("1")}}).replace(
        b"<NetAmount>1</NetAmount>", b"<NetAmount>NaN</NetAmount>"
    )
    with pytest.raises(ProtocolError, match="unreadable decimal"):
        decode_response(op, envelope)
