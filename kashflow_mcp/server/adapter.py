"""Turning a ``ToolSpec`` into an SDK tool, and every failure into words a model can act on.

The SDK's own argument handling drops unknown arguments and reports pydantic's raw text; ours
validates against the spec's model (extra arguments forbidden) and names each bad field in
one line. KashFlow errors become ``isError`` results saying what failed and what to do next;
anything unexpected becomes a bare "Error executing tool X" with the details in the log only.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

import anyio
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from mcp.server.mcpserver.tools import Tool
from mcp.server.mcpserver.utilities.func_metadata import ArgModelBase, FuncMetadata
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from mcp_types.version import MODERN_PROTOCOL_VERSIONS
from pydantic import PrivateAttr, ValidationError

from ..kashflow import (
    Applied,
    KashFlowError,
    OutcomeUnknownError,
    ProtocolError,
    RequestEncodingError,
    TransportError,
    writes_applied,
)
from ..schemas.common import ArgsModel, UserConfirmation
from ..schemas.values import clean_text
from ..tools.base import Ask, ToolEnv, ToolFailure, ToolResult, ToolSpec
from .audit import AuditLog, AuditUnavailable, result_ids, result_outcome
from .json_schema import argument_schema, result_schema
from .redaction import Redactor

logger = logging.getLogger(__name__)


def describe_validation(exc: ValidationError) -> str:
    """Every bad field, named; fields with the same problem share one mention of it."""
    fields_by_problem: dict[str, list[str]] = {}
    for error in exc.errors(include_url=False, include_input=False):
        where = ".".join(str(part) for part in error["loc"]) or "arguments"
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "not an argument of this tool"
        fields_by_problem.setdefault(message, []).append(where)
    problems = [f"{', '.join(fields)}: {message}" for message, fields in fields_by_problem.items()]
    return "Invalid arguments: " + "; ".join(problems)


def describe_kashflow_error(exc: KashFlowError) -> str:
    if isinstance(exc, RequestEncodingError):
        return f"Invalid value for {exc}"
    if isinstance(exc, OutcomeUnknownError):
        return f"{exc} Check with the list or get tools before trying again."
    if isinstance(exc, TransportError):
        when = f"in {exc.retry_after:.0f}s" if exc.retry_after else "in a minute"
        return f"{str(exc).rstrip('.')}. Nothing was changed by this failure; try again {when}."
    if isinstance(exc, ProtocolError):
        return f"KashFlow's answer could not be read ({exc}). Check KASHFLOW_API_URL."
    return str(exc)


class KashFlowTool(Tool):
    """An SDK tool that runs a ``ToolSpec`` handler with our validation and error mapping."""

    # Private: pydantic must not try to validate or serialise these plain objects.
    _spec: ToolSpec = PrivateAttr()
    _env: ToolEnv = PrivateAttr()
    _audit: AuditLog | None = PrivateAttr(default=None)
    _redact: Redactor = PrivateAttr(default_factory=Redactor)

    @property
    def spec(self) -> ToolSpec:
        return self._spec

    @property
    def env(self) -> ToolEnv:
        return self._env

    @classmethod
    def build(
        cls,
        spec: ToolSpec,
        env: ToolEnv,
        audit: AuditLog | None = None,
        redactor: Redactor | None = None,
    ) -> KashFlowTool:
        output_schema = result_schema(spec.result)
        tool = cls(
            fn=spec.handler,
            name=spec.name,
            title=spec.title,
            description=spec.description,
            parameters=argument_schema(spec.args),
            fn_metadata=FuncMetadata(
                arg_model=ArgModelBase, output_schema=output_schema, output_model=spec.result
            ),
            is_async=True,
            annotations=ToolAnnotations(
                read_only_hint=spec.read_only,
                destructive_hint=spec.destructive,
                idempotent_hint=spec.idempotent,
                # Every tool reaches KashFlow: openWorldHint keeps the default, true.
            ),
        )
        tool._spec, tool._env = spec, env
        if redactor is not None:
            tool._redact = redactor
        # Only calls that could change the books are audited.
        tool._audit = None if spec.read_only else audit
        return tool

    async def run(
        self, arguments: dict[str, Any], context: Any, convert_result: bool = False
    ) -> CallToolResult:
        call: str | None = None  # the audit log's id for this call, once it is attempted
        try:
            args = self._validated(arguments)
            call = await self._attempt(arguments)
            result = await self._run(args, session_of(context), context)
        except ToolError as exc:
            await self._record(call, arguments, _outcome_of(exc), str(exc))
            # KashFlow's reasons are passed on verbatim: bound them like any result, and keep
            # hidden characters and our own secrets out.
            message = self._redact.text(clean_text(str(exc)))[: self.env.max_result_chars]
            if message == str(exc):
                raise
            raise type(exc)(message) from exc.__cause__
        structured = result.data.model_dump(mode="json", exclude_none=True)
        outcome, detail = result_outcome(arguments, structured, result.text)
        await self._record(call, arguments, outcome, detail, result_ids(structured))
        text = self._redact.text(result.text)
        if len(text) > self.env.max_result_chars:
            text = text[: self.env.max_result_chars] + "\n(text truncated; see structured content)"
        return CallToolResult(
            content=[TextContent(type="text", text=text)],
            structured_content=self._redact.data(structured),
        )

    def _asker(self, context: Any, deadline: anyio.CancelScope) -> Ask | None:
        """A way to ask this call's user yes or no, if the client offers one (elicitation).

        Only sessions with a back-channel can be asked: the stateless protocol cannot. The
        user's time does not count against the call's deadline, and a client that never
        answers is given up on after ``ask_timeout``: the call then falls back to a token.
        """
        timeout = self.env.ask_timeout
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

    def _validated(self, arguments: dict[str, Any]) -> ArgsModel:
        """The arguments as the handler takes them, or a ToolError: refused before acting."""
        if self.env.read_only and self.spec.hidden_when_read_only:
            raise ToolError(f"{self.name} changes the books and the server is read-only.")
        try:
            # Strict: "5" is not an id and 1 is not true, just as the advertised schema says.
            return self.spec.args.model_validate(arguments, strict=True)
        except ValidationError as exc:
            raise ToolError(describe_validation(exc)) from None

    async def _run(self, args: ArgsModel, session: str, context: Any) -> ToolResult:
        """The handler's result, or a ToolError (chained to its cause when KashFlow failed)."""
        with writes_applied() as applied:
            try:
                with anyio.fail_after(self.env.call_deadline) as deadline:
                    env = replace(self.env, session=session, ask=self._asker(context, deadline))
                    return await self.spec.handler(args, env)
            except ToolFailure as exc:
                raise ToolError(str(exc)) from None
            except (KashFlowError, TimeoutError, Exception) as exc:
                if applied:  # whatever failed later, the books have changed: never say otherwise
                    raise AfterWrites(after_writes(applied, self._reason(exc))) from exc
                if isinstance(exc, KashFlowError):
                    raise ToolError(describe_kashflow_error(exc)) from exc
                if isinstance(exc, TimeoutError):
                    raise ToolError(self._timed_out()) from exc
                raise UnexpectedToolError(f"Error executing tool {self.name}") from exc

    def _reason(self, exc: BaseException) -> str:
        """Why a call failed, without advice that assumes nothing was changed."""
        if isinstance(exc, TimeoutError):
            return f"the call did not finish within {self.env.call_deadline:g}s"
        if isinstance(exc, ProtocolError):
            return f"KashFlow's answer could not be read ({exc})"
        if isinstance(exc, KashFlowError):
            return str(exc).rstrip(".")
        logger.exception("%s failed after writing", self.name)
        return "an internal error followed (the server's log has it)"

    def _timed_out(self) -> str:
        message = f"KashFlow did not finish {self.name} within {self.env.call_deadline:g}s."
        if self.spec.read_only:
            return f"{message} Nothing was changed; try again in a minute."
        return (
            f"{message} The change may or may not have been made: check with the list or get "
            "tools before trying again."
        )

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


class AfterWrites(ToolError):
    """A call failed after KashFlow had applied (or may have applied) a write of it."""


def after_writes(applied: list[Applied], reason: str) -> str:
    done = [a.operation for a in applied if a.certain]
    maybe = [a.operation for a in applied if not a.certain]
    said = []
    if done:
        said.append(f"KashFlow applied {', '.join(done)}")
    if maybe:
        said.append(f"{', '.join(maybe)} may have been applied (its answer was lost)")
    return (
        f"{' and '.join(said)} for this call, but then {reason}. The books have changed: do "
        "not repeat the call; check what it did with the list or get tools first."
    )


def _outcome_of(error: ToolError) -> str:
    """How a failed call ends up in the audit log: refused before acting, failed, partly done,
    or unknown."""
    if isinstance(error, AfterWrites):
        return "partial"
    cause = error.__cause__
    if cause is None:
        return "refused"
    if isinstance(cause, OutcomeUnknownError | TimeoutError):
        return "outcome_unknown"
    return "failed"
