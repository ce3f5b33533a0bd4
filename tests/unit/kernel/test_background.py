"""Background work: periodic jobs, the pace of relay and consumer cycles, stopping a task."""

from __future__ import annotations

import asyncio
import itertools

from dojang.kernel.background import Pace, PeriodicJob, cancel_and_wait


async def test_a_job_runs_at_start_then_every_interval_until_stopped() -> None:
    runs: list[float] = []

    async def job() -> int:
        runs.append(asyncio.get_running_loop().time())
        if len(runs) == 2:
            raise RuntimeError("one bad run")  # logged; the next run still comes
        return 1

    periodic = PeriodicJob("test_job", job, interval_seconds=0.01)
    await periodic.start()
    await periodic.start()  # already running: not a second loop
    async with asyncio.timeout(5):
        while len(runs) < 4:
            await asyncio.sleep(0.005)
    assert periodic.running
    await periodic.stop()
    assert not periodic.running
    stopped_at = len(runs)
    await asyncio.sleep(0.05)
    assert len(runs) == stopped_at
    assert all(later - earlier >= 0.009 for earlier, later in itertools.pairwise(runs))


async def test_a_job_runs_early_when_something_falls_due_and_when_woken() -> None:
    runs: list[float] = []
    due: list[float | None] = [0.05, None, None]

    async def job() -> int:
        runs.append(asyncio.get_running_loop().time())
        return 0

    async def due_in() -> float | None:
        return due.pop(0) if due else None

    periodic = PeriodicJob("test_job", job, interval_seconds=60, due_in=due_in)
    await periodic.start()
    async with asyncio.timeout(5):
        while len(runs) < 2:  # the second run comes at the due moment, not a minute later
            await asyncio.sleep(0.005)
    assert 0.05 <= runs[1] - runs[0] < 1
    await asyncio.sleep(0.1)
    assert len(runs) == 2  # nothing due: it waits its interval
    periodic.wake()
    async with asyncio.timeout(5):
        while len(runs) < 3:
            await asyncio.sleep(0.005)
    await periodic.stop()


async def test_run_once_runs_in_the_callers_task() -> None:
    async def job() -> int:
        return 7

    assert await PeriodicJob("test_job", job, interval_seconds=60).run_once() == 7


async def test_cancel_and_wait_ends_a_task_and_accepts_none() -> None:
    task = asyncio.get_running_loop().create_task(asyncio.sleep(60))
    await cancel_and_wait(task)
    assert task.cancelled()
    await cancel_and_wait(None)


async def test_cycles_start_a_pace_apart_under_load_and_at_once_after_a_quiet_spell() -> None:
    loop = asyncio.get_running_loop()
    pace = Pace(0.02)
    started = loop.time()
    await pace.next_cycle()
    assert loop.time() - started < 0.01  # the first cycle goes at once
    starts = []
    for _ in range(3):  # back to back, as under load
        await pace.next_cycle()
        starts.append(loop.time())
    gaps = [later - earlier for earlier, later in itertools.pairwise([started, *starts])]
    assert all(gap >= 0.019 for gap in gaps), gaps
    await asyncio.sleep(0.05)  # quiet for longer than the pace
    before = loop.time()
    await pace.next_cycle()
    assert loop.time() - before < 0.01
