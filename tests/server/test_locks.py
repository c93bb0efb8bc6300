"""Record locks: exclusive writers, shared owners, fair order, no leaks, no deadlock by order."""

from __future__ import annotations

import anyio
import pytest

from kashflow_mcp.server.locks import RecordLocks
from kashflow_mcp.tools.base import LockBusy

pytestmark = pytest.mark.anyio
A, B = ("invoice", 1), ("invoice", 2)
OWNER = ("customer", 7)


async def let_others_run() -> None:
    for _ in range(5):
        await anyio.sleep(0)


async def test_a_second_writer_waits_for_the_first() -> None:
    locks, order = RecordLocks(), []

    async def write(name: str) -> None:
        async with locks.hold(write=[A]):
            order.append(f"{name} in")
            await let_others_run()
            order.append(f"{name} out")

    with anyio.fail_after(5):
        async with anyio.create_task_group() as group:
            group.start_soon(write, "first")
            await let_others_run()
            group.start_soon(write, "second")
    assert order == ["first in", "first out", "second in", "second out"]


async def test_different_records_do_not_wait_for_each_other() -> None:
    locks = RecordLocks()
    with anyio.fail_after(5):
        async with locks.hold(write=[A]), locks.hold(write=[B]):
            pass  # would hang if B waited on A


async def test_shared_holders_go_together_and_a_writer_waits_for_all_of_them() -> None:
    locks, order = RecordLocks(), []
    both_in = anyio.Event()

    async def share(name: str) -> None:
        async with locks.hold(read=[OWNER]):
            order.append(name)
            if len(order) == 2:
                both_in.set()
            await both_in.wait()
            await let_others_run()

    async def own() -> None:
        async with locks.hold(write=[OWNER]):
            order.append("writer")

    with anyio.fail_after(5):
        async with anyio.create_task_group() as group:
            group.start_soon(share, "reader 1")
            group.start_soon(share, "reader 2")
            await both_in.wait()
            group.start_soon(own)
    assert order == ["reader 1", "reader 2", "writer"]


async def test_a_waiting_writer_is_not_overtaken_by_later_shared_holders() -> None:
    locks, order = RecordLocks(), []
    release = anyio.Event()

    async def first_reader() -> None:
        async with locks.hold(read=[OWNER]):
            await release.wait()

    async def writer() -> None:
        async with locks.hold(write=[OWNER]):
            order.append("writer")

    async def late_reader() -> None:
        async with locks.hold(read=[OWNER]):
            order.append("late reader")

    with anyio.fail_after(5):
        async with anyio.create_task_group() as group:
            group.start_soon(first_reader)
            await let_others_run()
            group.start_soon(writer)
            await let_others_run()
            group.start_soon(late_reader)
            await let_others_run()
            release.set()
    assert order == ["writer", "late reader"]


async def test_taking_locks_out_of_order_is_a_bug_raised_loudly() -> None:
    locks = RecordLocks()
    async with locks.hold(write=[B]):
        with pytest.raises(RuntimeError, match="out of order"):
            async with locks.hold(read=[OWNER]):
                pass  # pragma: no cover


async def test_a_lock_held_too_long_fails_the_waiter_having_sent_nothing() -> None:
    locks, release = RecordLocks(wait=0.05), anyio.Event()

    async def hold_a() -> None:
        async with locks.hold(write=[A]):
            await release.wait()

    with anyio.fail_after(5):
        async with anyio.create_task_group() as group:
            group.start_soon(hold_a)
            await let_others_run()
            with pytest.raises(LockBusy, match=r"invoice 1 .* nothing was sent"):
                async with locks.hold(write=[A]):
                    pass  # pragma: no cover
            release.set()
    async with locks.hold(write=[A]):  # the one who gave up left nothing behind
        pass
    assert repr(locks) == "RecordLocks(held=0)"


async def test_a_cancelled_waiter_lets_those_behind_it_through() -> None:
    locks, order = RecordLocks(), []
    release, doomed = anyio.Event(), anyio.CancelScope()

    async def hold_then_release() -> None:
        async with locks.hold(read=[A]):
            await release.wait()

    async def doomed_writer() -> None:
        with doomed:
            async with locks.hold(write=[A]):
                order.append("doomed writer")  # pragma: no cover

    async def reader() -> None:
        async with locks.hold(read=[A]):
            order.append("reader")

    with anyio.fail_after(5):
        async with anyio.create_task_group() as group:
            group.start_soon(hold_then_release)
            await let_others_run()
            group.start_soon(doomed_writer)
            await let_others_run()
            group.start_soon(reader)  # queued behind the doomed writer
            await let_others_run()
            doomed.cancel()
            await let_others_run()
            assert order == ["reader"]  # in beside the first holder, not behind the doomed writer
            release.set()
    assert repr(locks) == "RecordLocks(held=0)"


async def test_a_wait_gives_up_before_the_calls_own_deadline_having_sent_nothing() -> None:
    locks, release = RecordLocks(wait=20), anyio.Event()

    async def hold_a() -> None:
        async with locks.hold(write=[A]):
            await release.wait()

    with anyio.fail_after(5):
        async with anyio.create_task_group() as group:
            group.start_soon(hold_a)
            await let_others_run()
            with anyio.fail_after(1.0), pytest.raises(LockBusy, match="nothing was sent"):
                async with locks.hold(write=[A]):
                    pass  # pragma: no cover
            release.set()
