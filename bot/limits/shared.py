"""The budget shared by every process sending for one bot token, kept in Redis (with `REDIS_URL`).

The same windows and rules as the in-process `RateLimiter`, each decision one Lua script, so two processes can never
both take the last place in a window: per window a sorted set of answered sends (scored by the moment of the answer)
and one of permits not yet used (scored by when they are taken for lost, `Limits.permit_expiry`, so a process that
dies holding permits frees them); a 429's pause is one key every process reads; an urgent request waiting for the
overall window puts itself in a sorted set that pushes yield to. The time is Redis's own (`TIME`), so every process
reads one clock; tests give a `clock` instead, whose readings are passed in.

Why not the `limits` library: its moving window counts a hit when it is taken, and has no permits that count as a
send now until their answer, no shared pause, no early grant (`lead`) and no priority; each of these is what keeps
the house's sends at Telegram's cap without a 429.
"""

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import AsyncIterator

from redis.asyncio import Redis

from bot.limits.base import TELEGRAM, Clock, Limits, Permit, Sleep
from bot.redis_client import REDIS_DOWN, connect

log = logging.getLogger(__name__)

#: Redis's TIME is read as seconds since this (2023-11-14), so a sorted set's double score keeps its microseconds.
EPOCH = 1_700_000_000
#: The longest a waiter sleeps before asking again: an urgent waiter renews its place this often.
MAX_SLEEP = 0.25
#: How long an urgent waiter's place holds without being renewed (a waiter that died is forgotten after it).
URGENT_HOLD = 1.0
#: How often a waiter asks while permits not yet used fill a window, or while pushes yield to a reply.
POLL = 0.01
#: The scripts count time in microseconds.
RESOLUTION = 1e-6
#: Keys outlive their windows by this much, so Redis forgets idle chats on its own.
KEEP_SECONDS = 120

_CLOCK = f"""
local function clock(given)
  if given ~= '' then return tonumber(given) end
  local t = redis.call('TIME')
  return (tonumber(t[1]) - {EPOCH}) + tonumber(t[2]) / 1000000
end
-- every time goes to Redis and back as a string of microseconds (Lua's own tostring would round to 14 digits)
local function fmt(x)
  if x == math.huge then return '-1' end
  return string.format('%.6f', x)
end
"""

#: KEYS: overall answered, overall pending, pause, urgent waiters, then (answered, pending) per chat window.
#: ARGV: now or '', lead, token, urgency ('0' a push; '1' urgent, the last of its process; '2' urgent, more of its
#: process wait behind it), permit expiry, urgent hold, keep ms, the process's id, overall size, span, then size, span
#: per chat window. Returns {1, slot, now} granted; {0, wait, now} the overall window (or an urgent request) holds it;
#: {2, wait, now} a chat window holds it; wait '-1': until something changes. A process is in the urgent set while an
#: urgent request of its waits for the overall window, so pushes anywhere yield to it.
RESERVE = (
    _CLOCK
    + """
local function free_at(answered, pending, size, span, now)
  redis.call('ZREMRANGEBYSCORE', answered, '-inf', fmt(now - span))
  redis.call('ZREMRANGEBYSCORE', pending, '-inf', fmt(now))
  local n = redis.call('ZCARD', answered)
  local over = n + redis.call('ZCARD', pending) - size
  if over < 0 then return now end
  if over >= n then return math.huge end
  local at = redis.call('ZRANGE', answered, over, over, 'WITHSCORES')
  return tonumber(at[2]) + span
end
local now, lead, token, urgency, waiter = clock(ARGV[1]), tonumber(ARGV[2]), ARGV[3], ARGV[4], ARGV[8]
local urgent = urgency ~= '0'
local chat_ready, j = now, 11
for i = 5, #KEYS, 2 do
  local ready = free_at(KEYS[i], KEYS[i + 1], tonumber(ARGV[j]), tonumber(ARGV[j + 1]), now)
  if ready > chat_ready then chat_ready = ready end
  j = j + 2
end
if chat_ready - lead > now then
  return {2, fmt(chat_ready == math.huge and math.huge or chat_ready - lead - now), fmt(now)}
end
local ready = free_at(KEYS[1], KEYS[2], tonumber(ARGV[9]), tonumber(ARGV[10]), now)
local paused = tonumber(redis.call('GET', KEYS[3]) or '0')
if paused > ready then ready = paused end
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', fmt(now))
local yielding = (not urgent) and redis.call('ZCARD', KEYS[4]) > 0
if yielding or ready - lead > now then
  if urgent then
    redis.call('ZADD', KEYS[4], fmt(now + tonumber(ARGV[6])), waiter)
    redis.call('PEXPIRE', KEYS[4], ARGV[7])
  end
  if yielding or ready == math.huge then return {0, '-1', fmt(now)} end
  return {0, fmt(ready - lead - now), fmt(now)}
end
if urgency == '1' then redis.call('ZREM', KEYS[4], waiter) end
local lost_at = now + tonumber(ARGV[5])
for i = 2, #KEYS, 1 do
  if i == 2 or (i > 4 and i % 2 == 0) then
    redis.call('ZADD', KEYS[i], fmt(lost_at), token)
    redis.call('PEXPIRE', KEYS[i], ARGV[7])
  end
end
if chat_ready > ready then ready = chat_ready end
if now > ready then ready = now end
return {1, fmt(ready), fmt(now)}
"""
)

