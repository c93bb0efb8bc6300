"""Reading a long list response while it arrives, keeping only what is needed.

``GetCustomers`` answers with every customer at once - tens of megabytes for a large account,
each record carrying some eighty fields. Building the whole document in memory would cost
hundreds of megabytes; instead each list item is decoded the moment its closing tag arrives
(keeping only the fields asked for) and then thrown away, and parsing overlaps the download.

The parser is expat through ElementTree's C parser, which is several times faster than the
pure-Python one defusedxml wraps. It stays hardened the same way: a document type declaration -
the only place entities can be declared - may appear only before the root element, so the
prolog is checked and anything but the XML declaration and comments there is refused.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from xml.etree.ElementTree import Element, ParseError, XMLPullParser

from .catalogue import Operation
from .codec import KASHFLOW_NS, SoapFault, SoapResponse, body_payload, decode_payload, decode_record
from .errors import ProtocolError
from .wsdl_types import TYPES, ArrayType

_ROOT_START = re.compile(rb"<[A-Za-z_]")
_DECLARATION = re.compile(rb"<!(?!--)")
_MAX_PROLOG = 64 * 1024


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
        self._parser = XMLPullParser(events=("end",))
        self._prolog: bytes | None = b""
        self._root: Element | None = None

    def feed(self, chunk: bytes) -> None:
        if self._prolog is not None:
            chunk = self._check_prolog(chunk)
            if not chunk:
                return
        try:
            self._parser.feed(chunk)
            # Parse errors surface here, queued among the events.
            for _, element in self._parser.read_events():
                if element.tag == self._item_tag:
                    self.items.append(decode_record(element, self._item_type, self._fields))
                    element.clear()  # the record is decoded: free its children now
                self._root = element  # the last element to end is the root
        except ParseError:
            raise ProtocolError("the response was not well-formed XML") from None

    def finish(self) -> SoapResponse | SoapFault:
        if self._prolog is not None:
            raise ProtocolError("the response was not XML")
        self.feed(b"")
        try:
            self._parser.close()
        except ParseError:
            raise ProtocolError("the response was not well-formed XML") from None
        if self._root is None:
            raise ProtocolError("the response was empty")
        payload = body_payload(self._root, "response")
        return decode_payload(self.operation, payload, {self._result_name: self.items})

    def _check_prolog(self, chunk: bytes) -> bytes:
        """Hold bytes back until the root element starts; refuse declarations before it."""
        assert self._prolog is not None
        buffered = self._prolog + chunk
        start = _ROOT_START.search(buffered)
        prolog = buffered if start is None else buffered[: start.start()]
        if _DECLARATION.search(prolog):
            raise ProtocolError("the response contained a forbidden XML construct")
        if start is None:
            if len(buffered) > _MAX_PROLOG:
                raise ProtocolError("the response was not XML")
            self._prolog = buffered
            return b""
        self._prolog = None
        return buffered


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
