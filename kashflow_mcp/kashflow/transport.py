"""KashFlow over HTTP: the one pooled httpx client a caller uses, and whether a request left.

Every call goes through ``httpx.AsyncClient``: to KashFlow directly or through a proxy the
environment names, and to the in-process sandbox or a test's transport when one is handed in,
so tests exercise the same code as production (transports are the test seam, as in httpx).

When a request fails, what matters is whether it can have reached KashFlow: a request that
never got a connection from the pool, or whose connection never opened, did nothing and may be
sent again; once it may have left, a write's outcome is unknown. ``Attempt`` tells them apart.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

KEEPALIVE_EXPIRY = 5.0
"""Seconds an idle connection is trusted; servers close theirs after 5 s to 2 min."""
CONNECT_TIMEOUT = 10.0
"""Seconds to wait for a connection to open (TLS included), at most."""


def open_http(
    *,
    timeout: float,
    max_connections: int,
    user_agent: str,
    transport: httpx.AsyncBaseTransport | None,
) -> httpx.AsyncClient:
    """A keep-alive HTTP/1.1 client holding at most ``max_connections`` connections.

    ``timeout`` bounds each read, each write and the wait for a free connection. Without a
    ``transport``, httpx reads the environment (``trust_env``): HTTPS is verified against
    ``SSL_CERT_FILE``, else ``SSL_CERT_DIR``, else certifi's roots, and a proxy named in
    ``HTTPS_PROXY`` / ``HTTP_PROXY`` / ``ALL_PROXY`` carries the calls, except to hosts in
    ``NO_PROXY``.
    """
    import httpx  # here, not at import: a server's start-up does not need it yet

    return httpx.AsyncClient(
        transport=transport,
        trust_env=True,
        timeout=httpx.Timeout(timeout, connect=min(timeout, CONNECT_TIMEOUT)),
        # A bounded pool is our politeness limit: KashFlow publishes no rate limit.
        limits=httpx.Limits(
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            keepalive_expiry=KEEPALIVE_EXPIRY,
        ),
        # gzip only: a long customer list shrinks tenfold, and httpx unpacks it as it streams.
        headers={"User-Agent": user_agent, "Accept-Encoding": "gzip"},
    )


class Attempt:
    """One request on its way, watched for the moment it may have left this machine.

    httpcore, which carries httpx's own connections, reports each step of a request through
    the ``trace`` extension: waiting for the pool and connecting report nothing that sends,
    and the request may have left once its headers start going out (a proxy's ``CONNECT``
    aside). A transport handed in (the in-process sandbox, a test's) reports nothing, so
    there a request counts as possibly sent from the start.
    """

    def __init__(self, *, traced: bool) -> None:
        self.may_have_left = not traced
        self.extensions: dict[str, Any] = {"trace": self._trace} if traced else {}

    async def _trace(self, event: str, info: Mapping[str, Any]) -> None:
        if event.endswith(".send_request_headers.started"):
            request = info.get("request")
            if getattr(request, "method", None) != b"CONNECT":
                self.may_have_left = True

    def never_sent(self, exc: BaseException) -> str | None:
        """Why the request failed without ever leaving, or None when it may have left.

        ``exc`` is an httpx error, or the ``TimeoutError`` of the call's deadline.
        """
        import httpx

        if isinstance(exc, httpx.PoolTimeout):
            return "no connection to KashFlow came free in time (PoolTimeout)"
        if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
            if untrusted := _certificate_refusal(exc):
                return (
                    f"could not connect to KashFlow: its certificate is not trusted ({untrusted})"
                )
            return f"could not connect to KashFlow ({type(exc).__name__})"
        if isinstance(exc, httpx.ProxyError):
            return f"the proxy would not carry it to KashFlow ({type(exc).__name__})"
        if isinstance(exc, httpx.UnsupportedProtocol):
            return "the KashFlow URL is not http:// or https://"
        if isinstance(exc, TimeoutError) and not self.may_have_left:
            return "the call's deadline passed while it waited for a connection to KashFlow"
        return None


def _certificate_refusal(exc: BaseException) -> str | None:
    """OpenSSL's reason when ``exc`` came from a certificate that failed verification."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return seen.verify_message or "verification failed"
        seen = seen.__cause__ or seen.__context__
    return None
