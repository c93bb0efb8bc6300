"""Raw SOAP for the sandbox's tests: envelopes written out by hand, answers read with etree.

The tests deliberately do not use the project's codec to read answers, so a codec bug cannot
hide a sandbox bug.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import httpx

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
KF = "{KashFlow}"
URL = "http://sandbox.test/api/service.asmx"
USER = "sandbox"
PASSWORD = "sandbox"


def envelope(body: str) -> str:
    """A SOAP 1.1 envelope laid out as KashFlow's documentation shows it."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<soap:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
        'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">\n'
        f"  <soap:Body>\n{body}\n  </soap:Body>\n</soap:Envelope>\n"
    )


def call(operation: str, inner: str = "", *, user: str = USER, password: str = PASSWORD) -> str:
    """The envelope of ``operation`` with credentials and ``inner`` as its parameters."""
    return envelope(
        f'    <{operation} xmlns="KashFlow">\n'
        f"      <UserName>{user}</UserName>\n"
        f"      <Password>{password}</Password>\n"
        f"      {inner}\n"
        f"    </{operation}>"
    )


async def post(
    http: httpx.AsyncClient, body: str | bytes, operation: str | None = None
) -> httpx.Response:
    headers = {"Content-Type": "text/xml; charset=utf-8"}
    if operation:
        headers["SOAPAction"] = f'"KashFlow/{operation}"'
    content = body.encode() if isinstance(body, str) else body
    return await http.post(URL, content=content, headers=headers)


def answer(response: httpx.Response, soap_ns: str = SOAP11) -> ET.Element:
    """The element inside the SOAP Body of a response."""
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{soap_ns}}}Envelope"
    body = root.find(f"{{{soap_ns}}}Body")
    assert body is not None and len(body) == 1
    return body[0]


def status(element: ET.Element) -> tuple[str, str]:
    return element.findtext(f"{KF}Status") or "", element.findtext(f"{KF}StatusDetail") or ""


def local(tag: str) -> str:
    return tag.rpartition("}")[2]
