"""A short-lived cache of whole KashFlow lists.

KashFlow's SOAP API has no paging: every page of ``list_customers`` would otherwise fetch every
customer again. A list is kept for a few seconds so the next page is cheap; any write made
through this server clears it, and every list result says when it was read.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

import anyio


class TimedListCache:
    def __init__(self, ttl: float = 30.0, clock: Callable[[], float] = time.time) -> None:
        self.ttl = ttl
        self._clock = clock
        self._entries: dict[str, tuple[float, Any]] = {}
        self._locks: dict[str, anyio.Lock] = {}
        self._generation = 0

    async def get_or_load(self, key: str, load: Callable[[], Awaitable[Any]]) -> tuple[Any, float]:
        """The cached value and when it was loaded, loading it at most once at a time."""
        lock = self._locks.setdefault(key, anyio.Lock())
        async with lock:
            entry = self._entries.get(key)
            now = self._clock()
            if entry is not None and now - entry[0] < self.ttl:
                return entry[1], entry[0]
            generation = self._generation
            value = await load()
            # A write that landed while we were loading makes this copy stale already.
            if generation == self._generation and self.ttl > 0:
                self._entries[key] = (now, value)
            return value, now

    def invalidate(self) -> None:
        self._generation += 1
        self._entries.clear()
