"""The guarded generic call: any operation in KashFlow's catalogue, by name.

Refused at once: an operation not in the catalogue, a restricted one (it sends mail, hands out
logins or changes the account) the operator did not allow by name, any write on a read-only
server, what a tool the operator turned off would do, and what the backend does not offer.
Then the body is checked against the operation's WSDL types (``body``), every bad field
named. Reads run. Writes and deletes read the records they act on (``targets``), preview
them and need a confirmation token bound to their state, as the delete tools do. Credentials
are always the server's own.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ...kashflow import OPERATIONS, Kind, Operation, RequestEncodingError, get_operation
from ...kashflow.codec import encode_request
from ...schemas.api_call import ApiCallResult, CallApiArgs
from ...schemas.values import clean_text
from ..base import ToolEnv, ToolFailure, ToolResult, handles
from ..core.confirmation import Subject, act_when_confirmed
from .body import body_problems
from .records import describe, fetch_targets, lock_keys, owner_keys, state_of
from .targets import TARGETS, UNREADABLE

_TOOL = "call_kashflow_api"
_CREDENTIAL_KEYS = frozenset({"username", "password"})
_WHY_RESTRICTED = "it can send email, hand out logins or change the account itself"
_LINE_DELETES = frozenset(name for name, targets in TARGETS.items() if targets[0].line)
# Whole-record updates: KashFlow overwrites every field (inferred, see the README).
_OVERWRITES = frozenset(
    name for name in TARGETS if name.startswith("Update") and not name.endswith("Header")
)


def jsonable(value: Any) -> Any:
    """KashFlow values as JSON: money and dates as strings, records as objects, text cleaned."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {clean_text(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [jsonable(item) for item in value]
    return value


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _fit(result: Any, limit: int) -> tuple[Any, bool, str]:
    """The result cut to ``limit`` characters of JSON, keeping whole list items."""
    text = _compact(result)
    if len(text) <= limit:
        return result, False, text
    if isinstance(result, list):
        kept: list[Any] = []
        size = 2
        for item in result:
            size += len(_compact(item)) + 1
            if size > limit:
                break
            kept.append(item)
        note = f" (truncated: first {len(kept)} of {len(result)} items)"
        return kept, True, _compact(kept) + note
    return None, True, f"(result of {len(text)} characters is too large to show; narrow the call)"


