"""Sending one SOAP operation to KashFlow: the HTTP exchange, retries and error mapping.

One pooled ``httpx.AsyncClient`` per caller (see ``transport``). Credentials are injected
here and nowhere else. Reads are retried with capped, jittered backoff within a deadline; a
write is never re-sent once the request may have reached KashFlow - a lost answer becomes
``OutcomeUnknownError`` so the caller can look the record up instead of creating it twice.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import anyio
from pydantic import SecretStr

from .catalogue import Kind, Operation, get_operation
from .codec import SoapFault, SoapResponse, decode_response, encode_request
from .errors import (
    KashFlowError,
    OutcomeUnknownError,
    SoapFaultError,
    TransportError,
    error_from_status,
    sent_values,
)
from .retry import RETRYABLE_STATUS, RetryPolicy, retry_after_seconds
from .stream import ListReader, collector_paused
from .transport import Attempt, open_http

if TYPE_CHECKING:
    import httpx

T = TypeVar("T")

logger = logging.getLogger(__name__)

KASHFLOW_API_URL = "https://securedwebapp.com/api/service.asmx"
USER_AGENT = "kashflow-mcp"


class SoapCaller:
    """Sends operations from the catalogue and returns their decoded outputs."""

    def __init__(
        self,
        *,
        username: str,
        password: SecretStr | str,
        url: str = KASHFLOW_API_URL,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        max_connections: int = 8,
    ) -> None:
        self._username = username
        self._password = password if isinstance(password, SecretStr) else SecretStr(password)
        self.url = url
        self.retry = retry or RetryPolicy()
        self.transport = transport
        self._timeout = timeout
        self._max_connections = max_connections
        self._client: httpx.AsyncClient | None = None

    @property
    def _http(self) -> httpx.AsyncClient:
        """The pooled HTTP client, made on first use: building its TLS context costs a server
        start-up some 30 ms, before any tool has been called."""
        if self._client is None:
            self._client = open_http(
                timeout=self._timeout,
                max_connections=self._max_connections,
                user_agent=USER_AGENT,
                transport=self.transport,
            )
        return self._client

    def __repr__(self) -> str:
        return f"{type(self).__name__}(url={self.url!r}, username={self._username!r})"

    async def __aenter__(self) -> SoapCaller:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
        elif self.transport is not None:
            await self.transport.aclose()

    async def call(
        self, operation: str | Operation, params: Mapping[str, Any] | None = None
    ) -> Any:
        """The operation's result (its ``<Op>Result``), or all outputs for multi-output ones."""
        op = operation if isinstance(operation, Operation) else _known(operation)
        outputs = await self.call_outputs(op, params or {})
        if len(op.outputs) == 1:
            return outputs.get(op.outputs[0][0])
        return outputs if op.outputs else None

    async def call_outputs(self, op: Operation, params: Mapping[str, Any]) -> dict[str, Any]:
        with _noting(op):
            content = await self._exchange(op, self._envelope(op, params), _read_all)
            return _outputs(op, decode_response(op, content), (params, self._username))

    async def call_list(
        self,
        operation: str,
        params: Mapping[str, Any] | None = None,
        fields: frozenset[str] | None = None,
    ) -> list[dict[str, Any]]:
        """A list result read as it streams in; with ``fields``, only those of each record."""
        op = _known(operation)

        async def read(response: httpx.Response) -> SoapResponse | SoapFault:
            reader = ListReader(op, fields)
            with collector_paused():
                async for chunk in response.aiter_bytes():
                    reader.feed(chunk)
            return reader.finish()

        with _noting(op):
            decoded = await self._exchange(op, self._envelope(op, params or {}), read)
            outputs = _outputs(op, decoded, (params, self._username))
        return list(outputs.get(op.outputs[0][0]) or [])

    def _envelope(self, op: Operation, params: Mapping[str, Any]) -> bytes:
        password = self._password.get_secret_value()
        return encode_request(op, params, username=self._username, password=password)

    async def _exchange(
        self,
        op: Operation,
        body: bytes,
        consume: Callable[[httpx.Response], Awaitable[T]],
    ) -> T:
        """POST the envelope and ``consume`` the answer, retrying what is safe to retry.

        The deadline covers the whole exchange: the wait for a free connection, connecting,
        sending and reading the answer.
        """
        import httpx

        repeatable = op.kind is Kind.READ
        headers = [
            ("Content-Type", "text/xml; charset=utf-8"),
            ("SOAPAction", f'"{op.soap_action}"'),
        ]
        deadline = anyio.current_time() + self.retry.deadline
        failures = 0
        while True:
            retry_after: float | None = None
            attempt = Attempt(traced=self.transport is None)
            try:
                with anyio.fail_after(max(0.0, deadline - anyio.current_time())):
                    async with self._http.stream(
                        "POST",
                        self.url,
                        content=body,
                        headers=headers,
                        extensions=attempt.extensions,
                    ) as response:
                        status = response.status_code
                        if status in RETRYABLE_STATUS:
                            await response.aread()
                        if status not in RETRYABLE_STATUS or _is_soap_fault(response):
                            return await consume(response)
                        retry_after = retry_after_seconds(response.headers.get("retry-after"))
            except (httpx.RequestError, TimeoutError) as exc:
                unsent = attempt.never_sent(exc)
                cause = type(exc).__name__
                if unsent is not None:
                    # The request never left: repeating it cannot duplicate anything.
                    failure: KashFlowError = TransportError(
                        f"{op.name} was not sent: {unsent}", operation=op.name
                    )
                elif not repeatable:
                    raise _outcome_unknown(op, cause) from None
                else:
                    failure = TransportError(
                        f"KashFlow did not answer {op.name} ({cause})", operation=op.name
                    )
            else:
                if not repeatable:
                    raise _write_not_answered(op, status, retry_after)
                failure = TransportError(
                    f"KashFlow answered {op.name} with HTTP {status}",
                    operation=op.name,
                    retry_after=retry_after,
                )
            failures += 1
            wait = self.retry.backoff(failures, retry_after)
            remaining = deadline - anyio.current_time()
            if failures >= self.retry.attempts or wait >= remaining:
                logger.warning("%s failed after %d attempt(s): %s", op.name, failures, failure)
                raise failure
            logger.info("%s failed (%s); retrying in %.2fs", op.name, failure, wait)
            await anyio.sleep(wait)


