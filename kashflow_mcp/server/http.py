"""Serving over SSE or Streamable HTTP, with the HTTP surface locked down.

- Host and Origin are checked on every request (DNS-rebinding protection), always configured
  explicitly: the SDK silently turns it off for non-localhost binds otherwise. We check them
  in front of the SDK's apps too, so a refused request is an answer, not an application error.
- Anything but loopback requires a bearer token of at least 32 characters (an empty one is no
  token); a token in the query string is refused (it would end up in proxy logs), and there is
  no access log to leak one.
- Request bodies are size-limited, and so is the number of open sessions: Streamable HTTP
  sessions also close after sitting idle, and an SSE session lasts as long as its stream.
"""

from __future__ import annotations

import contextlib
import hmac
import signal
from collections.abc import Iterator
from urllib.parse import parse_qs

import anyio
from mcp.server import MCPServer
from mcp.server.transport_security import TransportSecurityMiddleware, TransportSecuritySettings
from pydantic import SecretStr
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from ..config import LOOPBACK_HOSTS, Settings
from .app import ConfigurationError
from .nesting import SseNestingGuard
from .sessions import OpenStreamLimit, SessionLimitAnswer

MAX_REQUEST_BYTES = 1_000_000
MIN_TOKEN_CHARS = 32
_LOOPBACK_HOST_PATTERNS = ("127.0.0.1", "localhost", "[::1]")
_MAKE_A_TOKEN = 'make one with: python -c "import secrets; print(secrets.token_urlsafe(32))"'


def token_problem(token: str) -> str | None:
    """Why a bearer token is too weak to guard the books, or None (the token is never quoted)."""
    if len(token) < MIN_TOKEN_CHARS:
        return f"is {len(token)} characters long; it must have at least {MIN_TOKEN_CHARS}"
    if not all("!" <= char <= "~" for char in token):
        return "must be printable ASCII without spaces, as an HTTP header carries it"
    return None


def check_exposure(settings: Settings) -> None:
    if settings.auth_token is not None:
        problem = token_problem(settings.auth_token.get_secret_value())
        if problem is not None:
            raise ConfigurationError(
                f"the bearer token (--auth-token or KASHFLOW_MCP_TOKEN) {problem}; {_MAKE_A_TOKEN}"
            )
    elif not settings.is_loopback:
        raise ConfigurationError(
            f"refusing to listen on {settings.host} without a bearer token: set --auth-token "
            f"or KASHFLOW_MCP_TOKEN (loopback needs none; an empty one is none); {_MAKE_A_TOKEN}"
        )


def transport_security(settings: Settings) -> TransportSecuritySettings:
    hosts = list(_LOOPBACK_HOST_PATTERNS)
    if settings.host not in LOOPBACK_HOSTS and settings.host not in ("0.0.0.0", "::"):
        hosts.append(settings.host)
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=[pattern for host in hosts for pattern in (host, f"{host}:*")],
        allowed_origins=[f"{scheme}://{host}:*" for host in hosts for scheme in ("http", "https")]
        + [f"{scheme}://{host}" for host in hosts for scheme in ("http", "https")],
    )


class HostOriginGuard:
    """Answers a foreign Host (421) or Origin (403) itself, before the SDK's app sees it."""

    def __init__(self, app: ASGIApp, security: TransportSecuritySettings) -> None:
        self.app = app
        self._check = TransportSecurityMiddleware(security)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            refusal = await self._check.validate_request(Request(scope), is_post=False)
            if refusal is not None:
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)


_TOKEN_PARAMETERS = frozenset({"token", "access_token", "auth", "auth_token", "bearer", "api_key"})


class BearerTokenGuard:
    """Rejects HTTP requests that do not carry ``Authorization: Bearer <token>``."""

    def __init__(self, app: ASGIApp, token: SecretStr) -> None:
        if not token.get_secret_value().strip():
            # An empty token would let the bare "Authorization: Bearer" in.
            raise ValueError("a bearer token cannot be empty")
        self.app = app
        self._token = token.get_secret_value().encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._token_in_url(scope):
            await _reply(send, 400, b"tokens are not accepted in the URL; use Authorization")
            return
        scheme, _, presented = dict(scope["headers"]).get(b"authorization", b"").partition(b" ")
        if scheme.lower() != b"bearer" or not hmac.compare_digest(presented, self._token):
            await _reply(send, 401, b"missing or wrong bearer token", challenge=True)
            return
        await self.app(scope, receive, send)

    def _token_in_url(self, scope: Scope) -> bool:
        """A token-like parameter, or our token under any name at all."""
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if {name.lower() for name in query} & _TOKEN_PARAMETERS:
            return True
        values = [value.encode("latin-1") for found in query.values() for value in found]
        return any(hmac.compare_digest(value, self._token) for value in values)


async def _reply(send: Send, status: int, body: bytes, *, challenge: bool = False) -> None:
    headers = [(b"content-type", b"text/plain; charset=utf-8")]
    if challenge:
        headers.append((b"www-authenticate", b'Bearer realm="kashflow-mcp"'))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def http_app(server: MCPServer, settings: Settings) -> ASGIApp:
    check_exposure(settings)
    security = transport_security(settings)
    if settings.transport == "sse":
        app: ASGIApp = server.sse_app(
            transport_security=security,
            host=settings.host,
            max_request_body_size=MAX_REQUEST_BYTES,
        )
        app = SseNestingGuard(app, MAX_REQUEST_BYTES)  # answers what the SDK cannot parse
        app = OpenStreamLimit(app, settings.max_sessions)
    else:
        app = server.streamable_http_app(
            transport_security=security,
            host=settings.host,
            max_request_body_size=MAX_REQUEST_BYTES,
            max_sessions=settings.max_sessions,
            session_idle_timeout=settings.session_idle_timeout,
        )
        app = SessionLimitAnswer(app, settings.max_sessions, settings.session_idle_timeout)
    app = HostOriginGuard(app, security)
    if settings.auth_token is not None:
        app = BearerTokenGuard(app, settings.auth_token)
    return app


GRACEFUL_SHUTDOWN_SECONDS = 10


async def serve_http(server: MCPServer, settings: Settings) -> None:
    """Serve until SIGTERM or SIGINT; calls in flight get a bounded time to finish, then exit 0.

    uvicorn's own handling re-raises the signal after shutting down, which makes a clean stop
    look like a crash to process supervisors; we take the signals ourselves instead.
    """
    import uvicorn

    class _Server(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            yield

    web = _Server(
        uvicorn.Config(
            http_app(server, settings),
            host=settings.host,
            port=settings.port,
            log_level=settings.log_level.lower(),
            access_log=False,  # request lines can carry what must not be logged
            log_config=None,  # uvicorn's records go to our handlers, which redact secrets
            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
        )
    )

    async def stop_on_signal() -> None:
        with anyio.open_signal_receiver(signal.SIGTERM, signal.SIGINT) as signals:
            async for _ in signals:
                # A second signal stops at once, without waiting for calls in flight.
                web.force_exit = web.should_exit
                web.should_exit = True

    async with anyio.create_task_group() as group:
        group.start_soon(stop_on_signal)
        await web.serve()
        group.cancel_scope.cancel()
