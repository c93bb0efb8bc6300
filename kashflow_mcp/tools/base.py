"""What every tool is made of, and what it may use while it runs.

A tool is a ``ToolSpec``: what the model is shown of it (name, title, description), its
toolset, its kind (from which its four annotations follow), and where its handler is. The
handler is an ``Implementation``: an async function with the argument and result models it is
declared with (``@handles(Args, Result)``). It receives validated arguments and a ``ToolEnv``
and returns a ``ToolResult`` (structured data plus a compact text rendering). Failures a model
should read are raised as ``ToolFailure``; KashFlow errors are translated by the server.

A spec names its handler rather than holding it, so that the declarations of every tool load
without the code behind them: a server lists its tools (from the schemas shipped ready-made)
without importing any area's handlers, models or KashFlow records, and each area is imported
on the first call of one of its tools.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from importlib import import_module
from typing import TYPE_CHECKING, Any, Protocol

from ..kashflow.catalogue import OPERATIONS
from ..kashflow.catalogue import Kind as OperationKind
from .core.sightings import Sightings

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ..kashflow import KashFlowClient
    from ..schemas.common import ArgsModel, ResultModel
    from .core.reconcile import Creations


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


@dataclass(frozen=True)
class AccountInfo:
    """One KashFlow account the server keeps the books of, as the model may be told of it."""

    name: str
    title: str
    read_only: bool = False


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
    creations: Creations
    """Records being created by this server's calls, per owner (to reconcile lost answers)."""
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
    account: str = ""
    """The account these are the books of ("" on a server of one account)."""
    accounts: tuple[AccountInfo, ...] = ()
    """Every account the server keeps the books of, on a server of several."""
    offered_operations: frozenset[str] | None = None
    """The operations the backend answers (the sandbox's own); None: all, as live KashFlow."""
    sightings: Sightings = field(default_factory=Sightings)
    """Which invoice each payment was last seen on (KashFlow cannot read a payment alone)."""


@dataclass(frozen=True)
class ToolResult:
    data: ResultModel
    text: str


Handler = Callable[[Any, ToolEnv], Awaitable[ToolResult]]


@dataclass(frozen=True)
class Implementation:
    """What runs a tool: its handler, and the models its arguments and result are held to."""

    args: type[ArgsModel]
    result: type[BaseModel]
    handler: Handler


def handles(args: type[ArgsModel], result: type[BaseModel]) -> Callable[[Handler], Implementation]:
    """Declare a handler with its argument and result models: ``@handles(Args, Result)``."""

    def declare(handler: Handler) -> Implementation:
        return Implementation(args, result, handler)

    return declare


class Kind(StrEnum):
    """What a tool does to the books. Its four MCP annotations follow from it, so a tool cannot
    claim an impossible combination (read-only yet destructive, say)."""

    READ = "read"
    """Reads only."""
    WRITE = "write"
    """Adds to the books; repeating it adds again."""
    OVERWRITE = "overwrite"
    """Changes fields of a record; repeating it changes nothing more."""
    DESTRUCTIVE = "destructive"
    """Removes records: previews first and acts only once confirmed."""
    GUARDED = "guarded"
    """May do any of these (the generic call): it checks each call itself, read-only mode too."""


@dataclass(frozen=True)
class Toolset:
    """A group of tools the operator turns on or off together (``--toolsets``)."""

    name: str
    description: str
    default: bool
    """On unless the operator chooses toolsets."""
    instructions: str
    """What the model needs to know to use this toolset's tools well."""


@dataclass(frozen=True)
class ToolSpec:
    name: str
    title: str
    description: str
    runs: str
    """Its handler, as "module:name" under ``kashflow_mcp.tools``, e.g.
    ``"customers.handlers:list_customers"``: imported on the tool's first call, not at start-up."""
    toolset: Toolset
    kind: Kind
    operations: tuple[str, ...] = ()
    """The KashFlow operations that embody what the tool does: when the tool is turned off,
    call_kashflow_api refuses them too (unless a tool still on performs them)."""

    @cached_property
    def implementation(self) -> Implementation:
        module, _, name = self.runs.partition(":")
        found = getattr(import_module(f"{__package__}.{module}"), name, None)
        if not isinstance(found, Implementation):
            raise TypeError(f"{self.name} runs {self.runs}, which is not a @handles handler")
        return found

    @property
    def loaded(self) -> bool:
        """Whether its handler has been imported (``implementation`` was asked for)."""
        return "implementation" in self.__dict__

    @property
    def args(self) -> type[ArgsModel]:
        return self.implementation.args

    @property
    def result(self) -> type[BaseModel]:
        return self.implementation.result

    async def run(self, args: ArgsModel, env: ToolEnv) -> ToolResult:
        return await self.implementation.handler(args, env)

    @property
    def needs_allowing(self) -> tuple[str, ...]:
        """The restricted operations it performs (they send mail, hand out logins or change the
        account): the tool is offered only once the operator allows each of them by name
        (``--allow-operation``), as call_kashflow_api sends them only then. Never by default."""
        return tuple(
            name
            for name in self.operations
            if name in OPERATIONS and OPERATIONS[name].kind is OperationKind.RESTRICTED
        )

    def offered_with(self, allowed: Iterable[str]) -> bool:
        """Whether the operator, allowing ``allowed``, has allowed all the tool needs."""
        return set(self.needs_allowing) <= set(allowed)

    @property
    def read_only(self) -> bool:
        return self.kind is Kind.READ

    @property
    def destructive(self) -> bool:
        """MCP's sense: it may overwrite or remove what is there."""
        return self.kind in (Kind.OVERWRITE, Kind.DESTRUCTIVE, Kind.GUARDED)

    @property
    def idempotent(self) -> bool:
        return self.kind in (Kind.READ, Kind.OVERWRITE)

    @property
    def hidden_when_read_only(self) -> bool:
        """Left out of a read-only server; the generic call stays and refuses writes itself."""
        return self.kind not in (Kind.READ, Kind.GUARDED)
