"""Waiting that a stop signal cuts short."""

import asyncio
import contextlib


async def wait_or_stop(stop: asyncio.Event, seconds: float) -> None:
    """Return after `seconds`, or as soon as `stop` is set."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
