"""The chat's lock across replicas (`bot/chat_lock.py`) on a short lease: one left by a replica that died is free
once its lease lapses, while one whose update is still being handled is renewed and held past it. On Redis (skipped
when it is not running), with a lease of a fraction of a second so the test waits little (Redis's own clock times
a lease: nothing virtual to move), yet long enough that a busy machine's pauses do not let a renewed one lapse."""

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from aiogram.fsm.storage.base import DefaultKeyBuilder, StorageKey
from aiogram.fsm.storage.redis import RedisStorage

from bot.chat_lock import ChatLock
from tests.bot.restarts import REDIS_URL

LEASE = 0.4
KEY = StorageKey(bot_id=42, chat_id=7301, user_id=7301)


@pytest.fixture
async def replicas(redis, prefix) -> AsyncIterator[list[RedisStorage]]:
    """Two replicas' storages on one Redis under one prefix, as one deployment's."""
    storages = [
        RedisStorage.from_url(REDIS_URL, key_builder=DefaultKeyBuilder(prefix=prefix, with_destiny=True))
        for _ in range(2)
    ]
    yield storages
    for storage in storages:
        await storage.close()


async def test_a_lock_left_by_a_dead_replica_lapses_with_its_lease(replicas):
    dead, alive = replicas
    # What a replica killed mid-update leaves in Redis: its lock, with nobody to renew or let go of it.
    left = dead.redis.lock(dead.key_builder.build(KEY, "lock"), timeout=LEASE)
    assert await left.acquire(blocking=False)
    began = time.monotonic()
    async with asyncio.timeout(10 * LEASE), ChatLock(alive, lease_seconds=LEASE).lock(KEY):
        waited = time.monotonic() - began
    assert LEASE / 2 < waited < 5 * LEASE  # it waited for the dead one's lease, and no longer


async def test_an_update_handled_past_the_lease_keeps_its_lock(replicas):
    first, second = (ChatLock(storage, lease_seconds=LEASE) for storage in replicas)
    events: list[str] = []

    async def slow_update() -> None:
        async with first.lock(KEY):
            events.append("first took it")
            await asyncio.sleep(2 * LEASE)  # a slow backend: two leases long
            events.append("first let go")

    async def next_update() -> None:
        async with second.lock(KEY):
            events.append("second took it")

    slow = asyncio.create_task(slow_update())
    await asyncio.sleep(LEASE / 4)  # the first has it
    async with asyncio.timeout(20 * LEASE):
        await asyncio.gather(slow, next_update())
    assert events == ["first took it", "first let go", "second took it"]


async def test_another_chat_is_not_held(replicas):
    first, second = (ChatLock(storage, lease_seconds=LEASE) for storage in replicas)
    other = StorageKey(bot_id=42, chat_id=7302, user_id=7302)
    async with first.lock(KEY), asyncio.timeout(LEASE), second.lock(other):
        held = [replicas[0].key_builder.build(key, "lock") for key in (KEY, other)]
        assert await replicas[0].redis.exists(*held) == 2  # both chats' locks, at once
