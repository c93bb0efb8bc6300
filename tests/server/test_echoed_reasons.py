"""Advice is chosen from what KashFlow said, not from what the user sent and KashFlow echoed.

KashFlow's reasons often repeat the request ("Customer not found: IP"). Were the hints chosen
from the whole reason, a customer coded "IP" would bring advice about IP restrictions, and one
coded "MYPASSWORD" advice about credentials. The values sent are taken out of the reason before
it is classified; the message still shows the reason whole.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from kashflow_mcp.kashflow import (
    AuthenticationError,
    IpNotAllowedError,
    KashFlowClient,
    NotFoundError,
)
from kashflow_mcp.sandbox import create_app

from .calls import refused
from .conftest import OpenSession

pytestmark = pytest.mark.anyio
IP_ADVICE = "Restrict access to specific IP addresses"
CREDENTIALS_ADVICE = "KASHFLOW_PASSWORD"
ECHOED = ["IP", "ip", "MYPASSWORD", "my-password", "Login", "API disabled"]


@pytest.mark.parametrize("code", ECHOED)
async def test_a_code_echoed_in_a_not_found_reason_brings_no_advice(
    open_session: OpenSession, code: str
) -> None:
    async with open_session() as (client, _):
        typed = await refused(client, "get_customer", code=code)
        generic = await refused(
            client, "call_kashflow_api", method="GetCustomer", body={"CustomerCode": code}
        )
    assert typed == f"No customer with code {code!r}. Find customer ids with list_customers."
    assert f"Customer not found: {code}" in generic  # the reason is shown whole
    for text in (typed, generic):
        assert IP_ADVICE not in text and CREDENTIALS_ADVICE not in text, text
        assert "Enable SOAP API" not in text, text


async def test_an_echoed_value_is_still_not_found_to_the_client(open_session: OpenSession) -> None:
    async with open_session() as (_, kashflow):
        for code in ("IP", "MYPASSWORD", "NO-SUCH-CODE"):
            with pytest.raises(NotFoundError):
                await kashflow.call("GetCustomer", {"CustomerCode": code})
        with pytest.raises(NotFoundError):
            await kashflow.call("GetInvoice", {"InvoiceNumber": 424242})


@pytest.fixture
def guarded_sandbox(tmp_path: Path) -> httpx.ASGITransport:
    app = create_app(tmp_path / "books.db", username="bookkeeper", password="right-password")
    return httpx.ASGITransport(app=app)


async def test_a_real_wrong_password_still_brings_the_credentials_advice(
    guarded_sandbox: httpx.ASGITransport,
) -> None:
    async with KashFlowClient(
        username="bookkeeper",
        password="wrong-password",
        url="http://sandbox.invalid/api/service.asmx",
        transport=guarded_sandbox,
    ) as kashflow:
        with pytest.raises(AuthenticationError) as caught:
            await kashflow.call("GetCustomer", {"CustomerCode": "IP"})
    assert CREDENTIALS_ADVICE in str(caught.value)
    assert not isinstance(caught.value, IpNotAllowedError)
