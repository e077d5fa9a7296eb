"""The bounded generation queue on its own: admission, ordering, errors and early close."""

from __future__ import annotations

import asyncio
import threading

import pytest

from mhqa.server.queue import GenerationQueue, QueueFull


def test_a_full_queue_refuses_at_once_and_frees_slots():
    async def main():
        q = GenerationQueue(capacity=2, workers=1)
        gate = threading.Event()
        first = asyncio.ensure_future(q.run(lambda: gate.wait(10) and "a"))
        second = asyncio.ensure_future(q.run(lambda: "b"))
        await asyncio.sleep(0.05)
        assert q.stats()["admitted"] == 2
        with pytest.raises(QueueFull):
            await q.run(lambda: "c")
        gate.set()
        assert await first == "a" and await second == "b"
        assert q.stats() == {"capacity": 2, "admitted": 0, "running": 0, "waiting": 0}
        q.shutdown()

    asyncio.run(main())


def test_stream_yields_items_and_reraises_worker_errors():
    async def main():
        q = GenerationQueue(capacity=4)
        items = [x async for x in await q.stream(lambda: iter(["a", "b", "c"]))]
        assert items == ["a", "b", "c"]

        def broken():
            yield "x"
            raise ValueError("boom")

        got = []
        with pytest.raises(ValueError):
            async for x in await q.stream(broken):
                got.append(x)
        assert got == ["x"]
        await asyncio.sleep(0.05)
        assert q.stats()["admitted"] == 0
        q.shutdown()

    asyncio.run(main())


def test_closing_a_stream_early_stops_the_worker():
    async def main():
        q = GenerationQueue(capacity=1)
        produced = []
        closed = threading.Event()

        def endless():
            try:
                i = 0
                while True:
                    produced.append(i)
                    yield i
                    i += 1
            finally:
                closed.set()

        it = await q.stream(endless)
        async for x in it:
            if x == 3:
                break
        await it.aclose()
        assert await asyncio.get_running_loop().run_in_executor(None, closed.wait, 10)
        for _ in range(100):
            if q.stats()["admitted"] == 0:
                break
            await asyncio.sleep(0.02)
        assert q.stats()["admitted"] == 0
        assert len(produced) < 10_000
        q.shutdown()

    asyncio.run(main())
