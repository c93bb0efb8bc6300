"""When and how long to wait before trying a KashFlow call again.

Only calls that are safe to repeat are retried: reads after any transient failure, writes only
when the request never left this machine (the connection could not be made). The caller owns
that decision; this module only does the arithmetic.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

# Answers that mean "busy or briefly broken, try later" rather than "your request is wrong".
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    """Tries in all, the first included."""
    base_delay: float = 0.25
    max_delay: float = 4.0
    deadline: float = 30.0
    """Seconds one call may take, retries and waits included."""

    def backoff(self, failures: int, retry_after: float | None = None) -> float:
        """Seconds to wait after the ``failures``-th failure: full jitter, capped.

        The server's Retry-After wins when it asks for longer than our own schedule.
        """
        ceiling = min(self.max_delay, self.base_delay * 2 ** (failures - 1))
        delay = random.uniform(0, ceiling)
        return max(delay, retry_after) if retry_after is not None else delay


NO_RETRY = RetryPolicy(attempts=1)


def retry_after_seconds(value: str | None) -> float | None:
    """A Retry-After header as seconds, from either of its two forms; None when absent or
    unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
