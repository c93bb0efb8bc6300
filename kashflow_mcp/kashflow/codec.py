"""SOAP envelopes for KashFlow, both directions, driven by the WSDL's type table.

One codec serves the client (encode requests, decode responses) and the sandbox (decode
requests, encode responses), so the two can never disagree about the wire format by accident;
the sandbox's tests also feed it hand-written envelopes to keep both honest.

Wire facts (see the WSDL): SOAP 1.1 document/literal, every element in the namespace
``KashFlow``; money is ``decimal``; dates are ``yyyy-mm-ddTHH:MM:SS`` with no zone; invoice lines
travel as ``<anyType xsi:type="InvoiceLine">``. Incoming XML is parsed by ``xmlread``: no DTDs,
so no entity expansion.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree.ElementTree import Element
from xml.sax.saxutils import escape

from pydantic import BaseModel

from .catalogue import OPERATIONS, Operation
from .decode import KASHFLOW_NS, XSI_NS, decode_value
from .decode import local_name as _local
from .errors import ProtocolError, RequestEncodingError
from .request_reader import read_members
from .wsdl_types import TYPES, ArrayType, field_types
from .xmlread import parse_document

SOAP11_NS = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12_NS = "http://www.w3.org/2003/05/soap-envelope"

# ArrayOfAnyType fields whose items we send: the item's xsi:type must be named on the wire.
ANY_ITEM_TYPES = {("Invoice", "Lines"): "InvoiceLine", ("JournalEntry", "Lines"): "JournalLine"}

# XML 1.0 cannot carry these at all; sending them makes the service fault.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# --------------------------------------------------------------------------- encoding values


def format_datetime(value: datetime | date) -> str:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None, microsecond=0).isoformat()
    return f"{value.isoformat()}T00:00:00"


def _scalar_text(value: Any, kind: str, path: str) -> str:
    """The wire text of one simple value, refusing anything that would be silently misread."""
    if kind == "string":
        if not isinstance(value, str):
            raise RequestEncodingError(path, "expected text")
        if _XML_ILLEGAL.search(value):
            raise RequestEncodingError(path, "contains control characters KashFlow cannot accept")
        return escape(value)
    if kind in ("int", "integer"):
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise RequestEncodingError(path, "expected a whole number")
        try:
            return str(int(value))
        except ValueError:
            raise RequestEncodingError(path, "expected a whole number") from None
    if kind == "decimal":
        # Floats are refused: a binary float has already lost the pennies before we see it.
        if isinstance(value, bool | float) or not isinstance(value, Decimal | int | str):
            raise RequestEncodingError(path, 'expected a decimal number as a string, e.g. "12.50"')
        try:
            number = Decimal(value) if not isinstance(value, Decimal) else value
        except InvalidOperation:
            raise RequestEncodingError(path, 'expected a decimal number, e.g. "12.50"') from None
        if not number.is_finite():
            raise RequestEncodingError(path, "must be a finite number")
        return format(number, "f")
    if kind == "boolean":
        if isinstance(value, bool):
            return "true" if value else "false"
        if value in ("true", "false"):
            return str(value)
        raise RequestEncodingError(path, "expected true or false")
    if kind == "dateTime":
        if isinstance(value, datetime | date):
            return format_datetime(value)
        if isinstance(value, str):
            try:
                return format_datetime(datetime.fromisoformat(value))
            except ValueError:
                pass
        raise RequestEncodingError(path, "expected a date as YYYY-MM-DD")
    if kind == "base64Binary":
        if isinstance(value, bytes):
            return base64.b64encode(value).decode("ascii")
        if isinstance(value, str):
            try:
                base64.b64decode(value, validate=True)
            except ValueError:
                raise RequestEncodingError(path, "expected base64 text") from None
            return value
        raise RequestEncodingError(path, "expected base64 text")
    raise RequestEncodingError(path, f"cannot send a value of type {kind}")


def _as_mapping(value: Any, path: str) -> Mapping[str, Any]:
    if isinstance(value, BaseModel):
        return value.model_dump(exclude_none=True)
    if isinstance(value, Mapping):
        return value
    raise RequestEncodingError(path, "expected an object of named fields")


def _encode_record(out: list[str], type_name: str, value: Any, path: str) -> None:
    fields = _as_mapping(value, path)
    known = field_types(type_name)
    unknown = sorted(set(fields) - set(known))
    if unknown:
        raise RequestEncodingError(f"{path}.{unknown[0]}", f"{type_name} has no such field")
    for name, kind in known.items():  # in WSDL order, as KashFlow expects
        item = fields.get(name)
        if item is not None:
            _encode_element(out, name, item, kind, f"{path}.{name}", type_name)


def _encode_element(
    out: list[str], tag: str, value: Any, kind: str, path: str, parent: str | None = None
) -> None:
    """Append ``<tag>value</tag>``; fields left as None are omitted (KashFlow rejects blanks)."""
    spec = TYPES.get(kind)
    if spec is None:
        out.append(f"<{tag}>{_scalar_text(value, kind, path)}</{tag}>")
        return
    out.append(f"<{tag}>")
    if isinstance(spec, ArrayType):
        if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
            raise RequestEncodingError(path, "expected a list")
        for index, item in enumerate(value):
            item_path = f"{path}[{index}]"
            if spec.item_type == "anyType":
                item_type = ANY_ITEM_TYPES.get((parent or "", tag))
                if item_type is None:
                    raise RequestEncodingError(item_path, "cannot send untyped items here")
                out.append(f'<anyType xsi:type="{item_type}">')
                _encode_record(out, item_type, item, item_path)
                out.append("</anyType>")
            else:
                _encode_element(out, spec.item, item, spec.item_type, item_path)
    else:
        _encode_record(out, kind, value, path)
    out.append(f"</{tag}>")


# --------------------------------------------------------------------------- envelopes


def _envelope(body: str, soap12: bool) -> bytes:
    ns = SOAP12_NS if soap12 else SOAP11_NS
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<soap:Envelope xmlns:soap="{ns}" xmlns:xsi="{XSI_NS}" '
        'xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
        f"<soap:Body>{body}</soap:Body></soap:Envelope>"
    ).encode()


def encode_request(
    operation: Operation,
    params: Mapping[str, Any],
    *,
    username: str = "",
    password: str = "",
    soap12: bool = False,
) -> bytes:
    """The request envelope; credentials lead, then parameters in WSDL order."""
    unknown = sorted(set(params) - set(operation.param_names))
    if unknown:
        raise RequestEncodingError(unknown[0], f"{operation.name} takes no such parameter")
    out = [f'<{operation.name} xmlns="{KASHFLOW_NS}">']
    if operation.credentials:
        out.append(
            f"<UserName>{escape(username)}</UserName><Password>{escape(password)}</Password>"
        )
    for name, kind in operation.params:
        if params.get(name) is not None:
            _encode_element(out, name, params[name], kind, name)
    out.append(f"</{operation.name}>")
    return _envelope("".join(out), soap12)


_ITEMS_PER_CHUNK = 200


def iter_response(
    operation: Operation,
    outputs: Mapping[str, Any],
    *,
    status: str = "OK",
    detail: str = "",
    soap12: bool = False,
) -> Iterator[bytes]:
    """A response as the service writes it, in pieces: long lists are sent as they are encoded.

    Outputs come first, then Status and StatusDetail (the WSDL places those two after the
    result and before any paging outputs).
    """
    head, _, tail = _envelope("\0", soap12).partition(b"\0")
    yield head + f'<{operation.name}Response xmlns="{KASHFLOW_NS}">'.encode()
    status_xml = f"<Status>{status}</Status><StatusDetail>{escape(detail)}</StatusDetail>"
    for index, (name, kind) in enumerate(operation.outputs):
        if index == 1:
            yield status_xml.encode()
        value = outputs.get(name)
        if value is None:
            continue
        spec = TYPES.get(kind)
        if isinstance(spec, ArrayType) and spec.item_type != "anyType":
            yield f"<{name}>".encode()
            for start in range(0, len(value), _ITEMS_PER_CHUNK):
                out: list[str] = []
                for offset, item in enumerate(value[start : start + _ITEMS_PER_CHUNK]):
                    path = f"{name}[{start + offset}]"
                    _encode_element(out, spec.item, item, spec.item_type, path)
                yield "".join(out).encode()
            yield f"</{name}>".encode()
        else:
            out = []
            _encode_element(out, name, value, kind, name)
            yield "".join(out).encode()
    if len(operation.outputs) <= 1:
        yield status_xml.encode()
    yield f"</{operation.name}Response>".encode() + tail


def encode_response(
    operation: Operation,
    outputs: Mapping[str, Any],
    *,
    status: str = "OK",
    detail: str = "",
    soap12: bool = False,
) -> bytes:
    """The whole response envelope at once."""
    pieces = iter_response(operation, outputs, status=status, detail=detail, soap12=soap12)
    return b"".join(pieces)


def encode_fault(message: str, *, soap12: bool = False, client_fault: bool = True) -> bytes:
    if soap12:
        code = "soap:Sender" if client_fault else "soap:Receiver"
        body = (
            f"<soap:Fault><soap:Code><soap:Value>{code}</soap:Value></soap:Code>"
            f'<soap:Reason><soap:Text xml:lang="en">{escape(message)}</soap:Text></soap:Reason>'
            "</soap:Fault>"
        )
    else:
        code = "soap:Client" if client_fault else "soap:Server"
        body = (
            f"<soap:Fault><faultcode>{code}</faultcode>"
            f"<faultstring>{escape(message)}</faultstring></soap:Fault>"
        )
    return _envelope(body, soap12)


# --------------------------------------------------------------------------- decoding


def _parse(body: bytes, what: str) -> tuple[Element, bool]:
    """The first element inside the SOAP Body, and whether the envelope is SOAP 1.2."""
    root = parse_document(body, what)
    return body_payload(root, what), root.tag.startswith(f"{{{SOAP12_NS}}}")


def body_payload(root: Element, what: str) -> Element:
    """The first element inside an envelope's Body."""
    envelope_ns = root.tag.partition("}")[0][1:]
    if _local(root.tag) != "Envelope" or envelope_ns not in (SOAP11_NS, SOAP12_NS):
        raise ProtocolError(f"the {what} was not a SOAP envelope")
    soap_body = next((child for child in root if _local(child.tag) == "Body"), None)
    if soap_body is None or len(soap_body) == 0:
        raise ProtocolError(f"the {what} had an empty SOAP body")
    return soap_body[0]


