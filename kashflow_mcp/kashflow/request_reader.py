"""A request's parameters read as KashFlow's ASMX service reads them, with .NET's XmlSerializer.

The sandbox reads requests through this, so that whatever it accepts means what KashFlow would
take it to mean. What XmlSerializer does with the members of a WSDL sequence, from the reader
code it generates (``if (!paramsRead[i] && LocalName == … && NamespaceURI == …)``, every other
element handed to ``UnknownNode``) and from its documentation:

- An element is matched by namespace and name. The WSDL's elements are qualified (its schema
  sets ``elementFormDefault="qualified"``), so an element outside the ``KashFlow`` namespace is
  not the parameter or field of that name, whatever its local name.
- A single-valued member is read once: the first element wins, and a repeat is skipped like any
  element the type does not list.
- An element a type does not list is skipped, never an error: "by default the XmlSerializer
  ignores" unknown nodes [doc: XmlSerializer.UnknownElement]; ASMX attaches no handler to those
  events [inferred].
- An array (an ``ArrayOfX`` wrapper) is read whole each time its wrapper appears, so a second
  wrapper replaces the first; inside a wrapper, elements other than its items are skipped.
- Members may come in any order: the generated reader loops over whatever comes [inferred for
  KashFlow: its classes would have to set XmlElement Order for it to be otherwise].
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from xml.etree.ElementTree import Element

from .decode import KASHFLOW_NS, XSI_NS, decode_value
from .wsdl_types import TYPES, ArrayType, field_types

_IN_KASHFLOW = f"{{{KASHFLOW_NS}}}"
_XSI_TYPE = f"{{{XSI_NS}}}type"
_XSI_NIL = f"{{{XSI_NS}}}nil"


def read_members(element: Element, members: Mapping[str, str]) -> dict[str, Any]:
    """The members (name -> WSDL type) that ``element`` gives; one never given is absent."""
    found: dict[str, Any] = {}
    for child in element:
        if not isinstance(child.tag, str) or not child.tag.startswith(_IN_KASHFLOW):
            continue  # another namespace (or a comment): not a member, skipped
        name = child.tag[len(_IN_KASHFLOW) :]
        kind = members.get(name)
        if kind is None:
            continue  # a member the type does not list: skipped
        if name in found and not isinstance(TYPES.get(kind), ArrayType):
            continue  # read once: the first wins
        found[name] = read_value(child, kind)
    return found


def read_value(element: Element, kind: str) -> Any:
    """The value of one element of WSDL type ``kind``."""
    if element.get(_XSI_NIL) == "true":
        return None
    spec = TYPES.get(kind)
    if isinstance(spec, ArrayType):
        item_tag = _IN_KASHFLOW + spec.item
        return [read_value(item, spec.item_type) for item in element if item.tag == item_tag]
    if spec is not None:
        return read_members(element, field_types(kind))
    if kind == "anyType":
        # xsi:type is a QName: "InvoiceLine" as KashFlow's docs write it, "ns0:InvoiceLine" as
        # other SOAP stacks do.
        named = element.get(_XSI_TYPE, "").rpartition(":")[2]
        if named in TYPES:
            return read_value(element, named)
    # Simple values, and untyped anyType content, read as the response decoder reads them.
    return decode_value(element, kind)
