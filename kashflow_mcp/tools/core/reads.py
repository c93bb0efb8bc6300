"""Reading from KashFlow for a tool: records with a helpful not-found, and reads side by side."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import anyio

from ...kashflow import NotFoundError
from ..base import ToolFailure

T = TypeVar("T")


async def fetch(read: Awaitable[T], missing: str) -> T:
    """``read``'s record; when KashFlow has none, a failure saying ``missing`` (where to look)."""
    try:
        return await read
    except NotFoundError:
        raise ToolFailure(missing) from None


async def concurrently(*calls: Callable[[], Awaitable[Any]]) -> list[Any]:
    """The results of independent calls run side by side, so a tool waits for one round trip
    instead of several. The first failure is raised as itself, the other calls cancelled."""
    results: list[Any] = [None] * len(calls)

    async def run(index: int, call: Callable[[], Awaitable[Any]]) -> None:
        results[index] = await call()

    try:
        async with anyio.create_task_group() as group:
            for index, call in enumerate(calls):
                group.start_soon(run, index, call)
    except BaseExceptionGroup as failures:
        raise _first_failure(failures) from None
    return results


def _first_failure(group: BaseExceptionGroup) -> BaseException:
    for failure in group.exceptions:
        if isinstance(failure, BaseExceptionGroup):
            return _first_failure(failure)
        return failure
    return group  # pragma: no cover - a group always holds at least one exception
