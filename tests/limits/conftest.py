"""The limiters under test, each kind on a virtual clock: in this process, and shared through Redis (its script reads
the clock's time, passed in), as many instances ("processes") of the shared one as a test asks for on one key."""

import asyncio
import heapq
import itertools
import os
import uuid
from collections.abc import AsyncIterator, Callable

import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.limits import Limiter, Limits, RateLimiter, SharedRateLimiter

#: Redis for the shared limiter's tests; each test has keys of its own, deleted after it.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
#: Real seconds without a clock reading or a new sleeper before virtual time jumps: a Redis reply lands first.
QUIET = 0.01


class SimClock:
    """Virtual seconds: a sleeper wakes when the clock reaches its deadline, and the clock jumps to the next deadline
    only once nobody has read it or gone to sleep for a moment (the limiters read it for every decision, the shared
    one before each call to Redis), so concurrent sleepers share one time line (unlike a clock that adds each sleep
    to itself) and a task waiting for Redis is not overtaken."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self._sleepers: list[tuple[float, int, asyncio.Future]] = []
        self._order = itertools.count()
        self._timer: asyncio.TimerHandle | None = None
        self.busy = 0  # calls to Redis under way: time stands still for them

    def __call__(self) -> float:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
            self._arm(asyncio.get_running_loop())
        return self.now

    async def sleep(self, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        woken = loop.create_future()
        heapq.heappush(self._sleepers, (self.now + max(seconds, 0.0), next(self._order), woken))
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._arm(loop)
        try:
            await woken
        finally:
            woken.cancel()

    def _arm(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._timer is None:
            self._timer = loop.call_later(QUIET, self._advance, loop)

    def _advance(self, loop: asyncio.AbstractEventLoop) -> None:
        self._timer = None
        if self.busy:
            self._arm(loop)
            return
        while self._sleepers and self._sleepers[0][2].done():
            heapq.heappop(self._sleepers)
        if not self._sleepers:
            return
        self.now = max(self.now, self._sleepers[0][0])
        while self._sleepers and self._sleepers[0][0] <= self.now:
            woken = heapq.heappop(self._sleepers)[2]
            if not woken.done():
                woken.set_result(None)
        if self._sleepers:
            self._arm(loop)


class TimedRedis(Redis):
    """A Redis client the virtual clock waits for: no jump while a command is under way."""

    clock: SimClock | None = None

    async def execute_command(self, *args, **options):
        clock = self.clock
        if clock is None:
            return await super().execute_command(*args, **options)
        clock.busy += 1
        try:
            return await super().execute_command(*args, **options)
        finally:
            clock.busy -= 1
            clock()  # a reading: the caller goes on before time moves


@pytest.fixture
def clock() -> SimClock:
    return SimClock()


@pytest.fixture
async def redis(clock) -> AsyncIterator[Redis]:
    client = TimedRedis.from_url(REDIS_URL, socket_connect_timeout=0.5, socket_timeout=5)
    client.clock = clock
    try:
        await client.ping()
    except (RedisError, OSError):
        await client.aclose()
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    yield client
    await client.aclose()


@pytest.fixture
async def budget_key(redis) -> AsyncIterator[str]:
    key = f"ipoteka-test-limits-{uuid.uuid4().hex}"
    yield key
    keys = [name async for name in redis.scan_iter(match=f"{{{key}}}:*")]
    if keys:
        await redis.delete(*keys)


MakeLimiter = Callable[..., Limiter]


@pytest.fixture(params=["local", "redis"])
def make_limiter(request, clock) -> MakeLimiter:
    """`make_limiter(**limits)`: a limiter of the kind under test; shared ones made by one test share one budget."""
    if request.param == "local":
        return lambda **limits: RateLimiter(Limits(**limits), clock=clock, sleep=clock.sleep)
    redis = request.getfixturevalue("redis")
    key = request.getfixturevalue("budget_key")
    return lambda **limits: SharedRateLimiter(redis, Limits(**limits), key=key, clock=clock, sleep=clock.sleep)


async def send(limiter: Limiter, clock: SimClock, chat_id: int, *, lead: float = 0.0, **kind) -> float:
    """A send answered at once; the moment it went."""
    permit = await limiter.reserve(chat_id, lead=lead, **kind)
    await permit.start()
    moment = clock()
    await permit.done()
    return moment


def most_in_any_window(moments: list[float], span: float) -> int:
    return max(sum(1 for m in moments if start <= m < start + span) for start in moments)
