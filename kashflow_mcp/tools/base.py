"""What every tool is made of, and what it may use while it runs.

A tool is a ``ToolSpec``: its name, description, argument and result models, its four
annotations and an async handler. Handlers receive validated arguments and a ``ToolEnv`` and
return a ``ToolResult`` (structured data plus a compact text rendering). Failures a model
should read are raised as ``ToolFailure``; KashFlow errors are translated by the server.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel

from ..kashflow import KashFlowClient
from ..schemas.common import ArgsModel, ResultModel


class ToolFailure(Exception):
    """A failure worth telling the model: what failed, why, and what to do next."""


@dataclass(frozen=True)
class Approval:
    """Whether a destructive call may act: by a redeemed token, or the user's own answer."""

    approved: bool
    token: str | None = None
    expires_in: int | None = None
    declined: bool = False
    """The user was asked and said no."""


Ask = Callable[[str], Awaitable[bool | None]]
"""Asks the user a yes/no question: True, False, or None when no answer can be had."""


class Confirmations(Protocol):
    """Mints and redeems single-use confirmation tokens (implemented by the server)."""

    def review(
        self,
        tool: str,
        args: Mapping[str, Any],
        state: str,
        token: str | None,
        *,
        session: str = "",
    ) -> Approval: ...


RecordKey = tuple[str, int | str]
"""A KashFlow record as locks know it: its kind ("customer", "invoice") and its id or number."""


class LockBusy(ToolFailure):
    """Another call through this server kept a record locked for too long: nothing was sent."""

    def __init__(self, key: RecordKey, waited: float) -> None:
        kind, ident = key
        super().__init__(
            f"Another change to {kind} {ident} through this server was still in progress after "
            f"{waited:g}s, so nothing was sent. Try again in a moment."
        )


class RecordLocks(Protocol):
    """Serialises writes to one record within this server (implemented by the server)."""

    def hold(
        self, write: Iterable[RecordKey] = (), read: Iterable[RecordKey] = ()
    ) -> AbstractAsyncContextManager[None]:
        """Hold ``write`` exclusively and ``read`` shared, for the duration of the block."""
        ...


class ListCache(Protocol):
    """A short-lived cache of whole KashFlow lists, so paging does not refetch them."""

    async def get_or_load(
        self, key: str, load: Callable[[], Awaitable[Any]]
    ) -> tuple[Any, float]: ...

    def invalidate(self) -> None: ...


@dataclass
class ToolEnv:
    client: KashFlowClient
    confirmations: Confirmations
    cache: ListCache
    locks: RecordLocks
    allowed_operations: frozenset[str] = frozenset()
    read_only: bool = False
    max_body_bytes: int = 64_000
    max_result_chars: int = 60_000
    call_deadline: float = 45.0
    """Seconds one tool call may take, however many KashFlow calls it makes."""
    session: str = ""
    """The MCP session making this call ("" where there is only one); tokens are bound to it."""
    ask: Ask | None = None
    """Set for calls whose client can put a question to its user (MCP elicitation)."""
    ask_timeout: float | None = 120.0
    """Seconds to wait for the user's answer; None: never ask, always use tokens."""
    hidden_operations: Mapping[str, str] = field(default_factory=dict)
    """Operation -> the turned-off tool that performs it; call_kashflow_api refuses these."""
    offered_operations: frozenset[str] | None = None
    """The operations the backend answers (the sandbox's own); None: all, as live KashFlow."""


@dataclass(frozen=True)
class ToolResult:
    data: ResultModel
    text: str


Handler = Callable[[Any, ToolEnv], Awaitable[ToolResult]]


@dataclass(frozen=True)
class ToolSpec:
    name: str
    title: str
    description: str
    args: type[ArgsModel]
    result: type[BaseModel]
    handler: Handler
    read_only: bool
    destructive: bool
    idempotent: bool
    open_world: bool = True
    guards_itself: bool = False
    """Enforces read-only mode per call (call_kashflow_api) instead of being hidden."""
    operations: tuple[str, ...] = ()
    """The KashFlow operations that embody what the tool does: when the tool is turned off,
    call_kashflow_api refuses them too (unless a tool still on performs them)."""

    @property
    def hidden_when_read_only(self) -> bool:
        return not self.read_only and not self.guards_itself
