"""The updates this bot has taken, by Telegram's `update_id`, so a redelivered update is handled once: in Redis
(shared by the replicas, `SET NX` with a time to live) when the bot has it, else a bounded set in this process.

An update is first taken for `HANDLING_SECONDS`, then kept as handled for `KEPT_SECONDS`; an update whose handler
raised is let go at once. So Telegram's redelivery of an update still being handled (a slow answer to the webhook)
or handled already is dropped, while one whose bot died mid-way is handled again once its hold has lapsed."""

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

from redis.asyncio import Redis

#: How long an update is held while handled: a replica that died mid-update lets a redelivery in after this.
HANDLING_SECONDS = 120
#: How long a handled update is remembered; Telegram keeps an undelivered update for 24 hours.
KEPT_SECONDS = 24 * 3600
#: The in-process set forgets the oldest update past this many.
KEPT_IN_MEMORY = 100_000


class SeenUpdates(Protocol):
    async def take(self, update_id: int) -> bool:
        """True the first time `update_id` comes (or once its hold lapsed); False for a redelivery."""

    async def handled(self, update_id: int) -> None:
        """The update was handled: a redelivery is dropped for `KEPT_SECONDS`."""

    async def release(self, update_id: int) -> None:
        """Handling failed: a redelivery is handled anew."""


class MemorySeen:
    """This process's updates, the oldest forgotten past `capacity`."""

    def __init__(self, *, capacity: int = KEPT_IN_MEMORY, clock: Callable[[], float] = time.monotonic) -> None:
        self._until: OrderedDict[int, float] = OrderedDict()
        self._capacity = capacity
        self._clock = clock

    async def take(self, update_id: int) -> bool:
        now = self._clock()
        until = self._until.get(update_id)
        if until is not None and until > now:
            return False
        self._keep(update_id, now + HANDLING_SECONDS)
        return True

    async def handled(self, update_id: int) -> None:
        self._keep(update_id, self._clock() + KEPT_SECONDS)

    async def release(self, update_id: int) -> None:
        self._until.pop(update_id, None)

    def _keep(self, update_id: int, until: float) -> None:
        self._until[update_id] = until
        self._until.move_to_end(update_id)
        while len(self._until) > self._capacity:
            self._until.popitem(last=False)


class RedisSeen:
    """The replicas' updates in Redis: one key per update, `SET NX EX` to take it, so exactly one replica does."""

    def __init__(self, redis: Redis, *, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix

    def _key(self, update_id: int) -> str:
        return f"{self._prefix}:update:{update_id}"

    async def take(self, update_id: int) -> bool:
        return bool(await self._redis.set(self._key(update_id), b"handling", nx=True, ex=HANDLING_SECONDS))

    async def handled(self, update_id: int) -> None:
        await self._redis.set(self._key(update_id), b"handled", ex=KEPT_SECONDS)

    async def release(self, update_id: int) -> None:
        await self._redis.delete(self._key(update_id))
