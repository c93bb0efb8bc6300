"""XML from the network is parsed with no DTD, however the declaration is dressed up."""

from __future__ import annotations

import pytest

from kashflow_mcp.kashflow import ProtocolError
from kashflow_mcp.kashflow.xmlread import XmlReader, parse_document

LAUGHS = (
    '<?xml version="1.0" encoding="{encoding}"?>'
    '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    "<l>&b;</l>"
)
DISGUISES = {
    "plain": LAUGHS.format(encoding="utf-8").encode(),
    # A comment may hold text that looks like the root element starting.
    "after a comment": LAUGHS.format(encoding="utf-8")
    .replace("<!DOCTYPE", "<!-- <l> --><!DOCTYPE")
    .encode(),
    # In UTF-16 the bytes "<!DOCTYPE" never appear: only the parser sees the declaration.
    "utf-16": LAUGHS.format(encoding="utf-16").encode("utf-16"),
    "external entity": b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]><x>&e;</x>',
}


@pytest.mark.parametrize("disguise", DISGUISES)
def test_a_document_type_declaration_is_refused(disguise: str) -> None:
    with pytest.raises(ProtocolError, match="forbidden XML construct") as caught:
        parse_document(DISGUISES[disguise], "response")
    assert "<" not in str(caught.value)  # nothing of the document is echoed


@pytest.mark.parametrize("split", range(1, 60))
def test_a_declaration_split_across_chunks_is_refused(split: int) -> None:
    body = DISGUISES["after a comment"]
    reader = XmlReader("response")
    with pytest.raises(ProtocolError, match="forbidden"):
        reader.feed(body[:split])
        reader.feed(body[split:])
        reader.close()


def test_each_element_is_handed_over_as_it_closes() -> None:
    seen: list[str] = []
    reader = XmlReader("response", on_end=lambda element: seen.append(element.tag))
    reader.feed(b"<a><b>1</b><c/>")
    assert seen == ["b", "c"]
    reader.feed(b"</a>")
    assert reader.close().tag == "a" and seen == ["b", "c", "a"]


@pytest.mark.parametrize("body", [b"", b"<a>", b"not xml", b"<a></b>"])
def test_what_is_not_xml_is_refused_without_echoing_it(body: bytes) -> None:
    with pytest.raises(ProtocolError, match="not well-formed") as caught:
        parse_document(body, "response")
    assert "<" not in str(caught.value)
