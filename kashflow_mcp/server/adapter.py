"""Turning a ``ToolSpec`` into an SDK tool that runs on the books of the account it names.

The SDK's own argument handling drops unknown arguments and reports pydantic's raw text; ours
validates against the spec's model (extra arguments forbidden) and names each bad field in
one line (``errors``). KashFlow errors become ``isError`` results saying what failed and what
to do next; anything unexpected becomes a bare "Error executing tool X", details in the log.
Every call that could change the books is audited before it acts and after.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import anyio
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from mcp.server.mcpserver.tools import Tool
from mcp.server.mcpserver.utilities.func_metadata import ArgModelBase, FuncMetadata
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from mcp_types.version import MODERN_PROTOCOL_VERSIONS
from pydantic import PrivateAttr, ValidationError

from ..kashflow import KashFlowError, writes_applied
from ..tools.base import Ask, ToolEnv, ToolFailure, ToolResult, ToolSpec
from .audit import AuditLog, AuditUnavailable, result_ids, result_outcome
from .books import AccountArgument
from .errors import (
    AfterWrites,
    after_writes,
    describe_kashflow_error,
    describe_validation,
    outcome_of,
    reason,
    timed_out,
)
from .json_schema import tool_schemas
from .redaction import Redactor

if TYPE_CHECKING:
    from ..schemas.common import ArgsModel

logger = logging.getLogger(__name__)


class KashFlowTool(Tool):
    """An SDK tool that runs a ``ToolSpec`` handler with our validation and error mapping, on
    the books of the account the call names (the only one, on a server of one account)."""

    # Private: pydantic must not try to validate or serialise these plain objects.
    _spec: ToolSpec = PrivateAttr()
    _envs: dict[str, ToolEnv] = PrivateAttr()
    _accounts: AccountArgument | None = PrivateAttr(default=None)
    _audit: AuditLog | None = PrivateAttr(default=None)
    _redact: Redactor = PrivateAttr(default_factory=Redactor)

    @property
    def spec(self) -> ToolSpec:
        return self._spec

    @property
    def env(self) -> ToolEnv:
        """The first account's environment (on a server of one account, its only one)."""
        return next(iter(self._envs.values()))

    @classmethod
    def build(
        cls,
        spec: ToolSpec,
        env: ToolEnv | dict[str, ToolEnv],
        audit: AuditLog | None = None,
        redactor: Redactor | None = None,
        accounts: AccountArgument | None = None,
    ) -> KashFlowTool:
        """``env`` is the tools' environment, or one per account (then ``accounts`` says how a
        call names one)."""
        # From the shipped schemas: the tool's area is imported on its first call, not here.
        parameters, output_schema = tool_schemas(spec)
        if accounts is not None:
            parameters, output_schema = (
                accounts.arguments(parameters),
                accounts.result(output_schema),
            )
        tool = cls(
            fn=spec.run,
            name=spec.name,
            title=spec.title,
            description=spec.description,
            parameters=parameters,
            # ``run`` checks the arguments against the spec's own model, loaded on first call.
            fn_metadata=FuncMetadata(arg_model=ArgModelBase, output_schema=output_schema),
            is_async=True,
            annotations=ToolAnnotations(
                read_only_hint=spec.read_only,
                destructive_hint=spec.destructive,
                idempotent_hint=spec.idempotent,
                # Every tool reaches KashFlow: openWorldHint keeps the default, true.
            ),
        )
        tool._spec = spec
        tool._envs = env if isinstance(env, dict) else {"": env}
        tool._accounts = accounts
        if redactor is not None:
            tool._redact = redactor
        # Only calls that could change the books are audited.
        tool._audit = None if spec.read_only else audit
        return tool

    async def run(
        self, arguments: dict[str, Any], context: Any, convert_result: bool = False
    ) -> CallToolResult:
        call: str | None = None  # the audit log's id for this call, once it is attempted
        account, env = "", self.env
        await self._load()
        try:
            if self._accounts is not None:
                account, rest = self._accounts.split(arguments)
                env = self._envs[account]
            else:
                rest = arguments
            args = self._validated(rest, env)
            call = await self._attempt(arguments)
            result = await self._run(args, env, session_of(context), context)
        except ToolError as exc:
            await self._record(call, arguments, outcome_of(exc), str(exc))
            # KashFlow's reasons are passed on verbatim: bound them like any result, and keep
            # hidden characters and our own secrets out. (The models' text rules are imported
            # only now: start-up imports no model.)
            from ..schemas.values import clean_text

            message = self._redact.text(clean_text(str(exc)))[: env.max_result_chars]
            if account:
                message = f"account {account}: {message}"
            if message == str(exc):
                raise
            raise type(exc)(message) from exc.__cause__
        structured = result.data.model_dump(mode="json", exclude_none=True)
        outcome, detail = result_outcome(arguments, structured, result.text)
        await self._record(call, arguments, outcome, detail, result_ids(structured))
        text = self._redact.text(result.text)
        if len(text) > env.max_result_chars:
            text = text[: env.max_result_chars] + "\n(text truncated; see structured content)"
        if account and self._accounts is not None:
            structured = {"account": account, **structured}
            text = f"{self._accounts.heading(account)}\n{text}"
        return CallToolResult(
            content=[TextContent(type="text", text=text)],
            structured_content=self._redact.data(structured),
        )

    async def _load(self) -> None:
        """Import the tool's handler and models on its first call, in a worker thread, so the
        event loop goes on serving other sessions meanwhile. A handler that cannot be loaded
        is a bare "Error executing tool", its reason in the log only."""
        if self.spec.loaded:
            return
        try:
            await anyio.to_thread.run_sync(lambda: self.spec.implementation)
        except Exception as exc:
            logger.exception("%s: its handler %s could not be loaded", self.name, self.spec.runs)
            raise UnexpectedToolError(f"Error executing tool {self.name}") from exc

    def _asker(self, context: Any, deadline: anyio.CancelScope, env: ToolEnv) -> Ask | None:
        """A way to ask this call's user yes or no, if the client offers one (elicitation).

        Only sessions with a back-channel can be asked: the stateless protocol cannot. The
        user's time does not count against the call's deadline, and a client that never
        answers is given up on after ``ask_timeout``: the call then falls back to a token.
        """
        timeout = env.ask_timeout
        try:
            request = context.request_context
        except (AttributeError, ValueError):
            return None
        capabilities = request.session.client_capabilities
        if (
            timeout is None
            or request.protocol_version in MODERN_PROTOCOL_VERSIONS
            or capabilities is None
            or capabilities.elicitation is None
        ):
            return None

        async def ask(question: str) -> bool | None:
            from ..schemas.common import UserConfirmation  # only once a question is put

            started = anyio.current_time()
            deadline.deadline += timeout  # make room for the wait; given back below
            try:
                with anyio.move_on_after(timeout):
                    answer = await context.elicit(self._redact.text(question), UserConfirmation)
                    return answer.action == "accept" and bool(answer.data.confirm)
                logger.warning("no answer to a confirmation within %gs; using a token", timeout)
                return None
            except Exception:
                logger.warning("asking the user failed; using a token instead", exc_info=True)
                return None
            finally:
                deadline.deadline -= timeout - (anyio.current_time() - started)

        return ask

    def _validated(self, arguments: dict[str, Any], env: ToolEnv) -> ArgsModel:
        """The arguments as the handler takes them, or a ToolError: refused before acting."""
        if env.read_only and self.spec.hidden_when_read_only:
            whose = "these books are" if env.account else "the server is"
            raise ToolError(f"{self.name} changes the books and {whose} read-only.")
        try:
            # Strict: "5" is not an id and 1 is not true, just as the advertised schema says.
            return self.spec.args.model_validate(arguments, strict=True)
        except ValidationError as exc:
            raise ToolError(describe_validation(exc)) from None

    async def _run(self, args: ArgsModel, env: ToolEnv, session: str, context: Any) -> ToolResult:
        """The handler's result, or a ToolError (chained to its cause when KashFlow failed)."""
        deadline_seconds = env.call_deadline
        # The lists go as soon as any write is (or may have been) applied: none is served
        # from before it, whatever the tool goes on to report.
        with writes_applied(on_write=env.cache.invalidate) as applied:
            try:
                with anyio.fail_after(deadline_seconds) as deadline:
                    asker = self._asker(context, deadline, env)
                    return await self.spec.run(args, replace(env, session=session, ask=asker))
            except ToolFailure as exc:
                raise ToolError(str(exc)) from None
            except (KashFlowError, TimeoutError, Exception) as exc:
                if applied:  # whatever failed later, the books have changed: never say otherwise
                    why = reason(exc, deadline_seconds, self.name)
                    raise AfterWrites(after_writes(applied, why)) from exc
                if isinstance(exc, KashFlowError):
                    raise ToolError(describe_kashflow_error(exc)) from exc
                if isinstance(exc, TimeoutError):
                    message = timed_out(self.name, deadline_seconds, self.spec.read_only)
                    raise ToolError(message) from exc
                raise UnexpectedToolError(f"Error executing tool {self.name}") from exc

    async def _attempt(self, arguments: dict[str, Any]) -> str | None:
        """Log the call durably before the handler can send anything to KashFlow."""
        if self._audit is None:
            return None
        try:
            return await self._audit.attempt(self.name, self._redact.data(dict(arguments)))
        except AuditUnavailable:
            # Why goes to the server's log: the model has no use for the file's path.
            raise ToolError(
                f"Nothing was sent to KashFlow: {self.name} could not be written to the audit "
                "log first (the server's log says why). Ask the operator to fix it."
            ) from None

    async def _record(
        self,
        call: str | None,
        arguments: dict[str, Any],
        outcome: str,
        detail: str = "",
        ids: dict[str, Any] | None = None,
    ) -> None:
        if self._audit is not None:
            redact = self._redact
            await self._audit.outcome(
                call,
                self.name,
                redact.data(dict(arguments)),
                outcome,
                redact.text(detail),
                redact.data(ids),
            )


def session_of(context: Any) -> str:
    """Which MCP session a call belongs to, where the transport has sessions.

    Streamable HTTP names it in the ``mcp-session-id`` header and SSE in the ``session_id``
    query parameter. stdio and in-memory connections serve a single client, and the stateless
    protocol has no sessions at all: those share "".
    """
    try:
        request = context.request_context.request
    except (AttributeError, ValueError):  # no request: called outside a session
        return ""
    if request is None or not hasattr(request, "headers"):
        return ""
    return request.headers.get("mcp-session-id") or request.query_params.get("session_id") or ""
