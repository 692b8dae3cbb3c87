"""Where certificates are drawn: in processes of their own beside the backend's worker, or in a thread of it.

Drawing a certificate is some 50 ms of pure Python (fpdf2's layout and font subsetting). In a thread it holds the
interpreter's lock from the worker's event loop, so every other request waits behind it; in a process of its own it
runs on another core. The pool starts with the first certificate, not with the app. A drawing is pure (figures in,
bytes out), so one whose process died (the pool broken) is drawn once more in a new pool.
"""

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context

log = logging.getLogger(__name__)


class Drawing:
    """Draws in `processes` processes (spawned: a fork of a worker with its threads and connections is unsafe), or in
    a thread when `processes` is 0."""

    def __init__(self, processes: int) -> None:
        self._processes = processes
        self._pool: ProcessPoolExecutor | None = None

    async def __call__(self, draw: Callable[[], bytes]) -> bytes:
        """`draw()` done where this drawing draws; `draw` must pickle (a module-level function and its arguments)."""
        if self._processes == 0:
            return await asyncio.to_thread(draw)
        try:
            return await self._in_pool(draw)
        except BrokenProcessPool:
            log.warning("a certificate's drawing process died; drawing it again in a new one")
            broken, self._pool = self._pool, None
            if broken is not None:
                broken.shutdown(wait=False)
            return await self._in_pool(draw)

    async def _in_pool(self, draw: Callable[[], bytes]) -> bytes:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self._processes, mp_context=get_context("spawn"))
        return await asyncio.get_running_loop().run_in_executor(self._pool, draw)

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)
