"""Which HTTP path a call takes: direct to KashFlow, or through a proxy the environment names."""

from __future__ import annotations

import pytest

from kashflow_mcp.kashflow.transport import Endpoint, open_poster

from .scripted import scripted

pytestmark = pytest.mark.anyio
NOTHING_THERE = "http://127.0.0.1:9"  # the discard port: nothing answers there


async def post_once(url: str) -> tuple[int, bytes]:
    poster = open_poster(Endpoint(url, 5.0, 5.0, 2, "kashflow-mcp-test"), transport=None)
    try:
        async with poster.post(b"<Envelope/>", [("SOAPAction", '"KashFlow/GetCustomers"')]) as r:
            return r.status, await r.aread()
    finally:
        await poster.aclose()


@pytest.fixture(autouse=True)
def no_proxy_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


async def test_a_proxy_named_in_the_environment_carries_the_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with scripted() as (proxy, proxy_url):
        monkeypatch.setenv("HTTP_PROXY", proxy_url.rpartition("/api")[0])
        answer = await post_once(f"{NOTHING_THERE}/api/service.asmx")
    assert answer == (200, b"answer 0")
    assert proxy.requests[0].startswith(f"POST {NOTHING_THERE}/api/service.asmx HTTP/1.1".encode())


async def test_hosts_in_no_proxy_are_reached_directly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", NOTHING_THERE)
    monkeypatch.setenv("NO_PROXY", "localhost")
    async with scripted() as (server, url):
        assert await post_once(url) == (200, b"answer 0")
    assert server.requests[0].startswith(b"POST /api/service.asmx HTTP/1.1")


async def test_without_a_proxy_the_call_goes_straight_to_kashflow() -> None:
    async with scripted() as (server, url):
        assert await post_once(url) == (200, b"answer 0")
    assert server.requests[0].startswith(b"POST /api/service.asmx HTTP/1.1")
