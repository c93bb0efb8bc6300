"""Small helpers several tool areas share: paging, freshness, confirmation state."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from pydantic import BaseModel

from ..schemas.common import ArgsModel
from .base import Approval, ToolEnv


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
