"""A bounded queue in front of the model: generations run on a few worker threads, one at a time
per worker, and a full queue is refused at once (HTTP 503) instead of piling up requests.

Crisis replies never enter this queue; the app answers them on its own safety threads.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
_END = object()


def _lower_priority(nice: int) -> None:
    """Raise this worker thread's nice value (Linux: per thread), so that when the CPU is saturated
    the safety threads answering a crisis win it over generation. Threads the model library starts
    from here inherit it. Best effort: ignored where the OS does not support it."""
    if nice <= 0:
        return
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
    except (AttributeError, OSError):
        pass


class QueueFull(Exception):
    """Every slot of the generation queue is taken."""


class GenerationQueue:
    """Admit at most ``capacity`` jobs (waiting + running); run them on ``workers`` threads."""

    def __init__(self, capacity: int, workers: int = 1, nice: int = 0) -> None:
        self.capacity = capacity
        self.workers = workers
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mhqa-gen",
                                            initializer=_lower_priority, initargs=(nice,))
        self._lock = threading.Lock()
        self._admitted = 0
        self._running = 0

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {"capacity": self.capacity, "admitted": self._admitted, "running": self._running,
                    "waiting": self._admitted - self._running}

    def _admit(self) -> None:
        with self._lock:
            if self._admitted >= self.capacity:
                raise QueueFull(f"the generation queue is full ({self.capacity} requests); retry shortly")
            self._admitted += 1

    def _release(self) -> None:
        with self._lock:
            self._admitted -= 1

    def _tracked(self, fn: Callable[[], T]) -> T:
        with self._lock:
            self._running += 1
        try:
            return fn()
        finally:
            with self._lock:
                self._running -= 1

    async def run(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` on a generation worker and return its result.

        Raises:
            QueueFull: no slot is free.
        """
        self._admit()
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, self._tracked, fn)
        finally:
            self._release()

    async def stream(self, make_iter: Callable[[], Iterator[Any]]) -> AsyncIterator[Any]:
        """Iterate ``make_iter()`` on a generation worker, yielding its items as they come.

        The slot is taken when this is called (QueueFull at once) and held until the worker has
        finished; closing the async iterator early (client gone) stops the worker at its next item.

        Raises:
            QueueFull: no slot is free.
        """
        self._admit()
        loop = asyncio.get_running_loop()
        items: asyncio.Queue = asyncio.Queue()
        cancelled = threading.Event()

        def put(item: Any) -> None:
            loop.call_soon_threadsafe(items.put_nowait, item)

        def work() -> None:
            try:
                it = make_iter()
                try:
                    for item in it:
                        if cancelled.is_set():
                            break
                        put(item)
                finally:
                    close = getattr(it, "close", None)
                    if close is not None:
                        close()
                put(_END)
            except BaseException as exc:  # handed to the consumer, which decides what to report
                put(exc)
            finally:
                self._release()

        try:
            future = loop.run_in_executor(self._executor, self._tracked, work)
        except BaseException:
            self._release()
            raise
        return self._drain(items, cancelled, future)

    @staticmethod
    async def _drain(items: asyncio.Queue, cancelled: threading.Event, future) -> AsyncIterator[Any]:
        try:
            while True:
                item = await items.get()
                if item is _END:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            cancelled.set()

    def submit(self, fn: Callable[[], T]):
        """Occupy a slot with ``fn`` from any thread; returns a concurrent Future (QueueFull when full)."""
        self._admit()

        def job():
            try:
                return self._tracked(fn)
            finally:
                self._release()

        return self._executor.submit(job)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
