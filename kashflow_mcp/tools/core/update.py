"""Updating a KashFlow record: read, merge, write, verify, diff - all under its write lock.

KashFlow's updates overwrite the whole record, so a tool reads the record, merges the fields the
assistant gave onto it, writes it back and reads it again. The record's lock is held throughout,
so no other call through this server writes it in between; what KashFlow holds afterwards is
compared with what was sent, and fields someone outside changed meanwhile are reported as
conflicts instead of being claimed as done.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from ...schemas.common import ArgsModel
from ..base import RecordKey, ToolEnv, ToolFailure
from .reads import concurrently
from .reconcile import LOOKED_UP, send_once

W = TypeVar("W")  # the wire record
V = TypeVar("V")  # the assistant's view of it
Compare = Callable[[Any, Any], list[str]]


def require_changes(args: ArgsModel, key: str) -> None:
    if not args.model_dump(exclude_none=True, exclude={key}):
        raise ToolFailure(f"Nothing to change: give at least one field besides {key}.")


def changed_fields(before: BaseModel, after: BaseModel) -> list[str]:
    """Top-level fields whose value differs between two views (the update stamp aside)."""
    old, new = before.model_dump(), after.model_dump()
    return [key for key in new if old.get(key) != new[key] and key != "updated"]


@dataclass(frozen=True)
class Updated(Generic[V]):
    after: V
    changed: list[str]
    """What this call changed: what it sent against what it read."""
    conflicts: list[str]
    """Fields KashFlow holds, after the write, with other values than this call sent."""
    heading: str


async def _nothing() -> None:
    return None


async def update_record(
    env: ToolEnv,
    *,
    lock: RecordKey,
    read: Callable[[], Awaitable[W]],
    merge: Callable[[W, Any], W],
    write: Callable[[W], Awaitable[object]],
    view: Callable[[W], V],
    changed: Compare,
    conflicting: Compare,
    what: str,
    check: str,
    prepare: Callable[[], Awaitable[Any]] = _nothing,
) -> Updated[V]:
    """Update ``what``: ``merge(current, prepared)`` gives the record to write, where ``prepared``
    is what ``prepare`` read side by side with the record (reference data, say)."""
    async with env.locks.hold(write=[lock]):
        current, prepared = await concurrently(read, prepare)
        merged = merge(current, prepared)
        before, intended = view(current), view(merged)

        async def applied() -> bool | None:
            return True if not conflicting(intended, view(await read())) else None

        _, looked_up = await send_once(
            lambda: write(merged), applied, what=f"updating {what}", how_to_check=check
        )
        after = view(await read())
    done, overtaken = changed(before, intended), conflicting(intended, after)
    return Updated(after, done, overtaken, _heading(what, done, overtaken, looked_up, check))


def _heading(
    what: str, changed: list[str], conflicts: list[str], looked_up: bool, check: str
) -> str:
    """The first line of an update's result: what this call changed, or that it was overtaken."""
    note = LOOKED_UP if looked_up else ""
    if conflicts:
        return (
            f"{what} was written (this call changed: {', '.join(changed) or 'nothing'}), but "
            f"KashFlow now holds other values than this call sent for: {', '.join(conflicts)}. "
            f"Someone changed it at the same time; check with {check} and repeat the change if "
            f"it is still wanted.{note}"
        )
    return f"updated {what}; changed: {', '.join(changed) or 'nothing'}{note}"
