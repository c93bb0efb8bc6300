"""Counting the KashFlow calls a tool makes, and how many of them it waits for in a row.

``RecordingTransport`` wraps the transport to the sandbox and notes when each SOAP call starts
and when its answer has been read. From that order alone (no clocks), ``in_a_row`` gives the
longest chain of calls each of which started only after the one before it had been answered:
the round trips the tool's caller waits for, whatever the latency.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx


@dataclass
class Call:
    operation: str
    started: int
    ended: int = -1


@dataclass
class RecordingTransport(httpx.AsyncBaseTransport):
    inner: httpx.AsyncBaseTransport
    calls: list[Call] = field(default_factory=list)
    _clock: int = 0

    def _tick(self) -> int:
        self._clock += 1
        return self._clock

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        action = request.headers.get("soapaction", "").strip('"').rpartition("/")[2]
        call = Call(action, self._tick())
        self.calls.append(call)
        response = await self.inner.handle_async_request(request)
        content = b"".join([chunk async for chunk in response.stream])  # type: ignore[union-attr]
        call.ended = self._tick()
        return httpx.Response(response.status_code, headers=response.headers, content=content)

    async def aclose(self) -> None:
        await self.inner.aclose()

    def reset(self) -> None:
        self.calls.clear()

    @property
    def operations(self) -> list[str]:
        return [call.operation for call in self.calls]

    def in_a_row(self) -> int:
        """The longest chain of calls, each started after the previous one was answered."""
        chain: dict[int, int] = {}
        for index, call in enumerate(self.calls):
            before = [chain[i] for i, c in enumerate(self.calls[:index]) if c.ended < call.started]
            chain[index] = 1 + max(before, default=0)
        return max(chain.values(), default=0)
