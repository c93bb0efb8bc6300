"""The guarded generic call: any operation in KashFlow's catalogue, by name.

Reads run. Writes and deletes need a confirmation token like the delete tools. Restricted
operations (they send mail, hand out logins or change the account) are refused unless the
operator allowed them by name. Credentials are always the server's own.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ..kashflow import OPERATIONS, Kind, RequestEncodingError, get_operation
from ..kashflow.codec import encode_request
from ..schemas.api_call import ApiCallResult, CallApiArgs
from ..schemas.common import clean_text
from .base import ToolEnv, ToolFailure, ToolResult, ToolSpec
from .common import confirm_or_preview, held_back

_CREDENTIAL_KEYS = frozenset({"username", "password"})
_WHY_RESTRICTED = "it can send email, hand out logins or change the account itself"


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


def _check_body(args: CallApiArgs, env: ToolEnv) -> None:
    op = OPERATIONS[args.method]
    leaked = [key for key in args.body if key.casefold() in _CREDENTIAL_KEYS]
    if leaked:
        raise ToolFailure(f"body.{leaked[0]}: credentials are the server's; remove it.")
    if len(_compact(args.body).encode()) > env.max_body_bytes:
        raise ToolFailure(f"body is larger than {env.max_body_bytes} bytes.")
    try:
        encode_request(op, args.body)
    except RequestEncodingError as exc:
        expected = ", ".join(op.param_names) or "no parameters"
        raise ToolFailure(f"body.{exc} ({args.method} takes: {expected})") from None


async def call_kashflow_api(args: CallApiArgs, env: ToolEnv) -> ToolResult:
    op = get_operation(args.method)
    if op is None:
        import difflib  # only for a misspelt operation

        close = difflib.get_close_matches(args.method, OPERATIONS, n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise ToolFailure(f"{args.method} is not a KashFlow API operation.{hint}")
    if op.kind is Kind.RESTRICTED and op.name not in env.allowed_operations:
        raise ToolFailure(
            f"{op.name} is restricted ({_WHY_RESTRICTED}); the operator must allow it by name."
        )
    if env.read_only and op.kind is not Kind.READ:
        raise ToolFailure(f"The server is read-only; {op.name} would change the books.")
    _check_body(args, env)
    if op.kind is not Kind.READ:
        action = f"sending {op.name} (a {op.kind.value} operation) with {_compact(args.body)}"
        approval = await confirm_or_preview(
            env, "call_kashflow_api", args, "", f"Allow {action} to KashFlow?"
        )
        if not approval.approved:
            status, message = held_back(approval, action)
            data = ApiCallResult(
                status=status,
                method=op.name,
                kind=op.kind.value,
                message=message,
                confirmation_token=approval.token,
                expires_in_seconds=approval.expires_in,
            )
            return ToolResult(data, data.message or "")
    result = jsonable(await env.client.call(op, args.body))
    if op.kind is not Kind.READ:
        env.cache.invalidate()
    shown, truncated, text = _fit(result, env.max_result_chars)
    data = ApiCallResult(
        status="ok", method=op.name, kind=op.kind.value, result=shown, truncated=truncated
    )
    return ToolResult(data, f"{op.name} ({op.kind.value}): {text}")


API_CALL_TOOLS = (
    ToolSpec(
        name="call_kashflow_api",
        title="Call a KashFlow API operation",
        description="Run any KashFlow SOAP operation by name, for what the other tools do not "
        "cover (reference data, quotes, suppliers, reports). Reads run at once; writes and "
        "deletes return a confirmation_token first.",
        args=CallApiArgs,
        result=ApiCallResult,
        handler=call_kashflow_api,
        read_only=False,
        destructive=True,
        idempotent=False,
        guards_itself=True,
    ),
)
