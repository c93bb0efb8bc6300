"""The seam between ``SoapCaller`` and HTTP: one POST, its reply, and two kinds of failure.

Two implementations sit behind it. KashFlow itself is reached over ``http11.Http11Pool``, a
lean keep-alive HTTP/1.1 pool built for exactly this traffic. ``HttpxPoster`` carries the rest:
an httpx transport handed in (the embedded sandbox in-process, test transports), or a proxy
configured in the environment, which httpx honours and the lean pool does not speak.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import httpx


@dataclass(frozen=True)
class Endpoint:
    """Where the calls go and how patiently."""

    url: str
    timeout: float
    """Seconds to wait for any one read or write."""
    connect_timeout: float
    max_connections: int
    """Calls in flight at once: a politeness limit, as KashFlow publishes none."""
    user_agent: str


class ConnectFailed(Exception):
    """No connection could be made: the request never left, so repeating it is safe."""


class ExchangeFailed(Exception):
    """The connection broke once the request may have been sent: its outcome is unknown."""


class Reply:
    """A response whose body is read at most once, whole or as it streams in."""

    def __init__(self, status: int, headers: Mapping[str, str], body: AsyncIterator[bytes]) -> None:
        self.status = status
        self.headers = headers
        """Header values by name; look names up in lower case."""
        self._body = body
        self._content: bytes | None = None

    async def aiter_bytes(self) -> AsyncIterator[bytes]:
        """The body's (decompressed) bytes as they arrive."""
        if self._content is not None:
            yield self._content
            return
        async for chunk in self._body:
            yield chunk

    async def aread(self) -> bytes:
        if self._content is None:
            self._content = b"".join([chunk async for chunk in self._body])
        return self._content

    @property
    def content(self) -> bytes:
        if self._content is None:
            raise RuntimeError("the reply body has not been read")
        return self._content


class Poster(Protocol):
    def post(
        self, body: bytes, headers: list[tuple[str, str]]
    ) -> AbstractAsyncContextManager[Reply]:
        """POST ``body`` to the endpoint; the reply is valid inside the context only."""
        ...

    async def aclose(self) -> None: ...


def open_poster(endpoint: Endpoint, transport: httpx.AsyncBaseTransport | None) -> Poster:
    """The lean pool for a direct connection; httpx for a given transport or a proxy."""
    if transport is None and not _proxied(endpoint.url):
        from .http11 import Http11Pool

        return Http11Pool(endpoint)
    return HttpxPoster(endpoint, transport)


def _proxied(url: str) -> bool:
    """Whether the environment sends ``url`` through a proxy (*_PROXY, minus NO_PROXY)."""
    import urllib.request

    proxies = urllib.request.getproxies()
    parts = urlsplit(url)
    if not (proxies.get(parts.scheme) or proxies.get("all")):
        return False
    return not urllib.request.proxy_bypass(parts.hostname or "")


class HttpxPoster:
    """POSTs through an ``httpx.AsyncClient``, its failures mapped onto ours."""

    def __init__(self, endpoint: Endpoint, transport: httpx.AsyncBaseTransport | None) -> None:
        import httpx

        self.url = endpoint.url
        limit = endpoint.max_connections
        self._client = httpx.AsyncClient(
            transport=transport,
            timeout=httpx.Timeout(endpoint.timeout, connect=endpoint.connect_timeout),
            limits=httpx.Limits(max_connections=limit, max_keepalive_connections=limit),
            headers={"User-Agent": endpoint.user_agent},
        )

    @asynccontextmanager
    async def post(self, body: bytes, headers: list[tuple[str, str]]) -> AsyncIterator[Reply]:
        import httpx

        try:
            async with self._client.stream(
                "POST", self.url, content=body, headers=headers
            ) as response:
                yield Reply(response.status_code, response.headers, response.aiter_bytes())
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise ConnectFailed(type(exc).__name__) from exc
        except httpx.TransportError as exc:
            raise ExchangeFailed(type(exc).__name__) from exc

    async def aclose(self) -> None:
        await self._client.aclose()
