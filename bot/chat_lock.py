"""One update at a time per chat across the replicas: aiogram's lock in Redis (`RedisEventIsolation`), except that
letting it go never fails an update already handled. Redis stopped while an update held the lock used to raise from
the lock's end, after the borrower had their answer, and turn it into an error; and with the deployment's
persistence the lock came back with Redis and held the chat's next update for the rest of its 60 s. Now a lock that
could not be let go is let go in the background as soon as Redis answers again (or found already gone). Taking the
lock while Redis is down still fails, and the update gets the outage's answer (`bot/middlewares/errors.py`)."""

import asyncio
import logging
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

from aiogram.fsm.storage.base import BaseEventIsolation, StorageKey
from aiogram.fsm.storage.redis import DEFAULT_REDIS_LOCK_KWARGS, RedisStorage
from redis.asyncio.lock import Lock
from redis.exceptions import LockError

from bot.redis_client import REDIS_DOWN

log = logging.getLogger(__name__)

#: How often a lock left held is tried again; past the lock's own timeout it has lapsed anyway.
RELEASE_EVERY_SECONDS = 0.25
LOCK_SECONDS = float(DEFAULT_REDIS_LOCK_KWARGS["timeout"])


class ChatLock(BaseEventIsolation):
    def __init__(self, storage: RedisStorage) -> None:
        self._redis = storage.redis
        self._key_builder = storage.key_builder
        self._letting_go: set[asyncio.Task] = set()

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        lock = self._redis.lock(name=self._key_builder.build(key, "lock"), timeout=LOCK_SECONDS, lock_class=Lock)
        await lock.acquire()
        try:
            yield None
        finally:
            if not await _release(lock):
                log.warning("a chat's lock could not be let go (Redis down): let go once Redis answers")
                task = asyncio.create_task(self._let_go_later(lock))
                self._letting_go.add(task)
                task.add_done_callback(self._letting_go.discard)

    async def _let_go_later(self, lock: Lock) -> None:
        loop = asyncio.get_running_loop()
        lapses = loop.time() + LOCK_SECONDS
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
