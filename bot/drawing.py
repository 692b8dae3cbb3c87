"""Where the bot draws its pictures: in worker processes beside it (anyio's, started with the first drawing and ended
with the event loop), or in a thread of it when told 0 processes.

A payoff chart is some 70 ms of CPU in matplotlib. In a thread it holds the interpreter's lock from the event loop, so
every other chat's turn waits behind it; in a worker process it runs on another core. A drawing is pure (figures in,
bytes out), so one whose process died is drawn once more in a new one.
"""

import asyncio
import logging
from collections.abc import Callable

from anyio import BrokenWorkerProcess, CapacityLimiter, to_process
from anyio.lowlevel import RunVar

log = logging.getLogger(__name__)

#: The event loop's limit on drawings at once: the worker processes it keeps.
_LIMITER: RunVar[CapacityLimiter] = RunVar("bot_drawing_limiter")


async def drawn(draw: Callable[..., bytes], *args: object, processes: int) -> bytes:
    """`draw(*args)` done in one of `processes` worker processes (a thread when 0); `draw` and `args` must pickle."""
    if processes == 0:
        return await asyncio.to_thread(draw, *args)
    try:
        return await to_process.run_sync(draw, *args, limiter=_limiter(processes))
    except BrokenWorkerProcess:
        log.warning("a drawing process died; drawing again in a new one")
        return await to_process.run_sync(draw, *args, limiter=_limiter(processes))


def _limiter(processes: int) -> CapacityLimiter:
    try:
        return _LIMITER.get()
    except LookupError:
        limiter = CapacityLimiter(processes)
        _LIMITER.set(limiter)
        return limiter
