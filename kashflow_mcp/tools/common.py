"""Small helpers several tool areas share: paging, freshness, confirmation state."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from ..kashflow import NotFoundError
from ..schemas.common import ArgsModel
from .base import Approval, ToolEnv
from .reconcile import LOOKED_UP, settle


def page_bounds(total: int, offset: int, limit: int) -> tuple[int, int, int | None]:
    """Slice bounds for one page and the offset of the next (None at the end)."""
    start = min(offset, total)
    end = min(start + limit, total)
    return start, end, end if end < total else None


def as_of_text(loaded_at: float) -> str:
    return datetime.fromtimestamp(loaded_at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def state_digest(*records: BaseModel) -> str:
    """A fingerprint of the records a destructive call acts on: any change invalidates a token."""
    digest = hashlib.sha256()
    for record in records:
        digest.update(json.dumps(record.model_dump(mode="json"), sort_keys=True).encode())
    return digest.hexdigest()


async def confirm_or_preview(
    env: ToolEnv, tool: str, args: ArgsModel, state: str, question: str
) -> Approval:
    """May this destructive call act?

    A token from an earlier preview is redeemed. Without one, a client that can ask its user
    gets ``question`` put to them; otherwise - or when no answer comes - a token bound to
    these exact arguments and this state is minted for a second call.
    """
    bound = args.model_dump(mode="json", exclude={"confirmation_token"})
    token = getattr(args, "confirmation_token", None)
    if not token and env.ask is not None:
        answer = await env.ask(question)
        if answer is not None:
            return Approval(approved=answer, declined=not answer)
    return env.confirmations.review(tool, bound, state, token, session=env.session)


def held_back(approval: Approval, action: str) -> tuple[str, str]:
    """(status, message) for a destructive call that did not act."""
    if approval.declined:
        return "declined", f"The user declined, so nothing was done: {action} was not carried out."
    return (
        "confirmation_required",
        f"Nothing done yet: {action}. Ask the user, then repeat this call with confirmation_token.",
    )


async def delete_when_confirmed(
    env: ToolEnv,
    *,
    tool: str,
    args: ArgsModel,
    state: str,
    what: str,
    delete: Callable[[], Awaitable[object]],
    look_up: Callable[[], Awaitable[object]],
    how_to_check: str,
) -> dict[str, Any]:
    """Delete ``what`` once confirmed; the status, message and token of a deletion result.

    ``look_up`` raises NotFoundError once the record is gone: it settles a delete whose
    answer was lost.
    """
    approval = await confirm_or_preview(env, tool, args, state, f"Permanently delete {what}?")
    if not approval.approved:
        status, message = held_back(approval, f"permanently deleting {what}")
        return {
            "status": status,
            "message": message,
            "confirmation_token": approval.token,
            "expires_in_seconds": approval.expires_in,
        }

    async def gone() -> bool | None:
        try:
            await look_up()
        except NotFoundError:
            return True
        return None

    _, looked_up = await settle(delete, gone, what=f"deleting {what}", how_to_check=how_to_check)
    env.cache.invalidate()
    return {"status": "deleted", "message": f"Deleted {what}.{LOOKED_UP if looked_up else ''}"}
