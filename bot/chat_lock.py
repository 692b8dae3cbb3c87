"""One update at a time per chat across the replicas: a lock in Redis as aiogram's (`RedisEventIsolation`), with
two differences. It is held on a short lease renewed while the update is handled: with aiogram's 60 s lock, a replica
killed while handling an update held its chat for a minute, and the borrower's next message waited that long; now
the chat is free at most `LEASE_SECONDS` after the replica died, and an update handled for longer (a slow backend)
keeps its lock as long as it runs. And letting it go never fails an update already handled: Redis stopped while an
update held the lock used to raise from the lock's end, after the borrower had their answer, and turn it into an
error; and with the deployment's persistence the lock came back with Redis and held the chat's next update for the
rest of its lease. Now a lock that could not be let go is let go in the background as soon as Redis answers again (or
found already gone). Taking the lock while Redis is down still fails, and the update gets the outage's answer
(`bot/middlewares/errors.py`)."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

from aiogram.fsm.storage.base import BaseEventIsolation, StorageKey
from aiogram.fsm.storage.redis import RedisStorage
from redis.asyncio.lock import Lock
from redis.exceptions import LockError

from bot.redis_client import REDIS_DOWN

log = logging.getLogger(__name__)

#: How long a lock outlives the replica holding it; renewed every third of it while the update is handled.
LEASE_SECONDS = 5.0
#: How often a lock left held is tried again; past its lease it has lapsed anyway.
RELEASE_EVERY_SECONDS = 0.25


class ChatLock(BaseEventIsolation):
    def __init__(self, storage: RedisStorage, *, lease_seconds: float = LEASE_SECONDS) -> None:
        self._redis = storage.redis
        self._key_builder = storage.key_builder
        self._lease = lease_seconds
        self._letting_go: set[asyncio.Task] = set()

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        lock = self._redis.lock(name=self._key_builder.build(key, "lock"), timeout=self._lease, lock_class=Lock)
        await lock.acquire()
        renewing = asyncio.create_task(self._renew(lock))
        try:
            yield None
        finally:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing
            if not await _release(lock):
                log.warning("a chat's lock could not be let go (Redis down): let go once Redis answers")
                task = asyncio.create_task(self._let_go_later(lock))
                self._letting_go.add(task)
                task.add_done_callback(self._letting_go.discard)

    async def _renew(self, lock: Lock) -> None:
        """The lease back to its full length every third of it, while the update is handled; Redis down meanwhile:
        tried again at the next third (the lock may lapse, as it would with the replica gone)."""
        while True:
            await asyncio.sleep(self._lease / 3)
            try:
                await lock.reacquire()
            except LockError:
                log.warning("a chat's lock lapsed while its update was handled")
                return
            except REDIS_DOWN:
                continue

    async def _let_go_later(self, lock: Lock) -> None:
        loop = asyncio.get_running_loop()
        lapses = loop.time() + self._lease
        while loop.time() < lapses:
            await asyncio.sleep(RELEASE_EVERY_SECONDS)
            if await _release(lock):
                return

    async def close(self) -> None:
        for task in list(self._letting_go):
            task.cancel()


async def _release(lock: Lock) -> bool:
    """False while Redis cannot be reached; True once let go, or found gone (lapsed, or forgotten by a Redis that
    kept nothing)."""
    try:
        await lock.release()
    except LockError:
        return True
    except REDIS_DOWN:
        return False
    return True
