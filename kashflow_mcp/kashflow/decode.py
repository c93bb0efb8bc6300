"""Reading values out of KashFlow's XML elements, driven by the WSDL's type table.

Each WSDL type gets one reader function, made the first time it is needed: a customer has some
eighty fields, and a long list tens of thousands of customers, so the per-element work is kept
to a dictionary lookup and the conversion itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any
from xml.etree.ElementTree import Element

from .errors import ProtocolError
from .wsdl_types import TYPES, ArrayType, field_types

KASHFLOW_NS = "KashFlow"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
_XSI_TYPE = f"{{{XSI_NS}}}type"
_XSI_NIL = f"{{{XSI_NS}}}nil"
_MAX_UNTYPED_DEPTH = 32

Reader = Callable[[Element], Any]


def local_name(tag: str) -> str:
    return tag.rpartition("}")[2]


def decode_value(element: Element, kind: str) -> Any:
    """The Python value of one element of WSDL type ``kind`` (Decimal, int, bool, datetime…)."""
    return _reader(kind)(element)


def decode_record(
    element: Element, type_name: str, only: frozenset[str] | None = None
) -> dict[str, Any]:
    """A record's fields as Python values; with ``only``, just those fields."""
    fields = _field_readers(type_name)
    record: dict[str, Any] = {}
    for child in element:
        found = fields.get(child.tag)
        if found is None:  # a field in another namespace, or one the WSDL does not list
            name = local_name(child.tag)
            found = fields.get(name, (name, _decode_untyped))
        name, read = found
        if only is None or name in only:
            record[name] = read(child)
    return record


@cache
def _field_readers(type_name: str) -> dict[str, tuple[str, Reader]]:
    """Each field's name and reader, by its tag in KashFlow's namespace and by bare name."""
    readers: dict[str, tuple[str, Reader]] = {}
    for name, kind in field_types(type_name).items():
        readers[f"{{{KASHFLOW_NS}}}{name}"] = readers[name] = (name, _reader(kind))
    return readers


@cache
def _reader(kind: str) -> Reader:
    spec = TYPES.get(kind)
    if isinstance(spec, ArrayType):
        item = spec.item_type
        return _unless_nil(lambda element: [decode_value(child, item) for child in element])
    if spec is not None:
        return _unless_nil(lambda element: decode_record(element, kind))
    if kind == "string":
        return _unless_nil(lambda element: element.text or "")
    if kind == "anyType":
        return _unless_nil(_decode_any)
    if kind == "base64Binary":
        return _unless_nil(lambda element: (element.text or "").strip())
    convert = _CONVERSIONS.get(kind, str)  # a type we do not convert stays text

    def read(element: Element) -> Any:
        text = (element.text or "").strip()
        if not text:
            return None
        try:
            return convert(text)
        except (ValueError, InvalidOperation):
            raise ProtocolError(f"unreadable {kind} value: {text[:40]!r}") from None

    return _unless_nil(read)


def _unless_nil(read: Reader) -> Reader:
    def reader(element: Element) -> Any:
        return None if element.get(_XSI_NIL) == "true" else read(element)

    return reader


def _finite_decimal(text: str) -> Decimal:
    number = Decimal(text)
    if not number.is_finite():
        raise ValueError(text)
    return number


_CONVERSIONS: dict[str, Callable[[str], Any]] = {
    "int": int,
    "integer": int,
    "decimal": _finite_decimal,
    "boolean": lambda text: text in ("true", "1"),
    "dateTime": datetime.fromisoformat,
}


def _decode_any(element: Element) -> Any:
    # xsi:type is a QName: "InvoiceLine" as KashFlow's docs write it, "ns0:InvoiceLine" as other
    # SOAP stacks do.
    named = element.get(_XSI_TYPE, "").rpartition(":")[2]
    return decode_record(element, named) if named in TYPES else _decode_untyped(element)


def _decode_untyped(element: Element, depth: int = 0) -> Any:
    """An element the type table does not describe: text, or a dict (lists for repeats)."""
    children = list(element)
    if not children:
        return element.text or ""
    if depth > _MAX_UNTYPED_DEPTH:
        raise ProtocolError("the XML is nested too deeply")
    result: dict[str, Any] = {}
    for child in children:
        name, value = local_name(child.tag), _decode_untyped(child, depth + 1)
        if name in result:
            existing = result[name]
            result[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            result[name] = value
    return result