#: KEYS: (answered, pending) per window. ARGV: now or '', token, answered, keep ms.
CLOSE = (
    _CLOCK
    + """
local now = clock(ARGV[1])
for i = 1, #KEYS, 2 do
  redis.call('ZREM', KEYS[i + 1], ARGV[2])
  if ARGV[3] == '1' then
    redis.call('ZADD', KEYS[i], fmt(now), ARGV[2])
    redis.call('PEXPIRE', KEYS[i], ARGV[4])
  end
end
return fmt(now)
"""
)

#: KEYS: pause. ARGV: now or '', seconds, keep ms. The pause only ever lengthens.
PAUSE = (
    _CLOCK
    + """
local now = clock(ARGV[1])
local till = now + tonumber(ARGV[2])
if till > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], fmt(till), 'PX', ARGV[3])
end
return fmt(till)
"""
)


class SharedPermit(Permit):
    def __init__(
        self, limiter: "SharedRateLimiter", keys: list[str], token: str, chat_id: int, slot: float, now: float
    ) -> None:
        super().__init__(chat_id, slot)
        self._limiter = limiter
        self._keys = keys
        self._token = token
        self._granted = (now, time.monotonic())  # the limiter's clock and ours at the grant

    def _now(self) -> float:
        if self._limiter.clock is not None:
            return self._limiter.clock()
        then, here = self._granted
        return then + (time.monotonic() - here)

    async def _sleep(self, seconds: float) -> None:
        await self._limiter.sleep(seconds)

    async def _close(self, *, answered: bool) -> None:
        await self._limiter._close(self._keys, self._token, answered=answered)


