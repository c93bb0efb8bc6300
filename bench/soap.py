"""The raw-SOAP anchor, and the sandbox it talks to, served in a process of its own.

The anchor is what a script with no MCP and no parsing pays: a hand-written envelope POSTed
with a keep-alive ``httpx`` client, the answer read to its last byte and not decoded. Writing
the envelope by hand (rather than with our codec) keeps the anchor independent of our code.

The sandbox is ``kashflow-mcp sandbox`` itself, run in a process of its own on 127.0.0.1, so
that our server reaches it exactly as it would reach KashFlow (``KASHFLOW_API_URL``), and so
that its CPU is not our server's.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from .measure import PYTHON, BenchError, Child, child_env

USERNAME = PASSWORD = "bench"
_ENVELOPE = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
    '<soap:Body><{op} xmlns="KashFlow"><UserName>{user}</UserName><Password>{password}</Password>'
    "{params}</{op}></soap:Body></soap:Envelope>"
)
_CUSTOMER = re.compile(rb"<Customer>.*?</Customer>", re.DOTALL)
_CUSTOMER_ID = re.compile(rb"<CustomerID>(\d+)</CustomerID>")


def envelope(op: str, params: str = "") -> bytes:
    return _ENVELOPE.format(op=op, user=USERNAME, password=PASSWORD, params=params).encode()


def soap_headers(op: str) -> dict[str, str]:
    return {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"KashFlow/{op}"'}


class Sandbox:
    """``kashflow-mcp sandbox`` on a free loopback port, on a fresh database."""

    def __init__(self, db: Path, *, scale: int = 0, start_timeout: float = 300.0) -> None:
        argv = [PYTHON, "-m", "kashflow_mcp", "sandbox", "--port", "0", "--db", str(db)]
        argv += ["--username", USERNAME, "--password", PASSWORD, "--scale", str(scale)]
        self.child = Child(argv, env=child_env(), name=f"sandbox (scale {scale})", stdio=False)
        try:
            # It prints its URL only once it is bound, after building the books (--scale).
            banner = self.child.readline(start_timeout).decode()
        except BaseException:
            self.child.stop()
            raise
        match = re.search(r"(http://127\.0\.0\.1:\d+)(/\S*)", banner)
        if match is None:
            self.child.stop()
            raise BenchError(f"unexpected sandbox banner: {banner!r}")
        self.base, self.url = match.group(1), match.group(1) + match.group(2)

    def server_env(self) -> dict[str, str]:
        """Environment that points our server at this sandbox as if it were KashFlow."""
        return child_env(
            {
                "KASHFLOW_API_URL": self.url,
                "KASHFLOW_USERNAME": USERNAME,
                "KASHFLOW_PASSWORD": PASSWORD,
                "KASHFLOW_LOG_LEVEL": "WARNING",
            }
        )

    def request_counts(self) -> dict[str, int]:
        """How many requests per operation the sandbox has answered (its control surface)."""
        response = httpx.get(f"{self.base}/_sandbox/requests", timeout=10)
        response.raise_for_status()
        return dict(response.json())

    def stop(self) -> None:
        self.child.stop()


@contextmanager
def sandbox(db: Path, *, scale: int = 0) -> Iterator[Sandbox]:
    box = Sandbox(db, scale=scale)
    try:
        yield box
    finally:
        box.stop()


class RawSoap:
    """Plain httpx to the sandbox: one pooled keep-alive connection, no parsing."""

    def __init__(self, url: str, timeout: float = 120.0) -> None:
        self.url = url
        self.http = httpx.Client(timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def post(self, op: str, params: str = "") -> bytes:
        response = self.http.post(self.url, content=envelope(op, params), headers=soap_headers(op))
        if response.status_code != 200 or b"<Status>OK</Status>" not in response.content:
            raise BenchError(f"raw {op} failed: HTTP {response.status_code}")
        return response.content

    def timed(self, op: str, params: str = "") -> tuple[float, bytes]:
        started = time.perf_counter()
        body = self.post(op, params)
        return time.perf_counter() - started, body


def customer_ids(body: bytes) -> list[int]:
    return [int(found) for found in _CUSTOMER_ID.findall(body)]


def customer_element_bytes(body: bytes, wanted: set[int]) -> int:
    """Bytes of the ``<Customer>`` elements whose CustomerID is in ``wanted``.

    The envelope around them is left out, so the raw side is as small as it can honestly be.
    """
    total = found = 0
    for element in _CUSTOMER.finditer(body):
        ident = _CUSTOMER_ID.search(element.group(0))
        if ident is not None and int(ident.group(1)) in wanted:
            total += len(element.group(0))
            found += 1
    if found != len(wanted):
        raise BenchError(f"found {found} of {len(wanted)} customers in the raw GetCustomers body")
    return total
