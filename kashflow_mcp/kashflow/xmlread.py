"""Parsing XML that comes off the network: ElementTree's C parser, refusing any DTD.

A SOAP message may not contain a document type declaration (SOAP 1.1 section 3), and a DTD is
the only place entities can be declared. So the parser refuses one the moment it meets it -
whatever the document's encoding, however it is split into chunks - which rules out entity
expansion (billion laughs) and external entities (reads of files or URLs): the protection
defusedxml's ``forbid_dtd`` gives. defusedxml does it by wrapping the pure-Python parser,
which made parsing the largest single cost of a KashFlow call; here expat and ElementTree's
C parser do the work and only the refusal is ours.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from xml.etree.ElementTree import Element, ParseError, TreeBuilder, XMLParser

from .errors import ProtocolError


class _DoctypeRefused(Exception):
    pass


class _RefusingBuilder(TreeBuilder):
    """ElementTree's tree builder, but a document type declaration stops the parse."""

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise _DoctypeRefused


class _WatchingBuilder(_RefusingBuilder):
    """Hands each element to ``on_end`` as it closes, so a caller can use it and free it."""

    def __init__(self, on_end: Callable[[Element], None]) -> None:
        super().__init__()
        self._on_end = on_end

    def end(self, tag: str) -> Element:
        element = super().end(tag)
        self._on_end(element)
        return element


class XmlReader:
    """Feed a document's bytes as they come; ``close`` returns its root element."""

    def __init__(self, what: str, on_end: Callable[[Element], None] | None = None) -> None:
        self._what = what
        builder = _RefusingBuilder() if on_end is None else _WatchingBuilder(on_end)
        self._parser = XMLParser(target=builder)

    def feed(self, chunk: bytes) -> None:
        with _refusals(self._what):
            self._parser.feed(chunk)

    def close(self) -> Element:
        with _refusals(self._what):  # a document with no element is not well-formed
            return self._parser.close()  # type: ignore[no-any-return]


@contextmanager
def _refusals(what: str) -> Iterator[None]:
    """The parser's failures as ProtocolErrors that echo nothing of the document."""
    try:
        yield
    except _DoctypeRefused:
        raise ProtocolError(f"the {what} contained a forbidden XML construct") from None
    except ParseError:
        raise ProtocolError(f"the {what} was not well-formed XML") from None


def parse_document(body: bytes, what: str) -> Element:
    """The root element of a whole document (``what`` names it in errors)."""
    reader = XmlReader(what)
    reader.feed(body)
    return reader.close()
