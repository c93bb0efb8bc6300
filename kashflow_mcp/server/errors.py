"""Every failure of a tool call in words a model can act on: what failed, why, what next.

Validation names each bad field in one line; KashFlow's failures say whether anything changed;
a failure after KashFlow applied a write of the call says so, whatever failed later.
"""

from __future__ import annotations

import logging

from mcp.server.mcpserver.exceptions import ToolError
from pydantic import ValidationError

from ..kashflow import (
    Applied,
    KashFlowError,
    OutcomeUnknownError,
    ProtocolError,
    RequestEncodingError,
    TransportError,
)

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


def outcome_of(error: ToolError) -> str:
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


def reason(exc: BaseException, deadline: float, tool: str) -> str:
    """Why a call failed, without advice that assumes nothing was changed."""
    if isinstance(exc, TimeoutError):
        return f"the call did not finish within {deadline:g}s"
    if isinstance(exc, ProtocolError):
        return f"KashFlow's answer could not be read ({exc})"
    if isinstance(exc, KashFlowError):
        return str(exc).rstrip(".")
    logger.exception("%s failed after writing", tool)
    return "an internal error followed (the server's log has it)"


def timed_out(tool: str, deadline: float, read_only: bool) -> str:
    message = f"KashFlow did not finish {tool} within {deadline:g}s."
    if read_only:
        return f"{message} Nothing was changed; try again in a minute."
    return (
        f"{message} The change may or may not have been made: check with the list or get "
        "tools before trying again."
    )