@dataclass(frozen=True)
class Applied:
    """A write KashFlow applied (``certain``), or may have applied (its answer was lost)."""

    operation: str
    certain: bool


@dataclass(frozen=True)
class _Writes:
    applied: list[Applied]
    on_write: Callable[[], None] | None

    def note(self, write: Applied) -> None:
        self.applied.append(write)
        if self.on_write is not None:
            self.on_write()


_writes: ContextVar[_Writes | None] = ContextVar("kashflow_writes_applied", default=None)


@contextmanager
def writes_applied(on_write: Callable[[], None] | None = None) -> Iterator[list[Applied]]:
    """The writes KashFlow applied, or may have, while the block runs: once one has, a later
    failure must not be reported as if nothing had changed. ``on_write`` is called as soon as
    each is noted (what was read before it may no longer hold)."""
    writes = _Writes([], on_write)
    token = _writes.set(writes)
    try:
        yield writes.applied
    finally:
        _writes.reset(token)


@contextmanager
def _noting(op: Operation) -> Iterator[None]:
    """Note ``op`` in the current ``writes_applied`` when it is a write that took effect."""
    writes = _writes.get()
    if writes is None or op.kind is Kind.READ:
        yield
        return
    try:
        yield
    except OutcomeUnknownError:
        writes.note(Applied(op.name, certain=False))
        raise
    writes.note(Applied(op.name, certain=True))


async def _read_all(response: httpx.Response) -> bytes:
    return await response.aread()


def _outputs(
    op: Operation, decoded: SoapResponse | SoapFault, sent: tuple[Any, ...]
) -> dict[str, Any]:
    """The decoded outputs, or the error; ``sent`` is what the request carried (for its echo)."""
    if isinstance(decoded, SoapFault):
        raise SoapFaultError(decoded.message, operation=op.name)
    if not decoded.ok:
        raise error_from_status(op.name, decoded.detail, sent_values(*sent))
    return decoded.outputs


def _known(name: str) -> Operation:
    op = get_operation(name)
    if op is None:
        raise KashFlowError(f"{name!r} is not a KashFlow API operation")
    return op


def _is_soap_fault(response: httpx.Response) -> bool:
    # KashFlow returns malformed-request faults as HTTP 500: an answer, not an outage.
    return response.status_code == 500 and b"Fault>" in response.content[:4096]


def _outcome_unknown(op: Operation, cause: str) -> OutcomeUnknownError:
    return OutcomeUnknownError(
        f"{op.name} was sent but no answer came back ({cause}); KashFlow may or may not have "
        "applied it. It was not re-sent.",
        operation=op.name,
    )


def _write_not_answered(op: Operation, status: int, retry_after: float | None) -> KashFlowError:
    if status in (429, 503):
        # Throttled or unavailable: the service turned the request away before doing it. When
        # to try again travels as ``retry_after``; whoever tells the user says it, once.
        return TransportError(
            f"KashFlow was busy (HTTP {status}) and did not process {op.name}.",
            operation=op.name,
            retry_after=retry_after,
        )
    return _outcome_unknown(op, f"HTTP {status}")
