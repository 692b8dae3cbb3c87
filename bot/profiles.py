"""The linked borrower's profile per chat, kept for a few seconds so a dialog turn costs one backend call: in Redis
when the bot has it (every replica sees the same entry, and a change one replica forgets is forgotten for all), else
in this process."""

import time
from collections.abc import Callable
from typing import Protocol

from redis.asyncio import Redis

from bot.backend import BackendClient, NotLinked
from bot.backend.models import Profile

#: The in-process store sweeps its expired entries past this many.
SWEEP_PAST = 10_000


class ProfileStore(Protocol):
    async def load(self, user_id: int) -> Profile | None: ...

    async def keep(self, user_id: int, profile: Profile, ttl: float) -> None: ...

    async def drop(self, user_id: int) -> None: ...


class MemoryProfiles:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._entries: dict[int, tuple[float, Profile]] = {}

    async def load(self, user_id: int) -> Profile | None:
        entry = self._entries.get(user_id)
        return entry[1] if entry is not None and entry[0] > self._clock() else None

    async def keep(self, user_id: int, profile: Profile, ttl: float) -> None:
        now = self._clock()
        if len(self._entries) > SWEEP_PAST:
            self._entries = {k: v for k, v in self._entries.items() if v[0] > now}
        self._entries[user_id] = (now + ttl, profile)

    async def drop(self, user_id: int) -> None:
        self._entries.pop(user_id, None)


class RedisProfiles:
    """One key per chat holding the profile's JSON, expiring with the cache's time to live."""

    def __init__(self, redis: Redis, *, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix

    def _key(self, user_id: int) -> str:
        return f"{self._prefix}:profile:{user_id}"

    async def load(self, user_id: int) -> Profile | None:
        raw = await self._redis.get(self._key(user_id))
        return Profile.model_validate_json(raw) if raw is not None else None

    async def keep(self, user_id: int, profile: Profile, ttl: float) -> None:
        await self._redis.set(self._key(user_id), profile.model_dump_json(), px=max(1, round(ttl * 1000)))

    async def drop(self, user_id: int) -> None:
        await self._redis.delete(self._key(user_id))


class ProfileCache:
    """Linked profiles only: an unlinked chat asks the backend each time, so a fresh link is seen at once.

    A stale entry is harmless: a borrower call for a chat unlinked elsewhere fails with `NotLinked`, and the
    error boundary forgets the entry. Every change the bot makes through the backend forgets it too.
    """

    def __init__(self, backend: BackendClient, *, ttl: float, store: ProfileStore | None = None) -> None:
        self._backend = backend
        self._ttl = ttl
        self._store = store or MemoryProfiles()

    async def get(self, user_id: int) -> Profile | None:
        if self._ttl > 0 and (profile := await self._store.load(user_id)) is not None:
            return profile
        try:
            profile = await self._backend.profile(user_id)
        except NotLinked:
            await self._store.drop(user_id)
            return None
        await self.remember(user_id, profile)
        return profile

    async def remember(self, user_id: int, profile: Profile) -> None:
        """Keep `profile` for the chat, e.g. one the bot rebuilt from the backend's answer to a change."""
        if self._ttl > 0:
            await self._store.keep(user_id, profile, self._ttl)

    async def forget(self, user_id: int) -> None:
        await self._store.drop(user_id)