@dataclass(frozen=True)
class SoapResponse:
    status: str
    detail: str
    outputs: dict[str, Any]

    @property
    def ok(self) -> bool:
        return self.status == "OK"


@dataclass(frozen=True)
class SoapFault:
    message: str


def fault_message(element: Element) -> str:
    for child in element.iter():
        if _local(child.tag) in ("faultstring", "Text"):
            return (child.text or "").strip()
    return "unspecified SOAP fault"


def decode_response(operation: Operation, body: bytes) -> SoapResponse | SoapFault:
    payload, _ = _parse(body, "response")
    return decode_payload(operation, payload)


def decode_payload(
    operation: Operation, payload: Element, decoded: Mapping[str, Any] | None = None
) -> SoapResponse | SoapFault:
    """Read the element inside the SOAP Body; ``decoded`` holds outputs already read."""
    if _local(payload.tag) == "Fault":
        return SoapFault(fault_message(payload))
    expected = f"{{{KASHFLOW_NS}}}{operation.name}Response"
    if payload.tag != expected:
        raise ProtocolError(f"expected {operation.name}Response, got {_local(payload.tag)}")
    kinds = dict(operation.outputs)
    outputs: dict[str, Any] = dict(decoded or {})
    status = detail = ""
    for child in payload:
        name = _local(child.tag)
        if name == "Status":
            status = (child.text or "").strip()
        elif name == "StatusDetail":
            detail = (child.text or "").strip()
        elif name in kinds and name not in outputs:
            outputs[name] = decode_value(child, kinds[name])
    if status not in ("OK", "NO"):
        raise ProtocolError(f"{operation.name}Response carried no Status")
    return SoapResponse(status, detail, outputs)


