"""Reading a long list response while it arrives, keeping only what is needed.

``GetCustomers`` answers with every customer at once - tens of megabytes for a large account,
each record carrying some eighty fields. Building the whole document in memory would cost
hundreds of megabytes; instead each list item is decoded the moment its closing tag arrives
(keeping only the fields asked for) and then thrown away, and parsing overlaps the download.
The parser is ``xmlread``'s, hardened as for whole documents.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from xml.etree.ElementTree import Element

from .catalogue import Operation
from .codec import SoapFault, SoapResponse, body_payload, decode_payload
from .decode import KASHFLOW_NS, decode_record
from .wsdl_types import TYPES, ArrayType
from .xmlread import XmlReader


class ListReader:
    """Feed it a response's bytes as they come; ``items`` fills up; ``finish`` checks the rest."""

    def __init__(self, operation: Operation, fields: frozenset[str] | None = None) -> None:
        result_name, result_type = operation.outputs[0]
        spec = TYPES.get(result_type)
        if not isinstance(spec, ArrayType) or spec.item_type not in TYPES:
            raise TypeError(f"{operation.name} does not answer with a list of records")
        self.operation = operation
        self.items: list[dict[str, Any]] = []
        self._result_name = result_name
        self._item_tag = f"{{{KASHFLOW_NS}}}{spec.item}"
        self._item_type = spec.item_type
        self._fields = fields
        self._reader = XmlReader("response", on_end=self._ended)

    def feed(self, chunk: bytes) -> None:
        self._reader.feed(chunk)

    def finish(self) -> SoapResponse | SoapFault:
        payload = body_payload(self._reader.close(), "response")
        return decode_payload(self.operation, payload, {self._result_name: self.items})

    def _ended(self, element: Element) -> None:
        if element.tag == self._item_tag:
            self.items.append(decode_record(element, self._item_type, self._fields))
            element.clear()  # the record is decoded: free its children now


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a long list is parsed.

    Parsing allocates over a million short-lived objects, none in reference cycles; the
    collector would otherwise run over the growing heap again and again, doubling the time.
    Overlapping pauses nest safely: only the pause that found it enabled turns it back on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
