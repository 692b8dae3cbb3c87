"""Flood control's per-user windows: how many updates a user sent in the last `window` seconds, and whether they
were told to slow down in this one. In Redis when the bot has it (a sorted set per user, checked and added to in one
Lua script, so the replicas count one window), else in this process."""

import time
import uuid
from collections import deque
from collections.abc import Callable
from typing import Protocol

from redis.asyncio import Redis

_SWEEP_EVERY = 5_000

#: Drop what left the window, refuse when full, else count this update; 1 for refused. Keys expire with the window.
_HIT = """
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then return 1 end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], math.ceil(window * 1000))
return 0
"""

#: Told already in this window? Else remember until when; 1 for "tell them". The key expires with the window.
_WARN = """
local now, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local told_until = tonumber(redis.call('GET', KEYS[1]) or '0')
if told_until > now then return 0 end
redis.call('SET', KEYS[1], tostring(now + window), 'PX', math.ceil(window * 1000))
return 1
"""


class FloodWindows(Protocol):
    async def over_limit(self, user_id: int) -> bool:
        """True when the user's window is full (this update is not counted); else the update is counted."""

    async def first_warning(self, user_id: int) -> bool:
        """True once per window: the user is told to slow down only once."""


class MemoryWindows:
    """A sliding window per user in this process."""

    def __init__(self, *, limit: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._limit, self._window, self._clock = limit, window, clock
        self._seen: dict[int, deque[float]] = {}
        self._warned_until: dict[int, float] = {}
        self._calls = 0

    async def over_limit(self, user_id: int) -> bool:
        now = self._clock()
        self._sweep(now)
        times = self._seen.setdefault(user_id, deque())
        while times and times[0] <= now - self._window:
            times.popleft()
        if len(times) >= self._limit:
            return True
        times.append(now)
        return False

    async def first_warning(self, user_id: int) -> bool:
        now = self._clock()
        if self._warned_until.get(user_id, 0) > now:
            return False
        self._warned_until[user_id] = now + self._window
        return True

    def _sweep(self, now: float) -> None:
        self._calls += 1
        if self._calls % _SWEEP_EVERY:
            return
        horizon = now - self._window
        self._seen = {uid: times for uid, times in self._seen.items() if times and times[-1] > horizon}
        self._warned_until = {uid: until for uid, until in self._warned_until.items() if until > now}


class RedisWindows:
    """The replicas' windows in Redis; `clock` is wall-clock time (the replicas share no monotonic clock)."""

    def __init__(
        self, redis: Redis, *, prefix: str, limit: int, window: float, clock: Callable[[], float] = time.time
    ) -> None:
        self._redis, self._prefix = redis, prefix
        self._limit, self._window, self._clock = limit, window, clock
        self._hit = redis.register_script(_HIT)
        self._warn = redis.register_script(_WARN)

    async def over_limit(self, user_id: int) -> bool:
        key = f"{self._prefix}:flood:{user_id}"
        args = [repr(self._clock()), repr(self._window), self._limit, uuid.uuid4().hex]
        return bool(await self._hit(keys=[key], args=args))

    async def first_warning(self, user_id: int) -> bool:
        key = f"{self._prefix}:flood-warned:{user_id}"
        return bool(await self._warn(keys=[key], args=[repr(self._clock()), repr(self._window)]))