@dataclass(frozen=True)
class SoapRequest:
    operation: Operation
    username: str
    password: str = field(repr=False)
    params: dict[str, Any] = field(default_factory=dict)
    soap12: bool = False


class UnknownOperation(ProtocolError):
    """The element inside the Body names no KashFlow operation (in the KashFlow namespace)."""

    def __init__(self, name: str, namespace: str, *, soap12: bool) -> None:
        super().__init__(f"the request element <{name} xmlns='{namespace}'> is no operation")
        self.name, self.namespace, self.soap12 = name, namespace, soap12


def decode_request(body: bytes) -> SoapRequest:
    """Read a request envelope (the sandbox's side) as KashFlow's ASMX service reads it
    (``request_reader``). Raises ProtocolError when malformed, UnknownOperation when the body
    names no operation."""
    payload, soap12 = _parse(body, "request")
    namespace = payload.tag.partition("}")[0][1:] if payload.tag.startswith("{") else ""
    operation = OPERATIONS.get(_local(payload.tag)) if namespace == KASHFLOW_NS else None
    if operation is None:
        raise UnknownOperation(_local(payload.tag), namespace, soap12=soap12)
    members = dict(operation.params)
    if operation.credentials:
        members.update(_CREDENTIALS)
    # As ASMX reads it: first of a repeated parameter wins, unknown ones are skipped.
    params = read_members(payload, members)
    username, password = (params.pop(name, None) or "" for name in _CREDENTIALS)
    return SoapRequest(operation, username, password, params, soap12)


_CREDENTIALS = {"UserName": "string", "Password": "string"}
