"""Fault injection, so tests and benchmarks can see the sandbox fail the ways a network does.

Rules are consumed in order: each arriving request takes the first rule naming its operation
(or ``*``), which then has one use fewer (``times=-1``: forever). A rule can delay the answer,
replace it with an HTTP status (429/503 with ``Retry-After``), refuse it with a chosen
``Status=NO`` reason (to play an account whose API is switched off, say), or let the operation
commit and then drop the connection without answering - the case where a client cannot know
whether its write happened. Every request is counted per operation, so a test can prove a write
was sent exactly once.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from starlette.responses import PlainTextResponse, Response
from starlette.types import Receive, Scope, Send

MAX_LATENCY = 300.0


@dataclass(frozen=True)
class FaultRule:
    operation: str = "*"
    times: int = 1
    latency: float = 0.0
    status: int | None = None
    retry_after: int | None = None
    drop_after_commit: bool = False
    refuse: str | None = None
    """Answer ``Status=NO`` with this StatusDetail instead of running the operation."""

    def __post_init__(self) -> None:
        if not self.operation:
            raise ValueError("operation must be an operation name or '*'")
        if self.times != -1 and self.times < 1:
            raise ValueError("times must be 1 or more, or -1 for every request")
        if not 0 <= self.latency <= MAX_LATENCY:
            raise ValueError(f"latency must be from 0 to {MAX_LATENCY:g} seconds")
        if self.status is not None and not 400 <= self.status <= 599:
            raise ValueError("status must be an HTTP error status, 400 to 599")
        if self.retry_after is not None and self.retry_after < 0:
            raise ValueError("retry_after must be 0 or more seconds")
        outcomes = (self.status is not None, self.drop_after_commit, self.refuse is not None)
        if sum(outcomes) > 1:
            raise ValueError("a rule forces a status, refuses, or drops after commit: one only")

    @classmethod
    def from_json(cls, data: Any) -> FaultRule:
        """A rule from a JSON object, strictly: unknown keys and wrong types are refused."""
        if not isinstance(data, Mapping):
            raise ValueError("a fault rule must be a JSON object")
        types: dict[str, tuple[type, ...]] = {
            "operation": (str,),
            "times": (int,),
            "latency": (int, float),
            "status": (int, type(None)),
            "retry_after": (int, type(None)),
            "drop_after_commit": (bool,),
            "refuse": (str, type(None)),
        }
        for key, value in data.items():
            allowed = types.get(key)
            if allowed is None:
                raise ValueError(f"unknown fault rule field {key!r}")
            # JSON true/false must not pass for a number, nor a number for a flag.
            if isinstance(value, bool) != (key == "drop_after_commit") or not isinstance(
                value, allowed
            ):
                raise ValueError(f"{key} has the wrong type")
        return cls(**data)

    def matches(self, operation: str) -> bool:
        return self.operation in ("*", operation)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class FaultInjector:
    """The rules waiting to fire and the count of requests per operation."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[list[Any]] = []  # [rule, uses left]
        self.counts: Counter[str] = Counter()

    def add(self, rule: FaultRule) -> None:
        with self._lock:
            self._rules.append([rule, rule.times])

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    @property
    def rules(self) -> list[FaultRule]:
        with self._lock:
            return [rule for rule, _ in self._rules]

    def arrived(self, operation: str) -> FaultRule | None:
        """Count a request and take the rule it meets, if any."""
        with self._lock:
            self.counts[operation] += 1
            for entry in self._rules:
                rule, left = entry
                if rule.matches(operation):
                    if left != -1:
                        entry[1] = left - 1
                        if entry[1] == 0:
                            self._rules.remove(entry)
                    return rule
        return None


def forced_response(rule: FaultRule) -> Response:
    assert rule.status is not None
    headers = {"Retry-After": str(rule.retry_after)} if rule.retry_after is not None else {}
    return PlainTextResponse(
        f"Sandbox fault injection: HTTP {rule.status}", status_code=rule.status, headers=headers
    )


class ConnectionDropped(Exception):
    """Raised once a response has started: the server can only close the socket."""


class DropConnection(Response):
    """Announce a response, then abandon it: the client sees the connection die mid-answer."""

    def __init__(self) -> None:
        super().__init__(status_code=200)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/xml; charset=utf-8")],
            }
        )
        raise ConnectionDropped("sandbox fault injection: connection dropped after commit")


class _QuietDrops(logging.Filter):
    """Keep uvicorn from logging a traceback for every connection we drop on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], ConnectionDropped))


_QUIET_DROPS = _QuietDrops()


def quiet_dropped_connections() -> None:
    logging.getLogger("uvicorn.error").addFilter(_QUIET_DROPS)