class SharedRateLimiter:
    """`RateLimiter`'s rules kept in Redis under `key` (one per bot token), for every process that sends with it."""

    def __init__(
        self,
        redis: Redis,
        limits: Limits = TELEGRAM,
        *,
        key: str,
        clock: Clock | None = None,
        sleep: Sleep = asyncio.sleep,
        owns_client: bool = False,
    ) -> None:
        self.limits = limits
        self.clock = clock
        self.sleep = sleep
        self._redis = redis
        self._owns = owns_client
        self._key = f"{{{key}}}"  # a hash tag: every key of one token in one cluster slot, as a script needs
        self._reserve = redis.register_script(RESERVE)
        self._close_script = redis.register_script(CLOSE)
        self._pause = redis.register_script(PAUSE)
        self._fronts = {True: asyncio.Lock(), False: asyncio.Lock()}  # one waiter a kind asks at a time
        self._urgent = 0  # urgent requests of this process waiting for the overall window
        self._id = uuid.uuid4().hex  # this process's place in the urgent set
        self._chats: dict[int, list] = {}  # chat id -> [lock, users]
        longest = max(60.0, limits.chat_interval) + limits.margin + limits.permit_expiry
        self._keep_ms = int((longest + KEEP_SECONDS) * 1000)

    @classmethod
    def from_url(cls, url: str, limits: Limits = TELEGRAM, *, key: str) -> "SharedRateLimiter":
        return cls(connect(url), limits, key=key, owns_client=True)

    async def reserve(
        self, chat_id: int, *, lead: float = 0.0, urgent: bool = False, chat_window: bool = True
    ) -> SharedPermit:
        """As `RateLimiter.reserve`, across processes."""
        keys, sizes = self._windows(chat_id, chat_window=chat_window)
        token = uuid.uuid4().hex
        async with self._chat_turn(chat_id):
            while True:
                status, value, now = await self._at_front(keys, sizes, token, lead=lead, urgent=urgent)
                if status == 1:
                    windows = [keys[0], keys[1], *keys[4:]]
                    return SharedPermit(self, windows, token, chat_id, value, now)
                await self._wait(value)  # a chat window holds it: wait without holding up the others

    async def _at_front(
        self, keys: list[str], sizes: list[str], token: str, *, lead: float, urgent: bool
    ) -> tuple[int, float, float]:
        """Ask until granted or held by a chat window, one request of a kind at a time in this process; an urgent
        one keeps the process in the urgent set for every urgent request queued behind it."""
        if urgent:
            self._urgent += 1
        try:
            async with self._fronts[urgent]:
                while True:
                    urgency = ("2" if self._urgent > 1 else "1") if urgent else "0"
                    status, value, now = await self._ask(keys, sizes, token, lead=lead, urgency=urgency)
                    if status != 0:
                        return status, value, now
                    await self._wait(value)
        finally:
            if urgent:
                self._urgent -= 1
                if self._urgent == 0 and asyncio.current_task().cancelling():
                    with contextlib.suppress(Exception):  # best effort: the place lapses after URGENT_HOLD anyway
                        await self._redis.zrem(keys[3], self._id)

    async def pause(self, seconds: float) -> None:
        """Every process sends nothing for `seconds` (Telegram said so with a 429)."""
        keep_ms = max(self._keep_ms, int((seconds + 1) * 1000))  # Telegram may ask for an hour
        await self._pause(keys=[self._name("pause")], args=[self._now_arg(), repr(float(seconds)), keep_ms])

    async def aclose(self) -> None:
        if self._owns:
            await self._redis.aclose()

    async def _ask(
        self, keys: list[str], sizes: list[str], token: str, *, lead: float, urgency: str
    ) -> tuple[int, float, float]:
        limits = self.limits
        args = [
            self._now_arg(),
            repr(float(lead)),
            token,
            urgency,
            repr(limits.permit_expiry),
            repr(URGENT_HOLD),
            self._keep_ms,
            self._id,
            limits.per_second,
            repr(1.0 + limits.margin),
            *sizes,
        ]
        status, value, now = await self._reserve(keys=keys, args=args)
        return int(status), float(value), float(now)

    async def _close(self, keys: list[str], token: str, *, answered: bool) -> None:
        """The permit's end; with Redis gone meanwhile it is left to lapse (`Limits.permit_expiry`), and the send it
        was for stands: a send Telegram took must not look failed because its bookkeeping could not be written."""
        try:
            await self._close_script(keys=keys, args=[self._now_arg(), token, "1" if answered else "0", self._keep_ms])
        except REDIS_DOWN as exc:
            log.warning("a permit's end was not recorded (%s): it lapses on its own", type(exc).__name__)

    async def _wait(self, wait: float) -> None:
        """Sleep `wait` (at least a microsecond, the scripts' resolution), at most MAX_SLEEP; -1: a POLL."""
        await self.sleep(POLL if wait < 0 else min(max(wait, RESOLUTION), MAX_SLEEP))

    def _windows(self, chat_id: int, *, chat_window: bool) -> tuple[list[str], list[str]]:
        """The keys the scripts read (overall, pause, urgent, then the chat's windows) and the chat windows' sizes."""
        limits = self.limits
        keys = [self._name("all:a"), self._name("all:p"), self._name("pause"), self._name("urgent")]
        sizes: list[str] = []
        if chat_window or chat_id < 0:
            keys += [self._name(f"chat:{chat_id}:a"), self._name(f"chat:{chat_id}:p")]
            sizes += ["1", repr(limits.chat_interval + limits.margin)]
        if chat_id < 0:
            keys += [self._name(f"group:{chat_id}:a"), self._name(f"group:{chat_id}:p")]
            sizes += [str(limits.group_per_minute), repr(60.0 + limits.margin)]
        return keys, sizes

    def _name(self, part: str) -> str:
        return f"{self._key}:{part}"

    def _now_arg(self) -> str:
        return "" if self.clock is None else f"{self.clock():.6f}"

    @contextlib.asynccontextmanager
    async def _chat_turn(self, chat_id: int) -> AsyncIterator[None]:
        """One request per chat at a time in this process, as the in-process limiter; forgotten when idle."""
        entry = self._chats.setdefault(chat_id, [asyncio.Lock(), 0])
        entry[1] += 1
        try:
            async with entry[0]:
                yield
        finally:
            entry[1] -= 1
            if entry[1] == 0:
                del self._chats[chat_id]
