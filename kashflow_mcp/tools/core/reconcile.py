"""Writes whose answer was lost: look up what happened instead of sending them again.

KashFlow may have applied a write whose response never arrived. Re-sending could create a
second invoice or customer, so the tools never do; they check the books and report the write
as done, as most likely not done, or - when even the check fails - as unknown, with how to check.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

from ...kashflow import KashFlowError, OutcomeUnknownError
from ..base import RecordKey, ToolFailure

T = TypeVar("T")


async def send_once(
    write: Callable[[], Awaitable[T]],
    look_up: Callable[[], Awaitable[T | None]],
    *,
    what: str,
    how_to_check: str,
) -> tuple[T, bool]:
    """``write()``'s result, and whether it had to be found by ``look_up`` after a lost answer.

    ``look_up`` returns what the write would have returned when its effect is in the books,
    None when it is not.
    """
    try:
        return await write(), False
    except OutcomeUnknownError:
        pass
    lost = f"KashFlow's answer to {what} was lost"
    try:
        found = await look_up()
    except (KashFlowError, ToolFailure):
        raise ToolFailure(
            f"{lost} and the books could not be checked: it may or may not have happened. It was "
            f"not re-sent; check with {how_to_check} before trying again."
        ) from None
    if found is None:
        raise ToolFailure(
            f"{lost} and the books do not show it, so it most likely did not happen. It was not "
            f"re-sent; check with {how_to_check} and try again if needed."
        )
    return found, True


LOOKED_UP = " (KashFlow's answer was lost; the result was confirmed by looking it up)"


@dataclass(eq=False)
class Creation:
    """One call of ours creating a record for an owner (an invoice for a customer)."""

    number: int | None = None
    """What it created, once KashFlow said (or the look-up found it)."""
    seen: set[int] = field(default_factory=set)
    """What other calls of ours created for the same owner while this one was going on."""


class Creations:
    """The creations under way in this server, per owner, so that a lost answer is matched only
    to a record no other call of ours can be behind: two identical invoices raised at once for
    one customer must not both claim the one that was made."""

    def __init__(self) -> None:
        self._active: dict[RecordKey, list[Creation]] = {}

    @contextmanager
    def start(self, owner: RecordKey) -> Iterator[Creation]:
        mine = Creation()
        self._active.setdefault(owner, []).append(mine)
        try:
            yield mine
        finally:
            self._active[owner].remove(mine)
            if not self._active[owner]:
                del self._active[owner]

    def made(self, owner: RecordKey, mine: Creation, number: int) -> None:
        mine.number = number
        for other in self._active.get(owner, ()):
            if other is not mine:
                other.seen.add(number)

    def unexplained(self, owner: RecordKey, mine: Creation) -> bool:
        """Whether another call of ours for this owner is still waiting to learn what it made."""
        return any(c is not mine and c.number is None for c in self._active.get(owner, ()))
