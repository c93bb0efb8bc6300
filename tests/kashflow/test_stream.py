"""Long list responses are decoded as they arrive, with the same hardening as whole ones."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from kashflow_mcp.kashflow import OPERATIONS, ProtocolError
from kashflow_mcp.kashflow.codec import (
    SoapFault,
    decode_response,
    encode_fault,
    encode_response,
    iter_response,
)
from kashflow_mcp.kashflow.stream import ListReader

GET_CUSTOMERS = OPERATIONS["GetCustomers"]
CUSTOMERS = [
    {"CustomerID": n, "Code": f"C{n:03d}", "Name": f"Name & Co {n}", "Discount": Decimal("2.5"),
     "Created": datetime(2026, 1, n % 28 + 1), "ShowDiscount": n % 2 == 0}
    for n in range(1, 451)
]  # fmt: skip


def read(body: bytes, chunk: int, fields: frozenset[str] | None = None) -> object:
    reader = ListReader(GET_CUSTOMERS, fields)
    for start in range(0, len(body), chunk):
        reader.feed(body[start : start + chunk])
    return reader.finish()


@pytest.mark.parametrize("chunk", [1, 7, 4096, 10**9])
def test_streamed_decoding_equals_whole_decoding_at_any_chunking(chunk: int) -> None:
    body = encode_response(GET_CUSTOMERS, {"GetCustomersResult": CUSTOMERS})
    assert read(body, chunk) == decode_response(GET_CUSTOMERS, body)


def test_only_the_fields_asked_for_are_kept() -> None:
    body = encode_response(GET_CUSTOMERS, {"GetCustomersResult": CUSTOMERS})
    decoded = read(body, 4096, frozenset({"CustomerID", "Name"}))
    assert decoded.outputs["GetCustomersResult"][0] == {"CustomerID": 1, "Name": "Name & Co 1"}  # type: ignore[attr-defined]


def test_the_encoder_sends_long_lists_in_pieces() -> None:
    pieces = list(iter_response(GET_CUSTOMERS, {"GetCustomersResult": CUSTOMERS}))
    assert len(pieces) > 3
    assert b"".join(pieces) == encode_response(GET_CUSTOMERS, {"GetCustomersResult": CUSTOMERS})


def test_refusals_and_faults_come_through() -> None:
    refused = encode_response(GET_CUSTOMERS, {}, status="NO", detail="Incorrect username")
    assert read(refused, 5).detail == "Incorrect username"  # type: ignore[attr-defined]
    assert read(encode_fault("Bad request"), 5) == SoapFault("Bad request")


@pytest.mark.parametrize(
    ("body", "refusal"),
    [
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><soap:Envelope/>', "forbidden"),
        (b"<!DOCTYPE html><html></html>", "forbidden"),
        (b'<?xml version="1.0"?><!ENTITY e SYSTEM "file:///etc/passwd"><x/>', "well-formed"),
    ],
)
def test_declarations_before_the_root_are_refused(body: bytes, refusal: str) -> None:
    with pytest.raises(ProtocolError, match=refusal):
        read(body, 3)


def test_a_comment_before_the_root_is_fine() -> None:
    body = encode_response(GET_CUSTOMERS, {"GetCustomersResult": CUSTOMERS[:2]})
    commented = body.replace(b"?>", b"?><!-- generated -->", 1)
    assert read(commented, 11) == decode_response(GET_CUSTOMERS, body)


@pytest.mark.parametrize("body", [b"", b"Service Unavailable", b"<html><body>oops"])
def test_what_is_not_a_soap_answer_is_refused(body: bytes) -> None:
    with pytest.raises(ProtocolError):
        read(body, 4)


def test_an_undeclared_entity_is_an_error_not_an_expansion() -> None:
    body = encode_response(GET_CUSTOMERS, {"GetCustomersResult": CUSTOMERS[:1]})
    with pytest.raises(ProtocolError):
        read(body.replace(b"Name &amp; Co", b"Name &xxe; Co"), 64)
