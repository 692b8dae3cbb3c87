"""A bus whose events travel through a server (Redis, PostgreSQL): one listener task per process, started by the
first subscriber and restarted after a lost connection, feeds the process's subscribers."""

import asyncio
import logging
from abc import ABC, abstractmethod

from api.events.bus import EventBus

log = logging.getLogger(__name__)
RECONNECT_SECONDS = 1.0


class ListeningBus(EventBus, ABC):
    def __init__(self) -> None:
        super().__init__()
        self._listener: asyncio.Task[None] | None = None
        self._ready: asyncio.Event | None = None

    async def _listen(self) -> None:
        if self._listener is None or self._listener.done():
            self._ready = asyncio.Event()
            self._listener = asyncio.create_task(self._keep_listening(self._ready))
        ready = asyncio.create_task(self._ready.wait())
        await asyncio.wait({ready, self._listener}, return_when=asyncio.FIRST_COMPLETED)
        ready.cancel()
        if not self._ready.is_set():
            await self._listener  # it failed before it could listen: raise why

    async def _keep_listening(self, ready: asyncio.Event) -> None:
        while True:
            try:
                await self._receive(ready)
            except (OSError, ConnectionError) as exc:
                if not ready.is_set():
                    raise
                log.warning("the event listener lost its connection (%s); reconnecting", type(exc).__name__)
            await asyncio.sleep(RECONNECT_SECONDS)

    @abstractmethod
    async def _receive(self, ready: asyncio.Event) -> None:
        """Connect, subscribe, set `ready`, then `deliver` every event until the connection fails."""

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            await asyncio.gather(self._listener, return_exceptions=True)
            self._listener = None
