"""The bus every transport shares: a process's subscribers, each with its own bounded queue, fed by one listener.

A transport publishes to its medium (or straight to the local subscribers, in-process) and, when a listener is
needed, runs one per process that hands what arrives to `deliver`. Events are hints that something changed (the
page then loads the rows), so a subscriber too slow to keep up loses its oldest events rather than stalling the
rest."""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from api.events.event import Event

log = logging.getLogger(__name__)
#: Events a subscriber may fall behind by before its oldest are dropped.
QUEUE_SIZE = 100


class Subscription:
    """What one subscriber receives, in order; iterate it inside `EventBus.subscribe`."""

    def __init__(self) -> None:
        self._queue: asyncio.Queue[Event] = asyncio.Queue(QUEUE_SIZE)

    def put(self, event: Event) -> None:
        if self._queue.full():
            self._queue.get_nowait()
        self._queue.put_nowait(event)

    async def get(self) -> Event:
        return await self._queue.get()

    def __aiter__(self) -> "Subscription":
        return self

    async def __anext__(self) -> Event:
        return await self.get()


class EventBus:
    """In-process: what one worker publishes reaches that worker's subscribers. Subclasses reach every worker."""

    def __init__(self) -> None:
        self._subscribers: set[Subscription] = set()

    async def publish(self, event: Event) -> None:
        """Send the event; call it after the transaction that made the change has committed."""
        self.deliver(event.to_json())

    def deliver(self, raw: str | bytes) -> None:
        """Hand an event that arrived to this process's subscribers; one that cannot be read is logged and dropped."""
        try:
            event = Event.from_json(raw)
        except (ValueError, KeyError, TypeError):
            log.warning("an unreadable event was dropped")
            return
        for subscription in tuple(self._subscribers):
            subscription.put(event)

    @asynccontextmanager
    async def subscribe(self) -> AsyncIterator[Subscription]:
        """Receive every event published from now on until the block ends."""
        await self._listen()
        subscription = Subscription()
        self._subscribers.add(subscription)
        try:
            yield subscription
        finally:
            self._subscribers.discard(subscription)

    async def _listen(self) -> None:
        """Start the process's listener if the transport needs one and it is not running."""

    async def close(self) -> None:
        """Stop listening and close the transport's connections."""
