"""Confirming a destructive call: a preview and a token, or the user's own answer, then acting.

A destructive call without a valid token does nothing: it reads its target, and either puts the
question to the user (where the client can ask) or returns a preview with a token bound to the
exact arguments and the target's state. Acting always happens under the target's write lock, on
the target as read under that lock, and only when it is the very state the user agreed to.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

from ...kashflow import NotFoundError
from ...schemas.common import ArgsModel
from ..base import Approval, RecordKey, ToolEnv, ToolFailure
from .reconcile import LOOKED_UP, send_once

T = TypeVar("T")


def state_digest(*records: BaseModel) -> str:
    """A fingerprint of the records a destructive call acts on: any change invalidates a token."""
    digest = hashlib.sha256()
    for record in records:
        digest.update(json.dumps(record.model_dump(mode="json"), sort_keys=True).encode())
    return digest.hexdigest()


def held_back(approval: Approval, action: str) -> tuple[str, str]:
    """(status, message) for a destructive call that did not act."""
    if approval.declined:
        return "declined", f"The user declined, so nothing was done: {action} was not carried out."
    return (
        "confirmation_required",
        f"Nothing done yet: {action}. Ask the user, then repeat this call with confirmation_token.",
    )


@dataclass(frozen=True)
class Subject:
    """What a destructive call would act on, as KashFlow holds it now."""

    what: str
    """How the record is named to the user: "invoice 1001 (GBP 120.00, unpaid) of customer 7"."""
    state: str
    """``state_digest`` of the records acted on: a token is bound to it."""
    preview: Any
    """The preview model the tool shows."""
    locks: tuple[RecordKey, ...] = ()
    """Further records the act changes (a customer's invoices), locked once they are known."""
    shared: tuple[RecordKey, ...] = ()
    """Owners of what the act changes (an invoice's customer), held shared with ``locks``."""


async def act_when_confirmed(
    env: ToolEnv,
    *,
    tool: str,
    args: ArgsModel,
    lock: RecordKey | None,
    look: Callable[[], Awaitable[Subject]],
    act: Callable[[Subject], Awaitable[T]],
    question: Callable[[Subject], str],
    action: Callable[[Subject], str],
    more_locks: tuple[RecordKey, ...] = (),
) -> tuple[Subject, T | None, dict[str, Any]]:
    """Run a destructive ``act`` once the user has agreed to it; otherwise preview.

    The subject, ``act``'s result (None when it did not run) and the status fields of the
    answer. Without a token, the subject is looked at and either put to the user (where the
    client can ask) or bound into a token for a second call. Acting always happens under the
    subject's write lock, on the subject as read under that lock, and only when it is the very
    state the user agreed to: nothing through this server can change it in between. ``lock``
    is the record's key when the arguments name it; None when only looking finds it;
    ``more_locks`` the other records the arguments name that the act changes too.
    """
    token = getattr(args, "confirmation_token", None)
    agreed: str | None = None
    if not token:
        subject = await look()
        answer = await env.ask(question(subject)) if env.ask is not None else None
        if not answer:
            approval = (
                Approval(approved=False, declined=True)
                if answer is False
                else _mint(env, tool, args, subject.state)
            )
            status, message = held_back(approval, action(subject))
            return subject, None, _held_fields(status, message, approval)
        agreed = subject.state
    async with AsyncExitStack() as stack:
        named = [lock, *more_locks] if lock else list(more_locks)
        await stack.enter_async_context(env.locks.hold(write=named))
        subject = await look()
        if subject.locks or subject.shared:
            # Only now are the dependants known: lock them, then read them again under lock.
            held = env.locks.hold(write=subject.locks, read=subject.shared)
            await stack.enter_async_context(held)
            subject = await look()
        if token:
            env.confirmations.review(tool, _bound(args), subject.state, token, session=env.session)
        elif subject.state != agreed:
            raise ToolFailure(
                f"{subject.what[:1].upper()}{subject.what[1:]} changed while the user was "
                "deciding, so nothing was done. Call again for a fresh preview."
            )
        return subject, await act(subject), {}


def _bound(args: ArgsModel) -> dict[str, Any]:
    """The arguments a token is bound to: all of them but the token itself."""
    return args.model_dump(mode="json", exclude={"confirmation_token"})


def _mint(env: ToolEnv, tool: str, args: ArgsModel, state: str) -> Approval:
    return env.confirmations.review(tool, _bound(args), state, None, session=env.session)


def _held_fields(status: str, message: str, approval: Approval) -> dict[str, Any]:
    return {
        "status": status,
        "message": message,
        "confirmation_token": approval.token,
        "expires_in_seconds": approval.expires_in,
    }


async def delete_when_confirmed(
    env: ToolEnv,
    *,
    tool: str,
    args: ArgsModel,
    lock: RecordKey | None,
    look: Callable[[], Awaitable[Subject]],
    delete: Callable[[], Awaitable[object]],
    look_up: Callable[[], Awaitable[object]],
    how_to_check: str,
) -> tuple[Subject, dict[str, Any]]:
    """Delete the subject once confirmed; the subject and the status fields of the result.

    ``lock`` is None when only looking finds the record to lock (``Subject.locks``).
    ``look_up`` raises NotFoundError once the record is gone: it settles a delete whose
    answer was lost.
    """

    async def gone() -> bool | None:
        try:
            await look_up()
        except NotFoundError:
            return True
        return None

    async def remove(subject: Subject) -> bool:
        what = f"deleting {subject.what}"
        _, looked_up = await send_once(delete, gone, what=what, how_to_check=how_to_check)
        return looked_up

    subject, looked_up, held = await act_when_confirmed(
        env,
        tool=tool,
        args=args,
        lock=lock,
        look=look,
        act=remove,
        question=lambda s: f"Permanently delete {s.what}?",
        action=lambda s: f"permanently deleting {s.what}",
    )
    if looked_up is None:
        return subject, held
    note = LOOKED_UP if looked_up else ""
    return subject, {"status": "deleted", "message": f"Deleted {subject.what}.{note}"}
