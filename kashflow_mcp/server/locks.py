"""Write locks per KashFlow record, so two calls through this server never interleave a write.

KashFlow's updates overwrite whole records and offer no conditional write, so two
read-merge-write calls on one record at once lose one of the changes. Every call that writes a
record holds its lock across the read, the write and the read-back; a call that changes a
record's dependants (an invoice for a customer) holds the owner's lock shared, so the owner
cannot be deleted under it while other such calls go on side by side. Reads take no lock.

Deadlock is ruled out by order: within a call, locks are taken in ascending (kind, key) order,
kinds ranked as ``RANK`` lists them; a call that holds a lock may only ask for later ones. Each
lock is fair (first come, first served), so a stream of shared holders cannot starve a writer.

The locks live in this process: several server processes in front of one KashFlow account do
not see each other's locks.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import anyio

from ..tools.base import LockBusy, RecordKey

# The order locks are taken in: owners before what they own.
RANK = {"customer code": 0, "customer": 1, "invoice": 2}


def _order(key: RecordKey) -> tuple[int, str, tuple[int, int | str]]:
    kind, ident = key
    return RANK.get(kind, len(RANK)), kind, (0, ident) if isinstance(ident, int) else (1, ident)


@dataclass
class _Waiter:
    shared: bool
    granted: anyio.Event = field(default_factory=anyio.Event)


@dataclass
class _Lock:
    readers: int = 0
    writer: bool = False
    queue: deque[_Waiter] = field(default_factory=deque)

    def free_for(self, shared: bool) -> bool:
        return not self.writer and (shared or self.readers == 0)

    def take(self, shared: bool) -> None:
        if shared:
            self.readers += 1
        else:
            self.writer = True

    def grant_waiting(self) -> None:
        """Hand the lock on, in arrival order: one writer, or every reader at the front."""
        while self.queue and self.free_for(self.queue[0].shared):
            waiter = self.queue.popleft()
            self.take(waiter.shared)
            waiter.granted.set()
            if not waiter.shared:
                break

    @property
    def idle(self) -> bool:
        return not self.readers and not self.writer and not self.queue


_ANSWER_TIME = 0.25
"""Seconds kept back from a call's deadline while it waits for a lock, to say why it gave up."""

# The keys the current task holds, to enforce the order (a violation is a bug, raised loudly).
_held: ContextVar[tuple[RecordKey, ...]] = ContextVar("held_record_locks", default=())


class RecordLocks:
    """One fair shared/exclusive lock per record, made on first use and dropped when idle."""

    def __init__(self, wait: float = 20.0) -> None:
        self.wait = wait
        """Seconds a call waits for a lock before giving up, having sent nothing."""
        self._locks: dict[RecordKey, _Lock] = {}

    def __repr__(self) -> str:
        return f"RecordLocks(held={len(self._locks)})"

    @asynccontextmanager
    async def hold(
        self, write: Iterable[RecordKey] = (), read: Iterable[RecordKey] = ()
    ) -> AsyncIterator[None]:
        """Hold ``write`` exclusively and ``read`` shared (a key in both is held exclusively)."""
        exclusive = set(write)
        wanted = sorted(exclusive | set(read), key=_order)
        held = _held.get()
        if held and wanted and _order(wanted[0]) <= _order(held[-1]):
            raise RuntimeError(f"record locks taken out of order: {wanted[0]} after {held[-1]}")
        taken: list[tuple[RecordKey, bool]] = []
        try:
            for key in wanted:
                shared = key not in exclusive
                await self._acquire(key, shared)
                taken.append((key, shared))
            token = _held.set(held + tuple(wanted))
            try:
                yield
            finally:
                _held.reset(token)
        finally:
            for key, shared in reversed(taken):
                self._release(key, shared)

    async def _acquire(self, key: RecordKey, shared: bool) -> None:
        lock = self._locks.setdefault(key, _Lock())
        if not lock.queue and lock.free_for(shared):
            lock.take(shared)
            return
        waiter = _Waiter(shared)
        lock.queue.append(waiter)
        # Give up before the call's own deadline would: then the call can say nothing was sent.
        left = anyio.current_effective_deadline() - anyio.current_time() - _ANSWER_TIME
        patience = max(0.0, min(self.wait, left))
        try:
            with anyio.fail_after(patience):
                await waiter.granted.wait()
        except BaseException as exc:
            if waiter.granted.is_set():  # granted as we were cancelled: give it straight back
                self._release(key, shared)
            else:
                lock.queue.remove(waiter)
                lock.grant_waiting()  # readers queued behind a departed writer may go now
                self._forget_if_idle(key, lock)
            if isinstance(exc, TimeoutError):
                raise LockBusy(key, patience) from None
            raise

    def _release(self, key: RecordKey, shared: bool) -> None:
        lock = self._locks[key]
        if shared:
            lock.readers -= 1
        else:
            lock.writer = False
        lock.grant_waiting()
        self._forget_if_idle(key, lock)

    def _forget_if_idle(self, key: RecordKey, lock: _Lock) -> None:
        if lock.idle:
            self._locks.pop(key, None)