def _allowed(method: str, env: ToolEnv) -> Operation:
    """The operation, unless this server may never send it: refused before anything else."""
    op = get_operation(method)
    if op is None:
        import difflib  # only for a misspelt operation

        close = difflib.get_close_matches(method, OPERATIONS, n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise ToolFailure(f"{method} is not a KashFlow API operation.{hint}")
    if op.kind is Kind.RESTRICTED and op.name not in env.allowed_operations:
        raise ToolFailure(
            f"{op.name} is restricted ({_WHY_RESTRICTED}); the operator must allow it by name."
        )
    if env.read_only and op.kind is not Kind.READ:
        raise ToolFailure(f"The server is read-only; {op.name} would change the books.")
    hidden = env.hidden_operations.get(op.name)
    if hidden is not None:
        raise ToolFailure(
            f"{op.name} is what the {hidden} tool does, and the operator turned {hidden} off on "
            f"this server, so call_kashflow_api will not do it either. To turn it back on, the "
            f"operator lists {hidden} in --tools (KASHFLOW_TOOLS), or removes it from "
            "--exclude-tools (KASHFLOW_EXCLUDE_TOOLS), and restarts the server."
        )
    return op


def _offered(op: Operation, env: ToolEnv) -> None:
    if env.offered_operations is not None and op.name not in env.offered_operations:
        raise ToolFailure(
            f"{op.name} is not emulated by the KashFlow sandbox this server runs on, so nothing "
            "was asked or sent; the sandbox emulates customers, invoices, invoice payments and "
            "reference data. Against a live KashFlow account it would run."
        )


def _check_body(op: Operation, args: CallApiArgs, env: ToolEnv) -> None:
    leaked = [key for key in args.body if key.strip().casefold() in _CREDENTIAL_KEYS]
    if leaked:
        raise ToolFailure(f"body.{leaked[0]}: credentials are the server's; remove it.")
    if len(_compact(args.body).encode()) > env.max_body_bytes:
        raise ToolFailure(f"body is larger than {env.max_body_bytes} bytes.")
    problems = body_problems(op, args.body)
    if problems:
        raise ToolFailure("Nothing was sent: " + "\n".join(problems))
    try:
        encode_request(op, args.body)
    except RequestEncodingError as exc:  # a rule the checks above missed: still name the field
        raise ToolFailure(f"body.{exc}") from None


@handles(CallApiArgs, ApiCallResult)
async def call_kashflow_api(args: CallApiArgs, env: ToolEnv) -> ToolResult:
    op = _allowed(args.method, env)
    _check_body(op, args, env)
    _offered(op, env)
    if op.kind is Kind.READ:
        return await _send(env, op, args)
    return await send_when_confirmed(env, op, args)


async def send_when_confirmed(env: ToolEnv, op: Operation, args: CallApiArgs) -> ToolResult:
    """Read the records the call acts on, confirm against their state, then send.

    Sending happens under the write locks of those records (found by reading, then read again
    under the locks), as the first-class tools' writes do: what the user approved is exactly
    what the write finds, and no other call through this server writes them meanwhile.
    """

    async def look() -> Subject:
        found = await fetch_targets(env, op, args.body)
        described = [describe(record) for record in found]
        action = f"sending {op.name} (a {op.kind.value} operation) with {_compact(args.body)}"
        if described:
            action += f", which {_verb(op)} " + "; and ".join(words for words, _ in described)
            if op.name in _OVERWRITES:
                action += " (KashFlow writes the record as sent: fields left out may be blanked)"
        elif op.name in UNREADABLE:
            action += f" ({UNREADABLE[op.name]}; so this preview cannot show the record)"
        return Subject(
            what=action,
            state=state_of(found) if found else "",
            preview={"preview": [summary for _, summary in described]} if described else None,
            locks=tuple(key for record in found for key in lock_keys(record)),
            shared=owner_keys(op, args.body, found),
        )

    async def send(_: Subject) -> ToolResult:
        return await _send(env, op, args)

    subject, sent, held = await act_when_confirmed(
        env,
        tool=_TOOL,
        args=args,
        lock=None,
        look=look,
        act=send,
        question=lambda s: f"Allow {s.what}?",
        action=lambda s: s.what,
    )
    if sent is not None:
        return sent
    data = ApiCallResult(
        method=op.name, kind=op.kind.value, result=subject.preview, **_without_nones(held)
    )
    if data.confirmation_token is None:
        return ToolResult(data, data.message or "")
    # The token leads the text: a client may show the model only the text, and a long body
    # echoed in the message must not push it past the end.
    token = f"confirmation_token: {data.confirmation_token} (expires in {data.expires_in_seconds}s)"
    return ToolResult(data, f"{token}\n{data.message}")


def _without_nones(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not None}


def _verb(op: Operation) -> str:
    if op.kind is Kind.RESTRICTED:
        return "emails" if op.name.startswith("Email") else "acts on"
    if op.kind is not Kind.DELETE:
        return "changes"
    return "removes" if op.name in _LINE_DELETES else "permanently deletes"


async def _send(env: ToolEnv, op: Operation, args: CallApiArgs) -> ToolResult:
    result = jsonable(await env.client.call(op, args.body))
    shown, truncated, text = _fit(result, env.max_result_chars)
    data = ApiCallResult(
        status="ok", method=op.name, kind=op.kind.value, result=shown, truncated=truncated
    )
    return ToolResult(data, f"{op.name} ({op.kind.value}): {text}")
