"""The profile cache behind one interface: in this process, or in Redis where every replica sees the same entry, so
a change one replica forgets (a language chosen, a case opened) is forgotten for all."""

import uuid
from collections.abc import AsyncIterator
from datetime import time

import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.backend import NotLinked
from bot.backend.models import Profile
from bot.profiles import MemoryProfiles, ProfileCache, RedisProfiles
from tests.bot.restarts import REDIS_URL

IVAN = Profile(
    id=1,
    first_name="Иван",
    language="ru",
    time_zone="Europe/Moscow",
    selected_loan_id=1,
    reminders_enabled=True,
    reminder_days_ahead=[3, 1],
    daytime_start=time(9),
    daytime_end=time(21),
    survey_allowed=True,
)


class Backend:
    """The backend's `GET /me`, counted; `linked` maps a chat to its profile."""

    def __init__(self) -> None:
        self.calls = 0
        self.linked = {1001: IVAN}

    async def profile(self, user_id: int) -> Profile:
        self.calls += 1
        if user_id not in self.linked:
            raise NotLinked(403, "not_linked", "The chat is not linked.")
        return self.linked[user_id]


@pytest.fixture(params=["memory", "redis"])
async def stores(request) -> AsyncIterator[tuple]:
    """Two replicas' stores: one shared in Redis, or (in memory) a single process's."""
    if request.param == "memory":
        store = MemoryProfiles()
        yield store, store
        return
    prefix = f"ipoteka-test-{uuid.uuid4().hex}"
    clients = [Redis.from_url(REDIS_URL, socket_connect_timeout=0.5) for _ in range(2)]  # one per replica
    try:
        await clients[0].ping()
    except (RedisError, OSError):
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    yield tuple(RedisProfiles(client, prefix=prefix) for client in clients)
    keys = [key async for key in clients[0].scan_iter(match=f"{prefix}:*")]
    if keys:
        await clients[0].delete(*keys)
    for client in clients:
        await client.aclose()


async def test_kept_read_and_forgotten_alike(stores):
    backend = Backend()
    one, other = (ProfileCache(backend, ttl=30, store=store) for store in stores)
    assert await one.get(1001) == IVAN and backend.calls == 1
    assert await other.get(1001) == IVAN and backend.calls == 1  # the other replica reads the kept entry
    await other.forget(1001)  # a change made through the other replica
    backend.linked[1001] = IVAN.model_copy(update={"language": "en"})
    assert (await one.get(1001)).language == "en" and backend.calls == 2


async def test_an_unlinked_chat_is_asked_each_time_and_nothing_kept(stores):
    backend = Backend()
    cache = ProfileCache(backend, ttl=30, store=stores[0])
    assert await cache.get(2002) is None and await cache.get(2002) is None
    assert backend.calls == 2


async def test_redis_entries_expire_with_the_cache(redis, prefix):
    store = RedisProfiles(redis, prefix=prefix)
    await store.keep(1001, IVAN, 30)
    assert 0 < await redis.pttl(f"{prefix}:profile:1001") <= 30_000
    assert await store.load(1001) == IVAN
